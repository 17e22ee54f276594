"""Line charts as inline SVG, drawn on the server: no chart script, no CDN, nothing to load.

Only presentation attributes are used (no ``style``), so the pages' Content-Security-Policy
(style-src 'self') does not block them. Each chart carries a text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

LINE = "#1d70b8"  # GOV.UK blue
TARGET = "#505a5f"  # GOV.UK dark grey
AXIS = "#b1b4b6"


def _scale(values: Sequence[float], lo: float, hi: float, top: float, bottom: float) -> list[float]:
    span = (hi - lo) or 1.0
    return [bottom - (v - lo) / span * (bottom - top) for v in values]


def _points(values: Sequence[float | None], xs: Sequence[float], ys: dict[int, float]) -> str:
    return " ".join(f"{xs[i]:.1f},{ys[i]:.1f}" for i in range(len(values)) if i in ys)


def line_chart(
    values: Sequence[float | None],
    labels: Sequence[str],
    *,
    alt: str,
    target: float | None = None,
    width: int = 320,
    height: int = 110,
) -> SafeString:
    """A small line chart of a trend (gaps where a value is missing), first and last labels
    under the axis, the range at the side and an optional dashed target line."""
    known = [v for v in values if v is not None]
    pad_l, pad_r, top, bottom = 44, 8, 8, height - 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(alt)}">',
        f"<title>{escape(alt)}</title>",
        f'<line x1="{pad_l}" y1="{bottom}" x2="{width - pad_r}" y2="{bottom}" stroke="{AXIS}"/>',
    ]
    if known:
        lo, hi = (
            min(known + ([target] if target is not None else [])),
            max(known + ([target] if target is not None else [])),
        )
        lo = min(lo, 0.0)
        step = (width - pad_l - pad_r) / max(len(values) - 1, 1)
        xs = [pad_l + i * step for i in range(len(values))]
        scaled = _scale(known, lo, hi, top, bottom)
        it = iter(scaled)
        ys = {i: next(it) for i, v in enumerate(values) if v is not None}
        if target is not None:
            ty = _scale([target], lo, hi, top, bottom)[0]
            parts.append(
                f'<line x1="{pad_l}" y1="{ty:.1f}" x2="{width - pad_r}" y2="{ty:.1f}" '
                f'stroke="{TARGET}" stroke-dasharray="4 3"/>'
            )
        parts.append(
            f'<polyline fill="none" stroke="{LINE}" stroke-width="2" '
            f'points="{_points(values, xs, ys)}"/>'
        )
        for i, y in ys.items():
            parts.append(f'<circle cx="{xs[i]:.1f}" cy="{y:.1f}" r="2.5" fill="{LINE}"/>')
        parts.append(_text(pad_l - 4, top + 8, _short(hi), "end"))
        parts.append(_text(pad_l - 4, bottom, _short(lo), "end"))
    if labels:
        parts.append(_text(pad_l, height - 4, labels[0], "start"))
        parts.append(_text(width - pad_r, height - 4, labels[-1], "end"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def _short(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 or float(v).is_integer() else f"{v:.1f}"


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="11" font-family="sans-serif" '
        f'fill="#0b0c0c" font-weight="400" text-anchor="{anchor}">{escape(text)}</text>'
    )
