"""Synthetic footage rows for the stress workspace (`reelroom demo --scale large`).

100k assets and their paths under home/footage/large/… written straight to
the database (the files do not exist; the rows are for paging and search
benchmarks). Camera-card names, phone clips, voice-overs and stills, with
probe fields that agree with each other (display size follows rotation).
The rows look fully processed — a full hash and, for videos, a poster (one
shared still) — so the footage pipeline's background catch-up leaves them be.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Iterator

from app.demo.scale import DemoTime

ASSET_COLS = (
    "id",
    "kind",
    "name",
    "content_key",
    "size_bytes",
    "container",
    "duration_s",
    "bit_rate",
    "width",
    "height",
    "display_width",
    "display_height",
    "rotation",
    "fps",
    "avg_fps",
    "vfr",
    "video_codec",
    "video_profile",
    "pix_fmt",
    "bit_depth",
    "audio_codec",
    "audio_channels",
    "sample_rate",
    "media_created_at",
    "imported_at",
    "status",
    "post_id",
    "full_hash",
    "thumbnail",
)
PATH_COLS = (
    "id",
    "asset_id",
    "path",
    "size_bytes",
    "mtime_ns",
    "present",
    "first_seen_at",
    "last_seen_at",
)
MP4 = "mov,mp4,m4a,3gp,3g2,mj2"
# (name prefix, extension, width, height, rotation, fps, codec, profile, pix_fmt, depth, vfr)
CAMERAS = (
    ("C", ".MP4", 3840, 2160, 0, 25.0, "h264", "High", "yuv420p", 8, 0),
    ("C", ".MP4", 1920, 1080, 0, 50.0, "h264", "High", "yuv420p", 8, 0),
    ("IMG_", ".MOV", 1920, 1080, 90, 29.97, "hevc", "Main 10", "yuv420p10le", 10, 1),
    ("IMG_", ".MOV", 3840, 2160, 90, 59.94, "hevc", "Main 10", "yuv420p10le", 10, 1),
    ("GX01", ".MP4", 2704, 1520, 0, 59.94, "hevc", "Main", "yuv420p", 8, 0),
    ("PXL_", ".mp4", 1080, 1920, 0, 30.0, "h264", "High", "yuv420p", 8, 1),
)


FOOTAGE_DAYS = 400


def _day(t: DemoTime, root: str, back: int) -> tuple[str, str, str, int]:
    """(date text, card folder, backup folder, mtime in ns at midnight) of a day `back` days ago."""
    day = (t.now - timedelta(days=back)).date()
    iso = day.isoformat()
    midnight = datetime.combine(day, time(0), UTC)
    return iso, f"{root}/{iso}", f"{root}/backup/{iso[:7]}", int(midnight.timestamp()) * 10**9


def footage_rows(
    t: DemoTime,
    count: int,
    root: Path,
    first_asset: int,
    first_path: int,
    post_ids: list[int],
    poster: str,
) -> Iterator[tuple[str, tuple]]:
    """("assets" | "asset_paths", row) pairs, an asset always before its paths."""
    rng = random.Random("footage:large")
    per_day = max(1, -(-count // FOOTAGE_DAYS))
    path_id = first_path
    day_no, day = -1, ("", "", "", 0)
    for i in range(count):
        if i // per_day != day_no:
            day_no = i // per_day
            day = _day(t, str(root), FOOTAGE_DAYS - day_no)
        iso, folder, backup, midnight_ns = day
        minute = 6 * 60 + (i % per_day) * 3 % (15 * 60)
        created = f"{iso}T{minute // 60:02d}:{minute % 60:02d}:00Z"
        seen = f"{iso}T{minute // 60 + 1:02d}:{minute % 60:02d}:00Z"
        asset, name = _asset(rng, first_asset + i, i, created, seen, post_ids)
        asset = (
            *asset,
            # a synthetic digest, labelled with the algorithm that made it
            "blake2b:" + hashlib.blake2b(asset[3].encode()).hexdigest()[:64],
            poster if asset[1] == "video" else None,
        )
        yield "assets", asset
        mtime_ns = midnight_ns + minute * 60 * 10**9
        yield (
            "asset_paths",
            (path_id, asset[0], f"{folder}/{name}", asset[4], mtime_ns, 1, seen, seen),
        )
        path_id += 1
        if i % 10 == 3:  # a copy kept in the backup folder too: one asset, two paths
            yield (
                "asset_paths",
                (path_id, asset[0], f"{backup}/{name}", asset[4], mtime_ns, 1, seen, seen),
            )
            path_id += 1


def _asset(
    rng: random.Random, asset_id: int, i: int, created: str, imported: str, post_ids: list[int]
) -> tuple[tuple, str]:
    roll = rng.random()
    post = rng.choice(post_ids) if post_ids and rng.random() < 0.3 else None
    key = hashlib.blake2b(i.to_bytes(8, "little"), digest_size=16).hexdigest()
    if roll < 0.07:
        name = f"VO_{i:06d}.m4a"
        seconds = round(rng.uniform(8, 90), 3)
        row: tuple[object, ...] = (
            asset_id,
            "audio",
            name,
            key,
            int(seconds * 16_000),
            MP4,
            seconds,
            128_000,
            None,
            None,
            None,
            None,
            0,
            None,
            None,
            0,
            None,
            None,
            None,
            None,
            "aac",
            2,
            48_000,
            created,
            imported,
            "ok",
            post,
        )
        return row, name
    if roll < 0.10:
        name = f"IMG_{i:06d}.JPG"
        row = (
            asset_id,
            "image",
            name,
            key,
            rng.randint(1_500_000, 6_000_000),
            "image2",
            None,
            None,
            4032,
            3024,
            4032,
            3024,
            0,
            None,
            None,
            0,
            "mjpeg",
            None,
            "yuvj420p",
            8,
            None,
            None,
            None,
            created,
            imported,
            "ok",
            post,
        )
        return row, name
    prefix, ext, w, h, rot, fps, codec, profile, pix, depth, vfr = CAMERAS[
        int(rng.random() * len(CAMERAS))
    ]
    name = f"{prefix}{i:06d}{ext}"
    seconds = round(rng.uniform(2.5, 95), 3)
    bit_rate = int(w * h * fps * (0.1 if codec == "hevc" else 0.16))
    dw, dh = (h, w) if rot in (90, 270) else (w, h)
    avg = round(fps * (0.985 + 0.015 * rng.random()), 3) if vfr else fps
    row = (
        asset_id,
        "video",
        name,
        key,
        int(seconds * bit_rate / 8),
        MP4,
        seconds,
        bit_rate,
        w,
        h,
        dw,
        dh,
        rot,
        fps,
        avg,
        vfr,
        codec,
        profile,
        pix,
        depth,
        "aac",
        2,
        48_000,
        created,
        imported,
        "ok",
        post,
    )
    return row, name
