"""What every command shares: the --db/--config options, the lazily opened Desk, JSON output, expected errors."""

from __future__ import annotations

from typing import Any

import click

from console.core.config import ConfigError
from console.core.errors import StoreError
from console.core.triage import FilterError

DUPLICATE_EXIT = 3  # a notice or a case that looks like a stored one, not added

# Errors that end a command with one line and exit code 1.
EXPECTED = (ConfigError, StoreError, FilterError)


class Ctx:
    def __init__(self, config_path: str | None, db_path: str | None):
        self.config_path = config_path
        self.db_path = db_path
        self._desk = None

    def config(self):
        from console.core import config

        return config.load(self.config_path, self.db_path)

    def existing_db(self, cfg=None):
        """The configured database path; StoreError naming the path and where it came from when the file
        is not there (only commands that create on purpose may create it)."""
        from console.core import settings

        cfg = cfg or self.config()
        path = cfg.db_path
        if str(path) != ":memory:" and not path.exists():
            raise StoreError(settings.missing_db(str(path), cfg.sources))
        return path

    def desk(self, create: bool = False):
        """The session's Desk. A database that does not exist is refused unless `create` (accounts add,
        add, import, restore, init)."""
        if self._desk is None:
            from console.desk import Desk

            cfg = self.config()
            if not create:
                self.existing_db(cfg)
            self._desk = Desk.open(cfg)
        return self._desk


def apply_common(ctx: click.Context, config_path: str | None, db_path: str | None) -> Ctx:
    obj: Ctx = ctx.find_root().obj
    if config_path:
        obj.config_path = config_path
    if db_path:
        obj.db_path = db_path
    return obj


def common(fn):
    """--db and --config on every command, as well as before it."""
    fn = click.option("--config", "config_path", metavar="FILE", help="Config file (overrides FLAGDESK_CONFIG).")(fn)
    fn = click.option("--db", "db_path", metavar="PATH", help="Database file (overrides FLAGDESK_DB and config).")(fn)
    return fn


def print_json(data: Any) -> None:
    from console.cli.output import json_text

    click.echo(json_text(data))
