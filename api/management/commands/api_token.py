"""`manage.py api_token USERNAME [--name NAME]`: a new API key for a user, printed as the last line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import api_token_create
from core.channel import API, channel_scope
from core.models import User


class Command(BaseCommand):
    help = "Crée une clé d'API pour un utilisateur et l'affiche (dernière ligne)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="nom de la clé (le logiciel qui l'utilise)")

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"Utilisateur inconnu : {username}") from None
        try:
            with channel_scope(API):
                token, key = api_token_create(actor=None, user=user, name=name or "manage.py api_token")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(f"Clé « {token.name} » créée pour {user.username} (début {token.prefix}…).")
        self.stdout.write(key)
