"""List filters of the ARE (choices only: no foreign-key select that would list every row)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.enums import Academy, SchoolSector

from .enums import DotationStatus, FormationLevel, RequestStatus
from .models import Dotation, EligibleFormation, SupplementaryRequest

FRENCH_SECTORS = [c for c in SchoolSector.choices if not c[0].startswith("lu_")]


class FormationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche (code, NSF, libellé)"), method="search")
    level = django_filters.ChoiceFilter(label=_("Niveau"), choices=FormationLevel.choices, empty_label=_("tous"))

    class Meta:
        model = EligibleFormation
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(diploma_code__startswith=value) | Q(nsf_code=value))


class CampaignFilter(django_filters.FilterSet):
    academy = django_filters.ChoiceFilter(
        label=_("Académie"), field_name="school__academy", choices=Academy.choices, empty_label=_("toutes")
    )
    sector = django_filters.ChoiceFilter(
        label=_("Secteur"), field_name="school__sector", choices=FRENCH_SECTORS, empty_label=_("tous")
    )
    status = django_filters.ChoiceFilter(label=_("État"), choices=DotationStatus.choices, empty_label=_("tous"))
    q = django_filters.CharFilter(label=_("Lycée (nom ou UAI)"), method="search")

    class Meta:
        model = Dotation
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(school__name__icontains=value.strip()) | Q(school__code__iexact=value.strip()))


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("État"), choices=RequestStatus.choices, empty_label=_("tous"))
    academy = django_filters.ChoiceFilter(
        label=_("Académie"), field_name="school__academy", choices=Academy.choices, empty_label=_("toutes")
    )

    class Meta:
        model = SupplementaryRequest
        fields = []


class UsageReportFilter(django_filters.FilterSet):
    academy = django_filters.ChoiceFilter(
        label=_("Académie"), field_name="school__academy", choices=Academy.choices, empty_label=_("toutes")
    )

    class Meta:
        from .models import UsageReport

        model = UsageReport
        fields = []


class CpgeFilter(django_filters.FilterSet):
    academy = django_filters.ChoiceFilter(
        label=_("Académie"), field_name="school__academy", choices=Academy.choices, empty_label=_("toutes")
    )
    second_year = django_filters.BooleanFilter(label=_("2e année"))

    class Meta:
        from .models import CpgeAidRequest

        model = CpgeAidRequest
        fields = []
