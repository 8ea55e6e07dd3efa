"""Print a second-factor enrolment link for an account (the first administrator's way in)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.models import User
from core.two_factor import enrolment_link_issue


class Command(BaseCommand):
    help = "Émet un lien d'enrôlement du second facteur pour un compte (valable OTP_ENROL_LINK_MAX_AGE secondes)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--base-url", default="", help="Adresse du site, par exemple https://bareme.example")

    def handle(self, *args, username, base_url, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Aucun compte « {username} ».")
        path = enrolment_link_issue(actor=None, user=user)
        hours = settings.OTP_ENROL_LINK_MAX_AGE // 3600
        self.stdout.write(f"{base_url.rstrip('/')}{path}")
        self.stdout.write(f"Valable {hours} h, pour ce compte seulement, une fois connecté.")
