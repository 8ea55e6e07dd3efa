"""The price of an act: its rate at index 100 brought to the index in force on the act's date
(CORE-1, CORE-2, BTS-1), with the index history read once per declaration."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.models import LuxIndex
from core.rules import value_in_force

from .. import rules
from ..models import (
    ActRate,
)

# -- pricing: CORE-1 / CORE-2 / BTS-1 --------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    rate_at_100: Decimal
    index_value: Decimal
    unit_amount: Decimal
    line_amount: Decimal


class Pricer:
    """Prices acts on their dates from the rates and indices loaded once (no query per line)."""

    def __init__(self, act_ids):
        self.rates = defaultdict(list)
        for rate in ActRate.objects.filter(act_id__in=set(act_ids)):
            self.rates[rate.act_id].append((rate.valid_from, rate.valid_until, rate))
        self.indices = LuxIndex.objects.periods("value")

    def price(self, *, act_id: int, on: date, quantity, field: str = "act_date") -> Price:
        rate = value_in_force(self.rates.get(act_id, []), on)
        if rate is None:
            raise ValidationError(
                {field: _("Aucun taux n'est en vigueur pour cet acte le %(d)s.") % {"d": on.strftime("%d/%m/%Y")}}
            )
        index = value_in_force(self.indices, on)
        if index is None:
            raise ValidationError(
                {field: _("Aucun nombre indice n'est en vigueur le %(d)s.") % {"d": on.strftime("%d/%m/%Y")}}
            )
        return Price(
            rate_at_100=rate.rate_at_100,
            index_value=index,
            unit_amount=rules.unit_amount(rate.rate_at_100, index),
            line_amount=rules.line_amount(rate.rate_at_100, index, quantity),
        )


def rates_in_force(on: date) -> dict[str, Decimal]:
    """Act code → rate at index 100 in force on a date (none for an act whose rate has ended)."""
    return dict(
        ActRate.objects.in_force(on=on).order_by("act__code", "valid_from").values_list("act__code", "rate_at_100")
    )
