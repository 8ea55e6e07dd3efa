"""`manage.py backup`: the database and the private files in a dated folder."""

from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import backup


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les fichiers privés dans un dossier daté."

    def add_arguments(self, parser):
        parser.add_argument("destination", nargs="?", default="var/backups")

    def handle(self, *args, destination, **options):
        folder = backup(Path(destination))
        self.stdout.write(f"Sauvegarde écrite dans {folder}")
