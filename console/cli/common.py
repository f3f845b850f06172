"""What every command shares: the --db/--config options, the lazily opened Desk, JSON output, expected errors."""

from __future__ import annotations

import sys
from typing import Any

import click

from console.cli.expected import EXPECTED  # noqa: F401 - the commands import it from here
from console.core.errors import StoreError

DUPLICATE_EXIT = 3  # a notice or a case that looks like a stored one, not added


class Ctx:
    def __init__(self, config_path: str | None, db_path: str | None):
        self.config_path = config_path
        self.db_path = db_path
        self._desk = None

    def config(self):
        from console.core import config

        cfg = config.load(self.config_path, self.db_path)
        if not getattr(self, "_warned", False):
            self._warned = True
            for line in cfg.retired():  # a setting that does nothing must not look as if it did
                click.echo(f"flagdesk: warning: {line}", err=True)
        return cfg

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
            for notice in cfg.notices:  # a retired setting still in a file: said once per command
                click.echo(f"flagdesk: notice: {notice}", err=True)
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


MAX_NOTICE_BYTES = 2 * 1024 * 1024  # a notice is a few KB; a bigger input is the wrong file


def read_text(file_path: str | None) -> str:
    """A notice's text from a file or standard input, read in bounded memory: refused when it is over
    MAX_NOTICE_BYTES or is not text (NUL bytes, or many control bytes: an image, an archive, a binary)."""
    if file_path in (None, "-"):
        where = "standard input"
        if file_path is None and sys.stdin.isatty():
            click.echo("Paste the notice, then press Ctrl-D:", err=True)
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read(MAX_NOTICE_BYTES + 1) if stream is not None else \
            sys.stdin.read(MAX_NOTICE_BYTES + 1).encode("utf-8", "surrogatepass")
    else:
        where = file_path
        try:
            with open(file_path, "rb") as f:
                data = f.read(MAX_NOTICE_BYTES + 1)
        except OSError as exc:
            raise StoreError(f"{file_path}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_NOTICE_BYTES:
        raise StoreError(f"{where}: over {MAX_NOTICE_BYTES // (1024 * 1024)} MB; a notice is a few KB "
                         "(is this the right file?)")
    controls = sum(data.count(bytes([b])) for b in (*range(0, 9), 11, 14, *range(16, 27), *range(28, 32)))
    if b"\x00" in data or controls > max(8, len(data) // 100):
        raise StoreError(f"{where}: not text (binary data); give the notice as plain text or an email")
    return data.decode("utf-8", errors="replace")
