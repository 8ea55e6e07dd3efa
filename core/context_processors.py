"""What every page's navigation needs to know about the user (the `nav` flags)."""

from functools import cache

from django.conf import settings

from .enums import Country, Role, Scheme
from .models import School
from .selectors import is_admin, is_employer, is_lycee_staff, is_officer


def navigation(request):
    """What the menu may show; every view still checks access on the server side."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav": {"authenticated": False, "contact_email": settings.CONTACT_EMAIL}}
    staff_countries = _staff_countries(request, user)
    return {
        "nav": {
            "authenticated": True,
            "contact_email": settings.CONTACT_EMAIL,
            "role": user.role,
            "role_label": Role(user.role).label if user.role in Role.values else "",
            "is_admin": is_admin(user),
            "is_staff_member": is_lycee_staff(user),
            "is_employer": is_employer(user),
            "officer_apprenticeship": is_officer(user, Scheme.APPRENTICESHIP),
            "officer_lycee_aid": is_officer(user, Scheme.LYCEE_AID),
            "officer_bts_fees": is_officer(user, Scheme.BTS_FEES),
            # Lycée staff see the menus of the schemes of their schools only: apprenticeship and
            # BTS for a Luxembourg lycée, the ARE for a French one (evaluated when the menu asks).
            "staff_lu": lambda: Country.LUXEMBOURG in staff_countries(),
            "staff_fr": lambda: Country.FRANCE in staff_countries(),
        }
    }


SESSION_KEY = "staff_countries"


def remember_staff_countries(sender, request, user, **kwargs):
    """At login (signal `user_logged_in`): keep the countries of a staff member's schools in the
    session, so that drawing the menu costs no query on every page. A change of schools shows in
    the menus at the next login; access is checked by every view anyway."""
    if request is not None and hasattr(request, "session") and is_lycee_staff(user):
        request.session[SESSION_KEY] = sorted(School.objects.filter(staff=user).values_list("country", flat=True))


def _staff_countries(request, user):
    """The countries of the staff member's schools: from the session, else read once (and kept),
    only if the menu asks."""

    @cache
    def countries() -> frozenset[str]:
        if not is_lycee_staff(user):
            return frozenset()
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            return frozenset(session[SESSION_KEY])
        found = sorted(School.objects.filter(staff=user).values_list("country", flat=True))
        if session is not None:
            session[SESSION_KEY] = found
        return frozenset(found)

    return countries
