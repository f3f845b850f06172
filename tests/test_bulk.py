"""Changes to many notifications at once (console/store/batch.py through the Desk): what each stores, its audit
(one row per notification plus one for the whole), another operator's change left alone, undo, dry runs, the
`due:` and `view:` qualifiers and saved views in the config."""

from __future__ import annotations

import json

import pytest

from console.core import config as config_mod
from console.core.audit import describe
from console.core.config import ConfigError
from console.core.errors import StoreError
from console.core.model import Status
from console.core.triage import FilterError, parse_filter
from console.desk import Desk
from console.store import audit_log
from console.store.db import open_store


@pytest.fixture
def maria(demo, config, clock):
    s = open_store(demo.store.path, "maria", clock, os_user="maria")
    yield Desk(s, config, clock)
    s.close()


def selected(desk, text: str) -> dict[int, int]:
    return desk.select(desk.parse_filter(text))


def audit_rows(desk, action: str | None = None) -> list[dict]:
    sql = "SELECT id, action, row_id, actor, detail FROM audit"
    rows = desk.store.rows(sql + (" WHERE action = ?" if action else "") + " ORDER BY id", (action,) if action else ())
    return [{**r, "detail": json.loads(r["detail"])} for r in rows]


def audit_count(desk) -> int:
    return desk.store.rows("SELECT count(*) AS n FROM audit")[0]["n"]


# --- each change ----------------------------------------------------------------------------


def test_mark_read_changes_the_unread_ones_with_an_audit_row_each_and_one_for_the_whole(demo):
    targets = selected(demo, "severity:medium")  # 6 unread of 19
    before = audit_count(demo)
    result = demo.bulk("read", targets, note={"query": "severity:medium"})
    assert (len(result.done), len(result.unchanged), result.left) == (6, 13, 0)
    assert result.summary() == "6 done; 13 not unread"
    assert demo.count(demo.parse_filter("severity:medium status:new")) == (0, 0)
    assert audit_count(demo) == before + 7
    bulk = audit_rows(demo, "notification.bulk")
    assert len(bulk) == 1 and bulk[0]["row_id"] is None and bulk[0]["actor"] == "tester"
    assert bulk[0]["detail"] == {"change": "read", "done": 6, "unchanged": 13, "query": "severity:medium"}
    each = [r for r in audit_rows(demo, "notification.status") if r["detail"].get("bulk") == bulk[0]["id"]]
    assert sorted(r["row_id"] for r in each) == sorted(result.done)
    assert all(r["detail"]["status"] == ["new", "read"] for r in each)
    assert all(demo.notification(i).version == targets[i] + 1 for i in result.done)
    assert all(demo.notification(i).version == targets[i] for i in result.unchanged)  # untouched


@pytest.mark.parametrize("change, status", [("unread", Status.NEW), ("resolved", Status.RESOLVED),
                                            ("dismissed", Status.DISMISSED)])
def test_unread_resolve_and_dismiss_set_the_status_of_each(demo, change, status):
    targets = selected(demo, "account:alto")
    result = demo.bulk(change, targets)
    assert all(demo.notification(i).status is status for i in targets)
    assert len(result.done) + len(result.unchanged) == len(targets) and result.done
    assert {r["row_id"] for r in audit_rows(demo, "notification.status") if r["detail"].get("bulk")} == \
        set(result.done)


def test_claim_takes_the_unclaimed_and_reports_whose_the_others_are(demo):
    targets = selected(demo, "account:brightwater status:open")
    held = {i: demo.notification(i).assignee for i in targets if demo.notification(i).assignee}
    assert held  # the demo has claims by colleagues
    result = demo.bulk("claim", targets)
    assert set(result.refused) == set(held)
    assert all(demo.notification(i).assignee == held[i] for i in held)  # never taken over in bulk
    assert all(demo.notification(i).assignee == "tester" for i in result.done)
    assert f"claimed by {next(iter(held.values()))}" in result.summary() or "claimed by others" in result.summary()
    assert demo.bulk("release", targets).moved  # the versions seen before the claims: all moved since
    again = demo.bulk("release", demo.versions(list(targets)))
    assert set(again.done) == set(result.done) and set(again.refused) == set(held)
    assert all(demo.notification(i).assignee is None for i in again.done)
    forced = demo.bulk("release", {i: None for i in held}, force=True)
    assert set(forced.done) == set(held)
    releases = [r for r in audit_rows(demo, "notification.release") if r["detail"].get("bulk") == forced.audit_id]
    assert all(r["detail"]["forced"] is True for r in releases) and len(releases) == len(held)


def test_file_under_an_account_and_set_severity(demo):
    alto = demo.account("Alto Mesa Supply")
    targets = selected(demo, "account:northwind status:new")
    result = demo.bulk("assign", targets, account=alto, marketplace="US")
    assert result.title == "File under Alto Mesa Supply US"
    assert all((demo.notification(i).account_id, demo.notification(i).marketplace) == (alto.id, "US")
               for i in targets)
    assigned = audit_rows(demo, "notification.assign")
    assert len(assigned) == len(targets) and assigned[0]["detail"]["account_id"][1] == alto.id
    with pytest.raises(StoreError, match="does not sell in marketplace 'JP'"):
        demo.bulk("assign", targets, account=alto, marketplace="JP")
    result = demo.bulk("severity", demo.versions(list(targets)), severity="low")
    assert all(demo.notification(i).severity.value == "low" for i in targets)
    assert all("severity" in demo.notification(i).corrected for i in targets)  # a reread keeps it
    corrected = [r for r in audit_rows(demo, "notification.correct") if r["detail"].get("bulk") == result.audit_id]
    assert len(corrected) == len(result.done) and all(r["detail"]["severity"][1] == "low" for r in corrected)
    with pytest.raises(StoreError, match="unknown severity 'urgent'"):
        demo.bulk("severity", targets, severity="urgent")


def test_a_change_that_changes_nothing_writes_nothing(demo):
    before = audit_count(demo)
    result = demo.bulk("read", selected(demo, "status:resolved"))
    assert result.done == [] and result.audit_id is None and audit_count(demo) == before
    assert demo.last_bulk is None


def test_a_dry_run_says_what_would_change_and_writes_nothing(demo):
    before = audit_count(demo)
    result = demo.bulk("resolved", f=demo.parse_filter("severity:high"), dry_run=True)
    assert len(result.done) == 14 and result.dry_run and result.audit_id is None
    assert result.summary() == "14 would be resolved; 4 already resolved"
    assert audit_count(demo) == before and demo.count(demo.parse_filter("severity:high status:resolved"))[0] == 4
    assert result.before[result.done[0]]["status"] != "resolved" and result.after[result.done[0]] == {
        "status": "resolved"}


def test_the_whole_change_lands_or_none_of_it(demo, monkeypatch):
    targets = selected(demo, "status:new")

    def broken(rows):
        raise StoreError("the disk is full")

    monkeypatch.setattr(demo.store, "audit_rows", broken)
    with pytest.raises(StoreError):
        demo.bulk("read", targets)
    assert demo.count(demo.parse_filter("status:new"))[0] == 18  # the rows' UPDATE was rolled back too
    assert demo.last_bulk is None


# --- another operator meanwhile --------------------------------------------------------------------


def test_a_notification_another_operator_changed_since_it_was_selected_is_left_and_reported(demo, maria):
    targets = selected(demo, "status:new")  # what this operator selected, with the versions seen
    ids = list(targets)
    maria.set_status(ids[0], Status.IN_PROGRESS)
    maria.claim(ids[1])
    maria.correct(ids[2], {"severity": "low"}, "minor")
    result = demo.bulk("read", targets)
    assert set(result.moved) == set(ids[:3]) and set(result.moved.values()) == {"maria"}
    assert result.summary() == "15 done; 3 changed by maria meanwhile, left as they are"
    assert demo.notification(ids[0]).status is Status.IN_PROGRESS  # hers, not overwritten
    assert [demo.notification(i).status for i in ids[1:3]] == [Status.NEW, Status.NEW]
    assert demo.notification(ids[1]).assignee == "maria"
    bulk = audit_rows(demo, "notification.bulk")[-1]["detail"]
    assert bulk["changed_meanwhile"] == {str(i): "maria" for i in ids[:3]} and bulk["done"] == 15
    # selected again now, the same change takes them as they are
    assert len(demo.bulk("read", demo.versions(ids[1:3])).done) == 2


def test_selected_by_a_filter_inside_the_change_nothing_can_move_in_between(demo, maria):
    result = demo.bulk("read", f=demo.parse_filter("status:new account:north"))
    assert len(result.done) == 5 and not result.moved


# --- undo ----------------------------------------------------------------------------------------


def test_undo_puts_back_the_old_values_as_a_new_audited_change(demo, maria):
    targets = selected(demo, "status:open account:copperleaf")
    first = demo.bulk("resolved", targets)
    moved = first.done[0]
    maria.set_status(moved, Status.IN_PROGRESS)  # changed since: left as maria made it
    rows_before = audit_count(demo)
    undone = demo.undo_bulk()
    assert undone.title == "Undo close as resolved" and undone.undo_of == first.audit_id
    assert set(undone.done) == set(first.done) - {moved} and set(undone.moved) == {moved}
    assert undone.summary() == f"{len(first.done) - 1} done; 1 changed by maria since, left as it is"
    for nid in undone.done:
        assert demo.notification(nid).status.value == first.before[nid]["status"]
    assert demo.notification(moved).status is Status.IN_PROGRESS
    assert audit_count(demo) == rows_before + len(undone.done) + 1  # nothing deleted: more rows
    restored = [r for r in audit_rows(demo, "notification.status") if r["detail"].get("undo_of") == first.audit_id]
    assert len(restored) == len(undone.done) and restored[0]["detail"]["status"][0] == "resolved"
    with pytest.raises(StoreError, match="nothing to undo"):
        demo.undo_bulk()


def test_undo_of_a_claim_and_of_a_severity(demo):
    targets = selected(demo, "owner:none status:new")
    demo.bulk("claim", targets)
    demo.undo_bulk()
    assert all(demo.notification(i).assignee is None for i in targets)
    assert all(demo.notification(i).claimed_at is None for i in targets)
    old = {i: (demo.notification(i).severity.value, demo.notification(i).corrected) for i in targets}
    demo.bulk("severity", demo.versions(list(targets)), severity="critical")
    demo.undo_bulk()
    assert {i: (demo.notification(i).severity.value, demo.notification(i).corrected) for i in targets} == old


# --- the audit log says it -----------------------------------------------------------------------


def test_the_audit_log_describes_the_bulk_row_and_each_notifications_row(demo, maria):
    targets = selected(demo, "severity:medium")
    maria.mark_read(next(i for i in targets if demo.notification(i).status is Status.NEW))
    result = demo.bulk("read", targets, note={"query": "severity:medium"})
    entries = audit_log.query(demo.store, limit=0)
    bulk = next(e for e in entries if e.action == "notification.bulk")
    assert bulk.what == "many notifications"
    assert describe(bulk) == ("bulk mark read (filter severity:medium): 5 done; 1 changed by others meanwhile, "
                              "left as they were; 13 already so")
    one = next(e for e in entries if e.action == "notification.status" and e.row_id == result.done[0])
    assert describe(one) == f"status new → read; in bulk change #{result.audit_id}"


# --- due: and view: -------------------------------------------------------------------------------


def test_due_qualifiers_count_as_flagdesk_status_does(demo):
    totals = {k: sum(r[k] for r in demo.status()) for k in ("due_24h", "overdue")}
    assert demo.count(demo.parse_filter("due:24h"))[0] == totals["due_24h"] == 3
    assert demo.count(demo.parse_filter("due:overdue"))[0] == totals["overdue"] == 3
    assert demo.count(demo.parse_filter("due:overdue,24h"))[0] == 6
    assert demo.count(demo.parse_filter("due:7d"))[0] >= 3
    assert all(not demo.notification(i).status.closed for i in selected(demo, "due:30d"))
    with pytest.raises(FilterError, match="unknown due 'soon'"):
        parse_filter("due:soon")


def test_view_in_the_filter_stands_for_the_saved_views_text():
    views = {"critical": "severity:critical status:open"}
    f = parse_filter("view:critical account:north", views=views)
    assert f.severities == ["critical"] and f.account_prefix == "north" and "new" in f.statuses
    with pytest.raises(FilterError, match=r"unknown view 'nope' \(views: critical\)"):
        parse_filter("view:nope", views=views)
    with pytest.raises(FilterError, match="no views are set"):
        parse_filter("view:critical")


# --- saved views in the config --------------------------------------------------------------------


def write(tmp_path, text: str):
    path = tmp_path / "views.toml"
    path.write_text(text)
    return path


def test_views_load_in_order_and_later_files_add_to_them(tmp_path, monkeypatch):
    system = tmp_path / "etc" / "config.toml"
    system.parent.mkdir()
    system.write_text('[views]\ncritical = "severity:critical status:open"\n')
    mine = write(tmp_path, '[views]\nmine = "owner:me status:open"\ndue = "due:24h"\n')
    cfg = config_mod.load(mine)
    assert cfg.views == {"critical": "severity:critical status:open", "mine": "owner:me status:open",
                         "due": "due:24h"}
    assert cfg.sources["views.critical"] == str(system) and cfg.sources["views.due"] == str(mine)


@pytest.mark.parametrize("text, message", [
    ('[views]\ncritical = "severity:urgent"\n',
     "views.critical: unknown severity 'urgent' (use critical, high, medium, low)"),
    ('[views]\nsoon = "due:tomorrow"\n', "views.soon: unknown due 'tomorrow'"),
    ('[views]\n"my view" = "status:new"\n', "views.my view: a view's name is letters, digits, - and _"),
    ('[views]\nboth = "view:critical status:new"\n', "views.both: names another view"),
    ('[views]\nempty = ""\n', "views.empty: must be a filter text"),
    ('[views]\nsome = 3\n', "views.some: must be a filter text"),
    ('views = "critical"\n', "views must be a table of view name"),
])
def test_a_view_that_cannot_work_stops_the_program_in_one_line_naming_the_file_and_the_view(tmp_path, text,
                                                                                          message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        config_mod.load(path)
    assert str(exc.value).startswith(f"{path}: ") and message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_a_view_naming_an_unknown_fate_is_checked_against_the_rules_in_force(tmp_path):
    path = write(tmp_path, '[views]\nip = "fate:no_such_fate"\n')
    with pytest.raises(ConfigError, match=r"views\.ip: unknown fate 'no_such_fate'") as exc:
        config_mod.load(path)
    assert str(exc.value).startswith(str(path))
    ok = write(tmp_path, '[views]\nip = "cause:ip severity:high"\n')
    assert config_mod.load(ok).views == {"ip": "cause:ip severity:high"}


def test_config_set_adds_a_view_and_refuses_a_bad_one(tmp_path):
    path = tmp_path / "c.toml"
    config_mod.set_value(path, "views.critical", "severity:critical status:open")
    assert config_mod.load(path).views == {"critical": "severity:critical status:open"}
    with pytest.raises(ConfigError, match="views.bad: unknown status 'later'"):
        config_mod.set_value(path, "views.bad", "status:later")
    assert config_mod.load(path).views == {"critical": "severity:critical status:open"}  # nothing written
