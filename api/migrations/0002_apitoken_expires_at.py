"""Every API key ends: the keys made before this field last from their creation as a new key would
(30 days for officers and administrators, 365 for the others; see `api.services.token_lifetime`)."""

from datetime import timedelta

from django.db import migrations, models


def set_expiry(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.select_related("user"):
        user = token.user
        second_factor = user.is_superuser or user.role in ("officer", "admin")
        token.expires_at = token.created_at + timedelta(days=30 if second_factor else 365)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_apitoken_idempotentreply")]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True, verbose_name="expire le")
        ),
        migrations.AddField(
            model_name="historicalapitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expire le"),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField(verbose_name="expire le")
        ),
        migrations.AlterField(
            model_name="historicalapitoken", name="expires_at", field=models.DateTimeField(verbose_name="expire le")
        ),
    ]
