"""BTS reference data officers enter in the application (see `core.reference`)."""

from django.utils.translation import gettext_lazy as _

from core.enums import Scheme
from core.reference import ReferenceKind

from .models import ActRate

KINDS = [
    ReferenceKind(
        key="taux-acte-bts",
        label=_("Taux d'un acte BTS (indice 100)"),
        help_text=_("Taux au nombre indice 100 d'un acte du tableau des indemnités BTS."),
        model=ActRate,
        value_fields=("act", "rate_at_100"),
        schemes=(Scheme.BTS_FEES,),
        impacts=("bts_fees.impact.act_rate_impacts",),
    ),
]
