"""Figures of the ARE that are computed when read, not stored: the fingerprint of a lycée's
enrolments, what a lycée received and carried over per envelope, the forfaits proposed for a year
(ARE-3). Nothing is saved here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.models import School, User
from core.rules import ZERO

from .. import permissions, rules
from ..enums import DotationStatus, Envelope, RequestStatus
from ..models import (
    DEFAULT_CPI_BASE,
    DEFAULT_CPI_SERIES,
    CarryOver,
    CpiValue,
    Dotation,
    Enrolment,
    SchoolYear,
    SupplementaryRequest,
)


def enrolments_fingerprint(school: School, school_year: SchoolYear) -> str:
    """A short digest of a lycée's enrolments: the form sends it back to detect a concurrent edit."""
    rows = Enrolment.objects.filter(school=school, formation__school_year=school_year).order_by("formation_id")
    payload = ";".join(f"{f}:{c}" for f, c in rows.values_list("formation_id", "first_year_count"))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def received_per_envelope(school: School, year: SchoolYear) -> dict[str, Decimal]:
    """Dotations received for the year: the voted initial dotation and the accepted supplementary ones."""
    received = {Envelope.PRE_BAC: ZERO, Envelope.POST_BAC: ZERO}
    dotation = Dotation.objects.filter(school=school, school_year=year).exclude(status=DotationStatus.COMPUTED).first()
    if dotation is not None:
        received[Envelope.PRE_BAC] += dotation.pre_bac_due_amount
        received[Envelope.POST_BAC] += dotation.post_bac_due_amount
    for pre, post in SupplementaryRequest.objects.filter(
        school=school, school_year=year, status=RequestStatus.ACCEPTED
    ).values_list("pre_bac_amount", "post_bac_amount"):
        received[Envelope.PRE_BAC] += pre or ZERO
        received[Envelope.POST_BAC] += post or ZERO
    return received


def carryover_per_envelope(school: School, year: SchoolYear) -> dict[str, Decimal]:
    rows = dict(CarryOver.objects.filter(school=school, school_year=year).values_list("envelope", "amount"))
    return {e: rows.get(e, ZERO) for e in (Envelope.PRE_BAC, Envelope.POST_BAC)}


@dataclass(frozen=True)
class ForfaitProposal:
    school_year: SchoolYear
    previous_year: SchoolYear
    december_n1: CpiValue
    december_n2: CpiValue
    evolution_percent: Decimal
    forfait: Decimal
    forfait_prepa_metiers: Decimal
    forfait_cpge: Decimal | None


def _cpi_for(series_id: str, base: str, month: date) -> CpiValue:
    found = CpiValue.objects.filter(series_id=series_id, base=base, month=month).first()
    if found is not None:
        return found
    other = CpiValue.objects.filter(month=month).exclude(series_id=series_id, base=base).first()
    if other is not None:
        raise ValidationError(
            _(
                "La valeur de %(m)s est enregistrée dans la série %(s)s base %(b)s, pas dans la série %(s0)s base "
                "%(b0)s : une évolution ne se calcule qu'entre deux valeurs de la même série et de la même base."
            )
            % {"m": month.strftime("%m/%Y"), "s": other.series_id, "b": other.base, "s0": series_id, "b0": base}
        )
    raise ValidationError(
        _("Aucun indice de %(m)s n'est enregistré pour la série %(s)s base %(b)s.")
        % {"m": month.strftime("%m/%Y"), "s": series_id, "b": base}
    )


def forfaits_propose(
    *, actor: User | None, school_year: SchoolYear, series_id: str = DEFAULT_CPI_SERIES, base: str = DEFAULT_CPI_BASE
) -> ForfaitProposal:
    """ARE-3: the forfaits of `school_year` proposed from the previous year's and the CPI evolution
    between December n-1 and December n-2 of one series and base. Nothing is saved."""
    permissions.require_officer(actor)
    previous = SchoolYear.objects.filter(start_year=school_year.start_year - 1).first()
    if previous is None or not previous.forfaits_confirmed:
        raise ValidationError(
            _("Les forfaits de l'année %(y)s doivent être confirmés avant de proposer ceux de %(n)s.")
            % {"y": f"{school_year.start_year - 1}-{school_year.start_year}", "n": school_year.label}
        )
    december_n1 = _cpi_for(series_id, base, date(school_year.start_year - 1, 12, 1))
    december_n2 = _cpi_for(series_id, base, date(school_year.start_year - 2, 12, 1))
    evolution = rules.cpi_evolution_percent(december_n1.value, december_n2.value)
    cpge = previous.forfait_cpge_amount
    return ForfaitProposal(
        school_year=school_year,
        previous_year=previous,
        december_n1=december_n1,
        december_n2=december_n2,
        evolution_percent=evolution,
        forfait=rules.indexed_forfait(previous.forfait_amount, evolution),
        forfait_prepa_metiers=rules.indexed_forfait(previous.forfait_prepa_metiers_amount, evolution),
        forfait_cpge=None if cpge is None else rules.indexed_forfait(cpge, evolution),
    )
