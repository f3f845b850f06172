"""The Seller Support contact log: the duplicate guard, timelines, conflicts, follow-ups, the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.cli.commands import main
from console.core.errors import ConflictError, NotFoundError, StoreError
from console.core.triage import FilterError
from console.store import contacts as cs
from console.store.db import open_store
from tests.test_store import add

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


@pytest.fixture
def north(desk):
    return desk.add_account("Northwind", ["US"], ["n@ops.example.com"])


@pytest.fixture
def south(desk):
    return desk.add_account("Southwind", ["UK"], ["s@ops.example.com"])


def audits(store, case_id):
    return [(r["action"], json.loads(r["detail"])) for r in store.rows(
        "SELECT action, detail FROM audit WHERE table_name = 'cases' AND row_id = ? ORDER BY id", (case_id,))]


# --- opening and the duplicate guard ---------------------------------------------------------


def test_open_case_records_row_entry_and_audit(store, north):
    nid = add(store, north, "Listing deactivated")
    c = cs.open_case(store, north.id, "phone", "  Why was\x1b[31m my listing\n deactivated? ", path="Account Health",
                     notification_id=nid, notes="Agent: Priya\n\nwill email back", urgent=True,
                     follow_up_at=NOW + timedelta(days=2))
    assert (c.account, c.channel, c.status, c.urgent, c.opened_by, c.version) == \
        ("Northwind", "phone", "open", True, "tester", 1)
    assert c.summary == "Why was my listing deactivated?"
    assert c.marketplace == "US"  # taken from the notification
    assert c.case_ref is None and c.follow_up_at == NOW + timedelta(days=2) and c.opened_at == NOW
    [entry] = cs.timeline(store, c.id)
    assert (entry.kind, entry.channel, entry.text, entry.new_status) == \
        ("opened", "phone", "Agent: Priya\n\nwill email back", "open")
    [(action, detail)] = audits(store, c.id)
    assert action == "case.open" and detail["notification_id"] == nid and "duplicate_confirmed" not in detail
    assert cs.get_case(store, c.id) == c


@pytest.mark.parametrize("kwargs, message", [
    ({"channel": "fax"}, "channel must be one of"),
    ({"summary": " \n "}, "needs a summary"),
    ({"account_id": 999}, "no account"),
    ({"notification_id": 999}, "no notification"),
])
def test_open_case_validates(store, north, kwargs, message):
    args = {"account_id": north.id, "channel": "email", "summary": "A question"} | kwargs
    with pytest.raises(StoreError, match=message):
        cs.open_case(store, args.pop("account_id"), args.pop("channel"), args.pop("summary"), **args)
    assert store.rows("SELECT count(*) AS n FROM cases")[0]["n"] == 0


def test_guard_same_notification_active_case_blocks(store, north):
    nid = add(store, north, "IP complaint")
    first = cs.open_case(store, north.id, "email", "Trademark complaint on bottle", notification_id=nid,
                         case_ref="1234567890")
    with pytest.raises(cs.DuplicateCaseError) as err:
        cs.open_case(store, north.id, "phone", "Calling about something else entirely", notification_id=nid)
    assert [c.id for c in err.value.candidates] == [first.id]
    assert str(err.value) == (
        f"case #{first.id} (Amazon 1234567890, open) is already open for Northwind about notification {nid}: "
        f"add this contact to it (--append-to {first.id}) or confirm a new case (--new-case)")
    assert len(cs.list_cases(store)) == 1  # nothing was written


def test_guard_similar_summary_blocks_same_account_only(store, north, south):
    first = cs.open_case(store, north.id, "chat", "Payment reserve on disbursement held")
    with pytest.raises(cs.DuplicateCaseError, match=f"case #{first.id} .*similar summary"):
        cs.open_case(store, north.id, "email", "Disbursement held: payment reserve?")
    # another account, or a different issue, is no duplicate
    assert cs.open_case(store, south.id, "email", "Disbursement held: payment reserve?").account == "Southwind"
    assert cs.open_case(store, north.id, "email", "Brand Registry enrolment question").marketplace == "US"


def test_closed_case_of_same_notification_is_offered_for_reopening(store, north):
    nid = add(store, north, "Suppressed listing")
    old = cs.open_case(store, north.id, "email", "Suppressed listing image", notification_id=nid)
    cs.set_status(store, old.id, "closed")
    assert [c.id for c in cs.similar_cases(store, north.id, nid, "Totally different words here")] == [old.id]
    with pytest.raises(cs.DuplicateCaseError, match=f"case #{old.id} .* was closed: reopen it"):
        cs.open_case(store, north.id, "email", "Totally different words here", notification_id=nid)
    new = cs.open_case(store, north.id, "email", "Totally different words here", notification_id=nid,
                       confirm_duplicate="a different listing")
    # active same-notification first, then the closed one to reopen
    assert [c.id for c in cs.similar_cases(store, north.id, nid)] == [new.id, old.id]


def test_similar_cases_orders_same_notification_then_similar_without_repeats(store, north):
    nid = add(store, north, "Late shipment rate")
    similar = cs.open_case(store, north.id, "email", "Late shipment rate above target")
    same = cs.open_case(store, north.id, "phone", "Late shipment rate above target again", notification_id=nid,
                        confirm_duplicate="new notice")
    found = cs.similar_cases(store, north.id, nid, "late shipment rate above target")
    assert [c.id for c in found] == [same.id, similar.id]


def test_confirm_duplicate_opens_and_audits_reason(store, north):
    nid = add(store, north, "IP complaint")
    first = cs.open_case(store, north.id, "email", "Trademark complaint", notification_id=nid)
    second = cs.open_case(store, north.id, "phone", "Trademark complaint", notification_id=nid,
                          confirm_duplicate="  Amazon asked us to open a new case\x07 ")
    assert second.id != first.id
    [(action, detail)] = audits(store, second.id)
    assert action == "case.open"
    assert detail["duplicate_confirmed"] == {"reason": "Amazon asked us to open a new case", "candidates": [first.id]}


def test_same_amazon_case_id_cannot_be_logged_twice(store, north):
    first = cs.open_case(store, north.id, "email", "Question one", case_ref="555")
    with pytest.raises(StoreError, match=f"already logged as case #{first.id}"):
        cs.open_case(store, north.id, "chat", "Unrelated topic", case_ref="555")


# --- contacts, status, updates -----------------------------------------------------------------


def test_add_contact_appends_and_reopens_closed_case(store, north):
    c = cs.open_case(store, north.id, "email", "Account health question")
    c = cs.add_contact(store, c.id, "chat", "Agent: hello\nMe: hi", follow_up_at=NOW + timedelta(days=1))
    assert c.status == "open" and c.version == 2 and c.follow_up_at == NOW + timedelta(days=1)
    c = cs.set_status(store, c.id, "closed")
    c = cs.add_contact(store, c.id, "phone", "called back")
    assert c.status == "reopened"
    kinds = [(e.kind, e.channel, e.text, e.old_status, e.new_status) for e in cs.timeline(store, c.id)]
    assert kinds[1:] == [
        ("contact", "chat", "Agent: hello\nMe: hi", None, None),
        ("follow_up", None, "2026-11-28T08:00:00Z", None, None),
        ("status", None, None, "open", "closed"),
        ("status", None, "reopened by a new contact", "closed", "reopened"),
        ("contact", "phone", "called back", None, None),
    ]
    actions = [a for a, _ in audits(store, c.id)]
    assert actions == ["case.open", "case.contact", "case.status", "case.status", "case.contact"]
    with pytest.raises(NotFoundError):
        cs.add_contact(store, 999, "email")


def test_set_status_stale_version_names_other_operator(store, north, clock):
    c = cs.open_case(store, north.id, "email", "Question about fees")
    other = open_store(store.path, "maria", clock, os_user="maria")
    try:
        cs.set_status(other, c.id, "answered", expected_version=c.version)
    finally:
        other.close()
    with pytest.raises(ConflictError, match="changed by maria"):
        cs.set_status(store, c.id, "closed", expected_version=c.version)
    assert cs.get_case(store, c.id).status == "answered"
    with pytest.raises(StoreError, match="status must be"):
        cs.set_status(store, c.id, "pending")


def test_reopen_only_a_closed_case(store, north):
    c = cs.open_case(store, north.id, "email", "Question about fees")
    with pytest.raises(StoreError, match="not closed"):
        cs.reopen(store, c.id)
    cs.set_status(store, c.id, "closed", note="solved")
    c = cs.reopen(store, c.id, note="came back")
    assert c.status == "reopened"
    assert cs.timeline(store, c.id)[-1].text == "came back"


def test_update_follow_up_case_ref_and_note_are_entries_and_audits(store, north):
    c = cs.open_case(store, north.id, "phone", "Phone call about listing")
    c = cs.update(store, c.id, follow_up_at=NOW + timedelta(hours=4), case_ref=" 9988776655 ", note="ref from email")
    assert c.case_ref == "9988776655" and c.follow_up_at == NOW + timedelta(hours=4) and c.version == 2
    c = cs.update(store, c.id, follow_up_at=None)
    assert c.follow_up_at is None and c.version == 3
    unchanged = cs.update(store, c.id, case_ref="9988776655")
    assert unchanged.version == 3
    kinds = [(e.kind, e.text) for e in cs.timeline(store, c.id)][1:]
    assert kinds == [("follow_up", "2026-11-27T12:00:00Z"), ("case_ref", "9988776655"), ("note", "ref from email"),
                     ("follow_up", None)]
    details = [d for a, d in audits(store, c.id) if a == "case.update"]
    assert details == [{"follow_up_at": [None, "2026-11-27T12:00:00Z"]}, {"case_ref": [None, "9988776655"]},
                       {"follow_up_at": ["2026-11-27T12:00:00Z", None]}]
    assert cs.find_case(store, "9988776655").id == c.id
    assert cs.find_case(store, f"#{c.id}").id == c.id
    with pytest.raises(NotFoundError):
        cs.find_case(store, "nope")


# --- listing -------------------------------------------------------------------------------------


def test_list_order_overdue_then_urgent_then_recent(store, north, south, clock):
    plain_old = cs.open_case(store, north.id, "email", "Alpha question")
    overdue = cs.open_case(store, north.id, "email", "Bravo question", follow_up_at=NOW - timedelta(hours=1))
    urgent = cs.open_case(store, south.id, "chat", "Charlie question", urgent=True)
    closed_late = cs.open_case(store, south.id, "phone", "Delta question", follow_up_at=NOW - timedelta(days=1))
    cs.set_status(store, closed_late.id, "closed")
    clock.at = NOW + timedelta(minutes=5)
    recent = cs.add_contact(store, plain_old.id, "email", "a reply")
    clock.at = NOW
    assert [c.id for c in cs.list_cases(store)] == [overdue.id, urgent.id, recent.id, closed_late.id]
    assert overdue.overdue(NOW) and not overdue.overdue(NOW - timedelta(hours=2))
    assert not cs.get_case(store, closed_late.id).overdue(NOW + timedelta(days=9))
    assert cs.overdue_count(store, NOW) == 1
    assert cs.overdue_count(store, NOW + timedelta(days=30)) == 1  # the closed one never counts
    assert cs.overdue_count(store, NOW - timedelta(days=1)) == 0


def test_list_filters_and_text_search(store, north, south):
    a = cs.open_case(store, north.id, "email", "Inventory stranded in FBA", case_ref="111-ABC")
    b = cs.open_case(store, south.id, "phone", "Brand registry trademark")
    cs.set_status(store, b.id, "closed")
    ids = lambda **kw: [c.id for c in cs.list_cases(store, **kw)]  # noqa: E731
    assert ids(account_id=north.id) == [a.id]
    assert ids(status="active") == [a.id]
    assert ids(status="closed") == [b.id]
    assert ids(channel="phone") == [b.id]
    assert ids(text="stranded") == [a.id]
    assert set(ids(text="trademark OR inventory")) == {a.id, b.id}
    assert ids(text="111-ABC") == [a.id]  # Amazon's case ID, hyphen quoted safely
    assert ids(text='"unbalanced') == []
    assert ids(limit=1) and len(ids(limit=1)) == 1
    with pytest.raises(FilterError, match="cannot search"):
        cs.list_cases(store, text="( AND")
    with pytest.raises(StoreError):
        cs.list_cases(store, status="pending")


def test_cases_for_notification(store, north):
    nid = add(store, north, "Notice")
    c = cs.open_case(store, north.id, "email", "About the notice", notification_id=nid)
    cs.open_case(store, north.id, "email", "Something unrelated")
    assert [x.id for x in cs.cases_for_notification(store, nid)] == [c.id]


# --- follow-up input -----------------------------------------------------------------------------

TOKYO, LA, NY, UTC_Z = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles"), ZoneInfo("America/New_York"), UTC


@pytest.mark.parametrize("text, now, tz, expected", [
    # Tokyo: at 23:30 UTC on the 27th it is already 08:30 on the 28th there
    ("tomorrow", "2026-11-27T23:30:00Z", TOKYO, "2026-11-29T00:00:00Z"),
    ("today", "2026-11-27T23:30:00Z", TOKYO, "2026-11-28T00:00:00Z"),
    # Los Angeles: at 05:00 UTC on the 27th it is still the 26th there
    ("tomorrow", "2026-11-27T05:00:00Z", LA, "2026-11-27T17:00:00Z"),
    ("2026-11-30", "2026-11-27T08:00:00Z", LA, "2026-11-30T17:00:00Z"),
    ("2026-11-30 14:00", "2026-11-27T08:00:00Z", LA, "2026-11-30T22:00:00Z"),
    ("2026-11-30T14:00", "2026-11-27T08:00:00Z", TOKYO, "2026-11-30T05:00:00Z"),
    ("2026-11-30T14:00:00+01:00", "2026-11-27T08:00:00Z", LA, "2026-11-30T13:00:00Z"),
    ("2026-11-30T14:00Z", "2026-11-27T08:00:00Z", TOKYO, "2026-11-30T14:00:00Z"),
    ("+4h", "2026-11-27T08:00:00Z", TOKYO, "2026-11-27T12:00:00Z"),
    ("+3d", "2026-11-27T08:00:00Z", UTC_Z, "2026-11-30T08:00:00Z"),
    # DST starts in New York on 2026-03-08: 09:00 is EDT (-4) that day, EST (-5) the day before
    ("2026-03-08", "2026-03-01T12:00:00Z", NY, "2026-03-08T13:00:00Z"),
    ("2026-03-07", "2026-03-01T12:00:00Z", NY, "2026-03-07T14:00:00Z"),
    ("tomorrow", "2026-03-07T20:00:00Z", NY, "2026-03-08T13:00:00Z"),
    # +3d keeps the wall-clock time across the change: 10:00 EST → 10:00 EDT (71 hours later)
    ("+3d", "2026-03-06T15:00:00Z", NY, "2026-03-09T14:00:00Z"),
    ("+1w", "2026-03-06T15:00:00Z", NY, "2026-03-13T14:00:00Z"),
])
def test_parse_follow_up(text, now, tz, expected):
    got = cs.parse_follow_up(text, datetime.fromisoformat(now.replace("Z", "+00:00")), tz)
    assert got.tzinfo is not None and got.utcoffset() == timedelta(0)
    assert got == datetime.fromisoformat(expected.replace("Z", "+00:00"))


@pytest.mark.parametrize("text, message", [
    ("next week", "is not a follow-up time"),
    ("", "needs a date"),
    ("2026-02-30", "is not a date"),
    ("2026-11-30 25:00", "is not a date"),
    ("+3x", "is not a follow-up time"),
    ("2026-03-08 02:30", "does not exist in America/New_York"),
])
def test_parse_follow_up_rejects_with_one_line(text, message):
    with pytest.raises(ValueError, match=message) as err:
        cs.parse_follow_up(text, NOW, NY)
    assert "\n" not in str(err.value)


# --- command line --------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    db = tmp_path / "cli.db"
    monkeypatch.setenv("FLAGDESK_NOW", "2026-11-27T08:00:00Z")
    monkeypatch.setenv("FLAGDESK_TZ", "America/Los_Angeles")

    def _run(*args):
        code = 0
        try:
            main([*args, "--db", str(db)])
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        return code, out, err

    assert _run("accounts", "add", "Northwind", "--marketplace", "US")[0] == 0
    return _run


def test_cli_add_prints_id_and_duplicate_exits_3(run):
    code, out, _ = run("contacts", "add", "--account", "northwind", "--channel", "email",
                       "--summary", "Listing deactivated for pricing error", "--case-id", "1234567890",
                       "--follow-up", "tomorrow")
    assert (code, out) == (0, "1\n")
    code, out, err = run("contacts", "add", "--account", "Northwind", "--channel", "phone",
                         "--summary", "Pricing error listing deactivated")
    assert code == 3 and out == ""
    assert err == ("flagdesk: case #1 (Amazon 1234567890, open) is already open for Northwind with a similar "
                   'summary ("Listing deactivated for pricing error"): add this contact to it (--append-to 1) '
                   "or confirm a new case (--new-case)\n")
    code, out, _ = run("contacts", "add", "--account", "Northwind", "--channel", "phone",
                       "--summary", "Pricing error listing deactivated", "--new-case", "other marketplace")
    assert (code, out) == (0, "2\n")
    code, out, err = run("contacts", "add", "--account", "Northwind", "--channel", "phone", "--note", "called",
                         "--append-to", "1234567890")
    assert (code, out) == (0, "1\n")
    code, out, _ = run("contacts", "show", "1", "--json")
    data = json.loads(out)
    assert data["follow_up_at"] == "2026-11-28T17:00:00Z"  # 09:00 in Los Angeles
    assert [(e["kind"], e["channel"], e["text"]) for e in data["timeline"]] == \
        [("opened", "email", None), ("contact", "phone", "called")]
    assert set(data["timeline"][0]) == {"at", "actor", "kind", "channel", "text", "old_status", "new_status"}


def test_cli_add_usage_errors(run):
    base = ("contacts", "add", "--account", "Northwind", "--channel", "email")
    code, _, err = run(*base, "--summary", "x", "--follow-up", "someday")
    assert code == 2 and "--follow-up" in err and "someday" in err
    code, _, err = run(*base, "--summary", "x", "--append-to", "1", "--new-case", "why")
    assert code == 2 and "exclude each other" in err
    code, _, err = run(*base)
    assert code == 2 and "--summary is needed" in err
    code, _, err = run("contacts", "add", "--account", "Nobody", "--channel", "email", "--summary", "x")
    assert code == 1 and err.startswith("flagdesk: error:") and err.count("\n") == 1
    code, _, err = run(*base, "--summary", "x", "--append-to", "42")
    assert code == 1 and "no case '42'" in err


def test_cli_list_json_fields_and_text(run):
    run("contacts", "add", "--account", "Northwind", "--channel", "chat", "--summary", "Stranded inventory",
        "--follow-up", "2026-11-26 10:00", "--path", "Fulfillment by Amazon > Inventory")
    run("contacts", "add", "--account", "Northwind", "--channel", "email", "--summary", "Fee refund request",
        "--urgent")
    code, out, _ = run("contacts", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == [1, 2]
    assert set(rows[0]) == {"id", "account", "marketplace", "channel", "path", "case_id", "summary", "status",
                            "urgent", "follow_up_at", "overdue", "notification_id", "appeal_id", "opened_at",
                            "opened_by"}
    assert (rows[0]["overdue"], rows[0]["follow_up_at"], rows[0]["path"]) == \
        (True, "2026-11-26T18:00:00Z", "Fulfillment by Amazon > Inventory")
    assert (rows[1]["urgent"], rows[1]["overdue"], rows[1]["opened_by"], rows[1]["opened_at"]) == \
        (True, False, "tester", "2026-11-27T08:00:00Z")
    code, out, _ = run("contacts", "list")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["#", "OPENED", "ACCOUNT"]  # a header row, then the cases
    assert len(lines) == 3 and "OVERDUE" in lines[1] and "Stranded inventory" in lines[1]
    assert "OVERDUE" not in lines[2]
    code, out, _ = run("contacts", "list", "--json", "--query", "refund", "--channel", "email")
    assert [r["id"] for r in json.loads(out)] == [2]
    code, _, err = run("contacts", "list", "--query", "( AND")
    assert code == 1 and "cannot search" in err


def test_cli_update_status_follow_up_and_case_id(run):
    run("contacts", "add", "--account", "Northwind", "--channel", "phone", "--summary", "Call about A-to-z claim")
    code, out, _ = run("contacts", "update", "1", "--status", "answered", "--case-id", "777", "--note", "emailed",
                       "--follow-up", "+3d")
    assert code == 0 and out.startswith("case #1: answered")
    code, out, _ = run("contacts", "show", "777", "--json")
    data = json.loads(out)
    assert (data["status"], data["case_id"], data["follow_up_at"]) == ("answered", "777", "2026-11-30T08:00:00Z")
    assert [(e["kind"], e["old_status"], e["new_status"], e["text"]) for e in data["timeline"]][1:] == [
        ("status", "open", "answered", "emailed"), ("follow_up", None, None, "2026-11-30T08:00:00Z"),
        ("case_ref", None, None, "777")]
    code, out, _ = run("contacts", "show", "1")
    assert code == 0 and "Amazon case: 777" in out and "status open → answered" in out
    code, _, err = run("contacts", "update", "1")
    assert code == 2 and "nothing to change" in err
    code, _, err = run("contacts", "update", "1", "--status", "bogus")
    assert code == 2


def test_a_case_id_must_look_like_one(store, north):
    with pytest.raises(StoreError, match="does not look like a Seller Support case ID"):
        cs.open_case(store, north.id, "email", "Question", case_ref="+2d")
    assert cs.list_cases(store) == []
