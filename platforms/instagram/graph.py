"""Instagram Graph API answers: the error envelope, throttle codes and their waits.

Errors come as `{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id"}}` (reference/platform-apis.md §3.6), usually with HTTP 400 or
403 rather than 429. Meta sends no Retry-After: the wait is
`estimated_time_to_regain_access` (minutes) in the `X-Business-Use-Case-Usage`
header, a JSON object keyed by business id, each a list of
`{type, call_count, total_cputime, total_time, estimated_time_to_regain_access}`.

`throttle_wait(response)` is the Http throttle hook: codes 4 (app), 17
(user), 32 (page), 613 (custom) and 80000–80099 (business use case; 80002
for Instagram is UNCONFIRMED) wait the longest regain time the header gives,
or `DEFAULT_WAIT_S` when it gives none. `raise_for` turns any other error
answer into the platforms.base family.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from platforms.base import NeedsLogin, QuotaExhausted, RateLimited, Rejected, TransientError
from platforms.http import Redactor

THROTTLE_CODES = frozenset({4, 17, 32, 613})
BUC_CODES = range(80000, 80100)
TOKEN_CODES = frozenset({190})  # "Invalid OAuth access token" (expired, revoked, malformed)
TRANSIENT_CODES = frozenset({1, 2})  # unknown error / service temporarily unavailable
# "Application request limit reached" / "Reached maximum number of posts": the 24 h
# publishing limit as media_publish reports it. Both numbers: UNCONFIRMED.
LIMIT_CODE, LIMIT_SUBCODE = 9, 2207042
NOT_ENOUGH_VIEWERS = 10  # media insights: too few viewers for numbers yet
DEFAULT_WAIT_S = 60.0


def doc_of(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of an answer ({} when it is not one)."""
    try:
        doc = response.json()
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The `error` object of an answer ({} when there is none)."""
    error = doc_of(response).get("error")
    return error if isinstance(error, dict) else {}


def code_of(response: httpx.Response) -> int | None:
    """The Graph error code of an answer, or None."""
    code = error_of(response).get("code")
    try:
        return int(code) if code is not None else None
    except (TypeError, ValueError):
        return None


def is_throttle(code: int | None) -> bool:
    return code is not None and (code in THROTTLE_CODES or code in BUC_CODES)


def token_refused(response: httpx.Response) -> bool:
    """The answer says the access token is no good (refresh once, then ask a person)."""
    return code_of(response) in TOKEN_CODES or (
        response.status_code == 401 and not error_of(response)
    )


def regain_seconds(response: httpx.Response) -> float | None:
    """The longest `estimated_time_to_regain_access` of X-Business-Use-Case-Usage, in seconds."""
    raw = response.headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    minutes: list[float] = []
    if isinstance(usage, dict):
        for entries in usage.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                if isinstance(entry, dict):
                    try:
                        minutes.append(float(entry.get("estimated_time_to_regain_access") or 0))
                    except (TypeError, ValueError):
                        continue
    return max(minutes) * 60.0 if minutes else None


def throttle_wait(response: httpx.Response) -> float | None:
    """The Http throttle hook: seconds to wait for a throttle answer, else None."""
    if response.status_code < 400 or not is_throttle(code_of(response)):
        return None
    regain = regain_seconds(response)
    return regain if regain else DEFAULT_WAIT_S


def raise_for(response: httpx.Response, what: str, redactor: Redactor, handle: str) -> None:
    """Raise the PlatformError an error answer means (the message scrubbed of secrets)."""
    error = error_of(response)
    code = code_of(response)
    subcode = error.get("error_subcode")
    message = redactor.scrub(str(error.get("message") or f"HTTP {response.status_code}"))
    word = f"ig_{code}" if code is not None else f"http_{response.status_code}"
    text = f"Instagram refused {what}: {message}" + (f" (code {code})" if code else "")
    if code in TOKEN_CODES or (code is None and response.status_code == 401):
        raise NeedsLogin(
            f"{text}. The token expired or was revoked: get a new long-lived token and run "
            f"`reelroom accounts add instagram {handle} --credentials FILE.json`",
            code=word,
        )
    if is_throttle(code):
        raise RateLimited(text, code=word, retry_after=regain_seconds(response) or DEFAULT_WAIT_S)
    if code == LIMIT_CODE or subcode == LIMIT_SUBCODE:
        raise QuotaExhausted(
            f"{text}: the account reached Instagram's publishing limit (posts per 24 h)",
            code=word,
            retry_after=3600.0,
        )
    if response.status_code >= 500 or code in TRANSIENT_CODES or error.get("is_transient"):
        raise TransientError(text, code=word)
    raise Rejected(text, code=word)
