"""Running one ffmpeg argv: progress, cancel, and the tail of its log.

ffmpeg runs as an argv list (never a shell) in its own session/process group,
with `-nostdin -nostats -progress pipe:1` (added when the argv lacks them).
Progress blocks on stdout are parsed into percent / speed / ETA; note that
`out_time_ms` holds MICROseconds, like `out_time_us`. The last lines of stderr
are kept. Stopping (cancel, shutdown, a lost lease) sends SIGTERM to the
group, waits, then SIGKILLs it. On Linux the child also gets SIGKILL when the
thread that started it dies (PR_SET_PDEATHSIG), so a worker killed with
SIGKILL does not leave an ffmpeg running.
"""

from __future__ import annotations

import collections
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

TAIL_LINES = 40
TERM_WAIT_S = 3.0
POLL_S = 0.05
_PR_SET_PDEATHSIG = 1


@dataclass
class Progress:
    """One progress report: where ffmpeg is and how fast it goes."""

    out_time_s: float = 0.0
    percent: float | None = None  # 0..1, None when the expected duration is unknown
    speed: float | None = None  # × real time
    eta_s: float | None = None
    frame: int | None = None
    done: bool = False


@dataclass
class RunResult:
    """How one run ended."""

    argv: list[str]
    returncode: int
    stopped: bool  # we stopped it (cancel/shutdown)
    stderr_tail: str
    last: Progress = field(default_factory=Progress)
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.stopped


def with_progress_flags(argv: Sequence[str]) -> list[str]:
    """argv with -nostdin, -nostats and -progress pipe:1 right after the program (if missing)."""
    argv = list(argv)
    extra: list[str] = []
    if "-nostdin" not in argv:
        extra.append("-nostdin")
    if "-nostats" not in argv:
        extra.append("-nostats")
    if "-progress" not in argv:
        extra += ["-progress", "pipe:1"]
    return argv[:1] + extra + argv[1:]


def _parse_time(value: str) -> float | None:
    try:
        us = int(value)
    except ValueError:
        return None
    return max(0.0, us / 1_000_000)


def _parse_speed(value: str) -> float | None:
    text = value.strip().rstrip("x")
    try:
        speed = float(text)
    except ValueError:
        return None
    return speed if speed > 0 else None


class ProgressParser:
    """Turns `key=value` lines of `-progress` into Progress reports, one per block."""

    def __init__(self, expected_duration_s: float | None) -> None:
        self.expected = (
            expected_duration_s if expected_duration_s and expected_duration_s > 0 else None
        )
        self.current = Progress()

    def feed(self, line: str) -> Progress | None:
        """Take one line; return a report when a block ends (`progress=…`)."""
        key, sep, value = line.strip().partition("=")
        if not sep:
            return None
        cur = self.current
        if key in ("out_time_us", "out_time_ms"):  # both are microseconds
            seconds = _parse_time(value)
            if seconds is not None:
                cur.out_time_s = seconds
        elif key == "speed":
            cur.speed = _parse_speed(value)
        elif key == "frame":
            cur.frame = int(value) if value.strip().isdigit() else cur.frame
        elif key == "progress":
            return self._report(value.strip() == "end")
        return None

    def _report(self, done: bool) -> Progress:
        cur = self.current
        if self.expected:
            cur.percent = 1.0 if done else min(1.0, cur.out_time_s / self.expected)
            remaining = max(0.0, self.expected - cur.out_time_s)
            cur.eta_s = 0.0 if done else (remaining / cur.speed if cur.speed else None)
        cur.done = done
        report = Progress(cur.out_time_s, cur.percent, cur.speed, cur.eta_s, cur.frame, done)
        return report


def _pdeathsig() -> Callable[[], None] | None:
    """A preexec function asking Linux to SIGKILL the child when its parent thread dies."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)

    return preexec


def stop_group(proc: subprocess.Popen, term_wait_s: float = TERM_WAIT_S) -> None:
    """SIGTERM the process group, wait up to `term_wait_s`, then SIGKILL it."""
    for sig, wait in ((signal.SIGTERM, term_wait_s), (signal.SIGKILL, 5.0)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _drain(stream: Iterable[str], sink: Callable[[str], None]) -> None:
    for line in stream:
        sink(line)


def run_ffmpeg(
    argv: Sequence[str],
    *,
    expected_duration_s: float | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_start: Callable[[int], None] | None = None,
    tail_lines: int = TAIL_LINES,
    term_wait_s: float = TERM_WAIT_S,
) -> RunResult:
    """Run ffmpeg to the end, or until `should_stop()` says so; how it ended.

    `on_progress` is called from a reader thread for each progress block;
    `on_start` gets the child's pid (= its process group id).
    """
    full = with_progress_flags(argv)
    parser = ProgressParser(expected_duration_s)
    tail: collections.deque[str] = collections.deque(maxlen=tail_lines)
    last: list[Progress] = [Progress()]

    def on_line(line: str) -> None:
        report = parser.feed(line)
        if report is not None:
            last[0] = report
            if on_progress is not None:
                on_progress(report)

    started = time.monotonic()
    proc = subprocess.Popen(
        full,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        bufsize=1,
        start_new_session=True,
        preexec_fn=_pdeathsig(),
        close_fds=True,
    )
    if on_start is not None:
        on_start(proc.pid)
    readers = [
        threading.Thread(target=_drain, args=(proc.stdout, on_line), daemon=True),
        threading.Thread(
            target=_drain, args=(proc.stderr, lambda s: tail.append(s.rstrip("\n"))), daemon=True
        ),
    ]
    for reader in readers:
        reader.start()
    stopped = False
    try:
        while proc.poll() is None:
            if should_stop is not None and should_stop():
                stopped = True
                stop_group(proc, term_wait_s)
                break
            try:
                proc.wait(timeout=POLL_S)
            except subprocess.TimeoutExpired:
                pass
    except BaseException:
        stop_group(proc, term_wait_s)
        raise
    finally:
        for reader in readers:
            reader.join(timeout=5.0)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    return RunResult(
        full, proc.wait(), stopped, "\n".join(tail), last[0], time.monotonic() - started
    )
