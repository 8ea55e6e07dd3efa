"""ARE (Île-de-France) through the API: enrolments put by a lycée's system, dotations, the campaign."""

from __future__ import annotations

import re

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from lycee_aid import permissions, selectors, services

from .. import serializers as s
from ..base import ApiListView, ApiView

TAG = ["ARE"]
YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def school_year_of(user, label: str):
    """A school year by its label « 2024-2025 », among those the user may see (404 otherwise)."""
    match = YEAR.match(label or "")
    if not match or int(match[2]) != int(match[1]) + 1:
        raise Http404(_("Année scolaire introuvable."))
    year = selectors.school_year_list(user).filter(start_year=int(match[1])).first()
    if year is None:
        raise Http404(_("Année scolaire introuvable."))
    return year


def enrolments_payload(user, school, year, changed=None) -> dict:
    counts = selectors.enrolment_counts(user, school=school, school_year=year)
    formations = list(selectors.formation_list(user, school_year=year))
    for formation in formations:
        formation.count = counts.get(formation.pk)
    data = {"school": school.pk, "uai": school.code, "school_year": year.label, "enrolments": formations}
    if changed is not None:
        data["changed"] = changed
    return s.EnrolmentsSerializer(data).data


class EnrolmentsView(ApiView):
    @extend_schema(tags=TAG, summary="Effectifs n-1 d'un lycée pour une année", responses=s.EnrolmentsSerializer)
    def get(self, request, school_pk, school_year):
        school = selectors.lycee_get(request.user, school_pk)
        year = school_year_of(request.user, school_year)
        return Response(enrolments_payload(request.user, school, year))

    @extend_schema(
        tags=TAG,
        summary="Déposer les effectifs n-1 (tout ou rien)",
        description="Les mêmes contrôles et messages que le dépôt d'un fichier : l'élément n de la liste est "
        "la « ligne n » des messages. Une seule erreur et rien n'est enregistré ; les formations absentes "
        "gardent leur effectif.",
        request=s.EnrolmentsPutSerializer,
        responses=s.EnrolmentsSerializer,
    )
    def put(self, request, school_pk, school_year):
        school = selectors.lycee_get(request.user, school_pk)
        year = school_year_of(request.user, school_year)
        rows = request.data.get("enrolments") if isinstance(request.data, dict) else None
        if not isinstance(rows, list):
            raise exceptions.ValidationError({"enrolments": [_("Une liste d'effectifs est attendue.")]})
        cells = []
        for row in rows:
            if not isinstance(row, dict) or any(isinstance(v, (dict, list)) for v in row.values()):
                raise exceptions.ValidationError(
                    {"enrolments": [_("Chaque effectif est un objet {uai, diploma_code, count}.")]}
                )
            cells.append(
                [
                    str(row.get("uai") or school.code).strip(),
                    str(row.get("diploma_code") or "").strip(),
                    str(row.get("count") if row.get("count") is not None else "").strip(),
                ]
            )
        changed = services.enrolments_put(actor=request.user, school=school, school_year=year, rows=cells)
        return Response(enrolments_payload(request.user, school, year, changed))


class DotationFilter(django_filters.FilterSet):
    """As the campaign table: by school year (its label) and by state."""

    school_year = django_filters.CharFilter(method="filter_school_year", label="2024-2025")
    status = django_filters.CharFilter(field_name="status")

    def filter_school_year(self, queryset, name, value):
        match = YEAR.match(value)
        return queryset.filter(school_year__start_year=int(match[1])) if match else queryset.none()


class DotationListView(ApiListView):
    filterset_class = DotationFilter
    serializer_class = s.DotationSerializer

    def get_queryset(self):
        return selectors.dotation_list(self.request.user)

    @extend_schema(tags=TAG, summary="Dotations (officiers : toutes ; lycées : les leurs, une fois votées)")
    def get(self, request):
        return self.list(request)


class CampaignView(ApiView):
    @extend_schema(tags=TAG, summary="Campagne d'une année : totaux par académie", responses=s.CampaignSerializer)
    def get(self, request, school_year):
        if not permissions.is_are_officer(request.user):
            raise PermissionDenied
        year = school_year_of(request.user, school_year)
        totals = selectors.campaign_totals(selectors.campaign_dotations(request.user, school_year_pk=year.pk))
        data = {
            "school_year": year.label,
            "status": year.campaign_status,
            "computed_at": year.campaign_computed_at,
            "standing_committee_reference": year.standing_committee_reference,
            "dotations": totals.count,
            "academies": [{"academy": academy, **row} for academy, row in totals.rows.items()],
            "total": totals.total,
        }
        return Response(s.CampaignSerializer(data).data)
