"""Run benchmarks: `python -m benchmarks` runs every `benchmarks/bench_*.py`; names pick some.

    .venv/bin/python -m benchmarks                  # all of them (what `make bench` runs)
    .venv/bin/python -m benchmarks bench_generate   # one (the "bench_" prefix is optional)

Each module offers `main()`, which prints its own figures; this runner only finds and calls them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNKNOWN = "No benchmark named {name}. Available: {names}."


def available() -> list[str]:
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


def run(names: list[str]) -> int:
    known = available()
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in names] or known
    for name in wanted:
        if name not in known:
            print(UNKNOWN.format(name=name, names=", ".join(known)), file=sys.stderr)
            return 2
    for name in wanted:
        print(f"== {name}", flush=True)
        # A benchmark that reads its own command line sees none: this runner's names aren't its.
        saved, sys.argv = sys.argv, [f"benchmarks.{name}"]
        try:
            importlib.import_module(f"benchmarks.{name}").main()
        finally:
            sys.argv = saved
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
