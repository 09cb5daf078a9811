"""platforms/http.py against the fake server: retries only where safe, waits honoured,
streamed bodies, redacted step log."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakeplatforms import FakePlatforms
from fakeplatforms.server import FakeResponse, json_response

from platforms.base import RateLimited, StepEntry, TransientError
from platforms.http import FileSlice, Http, Redactor, RetryPolicy, redact_url


class Sleeps:
    """A `sleep` that records the waits and moves the fake clock instead of waiting."""

    def __init__(self, fake: FakePlatforms) -> None:
        self.fake = fake
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.fake.clock.advance(seconds)


def echo_routes(fake: FakePlatforms) -> list[int]:
    hits: list[int] = []

    def echo(req, _m):  # type: ignore[no-untyped-def]
        size = sum(len(b) for b in req.iter_body())
        hits.append(size)
        return json_response(200, {"size": size})

    fake.server.route("PUT", r"/echo", echo)
    fake.server.route("POST", r"/echo", echo)
    return hits


def test_a_safe_request_is_retried_after_5xx_with_backoff(fake: FakePlatforms) -> None:
    hits = echo_routes(fake)
    fake.fault("status", r"/echo", status=503, times=2)
    sleeps = Sleeps(fake)
    steps: list[StepEntry] = []
    http = Http(sleep=sleeps, policy=RetryPolicy(attempts=4, base_s=1.0))
    response = http.send(
        "read", "PUT", fake.url + "/echo", safe=True, content=b"abc", log=steps.append
    )
    assert response.status_code == 200 and hits == [3]
    assert len(sleeps.waits) == 2 and all(w > 0 for w in sleeps.waits)
    assert [s.status for s in steps] == [503, 503, 200]


def test_a_creating_request_is_never_repeated_blindly(fake: FakePlatforms) -> None:
    hits = echo_routes(fake)
    fake.fault("drop", r"/echo")  # the server acts, the answer is lost
    http = Http(sleep=Sleeps(fake))
    with pytest.raises(TransientError) as caught:
        http.send("create", "POST", fake.url + "/echo", safe=False, content=b"x")
    assert caught.value.code == "answer_lost"
    assert hits == [1]  # acted once, not retried
    fake.fault("status", r"/echo", status=502)
    with pytest.raises(TransientError):
        http.send("create", "POST", fake.url + "/echo", safe=False, content=b"x")
    assert hits == [1]


def test_a_safe_request_survives_a_dropped_answer(fake: FakePlatforms) -> None:
    hits = echo_routes(fake)
    fake.fault("drop", r"/echo")
    http = Http(sleep=Sleeps(fake))
    assert (
        http.send("read", "POST", fake.url + "/echo", safe=True, content=b"xy").status_code == 200
    )
    assert hits == [2, 2]


def test_429_waits_for_retry_after_even_for_creating_requests(fake: FakePlatforms) -> None:
    hits = echo_routes(fake)
    calls = {"n": 0}

    def limited(req, m):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            req.drain()
            return FakeResponse(429, b"{}", {"Retry-After": "7"})
        return json_response(200, {"ok": True})

    fake.server.route("POST", r"/limited", limited)
    sleeps = Sleeps(fake)
    http = Http(sleep=sleeps)
    assert http.send("create", "POST", fake.url + "/limited", safe=False).status_code == 200
    assert sleeps.waits and sleeps.waits[0] >= 7
    assert hits == []


def test_a_long_platform_wait_is_left_to_the_queue(fake: FakePlatforms) -> None:
    def limited(req, m):  # type: ignore[no-untyped-def]
        return FakeResponse(429, b"{}", {"Retry-After": "3600"})

    fake.server.route("POST", r"/slow", limited)
    sleeps = Sleeps(fake)
    with pytest.raises(RateLimited) as caught:
        Http(sleep=sleeps).send("create", "POST", fake.url + "/slow", safe=False)
    assert caught.value.retry_after == 3600 and sleeps.waits == []


def test_every_try_failing_ends_in_a_transient_error(fake: FakePlatforms) -> None:
    echo_routes(fake)
    fake.fault("status", r"/echo", status=500, times=10)
    with pytest.raises(TransientError) as caught:
        Http(sleep=Sleeps(fake), policy=RetryPolicy(attempts=3)).send(
            "read", "POST", fake.url + "/echo", safe=True
        )
    assert "HTTP 500" in caught.value.message


def test_file_slices_stream_with_an_exact_length(fake: FakePlatforms, tmp_path: Path) -> None:
    hits = echo_routes(fake)
    data = tmp_path / "blob.bin"
    data.write_bytes(bytes(range(256)) * 40_000)  # ~10 MB
    http = Http()
    piece = FileSlice(data, 1000, 5_000_000, block=65536)
    response = http.send("chunk", "PUT", fake.url + "/echo", safe=True, content=piece)
    assert response.json() == {"size": 5_000_000} and hits == [5_000_000]
    seen = fake.server.seen_paths("PUT", "/echo")[-1]
    assert seen.headers["content-length"] == "5000000"
    assert "transfer-encoding" not in seen.headers


def test_nothing_secret_reaches_the_step_log(fake: FakePlatforms) -> None:
    echo_routes(fake)
    steps: list[StepEntry] = []
    redactor = Redactor()
    redactor.add("sekret-token-value")
    http = Http(redactor=redactor)
    http.send(
        "read",
        "POST",
        fake.url + "/echo?access_token=sekret-token-value&part=snippet&upload_token=abcdef123",
        safe=True,
        headers={"Authorization": "Bearer sekret-token-value"},
        log=steps.append,
    )
    text = repr(steps)
    assert "sekret-token-value" not in text and "abcdef123" not in text
    assert "part=snippet" in steps[0].path
    assert redactor.scrub("x sekret-token-value y") == "x *** y"


def test_redact_url_keeps_innocent_keys() -> None:
    assert (
        redact_url("https://h/p?client_secret=s&fields=a,b") == "/p?client_secret=***&fields=a%2Cb"
    )
    assert redact_url("https://h/") == "/"
