"""Create the Django group of every role, so a fresh installation has them."""

from django.db import migrations

# The role keys as they were when this migration was written (safeguard.access.roles).
ROLE_KEYS = ("social_worker", "team_manager", "head_of_service", "mash_worker", "iro",
             "performance_analyst", "administrator")


def forwards(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for key in ROLE_KEYS:
        group.objects.get_or_create(name=key)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_access_log_append_only_trigger"),
                    ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
