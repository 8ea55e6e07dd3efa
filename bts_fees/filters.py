"""List filters; foreign-key choices are scoped to the user (TRAPS: django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import School

from . import selectors
from .enums import BodyKind, DeclarationStatus, LecturerCategory
from .models import AcademicYear, Body, Declaration, LecturerContract, Person, Programme


def _schools(request):
    return selectors.bts_schools(request.user) if request else School.objects.none()


def _programmes(request):
    return selectors.programmes_for(request.user) if request else Programme.objects.none()


class DeclarationFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(field_name="body__school", label=_("Lycée"), queryset=_schools)
    programme = django_filters.ModelChoiceFilter(
        field_name="body__programme", label=_("Programme"), queryset=_programmes
    )
    kind = django_filters.ChoiceFilter(field_name="body__kind", label=_("Instance"), choices=BodyKind.choices)
    academic_year = django_filters.ModelChoiceFilter(
        field_name="body__academic_year", label=_("Année d'études"), queryset=AcademicYear.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=DeclarationStatus.choices)

    class Meta:
        model = Declaration
        fields = ["school", "programme", "kind", "academic_year", "status"]


class BodyFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(label=_("Lycée"), queryset=_schools)
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=_programmes)
    kind = django_filters.ChoiceFilter(label=_("Instance"), choices=BodyKind.choices)
    academic_year = django_filters.ModelChoiceFilter(label=_("Année d'études"), queryset=AcademicYear.objects.all())

    class Meta:
        model = Body
        fields = ["school", "programme", "kind", "academic_year"]


class PersonFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(label=_("Lycée"), queryset=_schools)
    last_name = django_filters.CharFilter(label=_("Nom"), lookup_expr="icontains")

    class Meta:
        model = Person
        fields = ["school", "last_name"]


class ProgrammeFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(label=_("Lycée"), queryset=_schools)

    class Meta:
        model = Programme
        fields = ["school"]


class ContractFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=_programmes)
    academic_year = django_filters.ModelChoiceFilter(label=_("Année d'études"), queryset=AcademicYear.objects.all())
    category = django_filters.ChoiceFilter(label=_("Catégorie"), choices=LecturerCategory.choices)

    class Meta:
        model = LecturerContract
        fields = ["programme", "academic_year", "category"]
