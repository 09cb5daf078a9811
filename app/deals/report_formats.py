"""The sponsor report as Markdown, HTML or CSV (`reelroom deals report ID --format …`).

Markdown and HTML are for the brand: numbers and money in the workspace's
`[deals] locale` (Babel), times in its zone, a table per checkpoint with a
row per deliverable and the deal's total, then the deal's figures against
what it promised, then the checkpoints still to come. CSV is for a
spreadsheet: one row per deliverable per checkpoint plus a total row, plain
numbers (rates as fractions), UTC times.
"""

from __future__ import annotations

import csv
import html
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_percent

from storage.deals.money import format_money
from storage.deals.reports import (
    Checkpoint,
    DealReport,
    Figures,
    checkpoint_label,
    figure_text,
)
from storage.timefmt import to_db
from storage.vocab import DealStage

FORMATS = ("md", "html", "csv")
COLUMNS = (
    ("views", "Views"),
    ("reach", "Reach"),
    ("engagements", "Engagements"),
    ("engagement_rate", "Engagement rate"),
    ("completion_rate", "Completion"),
    ("link_clicks", "Link clicks"),
)
PROMISE_LABELS = {
    "views": "Views",
    "reach": "Reach",
    "engagements": "Engagements",
    "engagement_rate": "Engagement rate",
    "completion_rate": "Completion",
    "link_clicks": "Link clicks",
}


def _rows(cp: Checkpoint, locale: str) -> list[list[str]]:
    out = [
        [r.description, *(figure_text(k, r.figures.value(k), locale) for k, _ in COLUMNS)]
        for r in cp.rows
    ]
    out.append(["Deal total", *(figure_text(k, cp.total.value(k), locale) for k, _ in COLUMNS)])
    return out


def _promise_rows(report: DealReport, locale: str) -> list[list[str]]:
    rows = []
    for key, actual, promised, ratio in report.against_promise():
        share = "—" if ratio is None else str(format_percent(ratio, "#,##0.0%", locale=locale))
        rows.append(
            [
                PROMISE_LABELS.get(key, key),
                figure_text(key, actual, locale),
                figure_text(key, promised, locale),
                share,
            ]
        )
    return rows


def _head(report: DealReport, zone: ZoneInfo, locale: str, now: datetime) -> list[str]:
    deal = report.deal
    return [
        f"{deal.partner} · deal {deal.id} · {DealStage(deal.stage).label} · fee "
        f"{format_money(deal.fee_minor, deal.currency, locale)}",
        f"Assembled {now.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key}) from ReelRoom's metric "
        "snapshots: for each publication, its latest snapshot at or before the checkpoint "
        f"after it went out. {report.live} deliverable(s) live.",
    ]


def _upcoming(report: DealReport, zone: ZoneInfo) -> list[str]:
    return [
        f"{u.description}: {checkpoint_label(u.hours)} on {u.at.astimezone(zone):%Y-%m-%d %H:%M}"
        for u in report.upcoming
    ]


def markdown(report: DealReport, zone: ZoneInfo, locale: str, now: datetime) -> str:
    """The report as Markdown."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"# Sponsor report: {cell(report.deal.title)}", "", *_head(report, zone, locale, now)]
    if not report.checkpoints:
        lines += ["", "No checkpoint has passed yet."]
    for cp in report.checkpoints:
        lines += ["", f"## {cp.label} after going live", ""]
        lines.append("| Deliverable | " + " | ".join(label for _, label in COLUMNS) + " |")
        lines.append("|---|" + "---:|" * len(COLUMNS))
        rows = _rows(cp, locale)
        for row in rows[:-1]:
            lines.append("| " + " | ".join(cell(c) for c in row) + " |")
        lines.append("| " + " | ".join(f"**{cell(c)}**" for c in rows[-1]) + " |")
    promise = _promise_rows(report, locale)
    if promise:
        lines += ["", "## Against the promise (latest checkpoint of each deliverable)", ""]
        lines += ["| Figure | Delivered | Promised | Share |", "|---|---:|---:|---:|"]
        lines += ["| " + " | ".join(row) + " |" for row in promise]
    upcoming = _upcoming(report, zone)
    if upcoming:
        lines += ["", "## Still to come", ""] + [f"- {cell(u)}" for u in upcoming]
    return "\n".join(lines) + "\n"


def _table(head: list[str], rows: list[list[str]], total: bool) -> str:
    out = ["<table>", "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"]
    for i, row in enumerate(rows):
        strong = total and i == len(rows) - 1
        cells = "".join(
            f"<td>{'<strong>' if strong else ''}{html.escape(c)}{'</strong>' if strong else ''}</td>"
            for c in row
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_doc(report: DealReport, zone: ZoneInfo, locale: str, now: datetime) -> str:
    """The report as one HTML page (every value escaped)."""
    title = f"Sponsor report: {report.deal.title}"
    parts = [
        "<!doctype html>",
        '<html><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}"
        "td+td{text-align:right}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        *(f"<p>{html.escape(line)}</p>" for line in _head(report, zone, locale, now)),
    ]
    if not report.checkpoints:
        parts.append("<p>No checkpoint has passed yet.</p>")
    head = ["Deliverable", *(label for _, label in COLUMNS)]
    for cp in report.checkpoints:
        parts.append(f"<h2>{html.escape(cp.label)} after going live</h2>")
        parts.append(_table(head, _rows(cp, locale), True))
    promise = _promise_rows(report, locale)
    if promise:
        parts.append("<h2>Against the promise (latest checkpoint of each deliverable)</h2>")
        parts.append(_table(["Figure", "Delivered", "Promised", "Share"], promise, False))
    upcoming = _upcoming(report, zone)
    if upcoming:
        parts.append("<h2>Still to come</h2><ul>")
        parts += [f"<li>{html.escape(u)}</li>" for u in upcoming]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


CSV_FIELDS = (
    "checkpoint_hours",
    "deliverable_id",
    "deliverable",
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "engagements",
    "engagement_rate",
    "completion_rate",
    "link_clicks",
    "publications",
    "measured",
    "due_at",
)


def _csv_row(hours: int, item_id: int | str, name: str, f: Figures, due: str) -> list[object]:
    def opt(value: float | None) -> object:
        return "" if value is None else round(value, 6)

    return [
        hours,
        item_id,
        name,
        f.views,
        opt(f.reach),
        f.likes,
        f.comments,
        f.shares,
        f.saves,
        f.engagements,
        opt(f.engagement_rate),
        opt(f.completion_rate),
        opt(f.link_clicks),
        f.publications,
        f.measured,
        due,
    ]


def csv_text(report: DealReport) -> str:
    """The report as CSV: a row per deliverable per checkpoint, then the checkpoint's total."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for cp in report.checkpoints:
        for r in cp.rows:
            writer.writerow(
                _csv_row(cp.hours, r.deliverable_id, r.description, r.figures, to_db(r.due_at))
            )
        writer.writerow(_csv_row(cp.hours, "", "deal total", cp.total, ""))
    return buf.getvalue()


def render(report: DealReport, fmt: str, zone: ZoneInfo, locale: str, now: datetime) -> str:
    """The report in `fmt` (md, html or csv)."""
    if fmt == "md":
        return markdown(report, zone, locale, now)
    if fmt == "html":
        return html_doc(report, zone, locale, now)
    if fmt == "csv":
        return csv_text(report)
    raise ValueError(f"unknown report format {fmt!r}; use {', '.join(FORMATS)}")
