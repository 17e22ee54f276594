"""A stand-in importer for the kill -9 test: writes children inside one transaction, pausing.

The real importers (returns readers) were not ready when this was written; this writes the same
kind of rows (children with their history) the way they must: all inside `transaction.atomic`.
Usage: python -m safeguard.protection.tests.killable_import ROWS PAUSE_AT
Prints PAUSED after PAUSE_AT rows and waits to be killed; PAUSE_AT < 0 runs to the end.
"""

from __future__ import annotations

import os
import sys
import time


def main(rows: int, pause_at: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from datetime import date

    from django.db import transaction

    from safeguard.journey.models import Child

    with transaction.atomic():
        for n in range(rows):
            if n == pause_at:
                print("PAUSED", flush=True)
                time.sleep(60)
            Child.objects.create(
                la_child_id=f"KILL{n:04d}",
                date_of_birth=date(2014, 5, 1),
                sex="1",
                source="stand-in import",
            )
    print("DONE", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
