"""The reports as Markdown: headings, short summary lines and tables (data text escaped)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from app.reports.data import PostReport, WeekReport
from app.reports.text import age, change, clean, count, md_cell, pct, signed, slot
from storage.metrics.stats import engagement


def _table(head: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def week_engagement(report: WeekReport) -> float | None:
    """The week's interactions over its views (the ones the platforms give)."""

    def total(name: str) -> int | None:
        known = [getattr(p, name) for p in report.days if getattr(p, name) is not None]
        return sum(known) if known else None

    return engagement(
        total("views"), total("likes"), total("comments"), total("shares"), total("saves")
    )


def week_md(r: WeekReport) -> str:
    """The week's report (see app/reports/data.py for what is in it)."""
    title = f"# Week of {r.first:%a %d %b} – {r.last:%a %d %b %Y} ({r.zone})"
    out = [title + (" — so far" if r.in_progress else ""), ""]
    out.append(
        f"**Views** {count(r.views)} ({change(r.views, r.previous_views)} on the week before) · "
        f"**Followers** {signed(r.follower_change)} · "
        f"**Engagement** {pct(week_engagement(r))} · **Published** {len(r.published)}"
    )
    out += ["", "## Views per day", ""]
    out += _table(
        ["Day", "Views", "Engagement", "Completion", "Avg. viewed"],
        [
            [
                f"{p.day:%a %d %b}",
                count(p.views),
                pct(p.engagement),
                pct(p.completion),
                "—" if p.avg_view_pct is None else f"{p.avg_view_pct:.0f}%",
            ]
            for p in r.days
        ],  # fmt: skip
        {1, 2, 3, 4},
    )
    out += ["", "## What went out", ""]
    if r.published:
        out += _table(
            ["When", "Post", "Account", "Pillar", "Views at 48 h"],
            [
                [
                    f"{p.published_at.astimezone(_zone(r.zone)):%a %H:%M}",
                    md_cell(p.title),
                    md_cell(p.account),
                    md_cell(p.pillar),
                    count(p.views_48h),
                ]
                for p in r.published
            ],  # fmt: skip
            {4},
        )
    else:
        out.append("Nothing went out this week.")
    for heading, items in (("Top", r.top), ("Bottom", r.bottom)):
        out += ["", f"## {heading} by views at 48 hours", ""]
        if not items:
            out.append("No publication of the week is 48 hours old yet.")
        for n, f in enumerate(items, 1):
            out.append(
                f"{n}. **{md_cell(f.title)}** — {md_cell(f.platform)}:{md_cell(f.handle)}, "
                f"{count(f.views_48h)} views at 48 h, engagement {pct(f.engagement_48h)}"
            )
    out += ["", f"## Best slots (last 90 days, at least {r.min_count} publications)", ""]
    if r.best_slots:
        out += _table(
            ["Slot", "Median views at 48 h", "Publications"],
            [[slot(c.weekday, c.hour), count(c.median_views), str(c.count)] for c in r.best_slots],
            {1, 2},
        )
    else:
        out.append("Not enough data yet: no slot has that many publications with 48-hour numbers.")
    out += ["", "## Pillar mix", ""]
    out += _table(
        ["Pillar", "Published", "Share", "Target", "Median views at 48 h (90 d)"],
        [
            [
                md_cell(p.pillar),
                str(p.publications),
                pct(p.share, 0),
                pct(p.target, 0),
                count(p.median_views_48h),
            ]
            for p in r.pillars
        ],  # fmt: skip
        {1, 2, 3, 4},
    )
    return "\n".join(out) + "\n"


def post_md(r: PostReport) -> str:
    """One post's report."""
    out = [f"# {md_cell(r.title)}", ""]
    out.append(f"Pillar **{md_cell(r.pillar)}** · hook **{md_cell(r.hook)}** · times in {r.zone}")
    out += ["", "## Publications", ""]
    if not r.publications:
        out.append("No numbers yet: no publication of this post has a snapshot.")
    else:
        out += _table(
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
                "Completion at 48 h",
            ],
            [
                [
                    md_cell(f"{f.platform}:{f.handle}"),
                    f"{f.published_at.astimezone(_zone(r.zone)):%Y-%m-%d %H:%M}",
                    count(f.views),
                    count(f.likes),
                    count(f.comments),
                    count(f.shares),
                    count(f.saves),
                    count(f.views_48h),
                    pct(f.engagement_48h),
                    pct(f.completion_48h),
                ]
                for f in r.publications
            ],  # fmt: skip
            set(range(2, 10)),
        )
        links = [clean(u) for u in r.urls.values() if u]
        if links:
            out += [""] + [f"- <{u}>" for u in links]
    for c in r.curves:
        out += [
            "",
            f"## Against {md_cell(c.pillar)} on {md_cell(c.platform)}:{md_cell(c.handle)}",
            "",
        ]
        out.append("Views at each age, and the median (middle half) of the pillar's other "
                   "publications on the account at the same age.")  # fmt: skip
        out.append("")
        shown = [a for a in c.ages if a.views is not None or a.pillar_median is not None]
        out += _table(
            ["Age", "This post", "Pillar median", "Middle half", "Peers"],
            [
                [
                    age(a.age_h),
                    count(a.views),
                    count(a.pillar_median),
                    "—" if a.pillar_q1 is None else f"{count(a.pillar_q1)}–{count(a.pillar_q3)}",
                    str(a.peers),
                ]
                for a in shown
            ],  # fmt: skip
            {1, 2, 3, 4},
        )
    out += ["", "## Views per day", ""]
    out += _table(
        ["Day", "Views", "Total"],
        [[f"{p.day:%Y-%m-%d}", count(p.views), count(p.cumulative_views)] for p in r.days],
        {1, 2},
    )
    return "\n".join(out) + "\n"


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
