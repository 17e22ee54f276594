"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the access log, even by raw SQL."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: rows cannot be changed or deleted.';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_accesslog
FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS access_log_append_only ON access_accesslog;
DROP FUNCTION IF EXISTS access_log_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
