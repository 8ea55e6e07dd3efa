"""Scoped querysets of the bts_fees app: every selector takes the user."""


def dashboard(user) -> dict | None:
    """Data for this app's section of the user's home page (None: no section for this user)."""
    return {}
