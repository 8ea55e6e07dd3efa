"""The filters of the journal's list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models import AuditEvent


def set_filter_choices(filter_, choices) -> None:
    """Give one filter of a FilterSet instance the choices of this request's user.

    The form field a filter builds is cached on the filter, and FilterSet instances copy the
    class's filters with that cache: once anything has read a class-level filter's field (the
    OpenAPI schema generator does), every later instance would keep its empty choices."""
    filter_.extra["choices"] = choices
    filter_.__dict__.pop("_field", None)


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="icontains")
    object_repr = django_filters.CharFilter(label=_("Objet"), lookup_expr="icontains")
    actor = django_filters.CharFilter(
        label=_("Auteur (identifiant)"), field_name="actor__username", lookup_expr="iexact"
    )
    since = django_filters.DateFilter(
        label=_("Depuis le"), field_name="at", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(label=_("Jusqu'au"), field_name="at", lookup_expr="date__lte", widget=DateInput())

    class Meta:
        model = AuditEvent
        fields = []
