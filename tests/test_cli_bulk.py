"""`flagdesk read`, `unread`, `close`, `claim` on many notifications, and `list --view`, run the way an operator
runs them: IDs or --query (the console's filter language) or --view, with --dry-run and --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from console.core import config as config_mod
from console.core.model import Status
from console.desk import Desk
from console.store.db import open_store

from .conftest import NOW

VIEWS = '[views]\ncritical = "severity:critical status:open"\nmedium = "severity:medium"\n'


@pytest.fixture
def db(demo):
    return str(demo.store.path)


@pytest.fixture
def cli(run, db, tmp_path):
    """run() on the demo database, with a config holding two saved views."""
    config = tmp_path / "views.toml"
    config.write_text(VIEWS)

    def _cli(*args):
        return run(*args, "--db", db, "--config", str(config))

    return _cli


def statuses(demo, ids) -> list[str]:
    return [demo.notification(i).status.value for i in ids]


def test_read_by_ids_marks_them_read_and_says_what_it_did(cli, demo):
    code, out, err = cli("read", "16", "1", "6")
    assert (code, err) == (0, "")
    assert out == "Mark read: 2 done; 1 not unread\n"
    assert statuses(demo, [16, 1, 6]) == ["read", "read", "in_progress"]
    rows = demo.store.rows("SELECT action, os_user FROM audit WHERE action IN ('notification.bulk', "
                           "'notification.status') ORDER BY id")
    assert [r["action"] for r in rows] == ["notification.bulk", "notification.status", "notification.status"]


def test_read_query_dry_run_lists_what_would_change_and_writes_nothing(cli, demo):
    before = demo.store.rows("SELECT count(*) AS n FROM audit")[0]["n"]
    code, out, err = cli("read", "--query", "severity:medium account:alto", "--dry-run")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[-1] == "Mark read: 2 would be marked read; 1 not unread (dry run: nothing written)"
    assert lines[0].split()[:4] == ["42", "Alto", "Mesa", "Supply"] and "new → read" in lines[0]
    assert demo.store.rows("SELECT count(*) AS n FROM audit")[0]["n"] == before
    assert demo.notification(42).status is Status.NEW


def test_read_query_json(cli, demo):
    code, out, _ = cli("read", "--query", "severity:medium", "--json")
    data = json.loads(out)
    assert code == 0 and data["change"] == "read" and data["dry_run"] is False
    assert len(data["done"]) == 6 and len(data["unchanged"]) == 13 and data["asked"] == 19
    assert data["changes"][0] == {"id": data["done"][0], "before": {"status": "new"}, "after": {"status": "read"}}
    bulk = json.loads(demo.store.rows("SELECT detail FROM audit WHERE action = 'notification.bulk'")[0]["detail"])
    assert bulk["query"] == "severity:medium" and bulk["done"] == 6
    assert data["audit_id"] is not None


def test_query_takes_the_consoles_language_exactly(cli, demo, tmp_path):
    """The same text in the console's / box and in --query selects the same notifications."""
    console = Desk(demo.store, config_mod.load(tmp_path / "views.toml"), demo.clock)
    for text in ("trademark", "account:north status:new", "severity:critical,high status:open", "owner:none",
                 "due:24h", "cause:ip", "view:critical account:north", '"123-4567890-1234567" OR counterf*'):
        expected = sorted(console.select(console.parse_filter(text)))
        code, out, _ = cli("read", "--query", text, "--dry-run", "--json")
        data = json.loads(out)
        assert code == 0 and sorted(data["done"] + data["unchanged"]) == expected, text


def test_unread_and_close_as_resolved_or_dismissed(cli, demo):
    assert cli("unread", "12")[1] == "Mark unread: 1 done\n"
    assert demo.notification(12).status is Status.NEW
    code, out, _ = cli("close", "--as", "dismissed", "--query", "severity:low status:open")
    assert code == 0 and out == "Close as dismissed: 2 done\n"
    assert demo.count(demo.parse_filter("severity:low status:open"))[0] == 0
    code, out, _ = cli("close", "12", "16", "--as", "resolved", "--json")
    assert json.loads(out)["done"] == [12, 16] and statuses(demo, [12, 16]) == ["resolved", "resolved"]
    code, _, err = cli("close", "12")
    assert code == 2 and "Missing option '--as'" in err


def test_view_selects_a_saved_view_and_list_takes_it_too(cli, demo):
    code, out, _ = cli("list", "--view", "critical", "--json")
    assert code == 0 and sorted(r["id"] for r in json.loads(out)) == sorted(demo.select(demo.parse_filter(
        "severity:critical status:open")))
    code, out, _ = cli("list", "--view", "critical", "--query", "account:north", "--json")
    assert sorted(r["id"] for r in json.loads(out)) == [1, 4]
    code, out, _ = cli("close", "--as", "resolved", "--view", "critical", "--dry-run")
    assert out.splitlines()[-1] == "Close as resolved: 6 would be resolved (dry run: nothing written)"
    code, out, err = cli("read", "--view", "nope")
    assert code == 1 and err == "flagdesk: error: unknown view 'nope' (views: critical, medium)\n"


def test_claim_many_takes_the_unclaimed_and_names_the_others(cli, demo):
    code, out, err = cli("claim", "--query", "account:alto status:open")
    held = {43: "lucia", 46: "lucia"}
    assert code == 1  # some were someone else's: said, and the exit status says so
    assert "#43: claimed by lucia, left as it is" in out.splitlines()
    assert out.splitlines()[-1].startswith("Claim: ") and "2 claimed by lucia, left as they are" in out
    assert all(demo.notification(i).assignee == who for i, who in held.items())
    mine = demo.select(demo.parse_filter("owner:me"))
    assert mine and all(demo.notification(i).assignee == "tester" for i in mine)
    code, out, _ = cli("claim", *map(str, mine), "--release", "--json")
    assert code == 0 and sorted(json.loads(out)["done"]) == sorted(mine)
    code, out, _ = cli("claim", "43", "46", "--release", "--force", "--dry-run")
    assert code == 0 and out.splitlines()[-1] == "Release: 2 would be released (dry run: nothing written)"
    assert "lucia → unclaimed" in out


def test_claim_of_one_id_keeps_its_old_form(cli):
    assert cli("claim", "1") == (0, "#1 claimed by tester\n", "")
    assert cli("claim", "1", "--release") == (0, "#1 released\n", "")
    code, _, err = cli("claim", "43")
    assert (code, err) == (1, "flagdesk: error: #43 is already claimed by lucia\n")
    assert cli("claim", "1", "2", "--take-over", "lucia")[0] == 2


def test_ids_and_query_together_or_neither_are_refused(cli):
    for args in (("read",), ("read", "1", "--query", "x"), ("read", "--query", " "), ("claim",)):
        code, out, err = cli(*args)
        assert code == 2 and out == "" and "Error:" in err, args


def test_an_unknown_id_is_said_and_the_rest_done(cli, demo):
    code, out, err = cli("read", "16", "999")
    assert code == 1 and "#999: no such notification" in out and "1 done" in out
    assert demo.notification(16).status is Status.READ


def test_a_bad_query_is_one_line(cli):
    code, out, err = cli("read", "--query", "severity:urgent")
    assert (code, out) == (1, "")
    assert err == "flagdesk: error: unknown severity 'urgent' (use critical, high, medium, low)\n"


def test_a_bad_view_in_the_config_stops_the_command_naming_the_file_and_the_view(run, db, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[views]\nlate = "due:later"\n')
    code, out, err = run("read", "--query", "status:new", "--db", db, "--config", str(config))
    assert code == 1 and out == ""
    assert err == (f"flagdesk: error: {config}: views.late: unknown due 'later' (use due:24h, due:3d or "
                   "due:overdue)\n")


def test_another_operator_between_two_commands_is_never_overwritten(cli, demo, clock):
    """A dry run shows the list; maria changes one; the real run still takes each as it is then (a query is
    selected inside the change's own transaction), so her change is what it works from, not a stale copy."""
    cli("read", "--query", "status:new severity:critical", "--dry-run")
    maria = Desk(open_store(demo.store.path, "maria", clock, os_user="maria"), demo.config, clock)
    maria.set_status(16, Status.IN_PROGRESS)
    code, out, _ = cli("read", "--query", "status:new severity:critical")
    assert out == "Mark read: 3 done\n" and demo.notification(16).status is Status.IN_PROGRESS
    maria.close()


def test_through_the_installed_command(db, tmp_path):
    env = {**os.environ, "FLAGDESK_NOW": NOW, "FLAGDESK_DB": db}
    out = subprocess.run([sys.executable, "-m", "console", "read", "--query", "status:new account:north", "--json"],
                         capture_output=True, text=True, env=env, check=True).stdout
    assert len(json.loads(out)["done"]) == 5
    done = subprocess.run([sys.executable, "-m", "console", "unread", "--query", "account:north", "--dry-run"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == "Mark unread: 13 would be marked unread (dry run: nothing written)"
