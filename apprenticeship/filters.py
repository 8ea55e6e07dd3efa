from datetime import date

import django_filters
from crispy_forms.helper import FormHelper
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.selectors import is_employer, schools_for

from . import rules, selectors
from .enums import ContractStatus
from .models import Contract, Trade


def _school_year_choices():
    current = rules.school_year_of(timezone.localdate())
    return [(y, rules.school_year_label(y)) for y in range(current + 1, current - 6, -1)]


def _employers(request):
    return selectors.employers_for(request.user) if request else selectors.Employer.objects.none()


def _schools(request):
    return schools_for(request.user, scheme=selectors.SCHEME) if request else None


class ContractFilter(django_filters.FilterSet):
    """Foreign-key choices are scoped to the user (TRAPS: never every row of a table)."""

    apprentice = django_filters.CharFilter(label=_("Apprenti"), method="filter_apprentice")
    trade = django_filters.ModelChoiceFilter(label=_("Métier"), queryset=Trade.objects.all())
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=ContractStatus.choices)
    school_year = django_filters.TypedChoiceFilter(
        label=_("Année scolaire"), choices=_school_year_choices, coerce=int, method="filter_school_year"
    )
    employer = django_filters.ModelChoiceFilter(label=_("Employeur"), queryset=_employers)
    school = django_filters.ModelChoiceFilter(label=_("Lycée"), queryset=_schools)

    class Meta:
        model = Contract
        fields = ["apprentice", "trade", "status", "school_year", "employer", "school"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None and is_employer(self.request.user):
            del self.filters["school"]
        self.form.helper = FormHelper()
        self.form.helper.form_tag = False
        self.form.helper.disable_csrf = True

    def filter_apprentice(self, queryset, name, value):
        for word in value.split()[:3]:
            queryset = queryset.filter(
                Q(apprentice__last_name__icontains=word) | Q(apprentice__first_name__icontains=word)
            )
        return queryset

    def filter_school_year(self, queryset, name, value):
        """Contracts running at some point of the school year (1 September – 31 August)."""
        return queryset.filter(start_date__lte=date(value + 1, 8, 31), end_date__gte=date(value, 9, 1))
