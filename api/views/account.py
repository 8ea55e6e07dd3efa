"""Who the key belongs to, and what it reaches (the same scope as that user in the pages)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from apprenticeship import selectors as apprenticeship_selectors
from core import selectors as core_selectors

from .. import serializers as s
from ..base import ApiView


class MeView(ApiView):
    @extend_schema(tags=["compte"], responses=s.MeSerializer, summary="Titulaire de la clé et son périmètre")
    def get(self, request):
        user = request.user
        data = {
            "username": user.username,
            "role": user.role,
            "schemes": list(user.schemes or []),
            "schools": [school.code for school in core_selectors.schools_for(user)]
            if core_selectors.is_lycee_staff(user)
            else [],
            "employers": [e.name for e in apprenticeship_selectors.employer_list(user)]
            if core_selectors.is_employer(user)
            else [],
        }
        return Response(s.MeSerializer(data).data)
