"""Upload overhead and memory of the connectors (prints; not a test).

    .venv/bin/python bench/publish.py [--mib 200] [--reps 5]

A file of `--mib` MiB goes to the fake TikTok, YouTube, Instagram and
Kuaishou (the test fake platforms, real HTTP on loopback, in this process)
through each connector — envelope, token session, journal, chunk arithmetic,
streamed file slices, step log — and through a bare httpx loop that makes the
same requests (init/session/container/start_upload, the same chunks read from
disk the same way, the same publish and status calls) with nothing around it.
`--platforms tiktok,instagram` runs some of them. Each run is its own process, so its peak RSS
(VmHWM) less its RSS once imported and idle is what the upload cost in
memory. Alternating runs; the best of `--reps` each.
Goals: time ratio ≤ 1.1; peak RSS < 30 MiB above idle.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

MiB = 1024 * 1024


def rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


# --- the child: one upload, its time and memory -------------------------------------------


def child(spec: dict[str, Any]) -> dict[str, float]:
    import httpx

    from platforms.common import ConnectorContext
    from platforms.credentials import StoredKeeper, parse_credentials, to_entry
    from platforms.http import FileSlice
    from platforms.registry import connector_for
    from platforms.tiktok.chunks import plan_chunks
    from platforms.youtube.upload import chunk_size
    from storage.publish_journal import MemoryJournal
    from storage.secrets import SecretsFile

    path = Path(spec["file"])
    size = path.stat().st_size
    platform, mode = spec["platform"], spec["mode"]
    creds = json.loads(Path(spec["creds"]).read_text())
    base = spec["base"]
    from platforms.base import PublishRequest

    secrets = SecretsFile(Path(spec["dir"]) / f"secrets-{os.getpid()}.json")
    secrets.put(f"{platform}:bench", to_entry(parse_credentials(creds)))
    endpoints = {
        "tiktok": {"api_base": base + "/tiktok"},
        "youtube": {"api_base": base + "/youtube", "token_url": base + "/youtube/token"},
        "instagram": {"api_base": base + "/instagram"},
        "kuaishou": {"api_base": base + "/kuaishou"},
    }[platform]
    ctx = ConnectorContext(
        account=f"{platform}:bench",
        endpoints=endpoints,
        keeper=StoredKeeper(secrets, f"{platform}:bench"),
    )
    idle = rss_kib("VmRSS")
    started = time.perf_counter()
    cover = Path(spec["dir"]) / "cover.jpg"
    if mode == "connector":
        conn = connector_for(platform, ctx)
        request = PublishRequest(
            1, path, size, "video/mp4", "bench", title="bench", cover_path=cover
        )
        result = conn.publish(request, MemoryJournal(), lambda f: None, lambda: False)
        assert result.state in ("published", "processing"), result
        conn.close()
    elif platform in META_BASELINES:
        with httpx.Client(timeout=60) as client:
            META_BASELINES[platform](client, base, creds, path, cover)
    else:
        auth = {"Authorization": f"Bearer {creds['access_token']}"}
        with httpx.Client(timeout=60) as client:
            if platform == "tiktok":  # the same requests: creator_info, init, PUTs, status
                plan = plan_chunks(size)
                client.post(base + "/tiktok/v2/post/publish/creator_info/query/", headers=auth)
                init = client.post(
                    base + "/tiktok/v2/post/publish/video/init/",
                    headers=auth,
                    json={
                        "post_info": {"title": "bench", "privacy_level": "PUBLIC_TO_EVERYONE"},
                        "source_info": {
                            "source": "FILE_UPLOAD",
                            "video_size": size,
                            "chunk_size": plan.chunk_size,
                            "total_chunk_count": plan.count,
                        },
                    },
                ).json()["data"]
                url = init["upload_url"]
                spans = [plan.span(i) for i in range(plan.count)]
            else:
                start = client.post(
                    base + "/youtube/upload/youtube/v3/videos",
                    params={"uploadType": "resumable", "part": "snippet,status"},
                    headers={
                        **auth,
                        "X-Upload-Content-Length": str(size),
                        "X-Upload-Content-Type": "video/mp4",
                    },
                    json={"snippet": {"title": "bench"}, "status": {"privacyStatus": "private"}},
                )
                url = start.headers["location"]
                step = chunk_size(None)
                spans = [(o, min(step, size - o)) for o in range(0, size, step)]
            for first, length in spans:
                answer = client.put(
                    url,
                    content=iter(FileSlice(path, first, length)),
                    headers={
                        "Content-Type": "video/mp4",
                        "Content-Length": str(length),
                        "Content-Range": f"bytes {first}-{first + length - 1}/{size}",
                    },
                )
                assert answer.status_code in (200, 201, 206, 308), answer.status_code
            if platform == "tiktok":
                client.post(
                    base + "/tiktok/v2/post/publish/status/fetch/",
                    headers=auth,
                    json={"publish_id": init["publish_id"]},
                )
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "idle_kib": idle, "peak_kib": rss_kib("VmHWM")}


def instagram_baseline(client: Any, base: str, creds: dict, path: Path, _cover: Path) -> None:
    """Container, the same rupload POSTs, status, limit, media_publish, permalink."""
    from platforms.http import FileSlice
    from platforms.instagram.reels import DEFAULT_CHUNK

    size = path.stat().st_size
    token = creds["access_token"]
    graph = f"{base}/instagram/{creds['user_id']}"
    made = client.post(
        graph + "/media",
        data={
            "media_type": "REELS",
            "upload_type": "resumable",
            "caption": "bench",
            "share_to_feed": "true",
            "access_token": token,
        },
    ).json()
    for first in range(0, size, DEFAULT_CHUNK):
        length = min(DEFAULT_CHUNK, size - first)
        answer = client.post(
            made["uri"],
            content=iter(FileSlice(path, first, length)),
            headers={
                "Authorization": f"OAuth {token}",
                "offset": str(first),
                "file_size": str(size),
                "Content-Type": "application/octet-stream",
                "Content-Length": str(length),
            },
        )
        assert answer.json().get("success") is True, answer.text
    auth = {"access_token": token}
    client.get(f"{base}/instagram/{made['id']}", params={**auth, "fields": "status_code,status"})
    client.get(graph + "/content_publishing_limit", params={**auth, "fields": "quota_usage,config"})
    media = client.post(graph + "/media_publish", data={**auth, "creation_id": made["id"]}).json()
    client.get(f"{base}/instagram/{media['id']}", params={**auth, "fields": "permalink"})


def kuaishou_baseline(client: Any, base: str, creds: dict, path: Path, cover: Path) -> None:
    """start_upload, the same fragments, complete, the multipart publish, the photo's info."""
    from platforms.http import FileSlice
    from platforms.kuaishou.upload import DEFAULT_FRAGMENT

    size = path.stat().st_size
    auth = {"access_token": creds["access_token"], "app_id": creds["client_id"]}
    start = client.post(base + "/kuaishou/openapi/photo/start_upload", params=auth).json()
    gateway, token = f"http://{start['endpoint']}", {"upload_token": start["upload_token"]}
    count = -(-size // DEFAULT_FRAGMENT)
    for index in range(count):
        first = index * DEFAULT_FRAGMENT
        length = min(DEFAULT_FRAGMENT, size - first)
        answer = client.post(
            gateway + "/api/upload/fragment",
            params={**token, "fragment_id": str(index)},
            content=iter(FileSlice(path, first, length)),
            headers={"Content-Type": "application/octet-stream", "Content-Length": str(length)},
        )
        assert answer.json()["result"] == 1, answer.text
    client.post(gateway + "/api/upload/complete", params={**token, "fragment_count": str(count)})
    photo = client.post(
        base + "/kuaishou/openapi/photo/publish",
        params={**auth, **token},
        data={"caption": "bench"},
        files={"cover": ("cover.jpg", cover.read_bytes(), "image/jpeg")},
    ).json()["video_info"]
    client.get(
        base + "/kuaishou/openapi/photo/info", params={**auth, "photo_id": photo["photo_id"]}
    )


META_BASELINES = {"instagram": instagram_baseline, "kuaishou": kuaishou_baseline}


# --- the parent: fake platforms, alternating runs ---------------------------------------------


def run_child(spec: dict[str, Any]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_file(path: Path, mib: int) -> None:
    block = os.urandom(MiB)
    with path.open("wb") as fh:
        for _ in range(mib):
            fh.write(block)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=200, help="file size in MiB (200)")
    parser.add_argument("--reps", type=int, default=5, help="runs of each kind (5)")
    parser.add_argument(
        "--platforms",
        default="tiktok,youtube,instagram,kuaishou",
        help="comma-separated platforms to run (all four)",
    )
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    from fakeplatforms import FakePlatforms

    fake = FakePlatforms()
    fake.tiktok.limits = {"init": 10_000, "creator_info": 10_000, "status": 10_000}
    fake.tiktok.daily_cap = 10_000
    fake.youtube.daily_units = 10_000_000
    fake.instagram.quota_total = 10_000
    with tempfile.TemporaryDirectory(prefix="rr-bench-publish-") as tmp:
        folder = Path(tmp)
        data = folder / "upload.mp4"
        make_file(data, args.mib)
        (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(2000) + b"\xff\xd9")
        print(f"publish bench: a {args.mib} MiB file to the fake platforms on loopback")
        try:
            for platform in [p.strip() for p in args.platforms.split(",") if p.strip()]:
                best: dict[str, dict[str, float]] = {}
                for _ in range(args.reps):
                    for mode in ("baseline", "connector"):
                        doc = {
                            "tiktok": lambda: fake.tiktok.add_creator("bench"),
                            "youtube": lambda: fake.youtube.add_channel("bench"),
                            "instagram": lambda: fake.instagram.add_account("bench"),
                            "kuaishou": lambda: fake.kuaishou.add_account("bench"),
                        }[platform]()
                        creds = folder / f"creds-{platform}-{mode}.json"
                        creds.write_text(json.dumps(doc))
                        creds.chmod(0o600)
                        spec = {
                            "platform": platform,
                            "mode": mode,
                            "file": str(data),
                            "creds": str(creds),
                            "base": fake.url,
                            "dir": tmp,
                        }
                        got = run_child(spec)
                        if mode not in best or got["seconds"] < best[mode]["seconds"]:
                            best[mode] = got
                c, b = best["connector"], best["baseline"]
                ratio = c["seconds"] / b["seconds"]
                mem = (c["peak_kib"] - c["idle_kib"]) / 1024
                base_mem = (b["peak_kib"] - b["idle_kib"]) / 1024
                print(
                    f"  {platform:<8} connector {c['seconds']:6.2f} s  bare httpx "
                    f"{b['seconds']:6.2f} s  ratio {ratio:5.2f} (goal ≤ 1.10)  "
                    f"peak RSS +{mem:4.1f} MiB (bare +{base_mem:4.1f} MiB; goal < 30)"
                )
        finally:
            fake.stop()


if __name__ == "__main__":
    main()
