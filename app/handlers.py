"""The registry of job handlers: which code runs each kind of job.

The worker (app/worker.py) claims jobs of every kind registered here and
hands each to its handler. A new job kind is one entry in `REGISTRY`: a
factory that gets the open workspace (config, home, database) and returns
the handler, importing its room's code only when the worker starts. Renders
go to media_watch/; publishing, replies and syncs go to platforms/ (through
app/publishing and app/inbox).
Headless: no Textual here.
"""

from __future__ import annotations

from typing import Callable

from app.worker import Handler, JobRun, noop_handler
from app.workspace import Workspace
from storage.vocab import JobKind

HandlerFactory = Callable[[Workspace], Handler]


def _render(ws: Workspace) -> Handler:
    from media_watch.render_job import run_render_job

    def render_handler(run: JobRun) -> None:
        """Run a render job: ffmpeg into renders/, verified, then renamed into place."""
        run_render_job(run.store, run.job, run.owner, run.stop_reason)

    return render_handler


def _publish(ws: Workspace) -> Handler:
    from app.publishing.handler import publish_handler

    return publish_handler(ws)


def _metrics(ws: Workspace) -> Handler:
    from app.metrics.handler import metrics_handler

    return metrics_handler(ws)


def _reply(ws: Workspace) -> Handler:
    from app.inbox.replies import reply_handler

    return reply_handler(ws)


def _sync(ws: Workspace) -> Handler:
    from app.inbox.schedule import sync_handler

    return sync_handler(ws)


def _noop(ws: Workspace) -> Handler:
    return noop_handler


REGISTRY: dict[JobKind, HandlerFactory] = {
    JobKind.RENDER: _render,
    JobKind.PUBLISH: _publish,
    JobKind.METRICS: _metrics,
    JobKind.REPLY: _reply,
    JobKind.SYNC: _sync,
    JobKind.NOOP: _noop,
}


def handlers_for(ws: Workspace, kinds: tuple[JobKind, ...] | None = None) -> dict[str, Handler]:
    """The handlers of every registered kind (or of `kinds`), built for this workspace."""
    chosen = REGISTRY if kinds is None else {k: REGISTRY[k] for k in kinds}
    return {kind.value: factory(ws) for kind, factory in chosen.items()}
