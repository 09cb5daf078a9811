"""Render jobs: the `renders` row beside each `jobs` row of kind 'render'.

A render row holds what to make (recipe, its `key=value` params, the clip
ids, the post it is for), where it goes (output path), how it was made (the
exact ffmpeg argv), how it is going (speed, ETA; percent lives on the job),
the tail of ffmpeg's log and the preflight result of the output.
"""

from __future__ import annotations

import builtins
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from storage.db import Store
from storage.jobs import Enqueued, Job, JobQueue

_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Render:
    """A render job: the job row and its render row."""

    job: Job
    recipe: str
    params: dict[str, Any]
    clip_ids: list[int]
    post_id: int | None
    output_path: str | None
    argv: list[str] | None
    speed: float | None
    eta_s: float | None
    log_tail: str | None
    preflight: dict[str, Any] | None
    post_title: str | None = None

    @property
    def id(self) -> int:
        return self.job.id

    @property
    def poster_path(self) -> str | None:
        """The poster frame written next to the output (same name, .jpg)."""
        return str(Path(self.output_path).with_suffix(".jpg")) if self.output_path else None

    @classmethod
    def from_row(cls, row: Any) -> Render:
        return cls(
            Job.from_row(row),
            row["recipe"],
            json.loads(row["params_json"] or "{}"),
            json.loads(row["clip_ids_json"] or "[]"),
            row["post_id"],
            row["output_path"],
            json.loads(row["argv_json"]) if row["argv_json"] else None,
            row["speed"],
            row["eta_s"],
            row["log_tail"],
            json.loads(row["preflight_json"]) if row["preflight_json"] else None,
            row["post_title"] if "post_title" in row.keys() else None,
        )

    def to_json(self, *, detail: bool = False) -> dict[str, Any]:
        """The row `render list --json` prints; `detail` adds argv, log tail, preflight."""
        job = self.job
        doc: dict[str, Any] = {
            "id": job.id,
            "state": job.state,
            "priority": job.priority,
            "attempts": job.attempts,
            "max_attempts": job.max_attempts,
            "progress": job.progress,
            "speed": self.speed,
            "eta_s": self.eta_s,
            "recipe": self.recipe,
            "params": self.params,
            "clips": self.clip_ids,
            "post_id": self.post_id,
            "output": self.output_path,
            "error": job.last_error,
            "cancel_requested": job.cancel_requested,
            "run_at": job.run_at,
            "created_at": job.created_at,
            "started_at": job.started_at,
            "finished_at": job.finished_at,
        }
        if detail:
            doc.update(
                argv=self.argv,
                log_tail=self.log_tail,
                preflight=self.preflight,
                poster=self.poster_path,
                lease_owner=job.lease_owner,
                lease_until=job.lease_until,
            )
        return doc


_SELECT = (
    "SELECT jobs.*, renders.*, posts.title AS post_title FROM jobs"
    " JOIN renders ON renders.job_id = jobs.id LEFT JOIN posts ON posts.id = renders.post_id"
)


def output_name(job_id: int, recipe: str) -> str:
    """The file name of a render's output: job-<id>-<recipe>.mp4 (recipe slugged)."""
    slug = _SLUG.sub("-", Path(recipe).stem).strip("-") or "render"
    return f"job-{job_id}-{slug}.mp4"


class RenderRepo:
    """Add render jobs and read/write their render rows."""

    def __init__(self, store: Store, queue: JobQueue | None = None) -> None:
        self.store = store
        self.queue = queue or JobQueue(store)

    def add(
        self,
        *,
        recipe: str,
        params: dict[str, Any],
        clip_ids: Sequence[int],
        output_dir: Path | str,
        post_id: int | None = None,
        priority: int = 0,
        idem_key: str | None = None,
        max_attempts: int = 3,
        extra_payload: dict[str, Any] | None = None,
        argv_for: Callable[[str], Sequence[str]] | None = None,
    ) -> Enqueued:
        """Queue a render job with its row in one transaction (idem_key dedupes).

        `argv_for(output_path)` gives the planned argv stored with the row.
        """

        def add_row(conn: sqlite3.Connection, job_id: int) -> None:
            output = str(Path(output_dir) / output_name(job_id, recipe))
            argv = argv_for(output) if argv_for is not None else None
            conn.execute(
                "INSERT INTO renders (job_id, recipe, params_json, clip_ids_json, post_id, "
                "output_path, argv_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    recipe,
                    json.dumps(params, ensure_ascii=False),
                    json.dumps(list(clip_ids)),
                    post_id,
                    output,
                    json.dumps(list(argv), ensure_ascii=False) if argv is not None else None,
                ),
            )

        payload = {"recipe": recipe, "clips": list(clip_ids), **(extra_payload or {})}
        return self.queue.enqueue(
            "render",
            payload,
            priority=priority,
            idem_key=idem_key,
            max_attempts=max_attempts,
            also=add_row,
        )

    def get(self, job_id: int) -> Render | None:
        """One render job, or None."""
        row = self.store.conn.execute(_SELECT + " WHERE jobs.id = ?", (job_id,)).fetchone()
        return Render.from_row(row) if row else None

    def list(
        self, *, states: Sequence[str] | None = None, limit: int = 200
    ) -> builtins.list[Render]:
        """Render jobs, newest first."""
        sql, args = _SELECT, builtins.list[object]()
        if states:
            sql += f" WHERE jobs.state IN ({','.join('?' * len(states))})"
            args.extend(states)
        rows = self.store.conn.execute(sql + " ORDER BY jobs.id DESC LIMIT ?", (*args, limit))
        return [Render.from_row(r) for r in rows]

    def board(
        self, *, states: Sequence[str] | None = None, limit: int = 500
    ) -> builtins.list[Render]:
        """Render jobs for the Renders tab: running, then waiting by priority, then the
        most recently finished; one bounded query."""
        sql, args = _SELECT, builtins.list[object]()
        if states:
            sql += f" WHERE jobs.state IN ({','.join('?' * len(states))})"
            args.extend(states)
        order = (
            " ORDER BY CASE jobs.state WHEN 'running' THEN 0 WHEN 'queued' THEN 1 "
            "WHEN 'failed' THEN 2 ELSE 3 END, "
            "CASE WHEN jobs.state IN ('running', 'queued', 'failed') THEN -jobs.priority "
            "ELSE 0 END, COALESCE(jobs.finished_at, jobs.started_at, jobs.created_at) DESC, "
            "jobs.id DESC LIMIT ?"
        )
        rows = self.store.conn.execute(sql + order, (*args, limit))
        return [Render.from_row(r) for r in rows]

    def for_post(self, post_id: int, *, limit: int = 20) -> builtins.list[Render]:
        """The render jobs made for a post, newest first (its outputs are found from it)."""
        rows = self.store.conn.execute(
            _SELECT + " WHERE renders.post_id = ? ORDER BY jobs.id DESC LIMIT ?", (post_id, limit)
        )
        return [Render.from_row(r) for r in rows]

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    def give_clips_to_empty_queued(self, clip_ids: Sequence[int]) -> int:
        """Queued renders with no clips get these; how many were given them.

        The demo's queued jobs are seeded before its real clips exist; this
        makes them runnable by a worker once the clips are imported.
        """
        clips = json.dumps(list(clip_ids))
        with self.store.write() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT renders.job_id FROM renders JOIN jobs ON jobs.id = renders.job_id "
                    "WHERE jobs.state = 'queued' AND renders.clip_ids_json = '[]'"
                )
            ]
            for job_id in ids:
                conn.execute(
                    "UPDATE renders SET clip_ids_json = ? WHERE job_id = ?", (clips, job_id)
                )
                payload = json.loads(
                    conn.execute(
                        "SELECT payload_json FROM jobs WHERE id = ?", (job_id,)
                    ).fetchone()[0]
                )
                payload["clips"] = list(clip_ids)
                conn.execute(
                    "UPDATE jobs SET payload_json = ? WHERE id = ?",
                    (json.dumps(payload, ensure_ascii=False), job_id),
                )
        return len(ids)

    def set_argv(self, job_id: int, argv: Sequence[str]) -> None:
        """Store the exact argv that runs (written when the job starts its final pass)."""
        with self.store.write() as conn:
            conn.execute(
                "UPDATE renders SET argv_json = ? WHERE job_id = ?",
                (json.dumps(list(argv), ensure_ascii=False), job_id),
            )

    def set_progress(
        self,
        job_id: int,
        owner: str,
        progress: float | None,
        speed: float | None,
        eta_s: float | None,
    ) -> bool:
        """Progress, speed and ETA of a held job; False when the lease is gone."""
        with self.store.write() as conn:
            held = (
                conn.execute(
                    "UPDATE jobs SET progress = COALESCE(?, progress) WHERE id = ? "
                    "AND lease_owner = ? AND state = 'running'",
                    (None if progress is None else min(1.0, max(0.0, progress)), job_id, owner),
                ).rowcount
                == 1
            )
            if held:
                conn.execute(
                    "UPDATE renders SET speed = ?, eta_s = ? WHERE job_id = ?",
                    (speed, eta_s, job_id),
                )
        return held

    def set_log_tail(self, job_id: int, tail: str) -> None:
        """The last lines of ffmpeg's log for this job."""
        with self.store.write() as conn:
            conn.execute("UPDATE renders SET log_tail = ? WHERE job_id = ?", (tail, job_id))

    def set_preflight(self, job_id: int, result: dict[str, Any]) -> None:
        """The preflight check of the output."""
        with self.store.write() as conn:
            conn.execute(
                "UPDATE renders SET preflight_json = ? WHERE job_id = ?",
                (json.dumps(result, ensure_ascii=False), job_id),
            )
