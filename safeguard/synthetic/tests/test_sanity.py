"""Referential sanity of the default council: dates in order, codes valid for their year,
keys that point at real rows, caseloads mostly 17-25 at 30 June 2019."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.apps import apps

from safeguard.codes import cin, ssda903
from safeguard.synthetic.days import collection_year, day
from safeguard.synthetic.tables import ORDER

AS_AT = date(2019, 6, 30)


def test_no_end_before_start(default_frames) -> None:  # noqa: ANN001
    # Every model's own date-order rule (JourneyRecord.date_order) holds on generated rows.
    for label in ORDER:
        pairs = getattr(apps.get_model(label), "date_order", ())
        df = default_frames[label]
        for earlier, later in pairs:
            if earlier not in df.columns or later not in df.columns:
                continue  # a field the generator leaves to its database default
            bad = df.filter(pl.col(later) < pl.col(earlier))
            assert bad.is_empty(), f"{label}: {later} before {earlier} in {bad.height} rows"


def test_coded_fields_use_their_code_lists(default_frames) -> None:  # noqa: ANN001
    for label in ORDER:
        model = apps.get_model(label)
        df = default_frames[label]
        for field in model._meta.concrete_fields:
            if not field.choices or field.attname not in df.columns:
                continue
            allowed = {c for c, _ in field.choices} | ({""} if field.blank else set())
            used = set(df[field.attname].drop_nulls().unique().to_list())
            assert used <= allowed, f"{label}.{field.attname}: {used - allowed}"


def _year_of(column: pl.Series) -> list[int]:
    return [collection_year(day(d)) for d in column.to_list()]


def test_codes_valid_in_the_year_they_are_used(default_frames) -> None:  # noqa: ANN001
    ended = default_frames["journey.CareEpisode"].filter(pl.col("end_date").is_not_null())
    for code, year in zip(ended["reason_ended"], _year_of(ended["end_date"]), strict=True):
        assert code in ssda903.REC.valid(year), (code, year)
    eps = default_frames["journey.CareEpisode"]
    for code, year in zip(eps["placement_type"], _year_of(eps["start_date"]), strict=True):
        assert code in ssda903.PLACE.valid(year), (code, year)
    oc3 = default_frames["journey.CareLeaverContact"]
    for code, year in zip(oc3["activity"], _year_of(oc3["date"]), strict=True):
        assert code in ssda903.ACTIV.valid(year), (code, year)
    refs = default_frames["journey.Referral"]
    for code, year in zip(refs["referral_source"], _year_of(refs["referral_date"]), strict=True):
        assert code in cin.REFERRAL_SOURCE.valid(year), (code, year)
    done = default_frames["journey.Assessment"].filter(pl.col("authorisation_date").is_not_null())
    for factors, year in zip(
        done["factors"].to_list(), _year_of(done["authorisation_date"]), strict=True
    ):
        assert set(factors) <= cin.ASSESSMENT_FACTORS.valid(year), (factors, year)


def test_foreign_keys_point_at_generated_rows(default_frames) -> None:  # noqa: ANN001
    children = set(default_frames["journey.Child"]["id"].to_list())
    workers = set(default_frames["workforce.Worker"]["id"].to_list())
    for label in ORDER:
        df = default_frames[label]
        if "child_id" in df.columns:
            assert set(df["child_id"].to_list()) <= children, label
        for col in ("worker_id", "supervisor_id", "decided_by_id"):
            if col in df.columns:
                assert set(df[col].drop_nulls().to_list()) <= workers, (label, col)


def test_caseloads_mostly_17_to_25_at_30_june_2019(default_frames) -> None:  # noqa: ANN001
    alloc = default_frames["workforce.Allocation"].filter(
        (pl.col("start_date") <= AS_AT)
        & (pl.col("end_date").is_null() | (pl.col("end_date") > AS_AT))
    )
    teams = default_frames["workforce.Team"].select(pl.col("id").alias("team_id"), "kind")
    workers = default_frames["workforce.Worker"].select(pl.col("id").alias("worker_id"), "role")
    loads = (
        alloc.join(teams, on="team_id")
        .filter(pl.col("kind") != "MASH")
        .group_by("worker_id")
        .len()
        .join(workers, on="worker_id")
        .filter(pl.col("role").is_in(["SW", "ASW"]))
    )
    assert loads.height >= 30
    share = loads["len"].is_between(17, 25).mean()
    assert share >= 0.75, sorted(loads["len"].to_list())


def test_the_journey_has_its_variety(default_frames) -> None:  # noqa: ANN001
    # Later measures need each kind of event to exist at least somewhere in the history.
    f = default_frames
    eps = f["journey.CareEpisode"]
    assert {"S", "P", "L", "T", "B"} <= set(eps["reason_new_episode"].to_list())
    assert {"V2", "C1", "C2", "E1", "V4"} <= set(eps["legal_status"].to_list())
    assert {"E11", "E4A", "E17"} <= set(eps["reason_ended"].to_list())
    assert f["journey.ChildProtectionPlan"].filter(pl.col("previous_plans") > 0).height > 0
    assert f["journey.Section47"].filter(pl.col("outcome") == "NFA").height > 0
    assert f["journey.Referral"].filter(pl.col("referral_nfa")).height > 0
    assert f["journey.Adoption"].filter(pl.col("order_date").is_not_null()).height > 0
    assert f["journey.CareProceedings"].filter(pl.col("final_order_date").is_not_null()).height
    assert f["journey.MissingEpisode"].height > 0
    assert f["workforce.CaseSupervision"].height > 0
    names = f["journey.Child"]["last_name"].to_list()
    assert all(n.startswith("Testchild-") for n in names)
    assert all(p.startswith("ZZ") for p in f["journey.Child"]["postcode"].to_list())


def test_every_date_within_the_history(default_frames) -> None:  # noqa: ANN001
    # Nothing after the last day of history; nothing absurdly early (the oldest are births and
    # the start dates of long-serving staff, from the 1970s on).
    for label in ORDER:
        df = default_frames[label]
        for col, dtype in df.schema.items():
            if dtype == pl.Date and df[col].drop_nulls().len():
                assert df[col].min() >= date(1970, 1, 1), (label, col, df[col].min())
                assert df[col].max() <= AS_AT, (label, col, df[col].max())


def test_workers_leave_after_they_start(default_frames) -> None:  # noqa: ANN001
    workers = default_frames["workforce.Worker"]
    assert workers.filter(pl.col("leave_date") < pl.col("start_date")).is_empty()
