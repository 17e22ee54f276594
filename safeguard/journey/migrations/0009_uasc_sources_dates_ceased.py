"""`Child.uasc_sources` keeps each return's date ceased beside it ("ssda903:2019=2021-06-01"), so
that a corrected return taking its year back takes its date back too (`ssda903.uasc`).

Existing values are plain sources, sorted, so their last is the latest year: the record's
`uasc_ceased` came from that year's return (the later return wins), and is written beside it.
What earlier years gave was never kept: they are left with no date rather than guessed.
The audit trail (HistoricalChild) is append-only and keeps what was recorded then.
"""

import polars as pl
from django.db import migrations, models

def _date_text(vendor: str) -> str:
    """SQL for uasc_ceased as YYYY-MM-DD (SQLite keeps dates as that text already)."""
    return "to_char(uasc_ceased, 'YYYY-MM-DD')" if vendor == "postgresql" else "uasc_ceased"


def date_the_latest_source(apps, schema_editor):
    """Append "=<uasc_ceased>" to the last source of each record that has both."""
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    table = qn(apps.get_model("journey", "Child")._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET uasc_sources = uasc_sources || '=' || "  # noqa: S608
            f"{_date_text(connection.vendor)} WHERE uasc_sources <> '' "
            "AND uasc_sources NOT LIKE %s AND uasc_ceased IS NOT NULL",
            ["%=%"],
        )


def drop_dates(apps, schema_editor):
    """Back to plain sources: strip every "=<date>"."""
    model = apps.get_model("journey", "Child")
    rows = model.objects.filter(uasc_sources__contains="=").values_list("pk", "uasc_sources")
    df = pl.DataFrame(list(rows), schema=["pk", "uasc_sources"], orient="row")
    plain = df.with_columns(pl.col("uasc_sources").str.replace_all(r"=\S+", ""))
    model.objects.bulk_update(
        [model(pk=pk, uasc_sources=s) for pk, s in plain.iter_rows()],
        ["uasc_sources"],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("journey", "0008_child_uasc_sources"),
    ]

    operations = [
        migrations.AlterField(
            model_name="child",
            name="uasc_sources",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=1000,
                verbose_name="returns saying the child is UASC, with their dates ceased",
            ),
        ),
        migrations.AlterField(
            model_name="historicalchild",
            name="uasc_sources",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=1000,
                verbose_name="returns saying the child is UASC, with their dates ceased",
            ),
        ),
        migrations.RunPython(date_the_latest_source, drop_dates),
    ]
