"""Headless code never imports Textual: every storage/media_watch/platforms module and the headless app modules.

Each check runs in a fresh interpreter (a subprocess), so modules imported by
pytest or other tests cannot hide or cause an import of Textual.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADLESS_PACKAGES = ("storage", "media_watch", "platforms")
HEADLESS_APP_PREFIXES = (
    "cli",
    "demo",
    "doctor",
    "config",
    "home",
    "workspace",
    "output",
    "deals",
    "deal_settings",
    "metrics",
    "reports",
)
# Widget modules the command line uses too (rich only, never Textual).
HEADLESS_WIDGET_MODULES = ("widgets.safe_text",)

PROBE = """
import importlib, json, sys
names = json.loads(sys.argv[1])
for name in names:
    importlib.import_module(name)
textual = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps(textual))
"""

MAIN_PROBE = """
import json, sys
import app.cli
rc = app.cli.main(json.loads(sys.argv[1]))
textual = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
sys.stderr.write("TEXTUAL=" + json.dumps(textual) + "\\n")
sys.exit(rc)
"""


def headless_modules() -> list[str]:
    """Every module of the headless packages, and app's headless modules, found on disk."""
    names: list[str] = []
    for package in HEADLESS_PACKAGES:
        names.append(package)
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            names.append(info.name)
    for info in pkgutil.walk_packages([str(ROOT / "app")], prefix="app."):
        if info.name.endswith(".__main__"):
            continue  # running it is the command itself, not an import
        if info.name.removeprefix("app.").startswith(HEADLESS_APP_PREFIXES):
            names.append(info.name)
    names.extend(HEADLESS_WIDGET_MODULES)
    return names


def python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )


def test_the_module_list_covers_the_packages():
    names = headless_modules()
    for expected in (
        "storage.db",
        "storage.migrations",
        "storage.health",
        "media_watch.tools",
        "app.cli",
        "app.doctor",
        "app.cli.doctor",
        "app.cli.posts",
    ):
        assert expected in names


@pytest.mark.parametrize("name", headless_modules())
def test_importing_a_headless_module_does_not_import_textual(name):
    done = python("-c", PROBE, json.dumps([name]))
    assert done.returncode == 0, f"importing {name} failed:\n{done.stderr}"
    assert json.loads(done.stdout) == [], f"{name} imports Textual"


def test_the_probe_does_see_textual_when_it_is_imported():
    done = python("-c", PROBE, json.dumps(["storage.db", "textual.app"]))
    assert done.returncode == 0, done.stderr
    assert "textual" in json.loads(done.stdout)


@pytest.mark.parametrize(
    "command",
    [
        ["posts", "list", "--json"],
        ["posts", "list"],
        ["doctor", "--json"],
        ["doctor"],
        ["metrics", "sync", "--json"],
        ["report", "week", "--format", "html"],
        ["deals", "list", "--json"],
        ["deals", "report", "1"],
    ],
)
def test_headless_commands_run_without_textual(tmp_path, command):
    done = python("-c", MAIN_PROBE, json.dumps(["--home", str(tmp_path / "home"), *command]))
    marker = [line for line in done.stderr.splitlines() if line.startswith("TEXTUAL=")]
    assert marker, done.stderr
    assert json.loads(marker[0][len("TEXTUAL=") :]) == []
    assert done.returncode in (0, 1), done.stderr
    if "--json" in command:
        json.loads(done.stdout)
