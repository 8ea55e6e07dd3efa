"""ARE-10: one CPGE request per pupil and school year (unique pupil key), the competitions paid
(three at most) and the reason of every 0 € aid.

Existing requests keep their amounts. Each gets:
- `competitions_paid`: min(competitions, 3) when an aid was granted, else 0;
- `refusal_reason` for a 0 € aid: not a second-year pupil, else a family quotient above 10 140 €,
  else « unexplained » (recorded before reasons were kept);
- `pupil_key`: the normalised name with no birth date (it was not asked for). When one pupil had
  several requests in a year (the defect this closes), the first keeps the key and the later ones
  none: they stay on record, unchanged, and the constraint holds from now on.
"""

import re
import unicodedata
from decimal import Decimal

from django.db import migrations, models

CEILING = Decimal("10140")


def _normalise(name: str) -> str:
    # The same normalisation as lycee_aid.services.pupil_key (copied: a migration must not change).
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’.]+", " ", text.casefold()).strip()


def forward(apps, schema_editor):
    Request = apps.get_model("lycee_aid", "CpgeAidRequest")
    seen = set()
    for req in Request.objects.order_by("submitted_at", "pk"):
        key = f"{_normalise(req.pupil_last_name)}|{_normalise(req.pupil_first_name)}|"[:220]
        req.pupil_key = None if (req.school_year_id, key) in seen else key
        seen.add((req.school_year_id, key))
        if req.aid_amount > 0:
            req.competitions_paid, req.refusal_reason = min(req.competitions, 3), ""
        else:
            req.competitions_paid = 0
            if not req.second_year:
                req.refusal_reason = "not_second_year"
            elif req.family_quotient_amount > CEILING:
                req.refusal_reason = "quotient_above_ceiling"
            else:
                req.refusal_reason = "unexplained"
        req.save(update_fields=["pupil_key", "competitions_paid", "refusal_reason"])


REASONS = [
    ("not_second_year", "l'élève n'est pas en deuxième année de CPGE"),
    ("quotient_above_ceiling", "quotient familial supérieur au plafond de 10 140 €"),
    ("unexplained", "aide nulle enregistrée avant que son motif ne soit conservé"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("lycee_aid", "0003_campaign_stale_notified_paid"),
    ]

    operations = [
        *[
            op
            for model in ("cpgeaidrequest", "historicalcpgeaidrequest")
            for op in (
                migrations.AddField(
                    model_name=model,
                    name="pupil_birth_date",
                    field=models.DateField(blank=True, null=True, verbose_name="date de naissance de l'élève"),
                ),
                migrations.AddField(
                    model_name=model,
                    name="pupil_key",
                    field=models.CharField(
                        editable=False, max_length=220, null=True, verbose_name="identité normalisée de l'élève"
                    ),
                ),
                migrations.AddField(
                    model_name=model,
                    name="competitions_paid",
                    field=models.PositiveSmallIntegerField(default=0, verbose_name="concours pris en charge"),
                    preserve_default=False,
                ),
                migrations.AddField(
                    model_name=model,
                    name="refusal_reason",
                    field=models.CharField(
                        blank=True, choices=REASONS, max_length=30, verbose_name="motif d'une aide nulle"
                    ),
                ),
            )
        ],
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="cpgeaidrequest",
            constraint=models.UniqueConstraint(
                fields=("school_year", "pupil_key"),
                name="cpge_one_request_per_pupil_and_year",
                violation_error_message="Une seule demande par élève et par année scolaire.",
            ),
        ),
        migrations.AddConstraint(
            model_name="cpgeaidrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("competitions_paid__lte", 3), ("competitions_paid__lte", models.F("competitions"))),
                name="cpge_at_most_three_competitions_paid",
                violation_error_message="Trois concours au plus sont pris en charge par élève.",
            ),
        ),
        migrations.AddConstraint(
            model_name="cpgeaidrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("aid_amount__gt", 0), ("refusal_reason", ""))
                | (models.Q(("aid_amount", 0)) & ~models.Q(("refusal_reason", ""))),
                name="cpge_zero_aid_has_a_reason",
                violation_error_message="Une aide nulle indique toujours son motif.",
            ),
        ),
    ]
