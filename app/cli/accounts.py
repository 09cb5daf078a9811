"""`reelroom accounts add/list/check`: platform accounts and their secrets.

`add` takes the secrets from a credentials JSON file or asks for each on the
terminal without echo, and writes them only to the home's owner-only
`secrets.json` (refusing a file others can read); the database gets the
account and its token expiry, never a token. Nothing is printed, logged or
put in --json that is a secret. Headless: no Textual here.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from app.output import emit_json, out, say, table
from app.workspace import Workspace, open_workspace
from platforms.base import Credentials, NeedsLogin, PlatformError
from platforms.credentials import (
    CredentialsError,
    from_entry,
    login_horizon,
    merge,
    parse_credentials,
    to_entry,
)
from storage.accounts import AccountError, AccountRepo, normalise_handle
from storage.secrets import SecretsError
from storage.timefmt import from_db, lenient
from storage.vocab import Platform, values

PLATFORMS = values(Platform)
# What to ask for on the terminal, per platform: (field, prompt, secret).
ASK: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "tiktok": (
        ("client_id", "client key", False),
        ("client_secret", "client secret", True),
        ("access_token", "access token", True),
        ("refresh_token", "refresh token", True),
        ("expires_at", "access token expires at (ISO 8601, empty if unknown)", False),
        ("user_id", "open_id", False),
    ),
    "youtube": (
        ("client_id", "OAuth client id", False),
        ("client_secret", "OAuth client secret", True),
        ("refresh_token", "refresh token", True),
        ("access_token", "access token (empty: one is fetched)", True),
        ("expires_at", "access token expires at (ISO 8601, empty if unknown)", False),
        ("user_id", "channel id", False),
    ),
    "instagram": (
        ("access_token", "long-lived access token", True),
        ("expires_at", "token expires at (ISO 8601, empty if unknown)", False),
        ("user_id", "Instagram user id", False),
    ),
    "kuaishou": (
        ("client_id", "app_id", False),
        ("client_secret", "app_secret", True),
        ("access_token", "access token", True),
        ("refresh_token", "refresh token", True),
        ("expires_at", "access token expires at (ISO 8601, empty if unknown)", False),
        ("user_id", "open_id", False),
    ),
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `accounts …`."""
    acc = sub.add_parser(
        "accounts", help="platform accounts: add, list, check, sync", parents=[common]
    )
    asub = acc.add_subparsers(
        dest="accounts_command", metavar="SUBCOMMAND", required=True, parser_class=type(acc)
    )
    add = asub.add_parser("add", help="add an account (or replace its tokens)", parents=[common])
    add.add_argument("platform", choices=PLATFORMS, metavar="PLATFORM", help=", ".join(PLATFORMS))
    add.add_argument("handle", metavar="HANDLE", help="the account's handle (a leading @ is fine)")
    add.add_argument(
        "--credentials",
        metavar="FILE.json",
        default=None,
        help="JSON with client_id, client_secret, access_token, refresh_token, expires_at, "
        "user_id (and business for TikTok); without it each is asked on the terminal",
    )
    add.add_argument("--json", action="store_true", help="print the account as JSON (no secrets)")
    add.set_defaults(handler=cmd_accounts_add)

    lst = asub.add_parser("list", help="accounts and the state of their login", parents=[common])
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=cmd_accounts_list)

    chk = asub.add_parser(
        "check", help="the platform's cheapest authenticated read", parents=[common]
    )
    chk.add_argument("name", metavar="NAME", help="PLATFORM:HANDLE, e.g. tiktok:@pantrylab")
    chk.add_argument("--json", action="store_true", help="print one JSON document")
    chk.set_defaults(handler=cmd_accounts_check)

    syn = asub.add_parser(
        "sync",
        help="bring in the videos an account already has (as published posts)",
        parents=[common],
    )
    syn.add_argument("name", metavar="NAME", nargs="?", default=None, help="PLATFORM:HANDLE")
    syn.add_argument("--json", action="store_true", help="print one JSON document")
    syn.set_defaults(handler=cmd_accounts_sync)


def _read_credentials_file(name: str) -> Credentials:
    path = Path(name).expanduser()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise CredentialsError("--credentials", f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError("--credentials", f"{path} cannot be read ({exc})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CredentialsError(
            "--credentials", f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from None
    return parse_credentials(doc)


def _ask_credentials(platform: str) -> Credentials:
    """Ask each field on the terminal; secrets without echo. Empty answers stay unknown."""
    say(
        f"Enter the {platform} account's secrets (empty: not known). Nothing is echoed for secrets."
    )
    doc: dict[str, Any] = {}
    for field_name, prompt, secret in ASK[platform]:
        if secret:
            value = getpass.getpass(f"{prompt}: ", stream=sys.stderr)
        else:
            sys.stderr.write(f"{prompt}: ")
            sys.stderr.flush()
            value = sys.stdin.readline()
        if value.strip():
            doc[field_name] = value.strip()
    return parse_credentials(doc)


def cmd_accounts_add(args: argparse.Namespace) -> int:
    """Store the account (database) and its secrets (owner-only file), all or nothing."""
    handle = normalise_handle(args.handle)
    if not handle:
        say("reelroom: HANDLE is empty; give the account's name, e.g. @pantrylab.")
        return 2
    try:
        creds = (
            _read_credentials_file(args.credentials)
            if args.credentials
            else _ask_credentials(args.platform)
        )
    except CredentialsError as exc:
        say(f"reelroom: nothing was stored: {exc}.")
        return 1
    except (EOFError, KeyboardInterrupt):
        say("reelroom: nothing was stored (input ended).")
        return 1
    if not (creds.access_token or creds.refresh_token):
        say(
            "reelroom: nothing was stored: the credentials need an access_token or a "
            "refresh_token (the platform's OAuth tokens for this account)."
        )
        return 1
    ws = open_workspace(args.home)
    from app.publishing.connect import secrets_file

    secrets = secrets_file(ws)
    key = f"{args.platform}:{handle}"
    repo = AccountRepo(ws.store)
    try:
        secrets.check_writable()
        with ws.store.write() as conn:  # the row is kept only if the secrets are on disk
            merged = merge(from_entry(secrets.get(key)), creds)
            account_id, created = repo.upsert(
                args.platform,
                handle,
                external_id=merged.user_id,
                token_expires_at=merged.expires_at,
                login_expires_at=login_horizon(merged),
                conn=conn,
            )
            secrets.update(key, lambda old: to_entry(merge(from_entry(old), creds)))
    except (SecretsError, AccountError) as exc:
        say(f"reelroom: nothing was stored: {exc}.")
        return 1
    account = repo.get(account_id)
    assert account is not None
    from app.inbox.schedule import ensure_schedule

    ensure_schedule(ws)  # a running worker syncs the new account's comments from now on
    if args.json:
        emit_json({**account.to_json(), "created": created})
    else:
        verb = "added" if created else "updated"
        say(
            f"{verb} {account.name} (id {account.id}); its secrets are in {secrets.path} "
            f"(mode 0600). Check it with `reelroom accounts check {account.name}`."
        )
    return 0


def _when(ws: Workspace, text: str | None) -> str:
    moment, bad = lenient(text)  # a stored time that cannot be read is shown, flagged
    if bad is not None:
        return f"! {bad}"
    return moment.astimezone(ws.config.zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


def cmd_accounts_list(args: argparse.Namespace) -> int:
    """Accounts with their token expiry and state (ok / expiring / expired / needs_login)."""
    ws = open_workspace(args.home)
    from app.publishing.connect import secrets_file

    accounts = AccountRepo(ws.store).all()
    problem = secrets_file(ws).problem()
    if problem:
        say(f"reelroom: warning: {problem}.")
    if args.json:
        emit_json([a.to_json() for a in accounts])
        return 0
    if not accounts:
        say("No accounts. Add one with `reelroom accounts add PLATFORM HANDLE --credentials F`.")
        return 0
    rows = [["ID", "ACCOUNT", "EXPIRES", "STATE", "NOTE"]]
    for a in accounts:
        rows.append(
            [str(a.id), a.name, _when(ws, a.token_expires_at), a.state(), a.auth_error or ""]
        )
    out(table(rows, [5, 32, 16, 12, 80]))
    return 0


def cmd_accounts_check(args: argparse.Namespace) -> int:
    """Ask the platform who the token belongs to (refreshing it when it must)."""
    ws = open_workspace(args.home)
    repo = AccountRepo(ws.store)
    try:
        account = repo.by_name(args.name)
    except AccountError as exc:
        say(f"reelroom: {exc}.")
        return 1
    from app.publishing.connect import account_connector

    try:
        connector = account_connector(ws, account)
        try:
            info = connector.check()
        finally:
            connector.close()
    except NeedsLogin as exc:
        repo.set_needs_login(account.id, exc.message)
        say(f"reelroom: {account.name} needs a login: {exc.message}.")
        return 1
    except PlatformError as exc:
        say(f"reelroom: {account.name}: {exc.message}.")
        return 1
    fresh = repo.get(account.id)
    repo.set_login_ok(
        account.id,
        token_expires_at=from_db(fresh.token_expires_at) if fresh else None,
        display_name=info.display_name or None,
    )
    doc = {
        "account": account.name,
        "user_id": info.user_id,
        "handle": info.handle,
        "display_name": info.display_name,
        "followers": info.followers,
        "detail": dict(info.detail),
        "state": "ok",
    }
    if args.json:
        emit_json(doc)
    else:
        say(f"{account.name}: ok — {info.display_name or info.handle} ({info.user_id})")
        for key, value in info.detail.items():
            say(f"  {key}: {value}")
    return 0


def cmd_accounts_sync(args: argparse.Namespace) -> int:
    """Import the videos each account (or one) already has; mark vanished ones gone."""
    from app.inbox.sync import sync_videos

    ws = open_workspace(args.home)
    repo = AccountRepo(ws.store)
    try:
        accounts = [repo.by_name(args.name)] if args.name else repo.all()
    except AccountError as exc:
        say(f"reelroom: {exc}.")
        return 1
    if not accounts:
        say("No accounts. Add one with `reelroom accounts add PLATFORM HANDLE --credentials F`.")
        return 0
    docs, failed = [], False
    for account in accounts:
        doc: dict[str, Any] = {"account": account.name}
        try:
            result = sync_videos(ws, account)
        except NeedsLogin as exc:
            doc["error"] = f"needs a login: {exc.message}"
        except PlatformError as exc:
            doc["error"] = exc.message
        else:
            doc.update(
                imported=result.imported,
                known=result.known,
                returned=result.returned,
                gone=result.gone,
            )
        docs.append(doc)
        failed = failed or "error" in doc
        if not args.json:
            if "error" in doc:
                say(f"{account.name}: {doc['error']}")
            else:
                say(
                    f"{account.name}: {doc['imported']} imported, {doc['known']} already here"
                    + (f", {doc['gone']} no longer listed (marked gone)" if doc["gone"] else "")
                    + (f", {doc['returned']} listed again" if doc["returned"] else "")
                )
    if args.json:
        emit_json(docs)
    return 1 if failed else 0
