"""boto3, botocore, apprise (the `[live]` extra) and the modules that use them are loaded by `flagdesk fetch`
and `flagdesk alerts` only: never by the console nor by `flagdesk status`, even with sqs sources and alerts
configured (what each run imported is read from a fresh interpreter's sys.modules)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("boto3", "botocore", "apprise", "moto", "console.ingest.sqs", "console.ingest.alerts",
         "console.ingest.watch", "console.ingest.imap", "console.ingest.fetch")
PROBE = "import sys; print(' '.join(sorted(m for m in sys.modules if m.startswith(%r))), file=sys.stderr)" % (HEAVY,)


def configured(tmp_path) -> dict:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[sources]]\nname = "spapi"\nkind = "sqs"\nqueue_url = "https://sqs.us-east-1.amazonaws.com/1/q"\n'
                   'region = "us-east-1"\n\n[alerts]\nurls = ["json://127.0.0.1:9/hook"]\n')
    return {**os.environ, "FLAGDESK_CONFIG": str(cfg), "FLAGDESK_DB": str(tmp_path / "f.db")}


def loaded(code: str, env: dict) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\n" + PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.splitlines()[-1].split())


def test_the_console_launch_path_imports_no_live_library(tmp_path):
    env = configured(tmp_path)
    code = """
import asyncio
from console.core import config as config_mod
from console.core.clock import Clock
from console.desk import Desk
from console.store.db import open_store
from console.tui.app import make_app

cfg = config_mod.load()
desk = Desk(open_store(cfg.db_path, "tester"), cfg, Clock())
app = make_app(desk, live_refresh=False, cursor_blink=False)

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#flagbar") is not None

asyncio.run(main())
"""
    assert loaded(code, env) == set()


def test_status_imports_no_live_library(tmp_path):
    env = configured(tmp_path)
    from console.store.db import open_store

    open_store(tmp_path / "f.db", "tester").close()  # status reads a database that exists (no store needed)
    code = "from console.cli.entry import main\ntry:\n    main(['status'])\nexcept SystemExit:\n    pass"
    assert loaded(code, env) == set()


def test_fetch_does_import_them(tmp_path):
    """The probe can see them: `sources check` of an sqs source loads boto3 (a test that cannot fail is a defect)."""
    env = configured(tmp_path)
    code = "from console.cli.commands import main\ntry:\n    main(['sources', 'check'])\nexcept SystemExit:\n    pass"
    assert {"boto3", "console.ingest.sqs"} <= loaded(code, env)
