"""The `safeguard` command: one entry point for every job, and for Django's own commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run a Safeguard or Django management command; the exit code is the command's."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["safeguard", *argv])
    if len(args) == 1:
        args.append("help")
    try:
        execute_from_command_line(args)
    except SystemExit as stop:
        return int(stop.code or 0) if not isinstance(stop.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
