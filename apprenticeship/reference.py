"""Apprenticeship reference data officers enter in the application (see `core.reference`)."""

from django.utils.translation import gettext_lazy as _

from core.enums import Scheme
from core.reference import ReferenceKind

from .models import CrossBorderRate, TradeRate

KINDS = [
    ReferenceKind(
        key="taux-metier",
        label=_("Taux d'indemnité d'un métier"),
        help_text=_("Pourcentage du salaire social minimum par métier et année de formation, avant et après PII."),
        model=TradeRate,
        value_fields=("trade", "training_year", "rate_before_pii", "rate_after_pii"),
        schemes=(Scheme.APPRENTICESHIP,),
        impacts=("apprenticeship.impact.trade_rate_impacts",),
    ),
    ReferenceKind(
        key="formation-transfrontaliere",
        label=_("Indemnité d'une formation transfrontalière"),
        help_text=_("Montant au nombre indice 100 par formation et année de formation."),
        model=CrossBorderRate,
        value_fields=("formation", "training_year", "amount_at_100"),
        schemes=(Scheme.APPRENTICESHIP,),
        impacts=("apprenticeship.impact.cross_border_rate_impacts",),
    ),
]
