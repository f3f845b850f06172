"""Shared fixtures: an isolated environment, a frozen clock, stores and desks on fixed data.

No test reads the real /etc/flagdesk or ~/.config/flagdesk, or writes outside tmp_path.
"""

from __future__ import annotations

import pytest

from console.core import config as config_mod
from console.core.clock import FrozenClock
from console.desk import Desk
from console.store.db import open_store

NOW = "2026-11-27T08:00:00Z"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch, request):
    """Every test gets its own XDG dirs, no system config, and a fixed operator: display name and OS user
    "tester" (whoever runs the suite), unless marked `real_os_user`. A colleague in the same process is
    another OS user only when the test opens its store with `os_user=`."""
    if request.node.get_closest_marker("real_os_user") is None:
        from console.core import identity

        monkeypatch.setattr(identity, "os_user", lambda: "tester")
    for var in ("FLAGDESK_CONFIG", "FLAGDESK_DB", "FLAGDESK_NOW", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("FLAGDESK_SYSTEM_CONFIG", str(tmp_path / "etc" / "config.toml"))
    monkeypatch.setenv("FLAGDESK_OPERATOR", "tester")
    monkeypatch.setenv("FLAGDESK_TZ", "UTC")  # times on screen do not depend on the box's zone
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def clock():
    return FrozenClock(NOW)


@pytest.fixture
def config():
    return config_mod.load()


@pytest.fixture
def store(tmp_path, clock):
    s = open_store(tmp_path / "flagdesk.db", "tester", clock)
    yield s
    s.close()


@pytest.fixture
def desk(store, config, clock):
    return Desk(store, config, clock)


@pytest.fixture
def demo(tmp_path, config, clock):
    """A Desk on the seeded demo data, in a file so that other sessions can open it too."""
    from console.demo.seed import populate

    s = open_store(tmp_path / "demo.db", "tester", clock)
    populate(s, config, clock)
    yield Desk(s, config, clock)
    s.close()


@pytest.fixture
def call(capsys):
    """Run a command line through a `main` (`entry.main`, the `flagdesk` command, or the click command line's):
    call(main, *args) -> (exit code, standard output, standard error)."""

    def _call(main, *args):
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        return code, out, err

    return _call


@pytest.fixture
def run(call, monkeypatch):
    """The `flagdesk` command line in this process, at the frozen time in UTC: run(*args) -> (exit code,
    standard output, standard error). A module whose commands need more (a database, standard input)
    defines its own `run`."""
    monkeypatch.setenv("FLAGDESK_NOW", NOW)
    monkeypatch.setenv("FLAGDESK_TZ", "UTC")

    def _run(*args):
        from console.cli.commands import main

        return call(main, *args)

    return _run
