"""The council's local practice standards (visits, supervision, referral decision time).

These are not national rules: Working Together 2018 sets no minimum frequency for child
protection or child in need visits or for case supervision, so each council sets its own. The
defaults are the seed council's practice; a deployment overrides them in the Django setting
``SAFEGUARD_LOCAL_STANDARDS`` (read here only when Django is configured, so the declarations
and the measures engine also run without Django, e.g. on a region's pooled returns).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

DEFAULT_LOCAL_STANDARDS: Mapping[str, int] = MappingProxyType(
    {
        "cp_visit_working_days": 10,
        "cin_visit_days": 28,
        "cp_supervision_days": 28,
        "cla_supervision_days": 42,
        "cin_supervision_days": 42,
        "referral_decision_working_days": 1,
    }
)


def local_standards(overrides: Mapping[str, int] | None = None) -> dict[str, int]:
    """Defaults, then the Django setting (if Django is configured), then ``overrides``."""
    merged = dict(DEFAULT_LOCAL_STANDARDS)
    merged.update(_from_django())
    merged.update(overrides or {})
    return merged


def _from_django() -> Mapping[str, int]:
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a dependency, but stay usable without
        return {}
    if not settings.configured:
        return {}
    return getattr(settings, "SAFEGUARD_LOCAL_STANDARDS", {}) or {}
