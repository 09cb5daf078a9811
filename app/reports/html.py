"""The reports as one self-contained HTML page: tables and inline SVG charts.

No network fonts, scripts or images: the page's style is a few lines of CSS
with the system's sans-serif, and every chart is an <svg> in the page
(app/reports/svg.py). Every data text is escaped.
"""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from app.reports import svg
from app.reports.data import PostReport, WeekReport
from app.reports.markdown import week_engagement
from app.reports.text import age, change, clean, count, pct, signed, slot

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:760px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{padding:.3em .5em;border-bottom:1px solid #ddd;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.summary{font-size:1.05em}.muted{color:#777}
"""


def _e(text: object) -> str:
    return escape(clean(text))


def _page(title: str, body: list[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _table(head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    th = "".join(f'<th class="n">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
                 for i, h in enumerate(head))  # fmt: skip
    trs = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


def week_html(r: WeekReport) -> str:
    """The week's report as a page."""
    zone = ZoneInfo(r.zone)
    title = f"Week of {r.first:%a %d %b} – {r.last:%a %d %b %Y}" + (
        " (so far)" if r.in_progress else ""
    )
    body = [f"<h1>{_e(title)}</h1>", f'<p class="muted">Times in {_e(r.zone)}</p>']
    body.append(
        f'<p class="summary"><b>Views</b> {count(r.views)} ({change(r.views, r.previous_views)} '
        f"on the week before) · <b>Followers</b> {signed(r.follower_change)} · "
        f"<b>Engagement</b> {pct(week_engagement(r))} · <b>Published</b> {len(r.published)}</p>"
    )
    body.append("<h2>Views per day</h2>")
    body.append(
        svg.bars([p.views for p in r.days], [f"{p.day:%a %d}" for p in r.days], "Views per day")
    )
    body.append(
        _table(
            ["Day", "Views", "Engagement", "Completion"],
            [
                [_e(f"{p.day:%a %d %b}"), count(p.views), pct(p.engagement), pct(p.completion)]
                for p in r.days
            ],  # fmt: skip
            {1, 2, 3},
        )
    )
    body.append("<h2>What went out</h2>")
    body.append(
        _table(
            ["When", "Post", "Account", "Pillar", "Views at 48 h"],
            [
                [
                    _e(f"{p.published_at.astimezone(zone):%a %H:%M}"),
                    f'<a href="{escape(clean(p.url), quote=True)}">{_e(p.title)}</a>'
                    if p.url
                    else _e(p.title),
                    _e(p.account),
                    _e(p.pillar),
                    count(p.views_48h),
                ]
                for p in r.published
            ],  # fmt: skip
            {4},
        )
        if r.published
        else "<p>Nothing went out this week.</p>"
    )
    for heading, items in (("Top", r.top), ("Bottom", r.bottom)):
        body.append(f"<h2>{heading} by views at 48 hours</h2>")
        if not items:
            body.append("<p>No publication of the week is 48 hours old yet.</p>")
            continue
        body.append(
            "<ol>"
            + "".join(
                f"<li><b>{_e(f.title)}</b> — {_e(f.platform)}:{_e(f.handle)}, "
                f"{count(f.views_48h)} views at 48 h, engagement {pct(f.engagement_48h)}</li>"
                for f in items
            )
            + "</ol>"
        )
    body.append(f"<h2>Best slots</h2><p class=\"muted\">Last 90 days, median views at 48 hours, "
                f"slots with at least {r.min_count} publications.</p>")  # fmt: skip
    body.append(
        _table(
            ["Slot", "Median views at 48 h", "Publications"],
            [
                [_e(slot(c.weekday, c.hour)), count(c.median_views), str(c.count)]
                for c in r.best_slots
            ],
            {1, 2},
        )
        if r.best_slots
        else "<p>Not enough data yet.</p>"
    )
    body.append("<h2>Pillar mix</h2>")
    body.append(
        _table(
            ["Pillar", "Published", "Share", "Target", "Median views at 48 h (90 d)"],
            [
                [
                    _e(p.pillar),
                    str(p.publications),
                    pct(p.share, 0),
                    pct(p.target, 0),
                    count(p.median_views_48h),
                ]
                for p in r.pillars
            ],  # fmt: skip
            {1, 2, 3, 4},
        )
    )
    return _page(title, body)


def post_html(r: PostReport) -> str:
    """One post's report as a page."""
    zone = ZoneInfo(r.zone)
    body = [f"<h1>{_e(r.title)}</h1>",
            f'<p class="muted">Pillar <b>{_e(r.pillar)}</b> · hook <b>{_e(r.hook)}</b> · '
            f"times in {_e(r.zone)}</p>", "<h2>Publications</h2>"]  # fmt: skip
    if r.publications:
        body.append(
            _table(
                [
                    "Account",
                    "Went out",
                    "Views",
                    "Likes",
                    "Comments",
                    "Shares",
                    "Saves",
                    "Views at 48 h",
                    "Engagement at 48 h",
                ],
                [
                    [
                        _e(f"{f.platform}:{f.handle}"),
                        _e(f"{f.published_at.astimezone(zone):%Y-%m-%d %H:%M}"),
                        count(f.views),
                        count(f.likes),
                        count(f.comments),
                        count(f.shares),
                        count(f.saves),
                        count(f.views_48h),
                        pct(f.engagement_48h),
                    ]
                    for f in r.publications
                ],  # fmt: skip
                set(range(2, 9)),
            )
        )
    else:
        body.append("<p>No numbers yet: no publication of this post has a snapshot.</p>")
    for c in r.curves:
        body.append(f"<h2>Against {_e(c.pillar)} on {_e(c.platform)}:{_e(c.handle)}</h2>")
        shown = [a for a in c.ages if a.views is not None or a.pillar_median is not None]
        if len(shown) >= 2:
            body.append(
                svg.curve(
                    [age(a.age_h) for a in shown],
                    [a.views for a in shown],
                    [a.pillar_median for a in shown],
                    [a.pillar_q1 for a in shown],
                    [a.pillar_q3 for a in shown],
                    "Views by age: this post (line), pillar median (dashed), middle half (band)",
                )
            )
        body.append(
            _table(
                ["Age", "This post", "Pillar median", "Middle half", "Peers"],
                [
                    [
                        _e(age(a.age_h)),
                        count(a.views),
                        count(a.pillar_median),
                        "—"
                        if a.pillar_q1 is None
                        else f"{count(a.pillar_q1)}–{count(a.pillar_q3)}",
                        str(a.peers),
                    ]
                    for a in shown
                ],  # fmt: skip
                {1, 2, 3, 4},
            )
        )
    body.append("<h2>Views per day</h2>")
    body.append(
        svg.bars([p.views for p in r.days], [f"{p.day:%d %b}" for p in r.days], "Views per day")
    )
    return _page(r.title, body)
