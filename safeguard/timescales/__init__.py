"""Statutory and local timescales, declared once: due dates for screens, worklists and measures.

`declarations` holds the timescales as data (pure Python, no Django); `intervals` turns an
interval into a due date for one date or for a whole polars column (the same arithmetic both
ways); `standards` reads the council's local standards (Django setting
``SAFEGUARD_LOCAL_STANDARDS`` when Django is configured, defaults otherwise); `due` computes
the next item due per child from the journey frames.
"""

from .declarations import TIMESCALES, Timescale, timescale
from .intervals import Interval, days, hours, months, weeks, working_days
from .standards import DEFAULT_LOCAL_STANDARDS, local_standards

__all__ = [
    "TIMESCALES",
    "Timescale",
    "timescale",
    "Interval",
    "days",
    "hours",
    "months",
    "weeks",
    "working_days",
    "DEFAULT_LOCAL_STANDARDS",
    "local_standards",
]
