"""The campaign's status follows the dotations after the vote (notified, then paid), and a computed
campaign whose inputs changed is « à recalculer » until it is computed again.

Existing data, no figure changed:
- a voted campaign whose dotations are all notified becomes « notifiée », and « versée » when every
  dotation with an amount due is paid (a 0 € dotation has nothing to pay);
- a computed campaign not yet voted becomes « à recalculer »: it was computed with typed decimal
  rates (see 0002), and its working formation lines are removed, since the lines are now written
  once, at the vote, from the enrolments the officers reviewed. Voted dotations keep their lines.
"""

from django.db import migrations, models

STATUS = models.CharField(
    choices=[
        ("open", "non calculée"),
        ("computed", "calculée"),
        ("stale", "à recalculer"),
        ("voted", "votée"),
        ("notified", "notifiée"),
        ("paid", "versée"),
    ],
    default="open",
    max_length=20,
    verbose_name="état de la campagne",
)


def forward(apps, schema_editor):
    SchoolYear = apps.get_model("lycee_aid", "SchoolYear")
    Dotation = apps.get_model("lycee_aid", "Dotation")
    DotationLine = apps.get_model("lycee_aid", "DotationLine")
    for year in SchoolYear.objects.filter(campaign_status__in=["computed", "voted"]):
        dotations = Dotation.objects.filter(school_year=year)
        if year.campaign_status == "computed":
            DotationLine.objects.filter(dotation__school_year=year, dotation__status="computed").delete()
            year.campaign_status = "stale"
        elif dotations.exists() and not dotations.filter(status="voted").exists():
            unpaid = dotations.filter(total_due_amount__gt=0).exclude(status="paid").exists()
            year.campaign_status = "paid" if not unpaid and dotations.filter(status="paid").exists() else "notified"
        year.save(update_fields=["campaign_status"])


def backward(apps, schema_editor):
    SchoolYear = apps.get_model("lycee_aid", "SchoolYear")
    SchoolYear.objects.filter(campaign_status="stale").update(campaign_status="computed")
    SchoolYear.objects.filter(campaign_status__in=["notified", "paid"]).update(campaign_status="voted")


class Migration(migrations.Migration):
    dependencies = [
        ("lycee_aid", "0002_situation_scholarship_count"),
    ]

    operations = [
        migrations.AlterField(model_name="schoolyear", name="campaign_status", field=STATUS),
        migrations.AlterField(model_name="historicalschoolyear", name="campaign_status", field=STATUS.clone()),
        migrations.RunPython(forward, backward),
    ]
