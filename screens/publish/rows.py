"""What the Publish tab shows: columns, one row per publication, the header, the detail.

Pure functions from `storage.publication_models.Publication` values (and the
clock and zone) to plain cell text, header lines and a `DetailView`. Times
are shown in the workspace zone. Every text that comes from data (titles,
captions, handles, errors, paths, platform answers) goes through `safe`,
so a control character in it is shown, never obeyed by the terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from screens.modals.item_detail import DetailView
from screens.publish.services import CaptionCheck
from storage.accounts import AccountRow
from storage.publication_models import Publication, PublicationStep
from storage.publish_queue import QueueQuery
from storage.timefmt import from_db
from widgets.footage_table import TableColumn, TableRow
from widgets.progress_cell import percent, progress_cell
from widgets.tones import PUBLICATION_STATE_TONES

PLATFORM_NAMES = {
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "instagram": "Instagram",
    "kuaishou": "Kuaishou",
}
PRESET_LABELS = {  # media_watch.preflight's presets, as a person says them
    "tiktok": "TikTok",
    "shorts": "YouTube Shorts",
    "reels": "Instagram Reels",
    "kuaishou": "Kuaishou",
}
GLYPHS = {
    "draft": "✎",
    "scheduled": "◷",
    "publishing": "▶",
    "processing": "⋯",
    "published": "✓",
    "failed": "✗",
    "cancelled": "⊘",
}
STATE_ORDER = ("publishing", "processing", "scheduled", "draft", "failed", "cancelled", "published")
ACTIVE_JOB = ("queued", "failed", "running")

# Control characters (C0 but tab/newline where lines are kept, DEL, C1), bidi
# embeddings/overrides/isolates and line separators: shown, never sent raw.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSAFE_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛, ␇ …: one cell, so columns stay aligned
    if code == 0x7F:
        return "\u2421"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def safe(text: str | None, *, lines: bool = False) -> str:
    """Data text with its control characters made visible (`lines` keeps newlines, tabs)."""
    if not text:
        return ""
    return (_UNSAFE_LINES if lines else _UNSAFE).sub(_stand_in, text)


@dataclass(frozen=True)
class StateFilter:
    """One choice of the `f` cycle: its name and the states it shows (empty: all)."""

    name: str
    states: tuple[str, ...]


FILTERS: tuple[StateFilter, ...] = (
    StateFilter("all", ()),
    StateFilter("to go", ("draft", "scheduled", "publishing", "processing")),
    StateFilter("failed", ("failed",)),
    StateFilter("published", ("published",)),
    StateFilter("cancelled", ("cancelled",)),
)


def next_filter(current: StateFilter) -> StateFilter:
    """The filter after `current` in the `f` cycle."""
    index = FILTERS.index(current) if current in FILTERS else -1
    return FILTERS[(index + 1) % len(FILTERS)]


def account_label(platform: str, handle: str) -> str:
    """ "TikTok @pantrylab"."""
    return f"{PLATFORM_NAMES.get(platform, platform)} @{safe(handle)}"


def account_labels(accounts: list[AccountRow], wide: bool) -> dict[int, str]:
    """How the list names each account: "TikTok @pantrylab"; narrow, the platform alone
    when it is the only account on that platform."""
    per_platform: dict[str, int] = {}
    for account in accounts:
        per_platform[account.platform] = per_platform.get(account.platform, 0) + 1
    return {
        a.id: account_label(a.platform, a.handle)
        if wide or per_platform[a.platform] > 1
        else PLATFORM_NAMES.get(a.platform, a.platform)
        for a in accounts
    }


def account_name(account: AccountRow) -> str:
    """ "tiktok:@pantrylab", as commands take it."""
    return f"{account.platform}:@{safe(account.handle)}"


def local(text: str | None, zone: ZoneInfo, fmt: str = "%a %d %b %Y %H:%M") -> str:
    """A stored UTC time in the workspace zone ("—" when unset)."""
    moment = from_db(text)
    return "—" if moment is None else moment.astimezone(zone).strftime(fmt)


def when_text(pub: Publication, now: datetime, zone: ZoneInfo) -> str:
    """ "28 Nov 19:00" in the workspace zone ("28 Nov 2025" in another year); "no time"."""
    moment = from_db(pub.scheduled_at)
    if moment is None:
        return "no time"
    shown = moment.astimezone(zone)
    if shown.year != now.astimezone(zone).year:
        return shown.strftime("%d %b %Y")
    return shown.strftime("%d %b %H:%M")


def stuck(pub: Publication) -> bool:
    """Sending or processing, but its job is gone (died after its last try): retry it."""
    return pub.state in ("publishing", "processing") and pub.job_state not in ACTIVE_JOB


def state_word(pub: Publication) -> str:
    """Glyph and state ("▶ publishing")."""
    return f"{GLYPHS.get(pub.state, '·')} {pub.state}"


def progress_text(pub: Publication, cells: int) -> str:
    """The upload bar while sending or processing; "—" otherwise."""
    if pub.state in ("publishing", "processing"):
        return progress_cell(pub.progress or 0.0, cells)
    return "—"


def note(pub: Publication) -> str:
    """What a person wants to see beside the state: the error, the note, the URL."""
    if stuck(pub):
        return "stuck: its job ended without an answer; R sends it again"
    if pub.state == "failed":
        return safe(pub.error) or "failed"
    if pub.state == "published":
        return safe(pub.remote_url or pub.remote_id or pub.note)
    if pub.state == "draft":
        return "no time yet: e gives one"
    return safe(pub.note)


def columns(width: int) -> list[TableColumn]:
    """The columns that fit `width` cells (tries and a note column from 120)."""
    wide = width >= 120
    cols = [
        TableColumn("when", "WHEN", 12),
        TableColumn("account", "ACCOUNT", 26 if wide else 11),
        TableColumn("post", "POST", 20),
        TableColumn("state", "STATE", 12),
        TableColumn("progress", "PROGRESS", 14 if wide else 9),
    ]
    if wide:
        cols.append(TableColumn("tries", "TRIES", 5, right=True))
    used = sum(c.width + 2 for c in cols) + 2  # cell padding, scrollbar
    spare = width - used
    if wide:
        post_extra = max(0, min(20, spare - 24))
        cols[2] = TableColumn("post", "POST", 20 + post_extra)
        note_cells = spare - post_extra - 2
        if note_cells >= 12:
            cols.append(TableColumn("note", "URL / ERROR / NOTE", note_cells))
    else:
        cols[2] = TableColumn("post", "POST", max(10, 20 + spare))
    return cols


def row(
    pub: Publication,
    now: datetime,
    zone: ZoneInfo,
    progress_cells: int,
    labels: dict[int, str] | None = None,
) -> TableRow:
    """One publication's row of cell text (`labels`: account names by id)."""
    cells = {
        "when": when_text(pub, now, zone),
        "account": (labels or {}).get(pub.account_id) or account_label(pub.platform, pub.handle),
        "post": safe(pub.post_title),
        "state": state_word(pub),
        "progress": progress_text(pub, progress_cells),
        "tries": str(pub.attempts),
        "note": note(pub),
    }
    tone = "error" if stuck(pub) else PUBLICATION_STATE_TONES.get(pub.state, "")
    return TableRow(str(pub.id), cells, tone)


def header(
    flt: StateFilter,
    query: QueueQuery,
    accounts: list[AccountRow],
    shown: int,
    counts: dict[str, int],
    wide: bool,
) -> str:
    """ "all · every account: 83   ▶1 ⋯1 ◷4 …" (the states in words when wide)."""
    account = next((a for a in accounts if a.id == query.account_id), None)
    who = account_name(account) if account else "every account"
    total = sum(counts.values())
    if wide:
        parts = [f"{counts[s]} {s}" for s in STATE_ORDER if counts.get(s)]
        sep = ", "
    else:
        parts = [f"{GLYPHS[s]}{counts[s]}" for s in STATE_ORDER if counts.get(s)]
        sep = " "
    return f"{flt.name} · {who}: {shown} of {total}   " + sep.join(parts)


def fix_command(account: AccountRow) -> str:
    """The command that gives an account fresh tokens."""
    return (
        f"reelroom accounts add {account.platform} {safe(account.handle)} --credentials FILE.json"
    )


def accounts_line(accounts: list[AccountRow], now: datetime) -> str:
    """The accounts that need a person (login, expiry), else how many are fine."""
    for account in accounts:
        state = account.state(now)
        if state in ("needs_login", "expired"):
            word = "needs a login" if state == "needs_login" else "login expired"
            return f"⚠ {account_name(account)} {word}: {fix_command(account)}"
    expiring = [a for a in accounts if a.state(now) == "expiring"]
    if expiring:
        return (
            f"⚠ {account_name(expiring[0])}'s login ends within 7 days: {fix_command(expiring[0])}"
        )
    plural = "s" if len(accounts) != 1 else ""
    return f"{len(accounts)} account{plural}, logins ok · @ one account · f other states"


NO_ACCOUNTS = (
    "No platform accounts yet, so nothing can be published.\n\n"
    "Add one from the shell (the JSON holds its tokens; README “Publishing”):\n"
    "  reelroom accounts add tiktok @yourhandle --credentials tiktok.json\n"
    "  reelroom accounts add youtube @yourchannel --credentials youtube.json\n\n"
    "then press r here."
)
NO_PUBLICATIONS = (
    "No publications yet.\n\n"
    "Queue one: press p on a post in Calendar (2) or Today (1), or a here to pick a post.\n"
    "From the shell: reelroom publish add --post ID --account tiktok:@handle "
    "--render JOB_ID --at 2026-12-01T18:00"
)


def empty_text(accounts: list[AccountRow], total: int, flt: StateFilter) -> str:
    """What the tab says when it lists nothing: how to add an account or a publication."""
    if not accounts:
        return NO_ACCOUNTS
    if total == 0 and not flt.states:
        return NO_PUBLICATIONS
    return f"No {flt.name} publications here. f shows other states, @ other accounts."


# --- the detail ----------------------------------------------------------------


def media_text(media: dict) -> str:
    """ "1080x1920 · 42.0 s · 30 fps · h264/aac 48 kHz · 12.3 MB · fast start"."""
    if not media:
        return "no file facts recorded"
    bits = []
    if media.get("width") and media.get("height"):
        bits.append(f"{media['width']}x{media['height']}")
    if media.get("duration_s") is not None:
        bits.append(f"{float(media['duration_s']):.1f} s")
    if media.get("fps"):
        bits.append(f"{float(media['fps']):g} fps")
    codecs = "/".join(str(media.get(k) or "—") for k in ("video_codec", "audio_codec"))
    if media.get("sample_rate"):
        codecs += f" {int(media['sample_rate']) / 1000:g} kHz"
    bits.append(codecs)
    if media.get("size_bytes") is not None:
        bits.append(f"{int(media['size_bytes']) / 1e6:.1f} MB")
    if "faststart" in media:
        bits.append("fast start" if media["faststart"] else "NOT fast start")
    return safe(" · ".join(bits))


def flags_text(pub: Publication) -> str:
    """ "public · branded content · TikTok inbox draft"."""
    bits = [pub.privacy]
    if pub.branded_content:
        bits.append("branded content (the platform's paid-partnership label)")
    if pub.as_draft:
        bits.append("uploaded to the TikTok inbox as a draft")
    return " · ".join(bits)


def preflight_text(pub: Publication) -> str:
    """The stored preflight: passed/failed against which limits, its problems."""
    report = pub.preflight
    if not report:
        return "not recorded (added before preflight, or by the demo)"
    name = str(report.get("preset") or pub.platform)
    preset = PRESET_LABELS.get(name, safe(name))
    problems = [safe(str(p)) for p in report.get("problems") or []]
    caption = report.get("caption") or {}
    problems += [f"caption: {safe(str(p))}" for p in caption.get("problems") or []]
    if report.get("ok", not problems) and not problems:
        source = safe(str(report.get("source") or ""))
        return f"passed the {preset} limits" + (f" ({source})" if source else "")
    return "\n".join([f"failed the {preset} limits:", *(f"• {p}" for p in problems)])


def step_lines(steps: list[PublicationStep], zone: ZoneInfo) -> str:
    """ "19:02:03  init  POST 200  312 ms  /v2/post/publish/…  note", one a line; a
    line that starts another day says the day first."""
    lines, day = [], ""
    for step in steps:
        moment = from_db(step.at)
        shown = moment.astimezone(zone) if moment else None
        if shown is not None and shown.strftime("%d %b") != day:
            day = shown.strftime("%d %b")
            lines.append(shown.strftime("%a %d %b %Y"))
        when = shown.strftime("%H:%M:%S") if shown else "—"
        status = str(step.status) if step.status is not None else "—"
        elapsed = f"{step.elapsed_ms:.0f} ms" if step.elapsed_ms is not None else "—"
        text = (
            f"{when}  {safe(step.step):<13} {safe(step.method):<5} {status:<4} {elapsed:>8}  "
            f"{safe(step.path)}"
        )
        lines.append(text + (f"  {safe(step.note)}" if step.note else ""))
    return "\n".join(lines) or "no requests yet"


def state_text(pub: Publication, zone: ZoneInfo) -> str:
    """The state and what happens next, short enough for one line of the detail."""
    text = state_word(pub)
    if stuck(pub):
        return f"{text} — stuck: R sends it again"
    if pub.state == "publishing":
        return f"{text} {percent(pub.progress)} (attempt {pub.attempts})"
    if pub.state == "processing":
        ask = local(pub.job_run_at, zone, "%H:%M") if pub.job_state == "queued" else "soon"
        return f"{text} — asks the platform again at {ask}"
    if pub.state == "scheduled":
        return f"{text} — goes out {local(pub.scheduled_at, zone, '%a %d %b %H:%M')}"
    if pub.state == "draft":
        return f"{text} — no time yet (e gives one)"
    if pub.state == "failed":
        return (
            f"{text} ({pub.attempts} attempt{'s' if pub.attempts != 1 else ''}) — R sends it again"
        )
    return text


def caption_blocks(pub: Publication, check: CaptionCheck) -> tuple[tuple[str, str], ...]:
    """The caption as the platform gets it (YouTube: title and description)."""
    name = PLATFORM_NAMES.get(pub.platform, pub.platform)
    problems = "".join(f"\n✗ {safe(p)}" for p in check.problems)
    caption = safe(pub.caption, lines=True) or "(no caption)"
    if pub.platform == "youtube":
        return (
            (f"Title on {name}", safe(pub.title) or "(no title: YouTube needs one)"),
            (f"Description on {name} ({check.usage})", caption + problems),
        )
    return ((f"Caption on {name} ({check.usage})", caption + problems),)


def detail_view(
    pub: Publication,
    steps: list[PublicationStep],
    account: AccountRow | None,
    check: CaptionCheck,
    zone: ZoneInfo,
    now: datetime,
) -> DetailView:
    """The fields of one publication, then what went wrong, caption, file, preflight, steps."""
    fields = [
        ("State", state_text(pub, zone)),
        ("Post", f"#{pub.post_id} {safe(pub.post_title)}"),
        ("Account", f"{pub.platform}:@{safe(pub.handle)}"),
        ("Time", f"{local(pub.scheduled_at, zone)} ({zone.key})"),
    ]
    if pub.published_at:
        fields.append(("Published", local(pub.published_at, zone)))
    fields += [
        ("URL", safe(pub.remote_url) or "—"),
        ("Remote id", safe(pub.remote_id) or "—"),
        ("Privacy", flags_text(pub)),
        ("Attempts", str(pub.attempts)),
    ]
    blocks: list[tuple[str, str]] = []
    if account is not None and account.state(now) in ("needs_login", "expired"):
        said = f"\n{safe(account.auth_error)}" if account.auth_error else ""
        blocks.append(("The account needs a login", f"{fix_command(account)}{said}"))
    if pub.error:
        blocks.append(("What went wrong", safe(pub.error, lines=True)))
    if pub.note:
        blocks.append(("Note", safe(pub.note, lines=True)))
    source = safe(pub.file_path) or "no file recorded"
    if pub.render_job_id is not None:
        source += f"\nfrom render {pub.render_job_id}"
    log = step_lines(steps, zone)
    blocks += [
        *caption_blocks(pub, check),
        ("File", f"{source}\n{media_text(pub.media)}"),
        ("Preflight", preflight_text(pub)),
        (f"Step log ({len(steps)})", log),
    ]
    return DetailView(
        f"{pub.id} · {safe(pub.post_title)}", "Publication", tuple(fields), tuple(blocks)
    )
