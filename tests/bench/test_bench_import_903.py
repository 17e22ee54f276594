"""`bench_import_903` runs end to end and prints what issue 3 asks of it: time, MB/s and peak
memory (read; read + load; the same return loaded again). Its figures are not checked here:
speed is judged by running the benchmark, never in a test."""

from __future__ import annotations

import re

from benchmarks import bench_import_903

NUMBER = r"\d+(?:\.\d+)?"


def test_the_903_benchmark_prints_time_speed_and_peak_memory(capsys):
    bench_import_903.main(200)
    out = capsys.readouterr().out
    for label in ("read:", "read + load:", "load again:"):
        line = next(x for x in out.splitlines() if x.startswith(label))
        assert re.search(rf"{NUMBER} s wall +{NUMBER} MB/s", line), line
        assert re.search(rf"{NUMBER} s CPU +{NUMBER} MB/s", line), line
    peak = re.search(rf"peak memory: +({NUMBER}) MB", out)
    assert peak and float(peak.group(1)) > 0
    assert "children 200;" in out
