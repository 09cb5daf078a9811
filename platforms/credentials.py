"""Credentials in and out of the secrets file, and the credentials JSON of `accounts add`.

`StoredKeeper` is the `TokenKeeper` of one account over storage/secrets.py.
`parse_credentials(doc)` checks a credentials document field by field
(`reelroom accounts add --credentials FILE.json`): every problem names the
field and never echoes a value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, fields, replace
from datetime import UTC, datetime
from typing import Any

from platforms.base import Credentials
from storage.secrets import Entry, SecretsFile

TEXT_FIELDS = ("client_id", "client_secret", "access_token", "refresh_token", "user_id")
TIME_FIELDS = ("expires_at", "refresh_expires_at", "issued_at")
BUSINESS_FIELDS = ("app_id", "app_secret", "access_token", "refresh_token", "business_id")
SECRET_FIELDS = ("client_secret", "access_token", "refresh_token")


class CredentialsError(ValueError):
    """A credentials document is wrong; `field` names the part, the message what to do."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


def parse_time(text: str, field_name: str) -> datetime:
    """An ISO 8601 time (a Z or an offset; none means UTC) as an aware UTC datetime."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CredentialsError(
            field_name, "is not an ISO 8601 time; write it like 2026-12-01T09:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_credentials(doc: Any) -> Credentials:
    """A credentials document (already decoded JSON) as `Credentials`; CredentialsError if wrong."""
    if not isinstance(doc, Mapping):
        raise CredentialsError("(file)", "must hold one JSON object with the fields by name")
    known = set(TEXT_FIELDS) | set(TIME_FIELDS) | {"business"}
    unknown = sorted(set(doc) - known)
    if unknown:
        raise CredentialsError(
            unknown[0],
            "is not a credentials field; the fields are " + ", ".join(sorted(known)),
        )
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = doc.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise CredentialsError(name, "must be a non-empty string (leave it out if unknown)")
        values[name] = value.strip()
    for name in TIME_FIELDS:
        value = doc.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise CredentialsError(name, "must be an ISO 8601 time string")
        values[name] = parse_time(value, name)
    business = doc.get("business")
    if business is not None:
        if not isinstance(business, Mapping):
            raise CredentialsError(
                "business", "must be an object with " + ", ".join(BUSINESS_FIELDS)
            )
        for key, value in business.items():
            if key not in BUSINESS_FIELDS:
                raise CredentialsError(
                    f"business.{key}",
                    "is not a business field; they are " + ", ".join(BUSINESS_FIELDS),
                )
            if not isinstance(value, str) or not value.strip():
                raise CredentialsError(f"business.{key}", "must be a non-empty string")
        values["business"] = {k: str(v).strip() for k, v in business.items()}
    return Credentials(**values)


def to_entry(credentials: Credentials) -> Entry:
    """Credentials as a secrets-file entry (times as ISO text; unknown fields left out)."""
    entry: Entry = {}
    for key, value in asdict(credentials).items():
        if value is None:
            continue
        if isinstance(value, datetime):
            entry[key] = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        elif isinstance(value, Mapping):
            entry[key] = dict(value)
        else:
            entry[key] = value
    return entry


def from_entry(entry: Entry | None) -> Credentials:
    """A secrets-file entry as Credentials (an empty one when there is none)."""
    if not entry:
        return Credentials()
    names = {f.name for f in fields(Credentials)}
    values: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in names or value is None:
            continue
        values[key] = parse_time(value, key) if key in TIME_FIELDS else value
    return Credentials(**values)


def merge(old: Credentials, new: Credentials) -> Credentials:
    """`old` with every field `new` knows replaced (`accounts add` again for an account)."""
    changes = {f.name: getattr(new, f.name) for f in fields(Credentials)}
    return replace(old, **{k: v for k, v in changes.items() if v is not None})


def login_horizon(credentials: Credentials) -> datetime | None:
    """When a person must log in again: the refresh token's expiry, else the access token's."""
    if credentials.refresh_token:
        return credentials.refresh_expires_at
    return credentials.expires_at


def secret_values(credentials: Credentials) -> list[str]:
    """Every secret value of these credentials (for redaction and the tests' grep)."""
    found = [getattr(credentials, name) for name in SECRET_FIELDS]
    if credentials.business:
        found += [
            credentials.business.get(k) for k in ("app_secret", "access_token", "refresh_token")
        ]
    return [v for v in found if v]


class StoredKeeper:
    """The TokenKeeper of one account (`PLATFORM:HANDLE`) in the secrets file."""

    def __init__(self, secrets: SecretsFile, key: str) -> None:
        self.secrets = secrets
        self.key = key

    def load(self) -> Credentials:
        return from_entry(self.secrets.get(self.key))

    def save(self, credentials: Credentials) -> None:
        self.secrets.put(self.key, to_entry(credentials))

    def hold(self) -> AbstractContextManager[None]:
        return self._hold()

    @contextmanager
    def _hold(self) -> Iterator[None]:
        with self.secrets.locked():
            yield
