"""The public calculator: the amount due for a month, step by step, with its sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.wording import day_label

from .. import rules, selectors

# -- public calculator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Calculation:
    """The computation of the public calculator, step by step, with its sources."""

    month: date
    ssm: object  # core.selectors.SsmInForce
    programme: str
    diploma: str
    training_year: int
    rate_percent: Decimal | None
    rate_source: str
    rate_is_demo: bool
    amount_at_100: Decimal | None
    pii: bool
    monthly_amount: Decimal
    adult: bool
    adult_amount: Decimal | None
    reimbursement_amount: Decimal | None


def calculator_compute(*, month: date, training_year: int, trade=None, formation=None, pii=False, adult=False):
    """APP-1/APP-2/APP-5 for one month: the figures the public calculator explains.

    Raises ValidationError (French) when a parameter is not in force on the first day of the month.
    """
    from core.selectors import ReferenceDataMissing, ssm_in_force

    try:
        ssm = ssm_in_force(month)
    except ReferenceDataMissing as exc:
        raise ValidationError({"month": str(exc)}) from None
    rate_percent = amount_at_100 = None
    if trade is not None:
        row = selectors.trade_rate_in_force(trade, training_year, month)
        if row is None:
            raise ValidationError(
                {
                    "month": _("Aucun taux n'est en vigueur pour ce métier et cette année le %(d)s.")
                    % {"d": day_label(month)}
                }
            )
        rate_percent = row.rate_after_pii if pii else row.rate_before_pii
        monthly = rules.monthly_indemnity(ssm.amount, rate_percent)
        source, is_demo, programme, diploma = row.source, row.is_demo, str(trade), trade.diploma
    else:
        row = selectors.cross_border_rate_in_force(formation, training_year, month)
        if row is None:
            raise ValidationError(
                {
                    "month": _("Aucune indemnité n'est en vigueur pour cette formation et cette année le %(d)s.")
                    % {"d": day_label(month)}
                }
            )
        amount_at_100 = row.amount_at_100
        monthly = rules.cross_border_indemnity(amount_at_100, ssm.index)
        source, is_demo, programme, pii = row.source, False, str(formation), False
        diploma = formation.level
    adult_amount = reimbursement = None
    if adult:
        adult_amount = max(ssm.amount, monthly)
        reimbursement = rules.adult_reimbursement(ssm.amount, monthly)
    return Calculation(
        month=month,
        ssm=ssm,
        programme=programme,
        diploma=diploma,
        training_year=training_year,
        rate_percent=rate_percent,
        rate_source=source,
        rate_is_demo=is_demo,
        amount_at_100=amount_at_100,
        pii=pii,
        monthly_amount=monthly,
        adult=adult,
        adult_amount=adult_amount,
        reimbursement_amount=reimbursement,
    )


@dataclass(frozen=True)
class CalculationStep:
    """One line of the calculator's explanation: what, how (the operation) and the result."""

    label: str
    formula: str
    value: Decimal


def calculator_steps(calculation: Calculation) -> list[CalculationStep]:
    """The steps the calculator page lists, in the active language, as data (the JSON API's
    `steps`): the same labels and operations as `apprenticeship/calculator.html`."""
    c, s = calculation, calculation.ssm
    month = date_format(c.month, "F Y")
    if c.rate_percent is not None:
        rate_label = _("taux %(dip)s %(y)se année") % {"dip": c.diploma, "y": c.training_year}
        if c.pii:
            rate_label += f" ({_('après PII')})"
        steps = [
            CalculationStep(_("SSM au 1er %(d)s") % {"d": month}, f"{s.amount_at_100} × {s.index} / 100", s.amount),
            CalculationStep(rate_label, f"{c.rate_percent} %", c.rate_percent),
            CalculationStep(_("indemnité"), f"{s.amount} × {c.rate_percent} %", c.monthly_amount),
        ]
    else:
        steps = [
            CalculationStep(_("nombre indice au 1er %(d)s") % {"d": month}, "", s.index),
            CalculationStep(_("indemnité au nombre indice 100"), "", c.amount_at_100),
            CalculationStep(_("indemnité"), f"{c.amount_at_100} × {s.index} / 100", c.monthly_amount),
        ]
    if c.adult:
        steps += [
            CalculationStep(_("apprenti adulte : SSM complet"), "", c.adult_amount),
            CalculationStep(
                _("remboursement à l'employeur"), f"{c.adult_amount} − {c.monthly_amount}", c.reimbursement_amount
            ),
        ]
    return steps
