"""What every record of the journey shares: where it came from and the date-order rule."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

RECORDED = "recorded"

DATE_ORDER_MESSAGE = "{later} cannot be before {earlier}."


class JourneyRecord(models.Model):
    """Base for journey models.

    Recording through Safeguard refuses impossible data (`clean`), but a return imported from a
    council's old system may carry such errors: those rows keep what the return said, with
    `source` naming the return, and the validation report lists them rather than losing them.
    """

    source = models.CharField(max_length=60, default=RECORDED, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    #: Pairs of (earlier, later) field names that must be in date order when recorded.
    date_order: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        for earlier, later in self.date_order:
            first, second = getattr(self, earlier), getattr(self, later)
            if first is not None and second is not None and second < first:
                errors[later] = DATE_ORDER_MESSAGE.format(
                    later=self._meta.get_field(later).verbose_name.capitalize(),
                    earlier=self._meta.get_field(earlier).verbose_name,
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_imported(self) -> bool:
        return self.source != RECORDED


def record(instance: JourneyRecord) -> JourneyRecord:
    """Save a record made in Safeguard, refusing it if it breaks a recording rule."""
    instance.full_clean()
    instance.save()
    return instance
