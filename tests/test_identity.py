"""Who did it is who ran it (issue 20): the OS user of the process is recorded beside every display name;
a claim belongs to its OS user; four eyes are two OS users; review is a team policy in the database.

The OS user comes from the uid (console/core/identity.py); here a test stands in for another person at the
keyboard by changing what that function answers, the way a second login would, and drives the real
`flagdesk` commands (the `run` fixture) on one database.
"""

from __future__ import annotations

import json

import pytest

from console.core import identity
from console.desk import Desk
from console.store.db import open_store

TEXT = ("## Root cause\nOur supplier sent units without the required labels, and we listed them without checking "
        "the labels against the listing. We did not inspect inbound stock.\n\n## Actions taken\nWe removed the "
        "listing and relabelled all units.\n\n## Preventive measures\n1. Every inbound shipment is inspected "
        "by the warehouse lead weekly.\n2. Listings are checked against the label by Maria each Monday.\n"
        "3. Supplier contracts require labels from 2026-12-01.\n")


@pytest.fixture
def as_user(monkeypatch):
    """as_user(os_user, name=None): the next commands run as that OS user, declaring that display name."""

    def switch(os_user: str, name: str | None = None) -> None:
        monkeypatch.setattr(identity, "os_user", lambda: os_user)
        if name:
            monkeypatch.setenv("FLAGDESK_OPERATOR", name)
        else:
            monkeypatch.delenv("FLAGDESK_OPERATOR", raising=False)

    return switch


def _audit(path, action):
    store = open_store(path, "reader", os_user="reader")
    try:
        return store.rows("SELECT actor, os_user, detail FROM audit WHERE action = ? ORDER BY id", (action,))
    finally:
        store.close()


def _unclaimed(demo) -> int:
    return demo.store.rows("SELECT id FROM notifications WHERE assignee IS NULL ORDER BY id LIMIT 1")[0]["id"]


# --- claims -------------------------------------------------------------------------------------


def test_a_claim_belongs_to_its_os_user_not_to_the_name_declared(demo, run, as_user):
    db = str(demo.store.path)
    nid = _unclaimed(demo)
    as_user("ops1", "maria")
    assert run("claim", str(nid), "--db", db) == (0, f"#{nid} claimed by maria (os: ops1)\n", "")
    # Someone else logs in as ops2 and declares the same name: the claim is not theirs to release.
    as_user("ops2", "maria")
    code, out, err = run("claim", str(nid), "--release", "--db", db)
    assert code == 1 and out == ""
    assert (f"#{nid} is claimed by maria (os: ops1) since 2026-11-27 08:00 UTC, not by you "
            "(maria (os: ops2)): a claim belongs to its OS user; take it over with "
            "--take-over maria, or release it anyway with --release --force (audited)") in err
    assert json.loads(run("show", str(nid), "--json", "--db", db)[1])["assignee_os"] == "ops1"
    mine = json.loads(run("list", "--json", "--query", "owner:me", "--db", db)[1])
    assert nid not in [n["id"] for n in mine]  # not ops2's (the demo's claims by name alone, from before, are)
    assert run("claim", str(nid), "--force", "--db", db)[0] == 2  # --force only releases
    code, out, err = run("claim", str(nid), "--release", "--force", "--db", db)
    assert code == 0 and out == f"#{nid} released (maria (os: ops1)'s claim, released by maria (os: ops2))\n"
    released = _audit(demo.store.path, "notification.release")[-1]
    assert (released["actor"], released["os_user"]) == ("maria", "ops2")
    assert json.loads(released["detail"]) == {"assignee": ["maria", None], "assignee_os": ["ops1", None],
                                              "forced": True}
    line = run("audit", "--action", "notification.release", "--limit", "1", "--db", db)[1]
    assert "maria (os: ops2) notification.release" in line and "released maria (os: ops1)'s claim (forced)" in line


def test_the_owner_releases_their_own_claim_and_a_take_over_names_both_os_users(demo, run, as_user):
    db = str(demo.store.path)
    nid = _unclaimed(demo)
    as_user("ops1")
    assert run("claim", str(nid), "--db", db)[1] == f"#{nid} claimed by ops1\n"
    as_user("ops2")
    assert run("claim", str(nid), "--take-over", "ops1", "--db", db)[1] == f"#{nid} claimed by ops2\n"
    taken = _audit(demo.store.path, "notification.claim")[-1]
    assert taken["os_user"] == "ops2" and json.loads(taken["detail"])["assignee_os"] == ["ops1", "ops2"]
    assert run("claim", str(nid), "--release", "--db", db) == (0, f"#{nid} released\n", "")


def test_presence_tells_two_os_users_declaring_one_name_apart(demo, config, clock):
    nid = _unclaimed(demo)
    ops1 = Desk(open_store(demo.store.path, "maria", clock, os_user="ops1"), config, clock)
    ops2 = Desk(open_store(demo.store.path, "maria", clock, os_user="ops2"), config, clock)
    ops1.beat(nid)
    ops2.beat(nid)
    rows = demo.store.rows("SELECT actor, os_user FROM presence WHERE ref_id = ? ORDER BY os_user", (nid,))
    assert rows == [{"actor": "maria", "os_user": "ops1"}, {"actor": "maria", "os_user": "ops2"}]
    assert ops1.others_present() == {nid: [("maria (os: ops2)", "viewing")]}
    assert demo.others_present()[nid] == [("maria", "viewing")]  # tester sees one name, twice collapsed
    ops2.leave()
    assert ops1.others_present() == {}


# --- the audit ----------------------------------------------------------------------------------


def test_audit_rows_record_the_os_user_and_a_shared_account_reads_declared(demo, run, as_user):
    db = str(demo.store.path)
    as_user("ops1", "maria")
    assert run("accounts", "add", "Solo Shop", "--marketplace", "DE", "--db", db)[0] == 0
    row = _audit(demo.store.path, "account.add")[-1]
    assert (row["actor"], row["os_user"]) == ("maria", "ops1")
    line = run("audit", "--action", "account", "--limit", "1", "--db", db)[1]
    assert "maria (os: ops1) account.add" in line and "declared" not in line
    entry = json.loads(run("audit", "--limit", "1", "--json", "--db", db)[1])[0]
    assert (entry["actor"], entry["os_user"], entry["name_verified"]) == ("maria", "ops1", True)
    # A colleague on the same OS account under another name: now every name seen from ops1 is only declared.
    as_user("ops1", "jo")
    assert run("accounts", "add", "Other Shop", "--marketplace", "DE", "--db", db)[0] == 0
    lines = run("audit", "--action", "account", "--limit", "2", "--db", db)[1].splitlines()
    assert "jo (os: ops1, declared, not verified)" in lines[0]
    assert "maria (os: ops1, declared, not verified)" in lines[1]
    assert json.loads(run("audit", "--limit", "1", "--json", "--db", db)[1])[0]["name_verified"] is False
    # --actor finds a display name or an OS user.
    assert len(run("audit", "--actor", "ops1", "--db", db)[1].splitlines()) == 2
    assert len(run("audit", "--actor", "jo", "--db", db)[1].splitlines()) == 1
    assert run("audit", "verify", "--db", db)[0] == 0


# --- four eyes ----------------------------------------------------------------------------------


def _reviewed(run, db, appeal_id):
    data = json.loads(run("appeal", "check", str(appeal_id), "--json", "--db", db)[1])
    return next(c for c in data["checks"] if c["id"] == "reviewed")


def test_a_review_counts_only_from_an_os_user_who_wrote_no_revision(demo, run, as_user):
    db = str(demo.store.path)
    nid = _unclaimed(demo)
    as_user("ops1", "maria")
    maria = Desk(open_store(db, "maria", os_user="ops1"), demo.config, demo.clock)
    appeal = maria.new_appeal(nid, TEXT)
    maria.close()
    # The author, under her own name: refused.
    code, _, err = run("appeal", "review", str(appeal.id), "--db", db)
    assert code == 1 and "you wrote part of this appeal" in err
    # The same OS account, another name: recorded, audited as declared, and a warning on the checklist.
    as_user("ops1", "jo")
    code, out, err = run("appeal", "review", str(appeal.id), "--db", db)
    assert code == 0 and out == f"appeal #{appeal.id} reviewed by jo (os: ops1, declared, not verified)\n"
    assert "four eyes need a second OS user" in err
    review = _audit(demo.store.path, "appeal.review")[-1]
    assert review["os_user"] == "ops1"
    assert json.loads(review["detail"])["declared"] == "the same OS user (ops1) wrote it as maria"
    item = _reviewed(run, db, appeal.id)
    assert item["status"] == "warn" and item["required"]
    assert item["reason"].startswith("reviewed by jo (os: ops1, declared, not verified)")
    assert "the same OS user wrote it as maria; four eyes need a second OS user" in item["reason"]
    # Another OS user: that review counts.
    as_user("ops2", "ben")
    assert run("appeal", "review", str(appeal.id), "--db", db)[1] == f"appeal #{appeal.id} reviewed by ben (os: ops2)\n"
    item = _reviewed(run, db, appeal.id)
    assert item["status"] == "pass" and item["reason"] == "reviewed by ben (os: ops2) at 2026-11-27 08:00"
    shown = json.loads(run("appeal", "show", str(appeal.id), "--json", "--db", db)[1])
    assert (shown["author_os"], shown["reviewed_by"], shown["reviewed_by_os"]) == ("ops1", "ben", "ops2")
    # Ben then edits the text: he is a writer now, so his own review cannot stand for it.
    ben = Desk(open_store(db, "ben", os_user="ops2"), demo.config, demo.clock)
    ben.save_appeal(ben.appeal(appeal.id), TEXT + "\nEdited by ben.\n")
    ben.close()
    assert run("appeal", "review", str(appeal.id), "--db", db)[0] == 1


def test_revisions_record_their_os_user(demo):
    nid = _unclaimed(demo)
    maria = Desk(open_store(demo.store.path, "maria", demo.clock, os_user="ops1"), demo.config, demo.clock)
    a = maria.new_appeal(nid, "first")
    maria.save_appeal(a, "second")
    revisions = maria.appeal_revisions(a.id)
    assert [(r.author, r.author_os, r.shown) for r in revisions] == [("maria", "ops1", "maria (os: ops1)")] * 2
    maria.close()


# --- the team policy ----------------------------------------------------------------------------


def test_review_is_a_team_policy_changed_with_a_reason_and_audited(demo, run, as_user):
    db = str(demo.store.path)
    nid = _unclaimed(demo)
    maria = Desk(open_store(db, "maria", os_user="ops1"), demo.config, demo.clock)
    appeal = maria.new_appeal(nid, TEXT)
    maria.close()
    out = run("policy", "show", "--db", db)[1]
    assert out.startswith("require_review = true  (default;")
    item = _reviewed(run, db, appeal.id)
    assert (item["status"], item["required"]) == ("fail", True)
    code, _, err = run("policy", "set", "require_review", "false", "--db", db)
    assert code == 2 and "Missing option '--reason'" in err
    code, _, err = run("policy", "set", "require_review", "maybe", "--reason", "x", "--db", db)
    assert (code, err) == (1, "flagdesk: error: policy require_review: expected true or false, got 'maybe'\n")
    code, _, err = run("policy", "set", "require_review", "false", "--reason", "  ", "--db", db)
    assert code == 1 and "say why with --reason" in err
    code, _, err = run("policy", "set", "four_eyes", "true", "--reason", "x", "--db", db)
    assert (code, err) == (1, "flagdesk: error: unknown policy 'four_eyes' (known: require_review)\n")
    as_user("ops3", "lead")
    code, out, _ = run("policy", "set", "require_review", "false", "--reason", "one operator in December", "--db", db)
    assert code == 0 and out.startswith("require_review = false  (set by lead (os: ops3) at 2026-11-27 08:00 UTC: "
                                        "“one operator in December”")
    row = _audit(demo.store.path, "policy.set")[-1]
    assert (row["actor"], row["os_user"]) == ("lead", "ops3")
    assert json.loads(row["detail"]) == {"key": "require_review", "value": [True, False],
                                         "reason": "one operator in December"}
    assert "team policy require_review true → false; “one operator in December”" in run(
        "audit", "--limit", "1", "--db", db)[1]
    item = _reviewed(run, db, appeal.id)
    assert (item["status"], item["required"]) == ("warn", False)
    data = json.loads(run("policy", "show", "--json", "--db", db)[1])
    assert data[0] | {"about": ""} == {"key": "require_review", "value": False, "default": True, "about": "",
                                       "set_at": "2026-11-27T08:00:00Z", "set_by": "lead", "set_by_os": "ops3",
                                       "reason": "one operator in December"}


def test_require_review_in_a_config_file_is_set_aside_with_a_notice(demo, run, tmp_path):
    db = str(demo.store.path)
    nid = _unclaimed(demo)
    appeal = demo.new_appeal(nid, TEXT)
    user = tmp_path / "xdg-config" / "flagdesk" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text("[appeals]\nrequire_review = false\nmax_chars = 3000\n")
    code, out, err = run("appeal", "check", str(appeal.id), "--json", "--db", db)
    assert err == (f"flagdesk: notice: {user}: appeals.require_review is no longer read: it is a team policy now, "
                   "kept in the database (`flagdesk policy show`; change it with `flagdesk policy set "
                   "require_review true|false --reason TEXT`)\n")
    reviewed = next(c for c in json.loads(out)["checks"] if c["id"] == "reviewed")
    assert code == 1 and (reviewed["status"], reviewed["required"]) == ("fail", True)  # the policy decides
    code, _, err = run("config", "set", "appeals.require_review", "false")
    assert code == 1 and err == (f"flagdesk: error: appeals.require_review is a team policy now, kept in the "
                                 f"database, not in {user}: use `flagdesk policy set require_review true|false "
                                 "--reason TEXT`\n")
    assert "max_chars = 3000" in user.read_text()  # the rest of the file still counts, untouched


def test_submitting_through_the_button_without_the_review_is_an_audited_override(demo, run):
    db = str(demo.store.path)
    nid = _unclaimed(demo)
    appeal = demo.new_appeal(nid, TEXT)
    code, _, err = run("appeal", "submit", str(appeal.id), "--via", "appeal-button", "--yes", "--db", db)
    assert code == 1 and "Second pair of eyes" in err
    code, _, err = run("appeal", "submit", str(appeal.id), "--via", "appeal-button", "--yes",
                       "--override", "the reviewer is on leave; deadline today", "--db", db)
    assert code == 0, err
    row = _audit(demo.store.path, "appeal.submit")[-1]
    detail = json.loads(row["detail"])
    assert row["os_user"] == "tester" and "reviewed" in detail["failing_checks"]
    assert detail["override_reason"] == "the reviewer is on leave; deadline today"
    assert "override “the reviewer is on leave; deadline today”" in run(
        "audit", "--action", "appeal.submit", "--db", db)[1]
