"""Opening the console: `flagdesk` (with at most --db and --config) and `flagdesk demo` come here.

A plain `flagdesk` does not go through click (console/cli/entry.py sends it here directly): the command line's
modules cost the console's first paint tens of milliseconds and the console needs none of them. So this module
imports no click; its errors are the same one line and exit code 1 as the command line's (console/cli/commands.py
`_run`), a missing database is offered to be made the same way, and without a terminal it refuses at once.
"""

from __future__ import annotations

import sys

NO_TERMINAL = ("flagdesk: error: the console needs a terminal (standard input or output is not one); "
               "`flagdesk status` and `flagdesk list` work without one")


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def open_console(db: str | None = None, config: str | None = None) -> None:
    """`flagdesk [--db PATH] [--config FILE]`: the console, or one line saying why not (exit 1; 2 without a
    terminal; 130 on ctrl+c before it opens)."""
    from console.cli.expected import EXPECTED
    from console.core.textsafe import clean

    try:
        desk = console_desk(config, db)  # a mistyped path is named first, terminal or not
    except EXPECTED as exc:
        _say(f"flagdesk: error: {clean(str(exc))}")
        sys.exit(1)
    except (KeyboardInterrupt, EOFError):
        sys.exit(130)
    run_console(desk)


def console_desk(config_path: str | None, db_path: str | None):
    """The console's Desk. A database that is not there is offered to be made, showing the path and where
    it came from; without a terminal to ask, or when the answer is no, the one-line refusal (StoreError)."""
    from console.core import config as config_mod
    from console.core import settings
    from console.core.errors import StoreError
    from console.desk import Desk

    cfg = config_mod.load(config_path, db_path)
    for line in cfg.retired():  # a setting that does nothing must not look as if it did
        _say(f"flagdesk: warning: {line}")
    path = cfg.db_path
    if str(path) != ":memory:" and not path.exists():
        missing = StoreError(settings.missing_db(str(path), cfg.sources))
        if not has_terminal():
            raise missing
        _say(f"There is no flagdesk database at {path} (the path comes from {settings.db_origin(cfg.sources)}).")
        sys.stderr.write("Create it here? [y/N]: ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise missing
    desk = Desk.open(cfg)
    for notice in cfg.notices:  # a retired setting still in a file: said once
        _say(f"flagdesk: notice: {notice}")
    return desk


def run_console(desk) -> None:
    from console.tui import hangup

    # Without a terminal (cron, a pipe, `ssh host flagdesk` with no -t) the console would draw to nobody and spin
    # forever, holding the database: refuse at once with the commands that do work there.
    if not has_terminal():
        _say(NO_TERMINAL)
        sys.exit(2)
    # First, before Textual is even imported: a SIGHUP or SIGTERM from here on leaves no process behind
    # (drafts stored, out within 2 s; console/tui/hangup.py).
    hangup.install()
    try:
        from console.tui.app import make_app

        make_app(desk).run()
    finally:
        hangup.finish()  # after a SIGHUP or SIGTERM: out at once, 129 or 143
