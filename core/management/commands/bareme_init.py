"""`manage.py bareme_init [--demo]`: reference data, and demo data with --demo (idempotent)."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from core import demo as core_demo
from core.views import DOMAIN_APPS


class Command(BaseCommand):
    help = "Charge les données de référence (et, avec --demo, les données de démonstration). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="charger aussi les données de démonstration")
        parser.add_argument("--accounts", action="store_true", help="afficher les comptes de démonstration")

    def handle(self, *args, demo=False, accounts=False, **options):
        modules = [core_demo] + [import_module(f"{app}.demo") for app in DOMAIN_APPS]
        with transaction.atomic():
            for module in modules:
                module.load_reference(self.stdout)
        if demo:
            for module in modules:
                with transaction.atomic():
                    module.load_demo(self.stdout)
        if accounts:
            self.stdout.write(core_demo.accounts_table())
