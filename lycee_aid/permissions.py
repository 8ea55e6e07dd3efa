"""Who may do what in the ARE: officers of the Region run the campaign and decide; the staff of a
French lycée act for their own lycée. A lycée the actor may not act for does not exist for them
(404), as in every app.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from core.enums import Country, Scheme
from core.selectors import is_officer, schools_for

SCHEME = Scheme.LYCEE_AID


def is_are_officer(user) -> bool:
    return is_officer(user, SCHEME)


def can_act_for_school(user, school) -> bool:
    """The user may act for this French lycée: its staff, or an ARE officer."""
    return school.country == Country.FRANCE and schools_for(user, scheme=SCHEME).filter(pk=school.pk).exists()


def require_officer(actor) -> None:
    """Officers of the ARE; `None` is a management command run by an operator."""
    if actor is not None and not is_are_officer(actor):
        raise PermissionDenied


def require_school(actor, school) -> None:
    """The actor may act for this French lycée; else it does not exist for them."""
    if not can_act_for_school(actor, school):
        raise Http404(_("Établissement introuvable."))
