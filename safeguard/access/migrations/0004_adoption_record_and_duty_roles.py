"""The sealed adoption case record, and the groups of the two duty roles (screener, EDT)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


# The role keys added with this migration (safeguard.access.roles).
DUTY_ROLE_KEYS = ("screener", "edt")


def add_duty_groups(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for key in DUTY_ROLE_KEYS:
        group.objects.get_or_create(name=key)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_role_groups"),
        ("journey", "0003_plo_end"),
    ]

    operations = [
        migrations.CreateModel(
            name="AdoptionRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("adopters_address", models.TextField(blank=True)),
                ("adopters_postcode", models.CharField(blank=True, max_length=8)),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "adopted_record",
                    models.OneToOneField(
                        blank=True,
                        help_text="The child's record under the adoptive identity (sealed).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adoption_record_to",
                        to="journey.child",
                    ),
                ),
                (
                    "birth_record",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adoption_record_from",
                        to="journey.child",
                    ),
                ),
            ],
            options={
                "ordering": ["-opened_at"],
            },
        ),
        migrations.RunPython(add_duty_groups, migrations.RunPython.noop),
    ]
