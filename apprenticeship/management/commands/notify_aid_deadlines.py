"""Remind employers of the promotion aid requests to introduce before forclusion (APP-7).

Run it daily (cron); by default it writes to the employers whose deadline falls in exactly 60, 30
or 7 days, so that each is reminded three times and never twice the same day. `--within N` writes
about every deadline in the next N days instead (a one-off reminder).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from apprenticeship import selectors
from apprenticeship.models import Employer
from core.notices import absolute, send_notice

REMINDER_DAYS = (60, 30, 7)


class Command(BaseCommand):
    help = "Rappelle aux employeurs les demandes d'aide de promotion à introduire avant la forclusion."

    def add_arguments(self, parser):
        parser.add_argument("--within", type=int, default=None, help="Toutes les échéances des N prochains jours.")

    def handle(self, *args, within=None, **options):
        today = timezone.localdate()
        sent = 0
        accounts = {a for e in Employer.objects.prefetch_related("accounts") for a in e.accounts.all()}
        for account in sorted(accounts, key=lambda a: a.pk):
            if not (account.is_active and account.email):
                continue
            deadlines = [
                d
                for d in selectors.aid_deadlines(selectors.contract_list(account), today)
                if (0 <= d["days"] <= within if within is not None else d["days"] in REMINDER_DAYS)
            ]
            if not deadlines:
                continue
            rows = [
                {
                    "deadline": d,
                    "contract": c,
                    "link": absolute(
                        reverse("apprenticeship:aid_prepare", args=[c.pk]) + f"?school_year={d['school_year']}"
                    ),
                }
                for d in deadlines
                for c in d["contracts"]
            ]
            send_notice(
                to=[account.email],
                subject="Demandes d'aide de promotion à introduire",
                template="apprenticeship/notices/aid_deadlines.txt",
                context={"rows": rows, "today": today},
            )
            sent += 1
        self.stdout.write(f"{sent} rappel envoyé." if sent <= 1 else f"{sent} rappels envoyés.")
