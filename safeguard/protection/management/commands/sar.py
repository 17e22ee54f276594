"""`safeguard sar --child ID -o DIR`: the subject access bundle for a child (JSON and HTML)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.journey.models import Child
from safeguard.protection.sar import (
    BundleIncomplete,
    Withholding,
    subject_access_bundle,
    write_bundle,
)

NO_CHILD = "No child with id or LA child ID {key!r}."
BAD_WITHHOLD = "--withhold takes MODEL:PK:EXEMPTION[:NOTE], e.g. journey.casenote:12:serious-harm."


def parse_withholding(text: str) -> Withholding:
    """MODEL:PK:EXEMPTION[:NOTE] as a Withholding."""
    parts = text.split(":", 3)
    if len(parts) < 3 or not parts[1].isdigit():
        raise CommandError(BAD_WITHHOLD)
    try:
        return Withholding(
            parts[0].lower(), int(parts[1]), parts[2], parts[3] if len(parts) == 4 else ""
        )
    except ValueError as error:
        raise CommandError(str(error)) from error


class Command(BaseCommand):
    help = "Write a subject access bundle for one child: bundle.json and bundle.html."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child", required=True, help="Child id or LA child ID")
        parser.add_argument("-o", "--output", required=True, type=Path, help="Directory")
        parser.add_argument(
            "--withhold",
            action="append",
            default=[],
            help="MODEL:PK:EXEMPTION[:NOTE]; repeat for each withheld record",
        )

    def handle(self, *args: object, **options: object) -> None:
        key = str(options["child"])
        child = Child.objects.filter(la_child_id=key).first() or (
            Child.objects.filter(pk=int(key)).first() if key.isdigit() else None
        )
        if child is None:
            raise CommandError(NO_CHILD.format(key=key))
        withhold = [parse_withholding(t) for t in options["withhold"]]
        bundle = subject_access_bundle(child, withhold=withhold)
        try:
            disclosure = write_bundle(bundle, options["output"])
        except BundleIncomplete as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wrote {options['output']}/bundle.json and bundle.html: "
            f"{bundle.items} items, {bundle.marked} marked for redaction review, "
            f"{len(bundle.withheld)} withheld (disclosure {disclosure.pk})."
        )
