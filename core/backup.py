"""Backup and restore of the database and the private files (attendance sheets, uploads).

SQLite: the online backup API (consistent copy while the application runs).
PostgreSQL: pg_dump in custom format, restored with pg_restore --clean.
Issued PDFs are not files: they are rendered from frozen rows, so restoring the database restores them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone


def _pg_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
    ]
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def backup(destination: Path) -> Path:
    """Write a dated folder with the database and the private files; return it."""
    import os

    folder = Path(destination) / timezone.localtime().strftime("bareme-%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=False)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as target:
            connection.connection.backup(target)
    elif connection.vendor == "postgresql":
        args, env = _pg_args()
        name = settings.DATABASES["default"]["NAME"]
        subprocess.run(
            ["pg_dump", "-Fc", *args, "-f", str(folder / "database.pgdump"), name],
            check=True,
            env={**os.environ, **env},
        )
    else:  # pragma: no cover
        raise RuntimeError(f"unsupported database: {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "private-files.tar.gz", "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname="private")
    (folder / "manifest.json").write_text(json.dumps({"vendor": connection.vendor, "at": timezone.now().isoformat()}))
    return folder


def restore(source: Path) -> None:
    """Replace the database and the private files by those of a backup folder."""
    import os

    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    if manifest["vendor"] != connection.vendor:
        raise RuntimeError(f"this backup is for {manifest['vendor']}, the database is {connection.vendor}")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source / "database.sqlite3") as origin:
            origin.backup(connection.connection)
    else:
        args, env = _pg_args()
        name = settings.DATABASES["default"]["NAME"]
        connection.close()
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", *args, "-d", name, str(source / "database.pgdump")],
            check=True,
            env={**os.environ, **env},
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    with tarfile.open(source / "private-files.tar.gz", "r:gz") as tar:
        tar.extractall(media.parent, filter="data")
        extracted = media.parent / "private"
        if extracted != media:
            extracted.rename(media)
