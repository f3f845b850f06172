"""Appeals in the store: revisions, conflicts, review, the one-time Appeal button, outcomes, revise."""

from __future__ import annotations

import threading

import pytest

from console.core.errors import ConflictError, StoreError
from console.store import accounts as acc
from console.store import appeals as ap
from console.store import notifications as notes
from console.store.db import open_store
from tests.test_store import add


@pytest.fixture
def nid(store):
    north = acc.add_account(store, "Northwind", ["US"])
    return add(store, north, "IP complaint")


def test_create_save_revisions_restore(store, nid):
    a = ap.create_appeal(store, nid, "## Root cause\n\n")
    assert (a.revision, a.status, a.author, a.editable) == (1, "draft", "tester", True)
    a = ap.save_text(store, a.id, "v2", a.version)
    a = ap.save_text(store, a.id, "v2", a.version)  # unchanged text: no new revision
    a = ap.save_text(store, a.id, "v3", a.version)
    assert [r.text for r in ap.revisions(store, a.id)] == ["## Root cause\n\n", "v2", "v3"]
    a = ap.restore_revision(store, a.id, 2, a.version)
    assert a.text == "v2" and a.revision == 4
    assert ap.revisions(store, a.id)[-1].note == "restored revision 2"
    with pytest.raises(StoreError, match="already has a draft"):
        ap.create_appeal(store, nid, "")


def test_stale_save_is_refused(store, nid, clock):
    a = ap.create_appeal(store, nid, "mine")
    other = open_store(store.path, "maria", clock, os_user="maria")
    ap.save_text(other, a.id, "maria's text", a.version)
    with pytest.raises(ConflictError, match="saved by maria"):
        ap.save_text(store, a.id, "my later text", a.version)
    assert ap.get_appeal(store, a.id).text == "maria's text"
    other.close()


def test_review_needs_another_operator(store, nid, clock):
    a = ap.create_appeal(store, nid, "text")
    with pytest.raises(StoreError, match="wrote part of this appeal"):
        ap.mark_reviewed(store, a.id, ap.get_appeal(store, a.id).revision)
    other = open_store(store.path, "maria", clock, os_user="maria")
    r = ap.mark_reviewed(other, a.id, ap.get_appeal(other, a.id).revision)
    assert (r.reviewed_by, r.reviewed_revision) == ("maria", 1)
    other.close()


def test_submit_blocked_by_failing_checks_unless_overridden(store, nid):
    a = ap.create_appeal(store, nid, "text")
    with pytest.raises(StoreError, match="required checks fail \\(tone\\)"):
        ap.submit(store, a.id, "appeal-button", failing=["tone"])
    assert ap.button_state(store, nid) == (None, None)
    s = ap.submit(store, a.id, "appeal-button", failing=["tone"], override_reason="legal wording required")
    assert s.status == "submitted" and s.override_reason == "legal wording required"
    audit = store.rows("SELECT detail FROM audit WHERE action = 'appeal.submit'")
    assert "legal wording required" in audit[0]["detail"] and "tone" in audit[0]["detail"]
    assert notes.get_notification(store, nid).status.value == "appealed"
    with pytest.raises(StoreError, match="read-only"):
        ap.save_text(store, a.id, "changed", s.version)


def test_appeal_button_works_once_then_contact_us(store, nid):
    first = ap.create_appeal(store, nid, "first")
    ap.submit(store, first.id, "appeal-button")
    assert ap.button_state(store, nid)[1] == "tester"
    ap.record_outcome(store, first.id, "rejected", "not specific enough")
    second = ap.revise(store, first.id)
    assert (second.text, second.route, second.revised_from) == ("first", "contact-us", first.id)
    with pytest.raises(StoreError, match="Appeal button of notification .* is spent"):
        ap.submit(store, second.id, "appeal-button")
    done = ap.submit(store, second.id, "contact-us", channel="email", case_id="1234567890")
    assert (done.route, done.channel, done.case_id) == ("contact-us", "email", "1234567890")
    ap.record_outcome(store, second.id, "accepted")
    assert notes.get_notification(store, nid).status.value == "resolved"


def test_two_operators_racing_for_the_button_exactly_one_wins(store, nid, clock):
    draft = ap.create_appeal(store, nid, "plan of action")
    results: list[str] = []
    barrier = threading.Barrier(4)

    def race(who: str):
        s = open_store(store.path, who, clock, os_user=who)
        barrier.wait()
        try:
            ap.submit(s, draft.id, "appeal-button")
            results.append(f"won:{who}")
        except StoreError as exc:
            results.append(str(exc))
        finally:
            s.close()

    threads = [threading.Thread(target=race, args=(who,)) for who in ("ana", "ben", "cara", "dev")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    winners = [r for r in results if r.startswith("won:")]
    assert len(winners) == 1 and len(results) == 4
    assert all("already submitted" in r for r in results if not r.startswith("won:"))
    assert ap.button_state(store, nid)[1] == winners[0].split(":")[1]
    assert store.rows("SELECT count(*) AS n FROM audit WHERE action = 'notification.appeal_button'")[0]["n"] == 1


def test_outcome_rules(store, nid):
    a = ap.create_appeal(store, nid, "x")
    with pytest.raises(StoreError, match="not been submitted"):
        ap.record_outcome(store, a.id, "accepted")
    ap.submit(store, a.id, "contact-us", channel="chat")
    p = ap.record_outcome(store, a.id, "pending", "waiting on seller support")
    assert (p.status, p.outcome_note) == ("submitted", "waiting on seller support")
    with pytest.raises(StoreError, match="only a rejected appeal"):
        ap.revise(store, a.id)


def test_presence_expires(store, nid, clock):
    from datetime import timedelta

    a = ap.create_appeal(store, nid, "x")
    ap.heartbeat(store, a.id)
    other = open_store(store.path, "maria", clock, os_user="maria")
    ap.heartbeat(other, a.id)
    assert ap.other_editors(store, a.id, clock.now()) == [("maria", "maria")]
    assert ap.other_editors(other, a.id, clock.now()) == [("tester", "tester")]
    assert ap.other_editors(store, a.id, clock.now() + timedelta(minutes=5)) == []
    ap.heartbeat(other, a.id, editing=False)
    assert ap.other_editors(store, a.id, clock.now()) == []
    other.close()


def test_review_vouches_only_for_the_revision_read_and_not_by_a_writer(store, nid, clock):
    a = ap.create_appeal(store, nid, "v1")
    maria = open_store(store.path, "maria", clock, os_user="maria")
    seen = ap.get_appeal(maria, a.id).revision
    ap.save_text(store, a.id, "v2 written after maria opened it", a.version)
    with pytest.raises(ConflictError, match="read the new text"):
        ap.mark_reviewed(maria, a.id, seen)
    ap.save_text(maria, a.id, "maria edits too", ap.get_appeal(maria, a.id).version)
    with pytest.raises(StoreError, match="wrote part of this appeal"):
        ap.mark_reviewed(maria, a.id, ap.get_appeal(maria, a.id).revision)
    maria.close()


def test_submit_refuses_text_saved_after_the_checks(store, nid, clock):
    a = ap.create_appeal(store, nid, "checked text")
    other = open_store(store.path, "ben", clock, os_user="ben")
    ap.save_text(other, a.id, "unchecked text", a.version)
    other.close()
    with pytest.raises(ConflictError, match="saved again since it was checked"):
        ap.submit(store, a.id, "appeal-button", expected_version=a.version)
    assert ap.button_state(store, nid) == (None, None)


def test_outcome_cannot_be_overwritten(store, nid):
    a = ap.create_appeal(store, nid, "x")
    ap.submit(store, a.id, "contact-us")
    ap.record_outcome(store, a.id, "accepted")
    with pytest.raises(StoreError, match="outcome is recorded"):
        ap.record_outcome(store, a.id, "pending")
