"""What every command shares: the --db/--config options, the lazily opened Desk, JSON output, expected errors."""

from __future__ import annotations

import json
from typing import Any

import click

from console.core.config import ConfigError
from console.core.errors import StoreError
from console.core.triage import FilterError

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

    def desk(self):
        if self._desk is None:
            from console.desk import Desk

            self._desk = Desk.open(self.config())
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
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
