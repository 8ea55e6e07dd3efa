"""What every page's navigation needs to know about the user (the `nav` flags)."""

from django.conf import settings

from .enums import Role, Scheme
from .selectors import is_admin, is_employer, is_lycee_staff, is_officer


def navigation(request):
    """What the menu may show; every view still checks access on the server side."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav": {"authenticated": False, "contact_email": settings.CONTACT_EMAIL}}
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
        }
    }
