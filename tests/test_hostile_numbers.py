"""Issue 15, items 6, 8 and 11: bounded numbers, messages instead of tracebacks, smaller ones.

Every number from the command line and recipes has a range and refuses NaN
and infinity, worded like config.toml's; a worker thread that dies stops
the worker with a non-zero exit; each input that used to print a traceback
gets a one-paragraph message and exit 1 or 2; pipes and devices are refused
instead of read forever.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from hostile import one_paragraph, run

import app.cli
from app.worker import Worker, noop_handler
from media_watch.recipes import RecipeError, load_recipe
from storage import Store
from storage.jobs import JobQueue
from storage.posts import PostRepo
from storage.scripts import ScriptRepo


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    store = Store(_made(root) / "reelroom.db")
    post = PostRepo(store).add("a post")
    ScriptRepo(store).save(post.id, "## Hook\nhello\n")
    store.close()
    return root


def _made(root: Path) -> Path:
    assert run("--home", str(root), "posts", "list").returncode == 0
    return root


@pytest.mark.parametrize(
    "args,words",
    [
        (["worker", "--concurrency", "100000"], "at least 1 and at most 64, not 100000"),
        (["worker", "--lease-seconds", "nan"], "--lease-seconds: must be at least 1"),
        (["worker", "--lease-seconds", "inf"], "not inf"),
        (["worker", "--lease-seconds", "1e12"], "at most 86400, not 1e12"),
        (["worker", "--grace", "nan"], "--grace: must be at least 0"),
        (["ingest", ".", "--workers", "100000"], "--workers: must be at least 1 and at most 64"),
        (["watch", ".", "--settle", "nan"], "--settle: must be greater than 0"),
        (["render", "priority", "1", "99999999999999999999"], "at most 1000"),
    ],
)
def test_item6_command_line_numbers_have_ranges(home, args, words):
    done = run("--home", str(home), *args)
    assert done.returncode == 2 and one_paragraph(done.stderr), done.stderr
    assert words in done.stderr


@pytest.mark.parametrize(
    "override",
    ["reframe.offset=nan", "reframe.offset=inf", "loudness.target_i=-nan", "encode.crf=0"],
)
def test_item6_recipe_numbers_refuse_nan_infinity_and_a_crf_that_cannot_encode(override):
    with pytest.raises(RecipeError, match="not allowed"):
        load_recipe("tiktok", [override])


def test_item6_encode_crf_0_is_refused_before_queueing(home):
    done = run("--home", str(home), "render", "add", "--clip", "1", "--recipe", "tiktok",
               "--set", "encode.crf=0")  # fmt: skip
    assert done.returncode in (1, 2) and "encode.crf" in done.stderr
    assert "at least 1 and at most 51" in done.stderr
    listed = run("--home", str(home), "render", "list", "--json")
    assert json.loads(listed.stdout) == []


class _Broken(JobQueue):
    def claim(self, *args: object, **kwargs: object) -> list:  # type: ignore[override]
        raise RuntimeError("a bug in the claim loop")


def test_item6_a_crash_in_a_worker_thread_stops_the_worker_non_zero(home, monkeypatch):
    store = Store(home / "reelroom.db")
    worker = Worker(store, {"noop": noop_handler}, queue=_Broken(store), grace_s=0.1)
    stop = threading.Event()
    done = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    done.start()
    done.join(30)
    assert not done.is_alive(), "the worker kept running with a dead slot"
    assert worker.failure is not None and "a bug in the claim loop" in worker.failure
    store.close()
    monkeypatch.setattr("app.cli.worker.JobQueue", _Broken)
    assert app.cli.main(["--home", str(home), "worker", "--grace", "0.1"]) == 1


def test_item8_each_traceback_is_a_one_paragraph_message(home, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("title,notes\nx," + "n" * 140_000 + "\n", encoding="utf-8")
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    bad_config = tmp_path / "cfg"
    bad_config.mkdir()
    (bad_config / "config.toml").write_text("[worker]\nmax_attempts = 99999999999999999999\n")
    h = ("--home", str(home))
    huge = "99999999999999999999"
    cases: list[tuple[str | bytes, ...]] = [
        (*h, "posts", "add", "--title", os.fsdecode(b"\xff")),
        (*h, "render", "priority", "10", huge),
        (*h, "render", "add", "--clip", "1", "--recipe", "tiktok", "--priority", huge),
        (*h, "render", "add", "--clip", huge, "--recipe", "tiktok"),
        (*h, "render", "add", "--clip", "1", "--recipe", "tiktok", "--post", huge),
        (*h, "script", "show", huge),
        (*h, "posts", "list", "--to", "9999-12-31"),
        (*h, "posts", "import", str(big)),
        (*h, "posts", "import", str(nested)),
        (*h, "script", "export", "1", "-o", "/nonexistent-folder/x.fountain"),
        (*h, "script", "export", "1", "-o", str(tmp_path)),
        ("--home", str(bad_config), "posts", "list"),
    ]
    for args in cases:
        done = run(*args)
        assert done.returncode in (1, 2), (args, done.stderr)
        assert one_paragraph(done.stderr), (args, done.stderr)
        assert done.stdout == "", args


def test_item11_smaller_ones(home, tmp_path):
    with pytest.raises(RecipeError) as err:
        load_recipe("tiktok", ["subtitles.font="])
    assert "from  to" not in str(err.value) and "non-empty text" in str(err.value)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for args in (
        ("script", "import", "1", str(fifo)),
        ("posts", "import", str(fifo)),
        ("script", "import", "1", "/dev/zero"),
        ("render", "add", "--clip", "1", "--recipe", "/dev/zero"),
    ):
        done = run("--home", str(home), *args)  # would hang or fill memory before
        assert done.returncode == 1 and one_paragraph(done.stderr), (args, done.stderr)
        assert "not a regular file" in done.stderr
    card = tmp_path / "card"
    card.mkdir()
    (card / "gone.mp4").symlink_to(tmp_path / "nowhere.mp4")
    done = run("--home", str(home), "ingest", str(card), "--json")
    (row,) = json.loads(done.stdout)["files"]
    assert row["outcome"] == "rejected" and "symbolic link" in row["reason"]
    assert "nowhere.mp4" in row["reason"]
