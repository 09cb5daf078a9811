"""The HTTP client every connector uses: retries, streamed uploads, a redacted step log.

`Http.send(step, method, url, ...)` makes one logical request and returns the
httpx response (any status; the connector reads the platform's envelope). It
retries only where the platforms document that a retry is safe (see
reference/platform-apis.md §5):

- the request surely never reached the platform (connect error, connect or
  pool timeout): always;
- a throttle answer (429, or what the connector's `throttle` hook recognises,
  e.g. Instagram's error codes): always, since the platform did not act; the
  platform's wait (Retry-After, or the hook's figure) is honoured, and a wait
  longer than `RetryPolicy.max_wait_s` is not slept here but raised as
  `RateLimited(retry_after=...)`, so the job waits in the queue, not a worker;
- a 5xx answer, a dropped connection or a read timeout: only for a request
  marked `safe` (a read, a status query, a chunk PUT the protocol lets us
  repeat). A creating request is never repeated blindly: the failure is raised
  as `TransientError`, the journal keeps its doubt, and the connector asks the
  platform what exists before it sends anything again.

Waits grow exponentially with jitter (tenacity). Bodies can be a `FileSlice`:
a byte range of a file read from disk a block at a time with an exact
Content-Length, so memory stays flat whatever the size of the upload.

Every attempt writes a `StepEntry` (step, method, path, status, timing, a
note) to the caller's step log and to the `reelroom.platforms` logger. Paths
keep no secret: query values of token-like keys are replaced by `***`, and
header values are never logged at all. `Redactor.scrub` also removes any
known secret value from a text (error messages built from answers).
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import tenacity

from platforms.base import RateLimited, StepEntry, TransientError

LOG = logging.getLogger("reelroom.platforms")
BLOCK = 1024 * 1024  # bytes read from disk per block of a streamed upload
RETRY_STATUSES = frozenset({500, 502, 503, 504})
SECRET_KEY = re.compile(r"token|secret|password|passwd|code|sig|key|auth|credential", re.I)
REDACTED = "***"

StepSink = Callable[[StepEntry], None]
Sleep = Callable[[float], None]
ThrottleHook = Callable[[httpx.Response], float | None]


# --- redaction -------------------------------------------------------------------


def redact_url(url: str | httpx.URL) -> str:
    """A URL's path and query with the value of every token-like key replaced by `***`."""
    parts = urlsplit(str(url))
    if not parts.query:
        return parts.path or "/"
    pairs = [
        (key, REDACTED if SECRET_KEY.search(key) else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return f"{parts.path or '/'}?{urlencode(pairs, safe=REDACTED)}"


@dataclass
class Redactor:
    """Known secret values (tokens, client secrets) to remove from any text we keep."""

    secrets: set[str] = field(default_factory=set)

    def add(self, *values: str | None) -> None:
        """Remember these values (short ones are ignored: they would blank ordinary words)."""
        for value in values:
            if value and len(value) >= 6:
                self.secrets.add(value)

    def scrub(self, text: str) -> str:
        """`text` with every known secret replaced by `***`."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text


# --- bodies ------------------------------------------------------------------------


@dataclass(frozen=True)
class FileSlice:
    """`length` bytes of `path` from `offset`, read a block at a time when sent."""

    path: Path
    offset: int
    length: int
    block: int = BLOCK

    def __iter__(self) -> Iterator[bytes]:
        left = self.length
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            while left > 0:
                data = fh.read(min(self.block, left))
                if not data:
                    raise TransientError(
                        f"{self.path} is shorter than expected (it changed while uploading)"
                    )
                left -= len(data)
                yield data


# --- retry policy ----------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry inside one call."""

    attempts: int = 4  # tries in all, the first included
    base_s: float = 1.0  # first backoff wait (then doubled, with jitter)
    cap_s: float = 30.0  # no backoff wait longer than this
    max_wait_s: float = 90.0  # a platform-asked wait longer than this is left to the queue
    default_throttle_s: float = 60.0  # a 429 without Retry-After (TikTok's advice: ~60 s)


NO_RETRY = RetryPolicy(attempts=1)


class _Again(Exception):
    """One attempt failed in a way worth another; `wait_s` is the platform's wait, if any."""

    def __init__(self, error: Exception, wait_s: float = 0.0) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait_s = wait_s


def retry_after_seconds(response: httpx.Response, now: datetime | None = None) -> float | None:
    """The Retry-After header in seconds (delta or HTTP date), or None."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# --- the client ----------------------------------------------------------------------


class Http:
    """One connector's httpx client with the house's retry, streaming and logging rules."""

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        policy: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        throttle: ThrottleHook | None = None,
        redactor: Redactor | None = None,
        timeout_s: float = 60.0,
        platform: str = "",
    ) -> None:
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=15.0), follow_redirects=False
        )
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.throttle = throttle
        self.redactor = redactor or Redactor()
        self.platform = platform

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def send(
        self,
        step: str,
        method: str,
        url: str,
        *,
        safe: bool,
        log: StepSink | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        content: bytes | FileSlice | None = None,
        files: Mapping[str, Any] | None = None,
        policy: RetryPolicy | None = None,
    ) -> httpx.Response:
        """Make the request, retrying where it is safe; the final response (any status).

        Raises `TransientError` when every try failed or a creating request
        (`safe=False`) met a doubtful failure, and `RateLimited` for a throttle
        whose wait is longer than the policy sleeps.
        """
        policy = policy or self.policy
        request_headers = dict(headers or {})
        if isinstance(content, FileSlice):
            request_headers["Content-Length"] = str(content.length)

        def attempt() -> httpx.Response:
            body: Any = content
            if isinstance(content, FileSlice):
                body = iter(content)
            started = time.monotonic()
            try:
                response = self.client.request(
                    method,
                    url,
                    headers=request_headers,
                    params=params,
                    json=json,
                    data=data,
                    content=body,
                    files=files,
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                self._log(log, step, method, url, None, started, f"not sent: {_what(exc)}")
                raise _Again(TransientError(f"{self._where(url)}: {_what(exc)}")) from None
            except httpx.TransportError as exc:  # sent, but the answer was lost
                note = f"answer lost: {_what(exc)}"
                self._log(log, step, method, url, None, started, note)
                error = TransientError(f"{self._where(url)}: {_what(exc)}", code="answer_lost")
                if safe:
                    raise _Again(error) from None
                raise error from None
            self._log(log, step, method, url, response.status_code, started, "")
            wait = self._throttle_wait(response, policy)
            if wait is not None:
                limited = RateLimited(
                    f"{self._where(url)} asked us to slow down (HTTP {response.status_code}); "
                    f"waiting {wait:.0f} s",
                    code="throttled",
                    retry_after=wait,
                )
                if wait > policy.max_wait_s:
                    raise limited
                raise _Again(limited, wait)
            if response.status_code in RETRY_STATUSES:
                error = TransientError(
                    f"{self._where(url)} answered HTTP {response.status_code}",
                    code=f"http_{response.status_code}",
                    retry_after=retry_after_seconds(response),
                )
                if safe:
                    raise _Again(error, retry_after_seconds(response) or 0.0)
                raise error
            return response

        backoff = tenacity.wait_exponential_jitter(multiplier=policy.base_s, max=policy.cap_s)

        def wait(state: tenacity.RetryCallState) -> float:
            outcome = state.outcome
            asked = 0.0
            if outcome is not None and isinstance(outcome.exception(), _Again):
                asked = outcome.exception().wait_s  # type: ignore[union-attr]
            return max(asked, backoff(state))

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max(1, policy.attempts)),
            wait=wait,
            retry=tenacity.retry_if_exception_type(_Again),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _Again as last:
            raise last.error from None

    def _throttle_wait(self, response: httpx.Response, policy: RetryPolicy) -> float | None:
        hooked = self.throttle(response) if self.throttle is not None else None
        if hooked is not None:
            return hooked
        if response.status_code == 429:
            asked = retry_after_seconds(response)
            return policy.default_throttle_s if asked is None else asked
        return None

    def _where(self, url: str) -> str:
        name = self.platform or "the platform"
        return f"{name} ({redact_url(url)})"

    def _log(
        self,
        log: StepSink | None,
        step: str,
        method: str,
        url: str,
        status: int | None,
        started: float,
        note: str,
    ) -> None:
        entry = StepEntry(
            at=datetime.now(UTC),
            step=step,
            method=method,
            path=redact_url(url),
            status=status,
            elapsed_ms=round((time.monotonic() - started) * 1000, 1),
            note=self.redactor.scrub(note),
        )
        LOG.debug(
            "%s %s %s %s -> %s in %.0f ms %s",
            self.platform,
            step,
            method,
            entry.path,
            status if status is not None else "-",
            entry.elapsed_ms or 0.0,
            entry.note,
        )
        if log is not None:
            log(entry)


def _what(exc: Exception) -> str:
    """A short description of a transport failure (no URL, no headers)."""
    names = {
        "ConnectError": "could not connect",
        "ConnectTimeout": "connecting timed out",
        "PoolTimeout": "no free connection",
        "ReadTimeout": "the answer timed out",
        "WriteTimeout": "sending timed out",
        "ReadError": "the connection dropped while reading the answer",
        "WriteError": "the connection dropped while sending",
        "RemoteProtocolError": "the connection closed without an answer",
    }
    return names.get(type(exc).__name__, type(exc).__name__)
