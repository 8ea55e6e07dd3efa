"""Reference data and demo data of the lycee_aid app (called by `manage.py bareme_init`)."""


def load_reference(stdout) -> None:
    """Load this app's reference data if it is not there yet (idempotent)."""


def load_demo(stdout) -> None:
    """Create this app's demo data if it is not there yet (idempotent)."""
