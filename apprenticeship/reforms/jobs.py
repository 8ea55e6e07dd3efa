"""Background job of a reform simulation (`core.jobs`): the totals are stored, the per-contract
figures are the job's result (CSV)."""

from __future__ import annotations

from django.utils.text import slugify

from . import selectors, services


def simulation_job(*, job, progress, scenario_id: int):
    scenario = selectors.scenario_for(job.owner, scenario_id)
    simulation, content = services.reform_simulate(actor=job.owner, scenario=scenario, progress=progress)
    return f"simulation-{slugify(scenario.name)[:60]}-{simulation.pk}.csv", content
