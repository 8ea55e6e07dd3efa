"""Supplementary requests of a lycée and the Region's decision (ARE-8)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import School, User
from core.rules import ZERO, round_cent
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
    Envelope,
    RequestStatus,
)
from ..models import (
    SchoolYear,
    SupplementaryRequest,
    SupplementaryRequestLine,
)
from .base import formations_of

# -- supplementary requests (ARE-8) --------------------------------------------------------------


@transaction.atomic
def supplementary_request_submit(
    *, actor: User, school: School, school_year: SchoolYear, justification: str, lines: list[tuple[int, int]]
) -> SupplementaryRequest:
    """A lycée asks for a supplementary dotation: per eligible formation, the additional pupils
    (pré-bac) or scholarship holders (post-bac).

    ARE-8, no duplicate: a formation appears in one request per lycée and school year, unless that
    request was rejected (the lycée may then ask again). A request listing a formation already in a
    pending or accepted request of the lycée is refused, naming it. The lycée's row is locked, so
    that two submissions at once are checked one after the other. (No database constraint: the
    rule depends on the status of the other request, which a constraint on the lines cannot see.)
    """
    permissions.require_school(actor, school)
    School.objects.select_for_update().get(pk=school.pk)
    year = SchoolYear.objects.get(pk=school_year.pk)
    if not year.is_voted:
        raise ValidationError(_("Une dotation complémentaire se demande après le vote de la dotation initiale."))
    if not (justification or "").strip():
        raise ValidationError({"justification": _("Expliquez la raison de la demande.")})
    formations = formations_of(year, [f for f, _c in lines])
    errors, seen = [], set()
    for formation_id, count in lines:
        if formation_id not in formations:
            errors.append(_("Une formation n'est pas éligible pour l'année %(y)s.") % {"y": year.label})
        elif formation_id in seen:
            errors.append(_("La formation %(c)s figure deux fois.") % {"c": formations[formation_id].diploma_code})
        elif isinstance(count, bool) or not isinstance(count, int) or count <= 0:
            errors.append(_("Un effectif supplémentaire doit être un nombre entier positif."))
        seen.add(formation_id)
    if not lines:
        errors.append(_("Indiquez au moins une formation."))
    if errors:
        raise ValidationError(errors)
    taken = (
        SupplementaryRequestLine.objects.filter(
            request__school=school,
            request__school_year=year,
            request__status__in=[RequestStatus.SUBMITTED, RequestStatus.ACCEPTED],
            formation_id__in=seen,
        )
        .select_related("request", "formation")
        .order_by("formation__diploma_code")
    )
    duplicates = [
        _(
            "La formation %(c)s %(t)s figure déjà dans la demande %(r)s (%(s)s) : une formation ne fait l'objet "
            "que d'une demande par lycée et par année scolaire, sauf si la précédente a été rejetée."
        )
        % {
            "c": line.formation.diploma_code,
            "t": line.formation.title,
            "r": line.request.reference,
            "s": line.request.get_status_display(),
        }
        for line in taken
    ]
    if duplicates:
        raise ValidationError(duplicates)
    request = SupplementaryRequest(
        school=school,
        school_year=year,
        justification=justification.strip(),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    request.full_clean()
    request.save()
    SupplementaryRequestLine.objects.bulk_create(
        [SupplementaryRequestLine(request=request, formation_id=f, additional_count=c) for f, c in lines]
    )
    audit_record(actor=actor, action=AuditAction.SUPPLEMENTARY_REQUEST_SUBMIT, obj=request, after={"lines": len(lines)})
    return request


@transaction.atomic
def supplementary_request_decide(
    *, actor: User | None, request: SupplementaryRequest, accept: bool, reason: str = ""
) -> SupplementaryRequest:
    """The officer accepts (amount = additional × forfait, per envelope) or rejects with a reason."""
    permissions.require_officer(actor)
    req = SupplementaryRequest.objects.select_for_update().select_related("school_year").get(pk=request.pk)
    if req.status != RequestStatus.SUBMITTED:
        raise ValidationError(_("Cette demande a déjà été traitée (%(s)s).") % {"s": req.get_status_display()})
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Indiquez le motif du rejet.")})
    year = req.school_year
    req.decided_by, req.decided_at, req.decision_reason = actor, timezone.now(), reason
    if accept:
        amounts = {Envelope.PRE_BAC: ZERO, Envelope.POST_BAC: ZERO}
        lines = list(req.lines.select_related("formation"))
        for line in lines:
            unit = year.forfait_prepa_metiers_amount if line.formation.is_prepa_metiers else year.forfait_amount
            line.amount = rules.supplementary_amount(line.additional_count, unit)
            amounts[line.formation.envelope] += line.amount
        SupplementaryRequestLine.objects.bulk_update(lines, ["amount"])
        req.status = RequestStatus.ACCEPTED
        req.forfait_amount = year.forfait_amount
        req.forfait_prepa_metiers_amount = year.forfait_prepa_metiers_amount
        req.pre_bac_amount = round_cent(amounts[Envelope.PRE_BAC])
        req.post_bac_amount = round_cent(amounts[Envelope.POST_BAC])
        req.total_amount = round_cent(req.pre_bac_amount + req.post_bac_amount)
    else:
        req.status = RequestStatus.REJECTED
    req.full_clean()
    req.save()
    audit_record(
        actor=actor,
        action=AuditAction.SUPPLEMENTARY_REQUEST_DECIDE,
        obj=req,
        before={"status": RequestStatus.SUBMITTED},
        after={"status": req.status, "total": str(req.total_amount)},
        reason=reason,
    )
    return req
