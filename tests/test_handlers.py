"""The job-handler registry: one entry per kind, built for the workspace, used by the worker."""

from __future__ import annotations

import threading

from app.handlers import REGISTRY, handlers_for
from app.worker import Worker
from app.workspace import open_workspace
from storage.jobs import JobQueue
from storage.vocab import JobKind


def test_the_registry_is_keyed_by_job_kinds_and_builds_callables(tmp_path):
    ws = open_workspace(str(tmp_path / "home"))
    built = handlers_for(ws)
    assert set(built) == {kind.value for kind in REGISTRY}
    assert {JobKind.RENDER, JobKind.NOOP} <= set(REGISTRY)
    assert all(callable(handler) for handler in built.values())
    assert set(handlers_for(ws, (JobKind.NOOP,))) == {"noop"}
    ws.store.close()


def test_the_worker_runs_registered_kinds_and_leaves_the_others_queued(tmp_path):
    ws = open_workspace(str(tmp_path / "home"))
    queue = JobQueue(ws.store)
    done = queue.enqueue("noop", {}).job
    waiting = queue.enqueue("reply", {}).job  # no handler registered for it here
    worker = Worker(ws.store, handlers_for(ws, (JobKind.NOOP,)), once=True, queue=queue)
    worker.run(threading.Event())
    assert queue.get(done.id).state == "done"
    assert queue.get(waiting.id).state == "queued"
    ws.store.close()
