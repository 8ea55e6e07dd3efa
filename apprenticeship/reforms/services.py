"""Use cases of reform scenarios: simulate one over the caseload, adopt it.

A draft scenario changes nothing anyone sees: the simulation only writes its own totals. Adoption
writes the scenario's rates as effective-dated reference data from its (retroactive) date through
`core.services.effective_dated_save`; issued statements keep their frozen lines, and the arrears
pages show the difference, with the State's share apart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.rules import HUNDRED, round_cent, value_in_force
from core.services import audit_record, effective_dated_save
from core.tables import neutralise_formula

from .. import permissions as app_permissions
from .. import rules as app_rules
from .. import selectors as app_selectors
from ..enums import AuditAction, ReformBasis, ReformProgramme, ReformStatus
from ..models import CrossBorderFormation, CrossBorderRate, Trade, TradeRate
from . import rules, selectors
from .models import ReformScenario, ReformSimulation

ZERO = Decimal("0.00")
# Order of the figures in every total: current, reformed, difference, State, employer, bonus.
FIGURES = ("current", "reformed", "difference", "state", "employer", "bonus")
GROUPS = ("month", "diploma", "trade", "school", "employer")
PROGRESS_STEPS = 20  # progress is written at most this many times: a bounded number of queries


def _officer(actor) -> None:
    if not app_permissions.is_apprenticeship_officer(actor):
        raise PermissionDenied


def _empty() -> list:
    return [ZERO] * 6 + [0]  # six figures and the number of contracts


def _add(total: list, figures: list, contracts: int = 1) -> None:
    for i in range(6):
        total[i] += figures[i]
    total[6] += contracts


# -- simulation ------------------------------------------------------------------------------------


def reform_simulate(
    *, actor, scenario: ReformScenario, progress: Callable[[int, int], None] | None = None
) -> tuple[ReformSimulation, bytes]:
    """Simulate the scenario over every contract that is not a draft and runs on or after its
    effective date, month by month from that date: current and reformed indemnity, difference,
    who pays it, trainers' bonus. Set-based: a fixed number of queries whatever the caseload
    (`selectors.caseload_data`), the months computed in memory by the pure rules.

    Returns the stored totals (by month, diploma, trade or formation, school and employer) and a
    CSV of the figures per contract. Writes nothing else: a draft changes no amount."""
    _officer(actor)
    reform = selectors.reform_of(scenario)
    data = selectors.caseload_data(scenario.effective_from)
    histories, rates, recorded = data["histories"], data["rates"], data["recorded"]
    totals = {group: {} for group in GROUPS}
    grand = _empty()
    skipped = 0
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("contrat"),
            _("employeur"),
            _("lycée"),
            _("formation"),
            _("diplôme"),
            _("mois"),
            _("indemnités actuelles"),
            _("indemnités réformées"),
            _("différence"),
            _("à la charge de l'État"),
            _("à la charge de l'employeur"),
            _("prime des formateurs"),
        ]
    )
    rows = data["rows"]
    step = max(1, len(rows) // PROGRESS_STEPS)
    start_month = scenario.effective_from
    # Contracts with the same computing inputs (dates, programme, training years, PII, adult) have
    # the same months: each distinct case is computed once, and the monthly totals are its figures
    # times the number of contracts that share it (the rules are pure; a caseload of 100 000
    # contracts starting on a few dates has far fewer cases than contracts).
    cases: dict[tuple, tuple[list, list] | None] = {}
    case_counts: dict[tuple, int] = {}
    for n, row in enumerate(rows, start=1):
        (pk, reference, start, end, ended_on, first_year, trade_id, formation_id, adult, pii_on, employer_id,
         school_id, diploma, trade_duration, formation_duration) = row  # fmt: skip
        if progress and n % step == 0:
            progress(n, len(rows))
        end = min(end, ended_on) if ended_on else end
        duration = trade_duration or formation_duration
        programme = diploma if trade_id else ReformProgramme.CROSS_BORDER
        case = (
            start,
            end,
            first_year,
            trade_id,
            formation_id,
            adult,
            pii_on,
            tuple(sorted(recorded.get(pk, {}).items())),
        )
        if case not in cases:
            cases[case] = _case_months(
                start=start,
                end=end,
                first_year=first_year,
                duration=duration,
                recorded=recorded.get(pk, {}),
                trade_id=trade_id,
                formation_id=formation_id,
                adult=adult,
                pii_on=pii_on,
                programme=programme,
                start_month=start_month,
                histories=histories,
                rates=rates,
                reform=reform,
            )
        computed = cases[case]
        if computed is None:
            skipped += 1
            continue
        months, contract_total = computed
        case_counts[case] = case_counts.get(case, 0) + 1
        programme_key = f"T{trade_id}" if trade_id else f"F{formation_id}"
        for group, key in (
            ("diploma", programme),
            ("trade", programme_key),
            ("school", str(school_id)),
            ("employer", str(employer_id)),
        ):
            bucket = totals[group].setdefault(key, _empty())
            _add(bucket, contract_total)
        _add(grand, contract_total)
        programme_name = data["trades"].get(trade_id) if trade_id else data["formations"].get(formation_id)
        writer.writerow(
            [
                reference,
                neutralise_formula(data["employers"].get(employer_id, "")),
                neutralise_formula(data["schools"].get(school_id, "")),
                neutralise_formula(programme_name or ""),
                programme,
                len(months),
                *(str(v) for v in contract_total[:6]),
            ]
        )
    by_month = totals["month"]
    for case, count in case_counts.items():
        for key, figures in cases[case][0]:
            if key not in by_month:
                by_month[key] = _empty()
            _add(by_month[key], [value * count for value in figures], count)
    if progress:
        progress(len(rows), len(rows))
    names = {
        "diploma": {p.value: str(p.label) for p in ReformProgramme},
        "trade": {
            **{f"T{k}": v for k, v in data["trades"].items()},
            **{f"F{k}": v for k, v in data["formations"].items()},
        },
        "school": {str(k): v for k, v in data["schools"].items()},
        "employer": {str(k): v for k, v in data["employers"].items()},
    }
    stored = {}
    for group in GROUPS:
        entries = []
        for key, values in totals[group].items():
            label = key if group == "month" else names[group].get(key, key)
            entries.append({"key": key, "label": label, **_figures_json(values)})
        if group == "month":
            entries.sort(key=lambda e: e["key"])
        else:
            entries.sort(key=lambda e: (-Decimal(e["difference"]), e["label"]))
        stored[group] = entries
    simulation = ReformSimulation.objects.create(
        scenario=scenario,
        run_by=actor,
        contracts=grand[6],
        skipped=skipped,
        current_amount=grand[0],
        reformed_amount=grand[1],
        difference_amount=grand[2],
        state_amount=grand[3],
        employer_amount=grand[4],
        bonus_amount=grand[5],
        totals=stored,
    )
    return simulation, out.getvalue().encode("utf-8-sig")


def _case_months(
    *,
    start,
    end,
    first_year,
    duration,
    recorded,
    trade_id,
    formation_id,
    adult,
    pii_on,
    programme,
    start_month,
    histories,
    rates,
    reform,
) -> tuple[list, list] | None:
    """The months of one case under the reform, as (month key, six figures) pairs, and their
    total; None when the case cannot be computed (dates beyond the training, a missing rate)."""
    if not app_rules.contract_dates_computable(start, end, duration=duration, first_training_year=first_year):
        return None
    years = app_rules.training_years(
        start=start, end=end, first_training_year=first_year, duration=duration, recorded=recorded
    )
    kwargs = (
        {"rate_periods": rates["trades"].get(trade_id, {})}
        if trade_id
        else {"amount_periods": rates["formations"].get(formation_id, {})}
    )
    try:
        lines = app_rules.schedule_lines(
            start=max(start, start_month),
            end=end,
            training_year_by_school_year=years,
            index_periods=histories["index"],
            ssm_periods=histories["ssm"],
            pii_notified_on=pii_on,
            adult=adult,
            **kwargs,
        )
    except app_rules.MissingParameter:
        return None
    months = []
    total = _empty()
    for m in rules.reform_months(lines, reform=reform, programme=programme, duration=duration, pii_notified_on=pii_on):
        figures = [
            m.current_amount,
            m.reformed_amount,
            m.difference_amount,
            m.state_amount,
            m.employer_amount,
            m.bonus_amount,
        ]
        months.append((m.month.isoformat()[:7], figures))
        _add(total, figures, 0)
    return months, total


def _figures_json(values: list) -> dict:
    return {**{name: str(values[i]) for i, name in enumerate(FIGURES)}, "contracts": values[6]}


def simulation_start(*, actor, scenario: ReformScenario):
    """Queue the simulation as a background job (its page shows the progress)."""
    from core.jobs import job_start

    _officer(actor)
    return job_start(
        owner=actor,
        label=_("Simulation de la réforme « %(n)s »") % {"n": scenario.name},
        func="apprenticeship.reforms.jobs.simulation_job",
        kwargs={"scenario_id": scenario.pk},
    )


# -- adoption --------------------------------------------------------------------------------------


def _percent(value: Decimal) -> Decimal:
    """A rate of the reference data has two decimals; a reformed rate that has more is refused."""
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Le taux de %(v)s %% a plus de deux décimales : les barèmes n'en comptent que deux.") % {"v": value}
        )
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def reform_adopt(*, actor, scenario: ReformScenario) -> int:
    """Adopt a draft scenario once the law is voted: its rates become effective-dated reference
    data from its effective date (possibly retroactive), through `effective_dated_save` (the
    period in force then ends the day before). With "keep the higher amount", each rate written
    is the higher of the current and the reformed one. The rates in force the day before are kept
    on the scenario, for the State's share of the arrears. Issued statements are not touched (their
    lines are frozen); the arrears pages show the difference. Returns the number of rates written
    (a rate the reform leaves as it is gets no new period)."""
    _officer(actor)
    scenario = ReformScenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.status != ReformStatus.DRAFT:
        raise ValidationError(_("Ce scénario a déjà été adopté."))
    reform = selectors.reform_of(scenario)
    if not reform.rates:
        raise ValidationError(_("Ce scénario ne contient aucun taux : il n'y a rien à adopter."))
    effective = scenario.effective_from
    day_before = date.fromordinal(effective.toordinal() - 1)
    source = f"{scenario.legal_source} — {scenario.name}"[:300]
    former: dict = {"trades": {}, "formations": {}}
    written = 0
    for trade in Trade.objects.order_by("pk"):
        for year in range(1, trade.duration_years + 1):
            row = rules.reform_rate_for(
                reform.rates, programme=trade.diploma, duration=trade.duration_years, training_year=year
            )
            if row is None:
                continue
            if row.basis != ReformBasis.SSM_PERCENT:
                raise ValidationError(
                    _("Les taux des métiers sont des pourcentages du SSM : « %(t)s » ne peut recevoir un montant.")
                    % {"t": trade}
                )
            current = TradeRate.objects.filter(trade=trade, training_year=year).current(on=day_before)
            before, after = _percent(row.before_pii), _percent(row.after_pii)
            if current is not None:
                former["trades"].setdefault(str(trade.pk), {})[str(year)] = [
                    str(current.rate_before_pii),
                    str(current.rate_after_pii),
                ]
                if scenario.keep_higher:
                    before = max(before, current.rate_before_pii)
                    after = max(after, current.rate_after_pii)
                if (before, max(after, before)) == (current.rate_before_pii, current.rate_after_pii):
                    continue  # the rate in force stays (a higher current rate kept): nothing to write
            instance = TradeRate.objects.filter(trade=trade, training_year=year, valid_from=effective).first()
            instance = instance or TradeRate(trade=trade, training_year=year, valid_from=effective)
            instance.rate_before_pii, instance.rate_after_pii = before, max(after, before)
            instance.source, instance.is_demo = source, False
            effective_dated_save(actor=actor, instance=instance)
            written += 1
    ssm_at_100 = value_in_force(app_selectors.parameter_histories()["ssm"], effective)
    for formation in CrossBorderFormation.objects.order_by("pk"):
        for year in range(1, formation.duration_years + 1):
            row = rules.reform_rate_for(
                reform.rates,
                programme=ReformProgramme.CROSS_BORDER,
                duration=formation.duration_years,
                training_year=year,
            )
            if row is None:
                continue
            current = CrossBorderRate.objects.filter(formation=formation, training_year=year).current(on=day_before)
            if current is None:
                continue  # a formation not offered before the reform keeps its own rates
            if row.basis == ReformBasis.AT_100:
                amount = row.before_pii
            else:
                if ssm_at_100 is None:
                    raise ValidationError(_("Aucun salaire social minimum n'est en vigueur à la date d'effet."))
                # The cross-border reference data is an amount at index 100: the % of the SSM at 100.
                amount = (ssm_at_100 * row.before_pii / HUNDRED).quantize(Decimal("0.0001"))
            former["formations"].setdefault(str(formation.pk), {})[str(year)] = str(current.amount_at_100)
            if scenario.keep_higher:
                amount = max(amount, current.amount_at_100)
            if amount == current.amount_at_100:
                continue  # the amount in force stays: nothing to write
            instance = CrossBorderRate.objects.filter(
                formation=formation, training_year=year, valid_from=effective
            ).first()
            instance = instance or CrossBorderRate(formation=formation, training_year=year, valid_from=effective)
            instance.amount_at_100, instance.source = amount, source
            effective_dated_save(actor=actor, instance=instance)
            written += 1
    scenario.status = ReformStatus.ADOPTED
    scenario.adopted_at = timezone.now()
    scenario.adopted_by = actor
    scenario.former_rates = former
    scenario.full_clean()
    scenario.save()
    simulation = selectors.latest_simulation(scenario)
    audit_record(
        actor=actor,
        action=AuditAction.REFORM_ADOPT,
        obj=scenario,
        before={"status": ReformStatus.DRAFT},
        after={
            "status": ReformStatus.ADOPTED,
            "effective_from": effective.isoformat(),
            "rates_written": written,
            "simulated_difference": str(simulation.difference_amount) if simulation else None,
            "simulated_state": str(simulation.state_amount) if simulation else None,
            "simulated_bonus": str(simulation.bonus_amount) if simulation else None,
        },
    )
    return written


# -- the State's share of the arrears of an adopted reform ---------------------------------------


def state_shares(*, contract, lines, scenarios: list[ReformScenario]) -> dict[date, Decimal]:
    """Per month of a schedule computed with the rates in force (after adoption), the part of the
    amount due that an adopted reform puts on the State: the amount due minus what the rates in
    force before the reform give, from the reform's date, when the State pays the difference."""
    shares: dict[date, Decimal] = {}
    pii_from = app_rules.pii_increase_from(contract.pii_notified_on) if contract.pii_notified_on else None
    for scenario in scenarios:
        if scenario.difference_payer != "state":
            continue
        if contract.trade_id:
            former = scenario.former_rates.get("trades", {}).get(str(contract.trade_id), {})
        else:
            former = scenario.former_rates.get("formations", {}).get(str(contract.formation_id), {})
        for line in lines:
            if line.month < scenario.effective_from or str(line.training_year) not in former:
                continue
            value = former[str(line.training_year)]
            pii = bool(pii_from and line.month >= pii_from)
            if contract.trade_id:
                due = rules.former_due(line, rates=(Decimal(value[0]), Decimal(value[1])), amount_at_100=None, pii=pii)
            else:
                due = rules.former_due(line, rates=None, amount_at_100=Decimal(value), pii=False)
            shares[line.month] = max(round_cent(line.due_amount - due), ZERO)
    return shares
