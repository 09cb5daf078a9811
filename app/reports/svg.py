"""Small inline SVG charts for the HTML reports: bars per day, a curve with a band.

Plain SVG elements with the system's sans-serif (nothing fetched), sized in
user units and scaled by the page. Values that are None are gaps, not zeros.
Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from app.reports.text import clean

W, H = 640, 200
PAD_L, PAD_R, PAD_T, PAD_B = 56, 12, 22, 34
INK, MUTED, ACCENT, BAND = "#222", "#888", "#2b6cb0", "#bcd3ee"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def _axis(top: float, title: str) -> list[str]:
    parts = [
        f'<text x="{PAD_L}" y="14" font-size="12" fill="{INK}">{escape(clean(title))}</text>',
        f'<line x1="{PAD_L}" y1="{H - PAD_B}" x2="{W - PAD_R}" y2="{H - PAD_B}" stroke="{MUTED}"/>',
    ]
    for frac in (0.0, 0.5, 1.0):
        y = H - PAD_B - frac * (H - PAD_T - PAD_B)
        parts.append(
            f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{MUTED}">{top * frac:,.0f}</text>'
        )
    return parts


def _frame(parts: list[str], label: str) -> str:
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
        f'aria-label="{escape(clean(label))}" font-family="sans-serif" '
        f'style="max-width:100%;height:auto">{body}</svg>'
    )


def bars(values: Sequence[float | None], labels: Sequence[str], title: str) -> str:
    """One bar per value (a gap for None), labels under every few bars."""
    top = _nice_max(max((v for v in values if v is not None), default=0))
    parts = _axis(top, title)
    n = max(len(values), 1)
    slot = (W - PAD_L - PAD_R) / n
    every = max(1, n // 8)
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        x = PAD_L + i * slot
        if value is not None and value > 0:
            h = value / top * (H - PAD_T - PAD_B)
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{H - PAD_B - h:.1f}" '
                f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{ACCENT}">'
                f"<title>{escape(clean(label))}: {value:,.0f}</title></rect>"
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{H - PAD_B + 14}" font-size="10" '
                f'text-anchor="middle" fill="{MUTED}">{escape(clean(label))}</text>'
            )
    return _frame(parts, title)


def curve(
    labels: Sequence[str],
    own: Sequence[float | None],
    median: Sequence[float | None],
    low: Sequence[float | None],
    high: Sequence[float | None],
    title: str,
) -> str:
    """A line (own), a dashed line (median) and a band (low–high) over evenly spaced ages."""
    known = [v for series in (own, median, high) for v in series if v is not None]
    top = _nice_max(max(known, default=0))
    parts = _axis(top, title)
    n = max(len(labels), 2)
    step = (W - PAD_L - PAD_R) / (n - 1)

    def y(v: float) -> float:
        return H - PAD_B - v / top * (H - PAD_T - PAD_B)

    band = [
        (i, lo, hi)
        for i, (lo, hi) in enumerate(zip(low, high, strict=True))
        if lo is not None and hi is not None
    ]
    if len(band) >= 2:
        upper = " ".join(f"{PAD_L + i * step:.1f},{y(hi):.1f}" for i, _, hi in band)
        lower = " ".join(f"{PAD_L + i * step:.1f},{y(lo):.1f}" for i, lo, _ in reversed(band))
        parts.append(f'<polygon points="{upper} {lower}" fill="{BAND}" opacity="0.6"/>')
    for series, style in (
        (median, f'stroke="{MUTED}" stroke-dasharray="5 4"'),
        (own, f'stroke="{ACCENT}" stroke-width="2.5"'),
    ):
        pts = [(i, v) for i, v in enumerate(series) if v is not None]
        if len(pts) >= 2:
            line = " ".join(f"{PAD_L + i * step:.1f},{y(v):.1f}" for i, v in pts)
            parts.append(f'<polyline points="{line}" fill="none" {style}/>')
        for i, v in pts:
            parts.append(
                f'<circle cx="{PAD_L + i * step:.1f}" cy="{y(v):.1f}" r="2.5" fill="{ACCENT if series is own else MUTED}"/>'
            )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{PAD_L + i * step:.1f}" y="{H - PAD_B + 14}" font-size="10" '
            f'text-anchor="middle" fill="{MUTED}">{escape(clean(label))}</text>'
        )
    return _frame(parts, title)
