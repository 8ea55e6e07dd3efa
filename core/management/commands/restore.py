"""`manage.py restore`: the database and the private files back from a backup folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import restore


class Command(BaseCommand):
    help = "Restaure la base de données et les fichiers privés depuis un dossier de sauvegarde."

    def add_arguments(self, parser):
        parser.add_argument("source")
        parser.add_argument("--yes", action="store_true", help="confirmer le remplacement des données actuelles")

    def handle(self, *args, source, yes, **options):
        if not yes:
            raise CommandError("La restauration remplace toutes les données actuelles : relancez avec --yes.")
        if not (Path(source) / "manifest.json").exists():
            raise CommandError(f"{source} n'est pas un dossier de sauvegarde Barème (manifest.json absent).")
        try:
            restore(Path(source))
        except (RuntimeError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Restauration terminée.")
