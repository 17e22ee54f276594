"""The soak verdict of bench_web (G22): RSS growth after the warm-up, connections against the
ceiling. Hand-worked samples; the sampler's process-tree RSS on a real child process."""

from __future__ import annotations

import subprocess
import sys

import psutil
import pytest

from benchmarks.soak import MB, Sample, process_tree_rss, report, summarise


def _samples(*readings: tuple[float, int, int | None]) -> list[Sample]:
    return [Sample(seconds, mb * MB, connections) for seconds, mb, connections in readings]


def test_growth_is_measured_from_the_first_sample_after_the_warm_up() -> None:
    # Start-up rise 100 -> 200 MB is not counted; 200 -> 220 MB is (220 - 200) / 200 = 10%.
    samples = _samples((0, 100, 5), (300, 200, 16), (600, 230, 20), (900, 220, 18))
    summary = summarise(samples, warmup_seconds=300, ceiling=20)
    assert summary.first_rss == 100 * MB
    assert summary.baseline.seconds == 300
    assert summary.last.rss_bytes == 220 * MB
    assert summary.max_rss == 230 * MB
    assert summary.growth_percent == pytest.approx(10.0)
    assert not summary.rss_met  # the target is growth strictly under 10%
    assert (summary.connections_min, summary.connections_max) == (16, 20)  # 5 is the warm-up
    assert summary.connections_met  # 20 = 5 workers x 4 threads, each with one connection


def test_small_growth_meets_the_target_and_a_shrink_is_negative() -> None:
    grown = summarise(_samples((60, 400, 10), (120, 418, 10)), warmup_seconds=60, ceiling=20)
    assert grown.growth_percent == pytest.approx(4.5)  # 18 / 400
    assert grown.rss_met
    shrunk = summarise(_samples((60, 400, 10), (120, 380, 10)), warmup_seconds=60, ceiling=20)
    assert shrunk.growth_percent == pytest.approx(-5.0)


def test_connections_above_the_ceiling_miss_the_target(capsys) -> None:
    summary = summarise(_samples((0, 100, 12), (30, 101, 21)), warmup_seconds=0, ceiling=20)
    assert not summary.connections_met
    missed = report(summary)
    assert missed == ["21 connections > ceiling 20"]
    assert "min 12, max 21, ceiling 20" in capsys.readouterr().out


def test_a_run_shorter_than_the_warm_up_falls_back_to_the_first_sample() -> None:
    summary = summarise(_samples((10, 100, 4), (20, 150, 6)), warmup_seconds=300, ceiling=20)
    assert summary.baseline.seconds == 10
    assert summary.growth_percent == pytest.approx(50.0)
    assert report(summary) == ["RSS grew 50.0% >= 10%"]


def test_sqlite_samples_have_no_connection_count() -> None:
    summary = summarise(_samples((0, 100, None), (30, 100, None)), warmup_seconds=0, ceiling=20)
    assert summary.connections_min is None and summary.connections_met
    assert report(summary) == []


def test_no_samples_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="No soak samples"):
        summarise([], warmup_seconds=300, ceiling=20)


def test_tree_rss_counts_the_child_processes() -> None:
    """A child holding 64 MB raises the tree's RSS by at least that much over the parent's."""
    hold = "b = bytearray(64 * 1024 * 1024); import sys; sys.stdout.write('ok\\n'); "
    hold += "sys.stdout.flush(); sys.stdin.read()"
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline() == "ok\n"
        own = psutil.Process().memory_info().rss
        assert process_tree_rss(psutil.Process().pid) >= own + 64 * MB
        assert process_tree_rss(child.pid) >= 64 * MB
    finally:
        child.stdin.close()
        child.wait(timeout=10)
    assert process_tree_rss(child.pid) == 0  # gone: nothing to count, no error
