"""Run the real `safeguard` command, pausing at a chosen point of its transaction (for kill -9).

Usage: python -m safeguard.protection.tests.pause_import POINT safeguard-args...
POINT is N (pause before the Nth SQL statement run inside a transaction), "commit" (pause just
before the outermost COMMIT, the last moment a kill can undo the import) or "none". On pausing
it prints PAUSED and waits to be killed. At the end it prints "STATEMENTS n" (the number of
statements run inside a transaction), so a test knows the points it chose were inside the run.
The command itself is untouched: this only watches the connection, as a debugger would.
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_SECONDS = 120


def pause() -> None:
    print("PAUSED", flush=True)
    time.sleep(PAUSE_SECONDS)


def main(point: str, args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from django.db import connection

    from safeguard.cli import main as safeguard

    count = 0

    def watch(execute, sql, params, many, context):
        nonlocal count
        if connection.in_atomic_block:
            count += 1
            if point.isdigit() and count == int(point):
                pause()
        return execute(sql, params, many, context)

    if point == "commit":
        commit = connection._commit

        def paused_commit() -> None:
            pause()
            commit()

        connection._commit = paused_commit
    with connection.execute_wrapper(watch):
        code = safeguard(args)
    print(f"STATEMENTS {count}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
