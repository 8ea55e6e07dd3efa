"""ARE-5, exact rates: a lycée's situation stores the académie's scholarship count and the lycée's
enrolments n-1; the rate is computed from them exactly (lycee_aid.rules.scholarship_rate).

No figure changes. The decimal rate typed so far is kept, renamed `legacy_scholarship_rate`, for
the record only: it cannot be turned into a count and enrolments (0,0833 is not 5 / 60, and no
académie count is known), so no computation reads it any more and the next campaign asks for the
count and the enrolments of every lycée that has post-bac pupils. Dotations keep the rate they
were computed with (`legacy_scholarship_rate`) beside their frozen figures; the new ones freeze
the count and the enrolments instead.
"""

from django.db import migrations, models


def _count(verbose_name):
    return models.PositiveIntegerField(blank=True, null=True, verbose_name=verbose_name)


SITUATION_LEGACY = models.DecimalField(
    blank=True,
    decimal_places=4,
    editable=False,
    max_digits=5,
    null=True,
    verbose_name="taux de boursiers saisi (ancienne saisie, non utilisé)",
)
DOTATION_LEGACY = models.DecimalField(
    blank=True,
    decimal_places=4,
    max_digits=5,
    null=True,
    verbose_name="taux de boursiers saisi (dotations calculées avant le taux exact)",
)


class Migration(migrations.Migration):
    dependencies = [
        ("lycee_aid", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="schoolsituation", name="situation_rate_between_0_and_1"),
        *[
            op
            for model, field in (
                ("schoolsituation", SITUATION_LEGACY),
                ("historicalschoolsituation", SITUATION_LEGACY),
                ("dotation", DOTATION_LEGACY),
                ("historicaldotation", DOTATION_LEGACY),
            )
            for op in (
                migrations.RenameField(model_name=model, old_name="scholarship_rate", new_name="legacy_scholarship_rate"),
                migrations.AlterField(model_name=model, name="legacy_scholarship_rate", field=field.clone()),
            )
        ],
        *[
            migrations.AddField(model_name=model, name=name, field=_count(label))
            for model in ("schoolsituation", "historicalschoolsituation")
            for name, label in (
                ("scholarship_count", "effectif boursier communiqué par l'académie"),
                ("school_enrolments", "effectifs n-1 de l'établissement"),
            )
        ],
        *[
            migrations.AddField(model_name=model, name=name, field=_count(label))
            for model in ("dotation", "historicaldotation")
            for name, label in (
                ("scholarship_count", "effectif boursier retenu"),
                ("school_enrolments", "effectifs n-1 de l'établissement retenus"),
            )
        ],
        migrations.AddConstraint(
            model_name="schoolsituation",
            constraint=models.CheckConstraint(
                condition=models.Q(("scholarship_count__isnull", True), ("school_enrolments__isnull", True))
                | models.Q(
                    ("scholarship_count__isnull", False),
                    ("scholarship_count__lte", models.F("school_enrolments")),
                    ("school_enrolments__gt", 0),
                ),
                name="situation_scholarship_count_within_enrolments",
                violation_error_message="L'effectif boursier est compris entre 0 et les effectifs n-1 de l'établissement.",
            ),
        ),
    ]
