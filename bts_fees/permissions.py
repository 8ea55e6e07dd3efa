"""Who may do what in the bts_fees app: predicates `(user, …) -> bool` and the checks services make
before a change (`require_*`, raising PermissionDenied with a French message).

Lycée staff record the BTS data of their own lycées; officers of the BTS scheme (the ministry)
validate, reject and reopen; an administrator may do what a lycée does.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.enums import Scheme
from core.selectors import is_admin, is_lycee_staff, is_officer

SCHEME = Scheme.BTS_FEES


def is_bts_officer(user) -> bool:
    return is_officer(user, SCHEME)


def can_manage_school(user, school_id: int) -> bool:
    """Lycée staff of that lycée (or an administrator) record its BTS data."""
    if is_admin(user):
        return True
    return is_lycee_staff(user) and user.schools.filter(pk=school_id).exists()


def can_edit_school(user, school_id: int) -> bool:
    """What the pages ask before showing the forms: staff of that very lycée."""
    return can_manage_school(user, school_id) and is_lycee_staff(user)


def require_school(user, school_id: int) -> None:
    if not can_manage_school(user, school_id):
        raise PermissionDenied(_("Vous ne pouvez pas modifier les données de ce lycée."))


def require_officer(user) -> None:
    if not is_bts_officer(user):
        raise PermissionDenied(_("Seuls les agents du ministère peuvent prendre cette décision."))


def require_person_scope(user, person) -> None:
    """Officers of the scheme, or the staff of the person's lycée."""
    if not (is_bts_officer(user) or can_manage_school(user, person.school_id)):
        raise PermissionDenied(_("Vous ne pouvez pas émettre le relevé de cette personne."))
