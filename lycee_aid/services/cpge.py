"""The CPGE competition-fee aid: one request per pupil and year, three competitions at most (ARE-10)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import School, User
from core.rules import round_cent
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
    CpgeRefusal,
)
from ..models import (
    CpgeAidRequest,
    SchoolYear,
)

# -- CPGE competition-fee aid (ARE-10) ---------------------------------------------------------------


def _cpge_duplicate(year: SchoolYear, last: str, first: str, born: date) -> ValidationError:
    return ValidationError(
        _(
            "Une demande d'aide aux frais de concours a déjà été enregistrée pour cet élève (%(name)s, né(e) le "
            "%(born)s) en %(y)s : une seule demande par élève et par année scolaire."
        )
        % {"name": f"{last} {first}", "born": born.strftime("%d/%m/%Y"), "y": year.label}
    )


@transaction.atomic
def cpge_aid_request_submit(
    *,
    actor: User,
    school: School,
    school_year: SchoolYear,
    pupil_last_name: str,
    pupil_first_name: str,
    pupil_birth_date: date,
    second_year: bool,
    family_quotient,
    competitions: int,
) -> CpgeAidRequest:
    """A lycée files a CPGE competition-fee request for one pupil (ARE-10), amount frozen now.

    `rules.cpge_aid`: forfait × competitions within the limit of three per pupil; a 0 € result
    records why (not a second-year pupil, family quotient above 10 140 €). One request per pupil
    (name and birth date) and school year, whichever lycée files it: the check gives the message,
    and the unique constraint on the pupil key holds when two requests race.
    """
    permissions.require_school(actor, school)
    year = SchoolYear.objects.get(pk=school_year.pk)
    if year.forfait_cpge_amount is None or year.forfait_cpge_amount <= 0:
        raise ValidationError(_("Le forfait CPGE de l'année %(y)s n'est pas encore fixé.") % {"y": year.label})
    quotient = round_cent(family_quotient)
    last, first = (pupil_last_name or "").strip(), (pupil_first_name or "").strip()
    errors = {}
    if quotient < 0:
        errors["family_quotient"] = _("Le quotient familial ne peut pas être négatif.")
    if isinstance(competitions, bool) or not isinstance(competitions, int) or not (1 <= competitions <= 30):
        errors["competitions"] = _("Indiquez un nombre de concours entre 1 et 30.")
    # A second-year CPGE pupil is some 19 years old at the start of the year: 15 to 40 is plausible.
    if pupil_birth_date is None:
        errors["pupil_birth_date"] = _("Indiquez la date de naissance de l'élève.")
    elif not (date(year.start_year - 40, 9, 1) <= pupil_birth_date <= date(year.start_year - 15, 9, 1)):
        errors["pupil_birth_date"] = _(
            "La date de naissance n'est pas plausible pour un élève de CPGE (entre 15 et 40 ans à la rentrée %(y)d)."
        ) % {"y": year.start_year}
    if not rules.normalised_name(last) or not rules.normalised_name(first):
        errors["pupil_last_name"] = _("Indiquez le nom et le prénom de l'élève.")
    if errors:
        raise ValidationError(errors)
    key = rules.pupil_key(last, first, pupil_birth_date)
    legacy_key = rules.pupil_key(last, first, None)  # a request filed before the birth date was asked for
    if CpgeAidRequest.objects.filter(school_year=year, pupil_key__in=[key, legacy_key]).exists():
        raise _cpge_duplicate(year, last, first, pupil_birth_date)
    aid = rules.cpge_aid(
        second_year=second_year, family_quotient=quotient, competitions=competitions, forfait=year.forfait_cpge_amount
    )
    request = CpgeAidRequest(
        school=school,
        school_year=year,
        pupil_last_name=last,
        pupil_first_name=first,
        pupil_birth_date=pupil_birth_date,
        pupil_key=key,
        second_year=second_year,
        family_quotient_amount=quotient,
        competitions=competitions,
        competitions_paid=aid.competitions_paid,
        forfait_amount=year.forfait_cpge_amount,
        aid_amount=aid.amount,
        refusal_reason=CpgeRefusal(aid.refusal) if aid.refusal else "",
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # the same pupil filed at the same moment by someone else
        raise _cpge_duplicate(year, last, first, pupil_birth_date) from None
    audit_record(
        actor=actor,
        action=AuditAction.CPGE_AID_REQUEST_SUBMIT,
        obj=request,
        after={"amount": str(aid.amount), "competitions_paid": aid.competitions_paid, "refusal": aid.refusal or ""},
    )
    return request
