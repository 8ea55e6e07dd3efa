"""Reference data and demo data of the bts_fees app (called by `manage.py bareme_init`)."""

from django.core.management import call_command

from .models import AcademicYear, Act


def load_reference(stdout) -> None:
    """The seed-004 rate table (acts and rates at index 100) and the academic years (idempotent)."""
    if not Act.objects.exists():
        call_command("loaddata", "bts_fees__act", "bts_fees__actrate", verbosity=0)
        stdout.write("  bts_fees : barème des actes (vademecum BTS, indice 100) chargé")
    if not AcademicYear.objects.exists():
        call_command("loaddata", "bts_fees__academicyear", verbosity=0)
        stdout.write("  bts_fees : années d'études chargées")


def load_demo(stdout) -> None:
    """Create this app's demo data if it is not there yet (idempotent)."""
