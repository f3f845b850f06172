"""Claims and presence in the store: atomic claims, take-overs, releases, filters and audit rows."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from console.core.clock import FrozenClock
from console.core.errors import ConflictError
from console.core.triage import FilterError, parse_filter
from console.desk import Desk
from console.store.db import open_store


def _audit(store, nid):
    return [(r["actor"], r["action"]) for r in store.rows(
        "SELECT actor, action FROM audit WHERE table_name = 'notifications' AND row_id = ? "
        "AND action IN ('notification.claim', 'notification.release') ORDER BY id", (nid,))]


@pytest.fixture
def maria(demo, config, clock):
    s = open_store(demo.store.path, "maria", clock, os_user="maria")
    yield Desk(s, config, clock)
    s.close()


def _unclaimed(desk):
    return desk.store.rows("SELECT id FROM notifications WHERE assignee IS NULL ORDER BY id LIMIT 1")[0]["id"]


def test_claim_makes_the_operator_the_owner_and_is_audited(demo):
    nid = _unclaimed(demo)
    before = demo.notification(nid).version
    n = demo.claim(nid)
    assert n.assignee == "tester" and n.claimed_at == demo.now() and n.version == before + 1
    assert _audit(demo.store, nid) == [("tester", "notification.claim")]
    demo.claim(nid)  # ours already: nothing changes, nothing audited twice
    assert _audit(demo.store, nid) == [("tester", "notification.claim")]


def test_someone_elses_claim_is_refused_naming_them(demo, maria):
    nid = _unclaimed(demo)
    maria.claim(nid)
    with pytest.raises(ConflictError, match=r"already claimed by maria since 2026-11-27 08:00 UTC"):
        demo.claim(nid)
    assert demo.notification(nid).assignee == "maria"
    with pytest.raises(ConflictError, match="claimed by maria"):
        demo.release(nid)


def test_take_over_needs_the_owner_it_was_shown(demo, maria, config, clock):
    nid = _unclaimed(demo)
    maria.claim(nid)
    jonas = Desk(open_store(demo.store.path, "jonas", clock, os_user="jonas"), config, clock)
    jonas.claim(nid, take_over_from="maria")
    # tester saw maria as the owner; jonas took it meanwhile: tester's take-over is refused.
    with pytest.raises(ConflictError, match="jonas"):
        demo.claim(nid, take_over_from="maria")
    assert demo.notification(nid).assignee == "jonas"
    demo.claim(nid, take_over_from="jonas")
    assert demo.notification(nid).assignee == "tester"
    rows = demo.store.rows("SELECT actor, detail FROM audit WHERE action = 'notification.claim' AND row_id = ? "
                           "ORDER BY id", (nid,))
    assert [(r["actor"], r["detail"]) for r in rows] == [
        ("maria", '{"assignee": [null, "maria"], "assignee_os": [null, "maria"]}'),
        ("jonas", '{"assignee": ["maria", "jonas"], "assignee_os": ["maria", "jonas"]}'),
        ("tester", '{"assignee": ["jonas", "tester"], "assignee_os": ["jonas", "tester"]}'),
    ]
    jonas.store.close()


def test_release_gives_it_back(demo):
    nid = _unclaimed(demo)
    demo.claim(nid)
    n = demo.release(nid)
    assert n.assignee is None and n.claimed_at is None
    assert _audit(demo.store, nid) == [("tester", "notification.claim"), ("tester", "notification.release")]


def test_racing_claims_exactly_one_wins(demo, config, clock):
    nid = _unclaimed(demo)
    results: dict[str, str] = {}
    barrier = threading.Barrier(6)

    def race(name):
        desk = Desk(open_store(demo.store.path, name, clock, os_user=name), config, clock)
        barrier.wait()
        try:
            desk.claim(nid)
            results[name] = "won"
        except ConflictError as exc:
            results[name] = str(exc)
        finally:
            desk.store.close()

    threads = [threading.Thread(target=race, args=(f"op{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [k for k, v in results.items() if v == "won"]
    assert len(winners) == 1
    owner = demo.notification(nid).assignee
    assert owner == winners[0]
    assert all(f"already claimed by {owner}" in v for k, v in results.items() if k != owner)
    assert _audit(demo.store, nid) == [(owner, "notification.claim")]


def test_owner_filters_mine_unclaimed_and_by_name(demo, maria):
    a, b = [r["id"] for r in demo.store.rows("SELECT id FROM notifications WHERE assignee IS NULL LIMIT 2")]
    demo.claim(a)
    maria.claim(b)
    mine = demo.page(parse_filter("owner:me"), 0, 100)
    assert [r["id"] for r in mine] == [a]
    marias = {r["id"] for r in demo.store.rows("SELECT id FROM notifications WHERE assignee = 'maria'")}
    assert b in marias and len(marias) > 1  # the demo has some of hers already
    assert {r["id"] for r in maria.page(parse_filter("owner:mine"), 0, 100)} == marias
    assert {r["id"] for r in demo.page(parse_filter("owner:maria"), 0, 100)} == marias
    unclaimed = {r["id"] for r in demo.page(parse_filter("owner:none"), 0, 100)}
    assert a not in unclaimed and b not in unclaimed
    assert unclaimed == {r["id"] for r in demo.store.rows("SELECT id FROM notifications WHERE assignee IS NULL")}
    with pytest.raises(FilterError, match="owner:me"):
        parse_filter("owner:")


def test_presence_shows_others_and_expires(demo, maria, config, clock):
    nid = _unclaimed(demo)
    maria.beat(nid)
    assert demo.others_present() == {nid: [("maria", "viewing")]}
    assert maria.others_present() == {}  # not oneself
    maria.beat(nid + 1)  # moving on replaces the old row
    assert demo.others_present() == {nid + 1: [("maria", "viewing")]}
    later = FrozenClock(clock.now() + timedelta(seconds=91))
    assert Desk(demo.store, config, later).others_present() == {}
    maria.leave()
    assert demo.others_present() == {}


def test_presence_in_an_appeal_reads_as_editing(demo, maria):
    from console.store import appeals as appeals_store

    nid = _unclaimed(demo)
    appeal = maria.open_appeal(nid)
    appeals_store.heartbeat(maria.store, appeal.id)
    maria.beat(nid)
    assert demo.others_present() == {nid: [("maria", "editing")]}
