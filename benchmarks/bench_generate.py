"""Benchmark: generate the default council, then ten times its population, into fresh SQLite.

Each run is `safeguard generate` in a subprocess with its own temporary SAFEGUARD_VAR_DIR (so
the timing includes start-up and the whole insert, and peak memory is that process's own),
after `safeguard migrate`. Targets (issue 2): default under 60 s; 10x under 10 minutes and 4 GB.
Prints seconds, peak RSS and the ratio target/actual (above 1 means inside the target).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAFEGUARD = str(Path(sys.executable).with_name("safeguard"))
DEFAULT = 36_000
CASES = ((DEFAULT, 60.0, 4096.0), (10 * DEFAULT, 600.0, 4096.0))  # (children, s, MB)


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([SAFEGUARD, *args], env=env, check=True, stdout=subprocess.DEVNULL)


def generate_once(population: int, seed: int = 1) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `safeguard generate` into an empty SQLite database."""
    with tempfile.TemporaryDirectory(prefix="safeguard-bench-") as var:
        env = {**os.environ, "SAFEGUARD_VAR_DIR": var}
        env.pop("SAFEGUARD_DATABASE_URL", None)
        _run(["migrate", "-v", "0"], env)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        began = time.perf_counter()
        _run(["generate", "--seed", str(seed), "--population", str(population)], env)
        seconds = time.perf_counter() - began
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is in KB on Linux and is the largest child so far: the generate run dominates.
    return seconds, max(peak, before) / 1024


def main() -> None:
    for population, target_s, target_mb in CASES:
        seconds, mb = generate_once(population)
        print(
            f"generate --population {population:,}: {seconds:.1f} s (target {target_s:.0f} s, "
            f"ratio {target_s / seconds:.1f}x); peak RSS {mb:,.0f} MB "
            f"(target {target_mb:,.0f} MB, ratio {target_mb / mb:.1f}x)",
            flush=True,
        )


if __name__ == "__main__":
    main()
