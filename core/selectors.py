"""Scoped access to core data. Every selector takes the user and returns only what they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .enums import Role, Scheme
from .models import AuditEvent, LuxIndex, School, SocialMinimumWage
from .rules import index_amount


class ReferenceDataMissing(Exception):
    """No reference value (index, SSM, rate…) is in force on the date asked for."""


# -- roles and scope ---------------------------------------------------------------------------


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def is_officer(user, scheme: Scheme | str | None = None) -> bool:
    """An officer of `scheme` (any scheme when None). Administrators count as officers of all."""
    if not (user and user.is_authenticated):
        return False
    if is_admin(user):
        return True
    return user.role == Role.OFFICER and (scheme is None or str(scheme) in (user.schemes or []))


def is_lycee_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.LYCEE_STAFF)


def is_employer(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.EMPLOYER)


def schools_for(user, *, scheme: Scheme | str | None = None) -> QuerySet[School]:
    """Schools the user may see: all for officers of the scheme, their own for lycée staff."""
    if is_officer(user, scheme):
        return School.objects.all()
    if is_lycee_staff(user):
        return School.objects.filter(staff=user)
    return School.objects.none()


def school_for(user, pk, *, scheme: Scheme | str | None = None) -> School:
    """One school the user may see, or 404 (never 403: a foreign school does not exist for them)."""
    try:
        return schools_for(user, scheme=scheme).get(pk=pk)
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Établissement introuvable.")) from None


# -- reference data ----------------------------------------------------------------------------


def index_in_force(on: date) -> LuxIndex:
    """CORE-2: the index whose application date is the latest on or before `on`."""
    row = LuxIndex.objects.current(on=on)
    if row is None:
        raise ReferenceDataMissing(_("Aucun nombre indice n'est en vigueur le %(d)s.") % {"d": on.strftime("%d/%m/%Y")})
    return row


@dataclass(frozen=True)
class SsmInForce:
    """CORE-3: the unqualified SSM at index 100 brought to the index in force on a date."""

    on: date
    amount_at_100: Decimal
    index: Decimal
    amount: Decimal
    ssm_source: str
    ssm_valid_from: date
    index_source: str
    index_valid_from: date


def ssm_in_force(on: date) -> SsmInForce:
    ssm = SocialMinimumWage.objects.current(on=on)
    if ssm is None:
        raise ReferenceDataMissing(
            _("Aucun salaire social minimum n'est en vigueur le %(d)s.") % {"d": on.strftime("%d/%m/%Y")}
        )
    index = index_in_force(on)
    return SsmInForce(
        on=on,
        amount_at_100=ssm.amount_at_100,
        index=index.value,
        amount=index_amount(ssm.amount_at_100, index.value),
        ssm_source=ssm.source,
        ssm_valid_from=ssm.valid_from,
        index_source=index.source,
        index_valid_from=index.valid_from,
    )


def index_history() -> QuerySet[LuxIndex]:
    return LuxIndex.objects.order_by("-valid_from")


def ssm_history() -> QuerySet[SocialMinimumWage]:
    return SocialMinimumWage.objects.order_by("-valid_from")


def audit_events_for(user, *, obj=None) -> QuerySet[AuditEvent]:
    """The journal is visible to officers and administrators only; an officer reads the events of
    the schemes they follow and those of shared data (schools, index, SSM), an administrator all."""
    if not is_officer(user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor")
    if not is_admin(user):
        qs = qs.filter(scheme__in=[*(user.schemes or []), ""])
    if obj is not None:
        qs = qs.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs


def jobs_for(user):
    """A user sees only the background jobs they started."""
    from .models import BackgroundJob

    if not (user and user.is_authenticated):
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.filter(owner=user)


def job_for(user, pk):
    from .models import BackgroundJob

    try:
        return jobs_for(user).get(pk=pk)
    except (BackgroundJob.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Tâche introuvable.")) from None
