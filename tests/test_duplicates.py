"""A notice pasted or added twice is not stored twice: "looks like #N, received ..." (imports already de-duplicate)."""

from __future__ import annotations

import sys
import threading

import pytest

from console.cli.commands import main
from console.core.errors import DuplicateNoticeError

NOTICE = """Subject: Notice: Policy Warning

Hello,

We removed the listing below because its images show a competitor's logo.

ASIN: B0CCCCCCCC
"""


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    db = tmp_path / "dup.db"
    monkeypatch.setenv("FLAGDESK_NOW", "2026-11-27T08:00:00Z")

    def _run(*args, stdin: str | None = None):
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = 0
        try:
            main([*args, "--db", str(db)])
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        return code, out, err

    _run("accounts", "add", "North", "--marketplace", "US", "--marketplace", "CA")
    _run("accounts", "add", "South", "--marketplace", "US")
    return _run


def test_adding_the_same_notice_again_exits_3_naming_the_stored_one(run):
    assert run("add", "--account", "North", "--marketplace", "US", "--file", "-", stdin=NOTICE)[:2] == (0, "1\n")
    for again in (NOTICE, NOTICE.replace("Subject: ", "Subject: Fwd: "), NOTICE.replace("\n", "\n\n  ").upper()):
        code, out, err = run("add", "--account", "North", "--marketplace", "US", "--file", "-", stdin=again)
        assert (code, out) == (3, "")
        assert err.startswith("flagdesk: not added: looks like #1, received 2026-11-27 08:00 UTC (the same text)")
    assert run("add", "--account", "South", "--file", "-", stdin=NOTICE)[:2] == (0, "2\n")  # another account
    assert run("add", "--account", "North", "--marketplace", "US", "--file", "-", "--allow-duplicate", stdin=NOTICE)[:2] == (0, "3\n")
    code, out, _ = run("list", "--account", "North", "--json")
    assert len(__import__("json").loads(out)) == 2


def test_the_same_complaint_id_in_the_same_marketplace_is_the_same_notice(run):
    first = "Subject: Received IP complaint\n\nComplaint ID: 7777777777. Rights owner: Acme. ASIN: B0DDDDDDDD\n"
    second = "Subject: Reminder: IP complaint\n\nWe wrote to you about complaint ID: 7777777777 last week.\n"
    assert run("add", "--account", "North", "--marketplace", "US", "--file", "-", stdin=first)[0] == 0
    code, _, err = run("add", "--account", "North", "--marketplace", "US", "--file", "-", stdin=second)
    assert code == 3 and "looks like #1" in err and "complaint ID 7777777777" in err
    assert run("add", "--account", "North", "--marketplace", "CA", "--file", "-", stdin=second)[0] == 0


def test_two_operators_pasting_at_once_store_one(demo):
    from console.desk import Desk
    from console.store.db import open_store

    account = demo.accounts()[0]
    fields = demo.extract(NOTICE)
    desks = [Desk(open_store(demo.store.path, name, demo.clock, os_user=name), demo.config, demo.clock) for name in ("a", "b")]
    results: list = []
    start = threading.Barrier(2)

    def paste(desk):
        start.wait()
        try:
            results.append(desk.add_notice(account, account.marketplaces[0], fields))
        except DuplicateNoticeError as exc:
            results.append(exc)

    threads = [threading.Thread(target=paste, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(type(r).__name__ for r in results) == ["DuplicateNoticeError", "int"]
    for d in desks:
        d.store.close()
