"""The fake platform server: real HTTP on loopback, per-platform routes, fault injection.

One `FakeServer` (standard library `http.server`, a thread per connection,
HTTP/1.1 keep-alive) listens on 127.0.0.1 on a random port. Platform modules
(tiktok.py, youtube.py, …) add routes under their own prefix (`/tiktok`,
`/youtube`, …) so one server plays every platform; a workspace points its
`[platforms.NAME]` hosts at `server.url + prefix`.

Strict on the wire: a request body must come with a Content-Length (a
chunked body is refused with 411, as the upload endpoints do), bodies are
read as streams (a 200 MB upload does not sit in memory), and every request
is kept in `server.seen` for assertions.

`FakeClock` is real time plus an offset a test moves with `advance(s)`:
token expiry, quota days, per-minute limits and status progressions all
read it, and a test's `sleep` can be `clock.advance` to honour waits
instantly.

`latency_s` delays every answer (a benchmark's stand-in for a network round
trip; 0 by default).

Faults (`server.fault(...)`, any test, any platform), matched by method and
a path regex (plus an optional predicate on the request line and headers):

- `drop`: the platform acts, then the connection is closed with no answer;
- `drop_before`: the body is read, nothing is done, the connection closed;
- `hold`: the platform acts, `fault.hit` is set, and the answer waits until
  the test calls `fault.release.set()` (so it can SIGKILL a worker while its
  request is in flight, after the platform acted);
- `status`: answer `status` (e.g. 503) without acting.
Each fires `times` times after letting `skip` matching requests through.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

HOLD_TIMEOUT_S = 60.0


class FakeClock:
    """Real time plus an offset the test controls."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def time(self) -> float:
        """Seconds since the epoch, fake."""
        with self._lock:
            return time.time() + self._offset

    def now(self) -> datetime:
        """The fake time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        """Jump forward (a test's `sleep`)."""
        with self._lock:
            self._offset += max(0.0, float(seconds))

    def advance_to(self, moment: datetime) -> None:
        """Jump forward to `moment` (no-op when it has passed)."""
        self.advance((moment - self.now()).total_seconds())


@dataclass
class FakeRequest:
    """One request as a route sees it. The body is read on demand, as a stream."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    _rfile: Any
    length: int
    _read: int = 0
    _body: bytes | None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def iter_body(self, block: int = 1024 * 1024) -> Iterator[bytes]:
        """The body a block at a time (once)."""
        while self._read < self.length:
            data = self._rfile.read(min(block, self.length - self._read))
            if not data:
                raise ConnectionError("the client closed the connection mid-body")
            self._read += len(data)
            yield data

    @property
    def body(self) -> bytes:
        """The whole body (small requests only)."""
        if self._body is None:
            self._body = b"".join(self.iter_body())
        return self._body

    def drain(self) -> None:
        for _ in self.iter_body():
            pass

    def json(self) -> Any:
        text = self.body.decode("utf-8") if self.body else ""
        return json.loads(text) if text else None

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))

    def bearer(self) -> str | None:
        value = self.header("authorization") or ""
        return value[7:] if value.lower().startswith("bearer ") else None


@dataclass
class FakeResponse:
    """What a route answers."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, doc: Any, headers: dict[str, str] | None = None) -> FakeResponse:
    return FakeResponse(
        status,
        json.dumps(doc).encode("utf-8"),
        {"Content-Type": "application/json; charset=UTF-8", **(headers or {})},
    )


@dataclass
class Fault:
    """A fault armed on the server (see the module docstring)."""

    action: str
    method: str | None
    path: str
    when: Callable[[FakeRequest], bool] | None = None
    times: int = 1
    skip: int = 0
    status: int = 503
    fired: int = 0
    hit: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def matches(self, req: FakeRequest) -> bool:
        if self.fired >= self.times:
            return False
        if self.method is not None and req.method != self.method:
            return False
        if not re.search(self.path, req.path):
            return False
        if self.when is not None and not self.when(req):
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        return True


@dataclass(frozen=True)
class Seen:
    """A request the server received (for assertions)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    length: int
    status: int | None
    fault: str | None


Route = Callable[[FakeRequest, "re.Match[str]"], FakeResponse]


class FakeServer:
    """The loopback HTTP server every fake platform lives in."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.routes: list[tuple[str, re.Pattern[str], Route]] = []
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.latency_s = 0.0  # each answer waits this long first, like a network round trip
        self.lock = threading.RLock()  # platforms' state is changed under it
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        for fault in self.faults:
            fault.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def route(self, method: str, pattern: str, handler: Route) -> None:
        self.routes.append((method, re.compile(pattern), handler))

    def fault(
        self,
        action: str,
        path: str,
        *,
        method: str | None = None,
        when: Callable[[FakeRequest], bool] | None = None,
        times: int = 1,
        skip: int = 0,
        status: int = 503,
    ) -> Fault:
        """Arm a fault: drop, drop_before, hold or status (see the module docstring)."""
        if action not in ("drop", "drop_before", "hold", "status"):
            raise ValueError(f"unknown fault {action!r}")
        armed = Fault(action, method, path, when, times, skip, status)
        with self.lock:
            self.faults.append(armed)
        return armed

    def seen_paths(self, method: str | None = None, pattern: str = "") -> list[Seen]:
        with self.lock:
            return [
                s
                for s in self.seen
                if (method is None or s.method == method) and re.search(pattern, s.path)
            ]

    # --- dispatch -------------------------------------------------------------

    def _pick_fault(self, req: FakeRequest) -> Fault | None:
        with self.lock:
            for armed in self.faults:
                if armed.matches(req):
                    armed.fired += 1
                    return armed
        return None

    def _dispatch(self, req: FakeRequest) -> FakeResponse:
        for method, pattern, handler in self.routes:
            if method != req.method:
                continue
            found = pattern.fullmatch(req.path)
            if found:
                return handler(req, found)
        return json_response(404, {"error": f"no fake route for {req.method} {req.path}"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: with Nagle on, each answer
            # waited for the client's delayed ACK (~40 ms), which no real platform does.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if "chunked" in headers.get("transfer-encoding", "").lower():
                    self._answer(json_response(411, {"error": "Content-Length required"}))
                    self.close_connection = True
                    return
                length = int(headers.get("content-length") or 0)
                req = FakeRequest(
                    self.command,
                    parts.path,
                    dict(parse_qsl(parts.query, keep_blank_values=True)),
                    headers,
                    self.rfile,
                    length,
                )
                armed = server._pick_fault(req)
                action = armed.action if armed else None
                response: FakeResponse | None = None
                try:
                    if action == "status":
                        req.drain()
                        response = json_response(armed.status, {"error": "injected"})  # type: ignore[union-attr]
                    elif action == "drop_before":
                        req.drain()
                    else:
                        response = server._dispatch(req)
                        req.drain()
                except ConnectionError:
                    self.close_connection = True
                    return
                with server.lock:
                    server.seen.append(
                        Seen(
                            req.method,
                            req.path,
                            req.query,
                            headers,
                            length,
                            response.status if response and action != "drop" else None,
                            action,
                        )
                    )
                if action in ("drop", "drop_before"):
                    self._hang_up()
                    return
                if server.latency_s > 0:  # the network's round trip (benchmarks)
                    time.sleep(server.latency_s)
                if action == "hold":
                    armed.hit.set()  # type: ignore[union-attr]
                    armed.release.wait(HOLD_TIMEOUT_S)  # type: ignore[union-attr]
                if armed is not None and action != "hold":
                    armed.hit.set()
                assert response is not None
                try:
                    self._answer(response)
                except OSError:
                    self.close_connection = True

            def _hang_up(self) -> None:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            def _answer(self, response: FakeResponse) -> None:
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if response.body:
                    self.wfile.write(response.body)
                self.wfile.flush()

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler


def minute_window(
    calls: dict[tuple[str, str], list[float]], key: tuple[str, str], now: float, limit: int
) -> float | None:
    """Count one call in a sliding 60 s window; the wait in seconds when over `limit`."""
    recent = [t for t in calls.get(key, []) if now - t < 60.0]
    if len(recent) >= limit:
        calls[key] = recent
        return max(1.0, 60.0 - (now - recent[0]))
    recent.append(now)
    calls[key] = recent
    return None


def pacific_day(moment: datetime) -> str:
    """The Pacific-time date of `moment` (YouTube's quota day)."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("America/Los_Angeles")).date().isoformat()


def expires(clock: FakeClock, seconds: float) -> datetime:
    return clock.now() + timedelta(seconds=seconds)
