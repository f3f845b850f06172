"""An account's state — deactivated, under review, at risk, funds held — from its open notices and its latest
SP-API status: in `flagdesk status` (plain, JSON, MOTD, the quick path and click's alike) and in the sidebar."""

from __future__ import annotations

import json

import pytest

from console.cli import entry
from console.cli.commands import main as cli_main
from console.core.model import Status
from console.tui.widgets.account_list import AccountList

from .conftest import NOW
from .tui.conftest import build


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setenv("FLAGDESK_NOW", NOW)


def ids_of(desk, fate):
    return [r["id"] for r in desk.store.rows("SELECT id FROM notifications WHERE category = ? ORDER BY id", (fate,))]


def close_all(desk, fate):
    for nid in ids_of(desk, fate):
        desk.set_status(nid, Status.RESOLVED)


@pytest.mark.parametrize("main", [entry.main, cli_main], ids=["quick", "click"])
def test_status_names_each_accounts_state(demo, call, main):
    db = str(demo.store.path)
    code, out, _ = call(main, "status", "--db", db)
    assert code == 0
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert out.splitlines()[0].split() == ["Account", "State", "Unread", "Open", "Due", "24h", "Overdue"]
    assert "deactivated" in lines["Alto Mesa Supply"] and "under review" in lines["Copperleaf Kitchen"]
    assert "at risk" in lines["Northwind Home"]
    code, out, _ = call(main, "status", "--db", db, "--json")
    states = {a["account"]: a["state"] for a in json.loads(out)["accounts"]}
    assert states == {"Alto Mesa Supply": "deactivated", "Brightwater Goods EU": "deactivated",
                      "Copperleaf Kitchen": "under review", "Northwind Home": "at risk"}


def test_closing_the_deactivation_leaves_the_next_state_and_then_none(demo, call):
    """The deactivations resolved: Alto Mesa's funds are still held, Brightwater is still at risk (its forwarded
    notice: another account's deactivation is not its own); all resolved: no state, no column."""
    db = str(demo.store.path)
    close_all(demo, "account_deactivated")
    states = {a["account"]: a["state"] for a in json.loads(call(entry.main, "status", "--db", db, "--json")[1])
              ["accounts"]}
    assert states["Alto Mesa Supply"] == "funds held" and states["Brightwater Goods EU"] == "at risk"
    for fate in ("funds_held", "account_under_review", "account_at_risk"):
        close_all(demo, fate)
    out = call(entry.main, "status", "--db", db)[1]
    assert "State" not in out and "deactivated" not in out


def test_the_latest_spapi_status_makes_a_state_until_a_later_one_clears_it(demo, call):
    db = str(demo.store.path)
    for fate in ("account_deactivated", "funds_held", "account_under_review", "account_at_risk"):
        close_all(demo, fate)
    northwind = next(a for a in demo.accounts() if a.name == "Northwind Home")
    with demo.store.write() as conn:
        conn.execute("INSERT INTO account_status_history (account_id, marketplace, at, previous, current) "
                     "VALUES (?, 'US', '2026-11-26T08:00:00Z', 'NORMAL', 'SUSPENDED')", (northwind.id,))
    assert "Northwind Home deactivated" in call(entry.main, "status", "--db", db, "--motd")[1]
    with demo.store.write() as conn:
        conn.execute("INSERT INTO account_status_history (account_id, marketplace, at, previous, current) "
                     "VALUES (?, 'US', '2026-11-27T07:00:00Z', 'SUSPENDED', 'NORMAL')", (northwind.id,))
    assert "deactivated" not in call(entry.main, "status", "--db", db)[1]


@pytest.mark.parametrize("main", [entry.main, cli_main], ids=["quick", "click"])
def test_the_login_line_is_never_all_clear_while_an_account_is_deactivated(demo, call, main):
    """Everything read and no deadline near: the MOTD used to print nothing (all clear) while an account could
    not sell. It leads with the state now."""
    db = str(demo.store.path)
    for r in demo.store.rows("SELECT id FROM notifications WHERE status = 'new'"):
        demo.mark_read(r["id"])
    with demo.store.write() as conn:
        conn.execute("UPDATE notifications SET deadline_at = NULL")
    code, out, _ = call(main, "status", "--db", db, "--motd")
    assert code == 0
    assert out.startswith("flagdesk: Alto Mesa Supply deactivated, Brightwater Goods EU deactivated, "
                          "Copperleaf Kitchen under review, +1 more; 0 unread — run `flagdesk`"), out


async def test_the_sidebar_says_each_accounts_state_under_its_name(demo):
    app = build(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(AccountList)
        text = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        alto = next(t for t in text if "Alto Mesa Supply" in t)
        assert alto.splitlines()[1].strip() == "✖ DEACTIVATED"
        assert any(t.splitlines()[-1].strip() == "◆ UNDER REVIEW" for t in text if "Copperleaf" in t)
        close_all(demo, "account_deactivated")
        app.screen.reload()
        await pilot.pause()
        text = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        alto = next(t for t in text if "Alto Mesa Supply" in t)
        assert alto.splitlines()[1].strip() == "$ FUNDS HELD"


def test_the_state_fates_are_fates_of_the_reading_rules():
    from console.core.reading import load_rules
    from console.store.reads import STATES, STATUS_STATES

    fates = [r.id for r in load_rules().fates]
    assert [f for f, _ in STATES] == [f for f in fates if f in dict(STATES)]  # most serious first, as the rules
    assert set(STATUS_STATES.values()) <= set(dict(STATES))
