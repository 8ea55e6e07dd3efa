"""Import the yearly annex of ARE-eligible formations (seed 003's tab-separated form, as published)."""

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lycee_aid.models import SchoolYear
from lycee_aid.services import formations_import


class Command(BaseCommand):
    help = "Importe la liste des formations éligibles à l'ARE d'une année scolaire (texte séparé par des tabulations)."

    def add_arguments(self, parser):
        parser.add_argument("year", help="année scolaire : 2023-2024 ou 2023")
        parser.add_argument("path", help="fichier texte (UTF-8) contenant l'annexe")

    def handle(self, *args, year, path, **options):
        match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", year.strip())
        if not match or (match.group(2) and int(match.group(2)) != int(match.group(1)) + 1):
            raise CommandError(f"Année scolaire invalide : « {year} » (attendu : 2023-2024 ou 2023).")
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Fichier illisible : {path} ({exc.__class__.__name__}).")
        school_year, _created = SchoolYear.objects.get_or_create(start_year=int(match.group(1)))
        try:
            report = formations_import(actor=None, school_year=school_year, text=text)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages))
        self.stdout.write(
            f"{school_year.label} : {report.rows} formations lues ({report.created} ajoutées, {report.updated} "
            f"modifiées, {report.unchanged} inchangées) ; {report.ignored_lines} lignes hors tableau ignorées."
        )
