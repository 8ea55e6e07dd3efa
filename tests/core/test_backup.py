"""Backup and restore: the figures come back identical; a restore asks for confirmation."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core import selectors
from core.models import LuxIndex


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_identical_figures(tmp_path, settings, reference):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    Path(settings.MEDIA_ROOT, "sheets").mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "sheets", "presence.pdf").write_bytes(b"%PDF-1.4 demo")
    before = selectors.ssm_in_force(date(2026, 7, 1)).amount
    call_command("backup", str(tmp_path / "backups"), stdout=StringIO())
    folder = next((tmp_path / "backups").iterdir())

    # Damage everything after the backup …
    LuxIndex.objects.filter(valid_from=date(2026, 6, 1)).update(value=Decimal("999.99"))
    Path(settings.MEDIA_ROOT, "sheets", "presence.pdf").unlink()
    assert selectors.ssm_in_force(date(2026, 7, 1)).amount != before

    # … and restore it.
    call_command("restore", str(folder), "--yes", stdout=StringIO())
    assert selectors.ssm_in_force(date(2026, 7, 1)).amount == before == Decimal("2771.33")
    assert Path(settings.MEDIA_ROOT, "sheets", "presence.pdf").read_bytes() == b"%PDF-1.4 demo"


def test_restore_refuses_without_confirmation_or_from_a_wrong_folder(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(tmp_path), "--yes")
