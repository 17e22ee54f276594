"""Benchmark: every validation rule on synthetic 50,000-child SSDA903 and CIN census returns.

    .venv/bin/python benchmarks/bench_validate.py [--children 50000] [--year 2026]

    .venv/bin/python -m benchmarks bench_validate

Frames are synthesised directly (numpy + polars, seeded), in the shape of
`safeguard.returns.tables`. Each scenario runs in its own process so its peak memory (RSS,
including the interpreter and polars) is its own. Prints seconds, peak MB, failures found, and
the ratio to the open validators' published figures on a 2-core machine (issue 4): SSDA903
154 s / 11.5 GB for 50,000 children; CIN census 74 s for 10,000 children (scaled linearly to
370 s for 50,000, stated as an assumption). Ratios use wall-clock seconds; on a shared machine
(see the load average printed) the CPU seconds are the steadier figure.

"One child": the check a record gets as it is saved (`validation.validate_child`), on the
default synthetic council (`safeguard generate`, 36,000 children) in a fresh SQLite database:
the median of N runs per return over children with data in the year, against a target of
100 ms; and, for comparison, the old path (the whole year's return made, then cut to the child).
`--one-child-population 0` skips it; `--children 0` runs only it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

OPEN_903_SECONDS, OPEN_903_GB = 154.0, 11.5
OPEN_CIN_SECONDS_PER_10K = 74.0
EPOCH = date(1970, 1, 1)


def _days(d: date) -> int:
    return (d - EPOCH).days


def _dates(rng: np.random.Generator, lo: date, hi: date, n: int) -> np.ndarray:
    return rng.integers(_days(lo), _days(hi), n).astype("datetime64[D]")


def _pick(rng: np.random.Generator, codes: list[str], n: int) -> np.ndarray:
    return np.array(codes)[rng.integers(0, len(codes), n)]


def _some(rng: np.random.Generator, ids: np.ndarray, share: float) -> np.ndarray:
    return ids[rng.random(ids.size) < share]


def ssda903(n: int, year: int, seed: int = 1) -> dict[str, pl.DataFrame]:
    """A 903 return for `n` children: 1-5 back-to-back episodes each, reviews, missing, OC2/3..."""
    from safeguard.returns.tables import SSDA903, conform

    rng = np.random.default_rng(seed)
    ref = date(year, 3, 31)
    ids = np.array([f"C{i:07d}" for i in range(n)])
    dob = _dates(rng, date(year - 18, 4, 1), date(year - 1, 1, 1), n)
    sex = _pick(rng, ["M", "F"] if year >= 2025 else ["1", "2"], n)
    header = pl.DataFrame(
        {
            "CHILD": ids,
            "SEX": sex,
            "DOB": dob,
            "ETHNIC": _pick(rng, ["WBRI", "ABAN", "MWBC", "BAFR"], n),
            "UPN": [f"A{i:012d}" for i in range(n)],
            "UASC": "0",
        }
    )
    k = rng.integers(1, 6, n)
    child = np.repeat(np.arange(n), k)
    first = np.maximum(_dates(rng, date(year - 4, 1, 1), date(year, 3, 1), n), dob)
    length = rng.integers(5, 300, child.size)
    eps = pl.DataFrame({"i": child, "len": length}).with_columns(
        pl.col("len").cum_sum().over("i").alias("end"),
        pl.int_range(pl.len()).over("i").alias("n"),
        pl.len().over("i").alias("k"),
    )
    start = pl.Series(first)[eps["i"]].to_numpy()
    decom = start + (eps["end"] - eps["len"]).to_numpy().astype("timedelta64[D]")
    dec = start + eps["end"].to_numpy().astype("timedelta64[D]")
    last = (eps["n"] == eps["k"] - 1).to_numpy()
    open_ = last & (dec > np.datetime64(ref))
    m = child.size
    episodes = pl.DataFrame(
        {
            "CHILD": ids[child],
            "DECOM": decom,
            "RNE": np.where(eps["n"] == 0, "S", _pick(rng, ["P", "L", "B"], m)),
            "LS": _pick(rng, ["C2", "C1", "V2", "E1"], m),
            "CIN": _pick(rng, ["N1", "N2", "N4"], n)[child],
            "PLACE": _pick(rng, ["U1", "U3", "U4", "K2", "R1", "A4", "P1"], m),
            "PLACE_PROVIDER": _pick(rng, ["PR1", "PR2", "PR4"], m),
            "DEC": pl.Series(dec).set(pl.Series(open_), None),
            "REC": np.where(
                open_, None, np.where(last, _pick(rng, ["E4A", "E11", "E13", "E7"], m), "X1")
            ),
            "REASON_PLACE_CHANGE": np.where(last, None, _pick(rng, ["CARPL", "CHILD", "PLACE"], m)),
            "HOME_POST": "AB1 2CD",
            "PL_POST": _pick(rng, ["AB3 4EF", "CD5 6GH"], m),
            "URN": _pick(rng, ["SC111111", "SC222222"], m),
        }
    )
    two = np.repeat(np.arange(n), 2)
    reviews = pl.DataFrame(
        {
            "CHILD": ids[two],
            "DOB": dob[two],
            "REVIEW": _dates(rng, date(year - 1, 4, 1), ref, two.size),
            "REVIEW_CODE": _pick(rng, ["PN1", "PN3", "PN0"], two.size),
        }
    )
    mis = _some(rng, np.arange(n), 0.3)
    ms = _dates(rng, date(year - 1, 4, 1), date(year, 3, 1), mis.size)
    missing = pl.DataFrame(
        {
            "CHILD": ids[mis],
            "DOB": dob[mis],
            "MISSING": "M",
            "MIS_START": ms,
            "MIS_END": ms + rng.integers(0, 5, mis.size).astype("timedelta64[D]"),
        }
    )
    o2 = _some(rng, np.arange(n), 0.4)
    oc2 = pl.DataFrame(
        {
            "CHILD": ids[o2],
            "DOB": dob[o2],
            "SDQ_SCORE": "12",
            "CONVICTED": "0",
            "IMMUNISATIONS": "1",
            "TEETH_CHECK": "1",
            "HEALTH_ASSESSMENT": "1",
            "SUBSTANCE_MISUSE": "0",
        }
    )
    o3 = _some(rng, np.arange(n), 0.1)
    oc3 = pl.DataFrame(
        {"CHILD": ids[o3], "DOB": dob[o3], "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}
    )
    ad = _some(rng, np.arange(n), 0.05)
    adt = _dates(rng, date(year - 1, 4, 1), ref, ad.size)
    ad1 = pl.DataFrame(
        {
            "CHILD": ids[ad],
            "DOB": dob[ad],
            "DATE_INT": adt,
            "DATE_MATCH": adt,
            "FOSTER_CARE": "0",
            "NB_ADOPTR": "2",
            "SEX_ADOPTR": "MF",
            "LS_ADOPTR": "L11",
        }
    )
    placed = pl.DataFrame({"CHILD": ids[ad], "DOB": dob[ad], "DATE_PLACED": adt})
    pp = _some(rng, np.arange(n), 0.3)
    prev_perm = pl.DataFrame({"CHILD": ids[pp], "DOB": dob[pp], "PREV_PERM": "Z1"})
    sw = np.repeat(np.arange(n), 2)
    swd = _dates(rng, date(year - 1, 4, 1), ref, sw.size)
    sw_eps = pl.DataFrame(
        {"CHILD": ids[sw], "DOB": dob[sw], "SW_ID": "SW001", "SW_DECOM": swd, "SW_REASON": "MANAGE"}
    )
    frames = {
        "Header": header,
        "Episodes": episodes,
        "Reviews": reviews,
        "Missing": missing,
        "OC2": oc2,
        "OC3": oc3,
        "AD1": ad1,
        "PlacedAdoption": placed,
        "PrevPerm": prev_perm,
        "SWEpisodes": sw_eps,
    }
    return conform(frames, SSDA903)


def cin_census(n: int, year: int, seed: int = 2) -> dict[str, pl.DataFrame]:
    """A CIN census for `n` children: 1-3 episodes each with an assessment, some S47/CPP/plans."""
    from safeguard.returns.tables import CIN_CENSUS, conform

    rng = np.random.default_rng(seed)
    ref, start = date(year, 3, 31), date(year - 1, 4, 1)
    ids = np.array([f"L{i:07d}" for i in range(n)])
    dob = _dates(rng, date(year - 17, 1, 1), date(year - 1, 1, 1), n)
    ci = pl.DataFrame(
        {
            "LAchildID": ids,
            "UPN": [f"A{i:012d}" for i in range(n)],
            "PersonBirthDate": dob,
            "GenderCurrent": _pick(rng, ["1", "2"], n),
            "Sex": _pick(rng, ["M", "F"], n),
        }
    )
    k = rng.integers(1, 4, n)
    child = np.repeat(np.arange(n), k)
    m = child.size
    ref_date = _dates(rng, start, date(year, 3, 1), m)
    closed = rng.random(m) < 0.6
    close = ref_date + rng.integers(1, 60, m).astype("timedelta64[D]")
    ep = pl.DataFrame(
        {
            "LAchildID": ids[child],
            "CINreferralDate": ref_date,
            "ReferralSource": _pick(rng, ["1A", "3A", "5A"], m),
            "PrimaryNeedCode": _pick(rng, ["N1", "N2", "N4"], m),
            "CINclosureDate": pl.Series(close).set(pl.Series(~closed), None),
            "ReasonForClosure": pl.Series(["RC7"] * m).set(pl.Series(~closed), None),
            "ReferralNFA": rng.random(m) < 0.1,
        }
    ).with_columns(pl.int_range(1, pl.len() + 1).over("LAchildID").alias("CINdetailsID"))
    key = ep.select("LAchildID", "CINdetailsID", "CINreferralDate")
    ass = key.with_columns(
        pl.lit(1).alias("AssessmentID"),
        (pl.col("CINreferralDate") + pl.duration(days=2)).alias("AssessmentActualStartDate"),
        (pl.col("CINreferralDate") + pl.duration(days=30)).alias("AssessmentAuthorisationDate"),
        pl.lit(["2A", "3A"]).alias("AssessmentFactors"),
    )
    s47_rows = key.filter(pl.Series(rng.random(m) < 0.3))
    s47 = s47_rows.with_columns(
        pl.lit(1).alias("S47ID"),
        (pl.col("CINreferralDate") + pl.duration(days=3)).alias("S47ActualStartDate"),
        (pl.col("CINreferralDate") + pl.duration(days=17)).alias("DateOfInitialCPC"),
        pl.lit(False).alias("ICPCnotRequired"),
    )
    cpp = s47.select(
        "LAchildID",
        "CINdetailsID",
        pl.lit(1).alias("CPPID"),
        pl.col("DateOfInitialCPC").alias("CPPstartDate"),
        pl.lit("NEG").alias("InitialCategoryOfAbuse"),
        pl.lit("NEG").alias("LatestCategoryOfAbuse"),
        pl.lit(0).alias("NumberOfPreviousCPP"),
    )
    reviews = cpp.select(
        "LAchildID",
        "CINdetailsID",
        "CPPID",
        (pl.col("CPPstartDate") + pl.duration(days=90)).alias("CPPreviewDate"),
    )
    plans = key.filter(pl.Series(rng.random(m) < 0.3)).select(
        "LAchildID",
        "CINdetailsID",
        (pl.col("CINreferralDate") + pl.duration(days=35)).alias("CINPlanStartDate"),
    )
    frames = {
        "Header": pl.DataFrame(
            {"Collection": ["CIN"], "Year": [str(year)], "ReferenceDate": [ref]}
        ),
        "ChildIdentifiers": ci,
        "ChildCharacteristics": pl.DataFrame(
            {"LAchildID": ids, "Ethnicity": _pick(rng, ["WBRI", "ABAN"], n)}
        ),
        "Disabilities": pl.DataFrame(
            {
                "LAchildID": ids,
                "Disability": _pick(
                    rng, ["MOB", "HAND", "LD", "AUT", "BEH", "VIS", "HEAR", "COMM"], n
                ),
            }
        ),
        "CINdetails": ep,
        "Assessments": ass,
        "Section47": s47,
        "ChildProtectionPlans": cpp,
        "Reviews": reviews,
        "CINplanDates": plans,
    }
    return conform(frames, CIN_CENSUS)


def scenario(kind: str, n: int, year: int) -> dict[str, float]:
    """Synthesise, then time every rule of the year; seconds, peak RSS (MB), failures found."""
    from safeguard.returns.engine import validate_return

    frames = (ssda903 if kind == "ssda903" else cin_census)(n, year)
    previous = frames if kind == "ssda903" else None
    t0, c0 = time.perf_counter(), time.process_time()
    failures = validate_return(kind, frames, year=year, previous=previous)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "failures": failures.height,
        "codes": failures["code"].n_unique(),
        "rows": sum(df.height for df in frames.values()),
    }


ONE_CHILD_TARGET_MS = 100.0
ONE_CHILD_YEAR = 2019  # the synthetic council's record is as at mid-2019: 2018-19 is complete


def one_child(runs: int, year: int = ONE_CHILD_YEAR) -> dict[str, dict[str, float]]:
    """Median seconds of the one-child check (new path) and of the whole-year-then-cut path
    (old), per return kind, on the record in the configured database (Django set up here)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from django.db.models import Q

    from safeguard.journey.models import CareEpisode, Referral
    from safeguard.returns.codec import codec_for
    from safeguard.returns.engine import for_child, validate_return
    from safeguard.returns.validation import validate_child

    start, end = date(year - 1, 4, 1), date(year, 3, 31)
    who = {
        "ssda903": CareEpisode.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=end
        ),
        "cin-census": Referral.objects.filter(referral_date__range=(start, end)),
    }
    out: dict[str, dict[str, float]] = {}
    for kind, rows in who.items():
        ids = list(
            rows.order_by("child__la_child_id")
            .values_list("child__la_child_id", flat=True)
            .distinct()[:runs]
        )
        new, cpu = [], []
        for child in ids:
            t0, c0 = time.perf_counter(), time.process_time()
            validate_child(kind, child, year)
            new.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        old = []
        for child in ids[:3]:  # the old path costs the whole year each time: a few runs
            t0 = time.perf_counter()
            codec = codec_for(kind)
            frames = for_child(codec.from_record(year=year), child)
            last = codec.from_record(year=year - 1) if kind == "ssda903" else None
            validate_return(kind, frames, year=year, previous=last, child=child)
            old.append(time.perf_counter() - t0)
        out[kind] = {
            "runs": len(new),
            "median": statistics.median(new),
            "cpu_median": statistics.median(cpu),
            "max": max(new),
            "old_median": statistics.median(old),
        }
    return out


def run_one_child(population: int, runs: int) -> dict[str, dict[str, float]]:
    """Generate the synthetic council into a fresh SQLite database, then time `one_child`."""
    root = Path(__file__).resolve().parent.parent
    safeguard = str(Path(sys.executable).with_name("safeguard"))
    with tempfile.TemporaryDirectory(prefix="safeguard-bench-") as var:
        env = {**os.environ, "SAFEGUARD_VAR_DIR": var}
        env.pop("SAFEGUARD_DATABASE_URL", None)
        quiet = {"env": env, "check": True, "stdout": subprocess.DEVNULL}
        subprocess.run([safeguard, "migrate", "-v", "0"], **quiet)  # type: ignore[call-overload]
        subprocess.run(  # type: ignore[call-overload]
            [safeguard, "generate", "--seed", "1", "--population", str(population)], **quiet
        )
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_validate",
                "--scenario",
                "one-child",
                "--runs",
                str(runs),
            ],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(kind: str, n: int, year: int) -> dict[str, float]:
    """One scenario in a fresh interpreter, so its peak memory is its own."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench_validate",
            "--scenario",
            kind,
            "--children",
            str(n),
            "--year",
            str(year),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--one-child-population", type=int, default=36_000)
    parser.add_argument("--runs", type=int, default=20, help="children timed per return")
    parser.add_argument(
        "--scenario", choices=["ssda903", "cin-census", "one-child"], help=argparse.SUPPRESS
    )
    args, _ = parser.parse_known_args(argv)  # the `python -m benchmarks` runner passes names
    n, year = args.children, args.year
    if args.scenario == "one-child":
        print(json.dumps(one_child(args.runs)))
        return
    if args.scenario:
        print(json.dumps(scenario(args.scenario, n, year)))
        return
    load = os.getloadavg()[0]
    print(
        f"Validating synthetic returns, {n:,} children, collection year {year} "
        f"({os.cpu_count()} CPUs, load average {load:.1f} at start)"
    )
    for kind in ("ssda903", "cin-census") if n else ():  # --children 0: only the one-child line
        r = run(kind, n, year)
        seconds, peak, found, codes, rows = (
            r["seconds"],
            r["peak_mb"],
            r["failures"],
            r["codes"],
            r["rows"],
        )
        print(
            f"{kind:>10}: {rows:,} rows, {seconds:6.2f} s ({r['cpu']:.2f} s CPU), "
            f"peak {peak:,.0f} MB, {found:,} failures under {codes} rules"
        )
        if kind == "ssda903":
            open_s, open_mb = OPEN_903_SECONDS * n / 50_000, OPEN_903_GB * 1024 * n / 50_000
            print(
                f"{'':>10}  open validator {open_s:.0f} s / {open_mb:,.0f} MB: "
                f"{open_s / seconds:.0f}x faster by wall clock, {open_s / r['cpu']:.0f}x by "
                f"CPU time, {open_mb / peak:.0f}x less memory"
            )
        else:
            open_s = OPEN_CIN_SECONDS_PER_10K * n / 10_000
            print(
                f"{'':>10}  open validator ~{open_s:.0f} s (74 s per 10,000, scaled): "
                f"{open_s / seconds:.0f}x faster by wall clock, {open_s / r['cpu']:.0f}x by "
                "CPU time"
            )
    if args.one_child_population:
        print_one_child(args.one_child_population, args.runs)


def print_one_child(population: int, runs: int) -> None:
    """The one-child lines: median of the runs against the target, and against the old path."""
    for kind, r in run_one_child(population, runs).items():
        ms, old_ms = r["median"] * 1000, r["old_median"] * 1000
        print(
            f"{'one child':>10}: {kind}, median of {r['runs']:.0f} children {ms:.0f} ms "
            f"({r['cpu_median'] * 1000:.0f} ms CPU; max {r['max'] * 1000:.0f} ms; target "
            f"{ONE_CHILD_TARGET_MS:.0f} ms, ratio {ONE_CHILD_TARGET_MS / ms:.1f}x by wall clock, "
            f"{ONE_CHILD_TARGET_MS / (r['cpu_median'] * 1000):.1f}x by CPU); "
            f"whole year then cut {old_ms:.0f} ms "
            f"({old_ms / ms:.0f}x slower), council of {population:,}"
        )


if __name__ == "__main__":
    main()
