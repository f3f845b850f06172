"""Alerts through apprise's json:// to a real HTTP receiver (http.server on a free localhost port, started
and stopped by these tests): one alert per event across runs, a digest, a receiver that is down."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytest.importorskip("apprise")

from tests.test_import import notice_maildir  # noqa: E402
from tests.test_sources import free_port  # noqa: E402


class Receiver:
    """An HTTP endpoint that keeps every JSON body POSTed to it; `stop` makes it refuse connections."""

    def __init__(self):
        self.port = free_port()
        self.got: list[dict] = []
        self.server = None

    def start(self):
        got = self.got

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self):
        return f"json://127.0.0.1:{self.port}/hook"


@pytest.fixture
def receiver():
    r = Receiver()
    r.start()
    yield r
    r.stop()


@pytest.fixture
def setup(tmp_path, desk, receiver):
    """A Maildir source and [alerts] to the receiver: write(**alerts settings) -> argv."""
    desk.add_account("Northwind", ["US", "CA"], ["notices+northwind@ops.example.com"])
    mail = tmp_path / "mail"
    cfg = tmp_path / "config.toml"

    def write(**alerts):
        table = {"urls": [receiver.url], "deadline_hours": 0, "follow_ups": False, **alerts}
        cfg.write_text(f'[[sources]]\nname = "box"\nkind = "maildir"\npath = "{mail}"\n\n[alerts]\n'
                       + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items()))
        return ["--config", str(cfg), "--db", str(tmp_path / "flagdesk.db")]

    return write, mail


def urgent(desk, after: int = 0) -> list[str]:
    return [r[0] for r in desk.store.conn.execute(
        "SELECT subject FROM notifications WHERE severity IN ('critical', 'high') AND id > ? ORDER BY id", (after,))]


def test_one_alert_per_event_across_runs(setup, receiver, desk, run):
    write, mail = setup
    argv = write()
    notice_maildir(mail, 6)
    code, out, err = run("fetch", *argv)
    assert code == 0 and "box: imported 6" in out
    expected = urgent(desk)
    assert 0 < len(expected) < 6  # the rule picks the critical and high ones only
    assert sorted(m["title"].split(": ", 2)[-1] for m in receiver.got) == sorted(expected)
    assert err.count("-> json://127.0.0.1") == len(expected) and err.count(": sent") == len(expected)
    for _ in range(2):  # later runs (each a new process's worth of state) send nothing again
        run("fetch", *argv)
    assert len(receiver.got) == len(expected)
    notice_maildir(mail, 6, first=6)
    run("fetch", *argv)
    assert len(receiver.got) == len(urgent(desk))  # only the new ones
    code, out, _ = run("alerts", "list", *argv)
    assert code == 0 and out.count(" sent 2026-11-27T08:00") == len(urgent(desk))


def test_a_digest_sends_what_waits_in_one_message_every_n_minutes(setup, receiver, desk, run, monkeypatch):
    write, mail = setup
    argv = write(digest_minutes=60)
    notice_maildir(mail, 6)
    run("fetch", *argv)
    first = urgent(desk)
    [digest] = receiver.got
    assert digest["title"] == f"flagdesk: {len(first)} alerts"
    assert digest["message"].count("\n- ") == len(first) - 1
    notice_maildir(mail, 6, first=6)
    run("fetch", *argv)
    assert len(receiver.got) == 1  # the next digest is not due yet
    monkeypatch.setenv("FLAGDESK_NOW", "2026-11-27T09:01:00Z")
    code, out, err = run("fetch", *argv)
    assert len(receiver.got) == 2
    later = len(urgent(desk)) - len(first)
    assert receiver.got[1]["title"] == f"flagdesk: {later} alert{'s' if later != 1 else ''}"
    run("fetch", *argv)
    assert len(receiver.got) == 2


def test_a_receiver_that_is_down_is_retried_later_never_lost_never_twice(setup, receiver, desk, run):
    write, mail = setup
    argv = write()
    receiver.stop()
    notice_maildir(mail, 6)
    code, out, err = run("fetch", *argv)
    assert code == 0  # the import went; the alerts wait
    expected = urgent(desk)
    assert err.count("tried again later") == len(expected)
    code, out, _ = run("alerts", "list", *argv)
    assert out.count("waiting (1 tries;") == len(expected)
    run("fetch", *argv)  # still down: a second try
    receiver.start()
    code, out, err = run("fetch", *argv)
    assert err.count(": sent") == len(expected)
    run("fetch", *argv)
    assert sorted(m["title"].split(": ", 2)[-1] for m in receiver.got) == sorted(expected)  # each once
    _, out, _ = run("alerts", "list", "--json", *argv)
    assert all(a["sent_at"] and a["attempts"] == 3 for a in json.loads(out))


def test_alerts_test_sends_one_message_and_lists_it(setup, receiver, run):
    write, _ = setup
    argv = write()
    code, out, err = run("alerts", "test", *argv)
    assert code == 0 and out.strip() == f"json://127.0.0.1:{receiver.port}/…: sent"
    [msg] = receiver.got
    assert msg["title"] == "flagdesk: test alert"
    code, out, _ = run("alerts", "list", *argv)
    assert "test" in out and "sent 2026-11-27T08:00" in out
    receiver.stop()
    code, out, err = run("alerts", "test", *argv)
    assert code == 1 and "not sent:" in err


def test_alert_text_is_cleaned(setup, receiver, desk, run):
    write, mail = setup
    argv = write(severities=["critical", "high", "medium", "low"])
    notice_maildir(mail, 1, subject="Account at risk \x1b]52;c;cm0gLXJmIH4=\x07\x1b[31m now")
    run("fetch", *argv)
    [msg] = receiver.got
    assert "\x1b" not in msg["title"] + msg["message"] and "\x07" not in msg["title"]
    assert "Account at risk" in msg["title"]


def rules_desk(desk, receiver, **alerts):
    desk.config.values["alerts"] = {"urls": [receiver.url], **alerts}
    return desk


def test_a_deadline_within_n_hours_and_an_overdue_follow_up_alert_once_each(desk, receiver, clock):
    from datetime import timedelta

    from console.store import contacts
    from console.store import notifications as notes
    from console.store.notifications import NewNotification

    account = desk.add_account("Northwind", ["US"], ["notices+northwind@ops.example.com"])
    now = clock.now()

    def notice(subject, deadline):
        return notes.add_notification(desk.store, NewNotification(
            account.id, "US", now, subject, "Please act before the deadline.", "listing_policy", "medium",
            deadline_at=deadline))

    notice("Soon due", now + timedelta(hours=10))
    notice("Due later", now + timedelta(hours=30))
    contacts.open_case(desk.store, account.id, "email", "Asked about the listing", case_ref="CASE-88",
                       follow_up_at=now - timedelta(hours=1))
    alerts = rules_desk(desk, receiver, deadline_hours=24).alerts()
    alerts.run()
    titles = sorted(m["title"] for m in receiver.got)
    assert len(titles) == 2
    assert titles[0].startswith("Seller Support follow-up overdue: Northwind: Asked about the listing")
    assert titles[1].startswith("deadline 2026-11-27T18:00") and titles[1].endswith("Northwind: Soon due")
    assert "CASE-88" in [m for m in receiver.got if "follow-up" in m["title"]][0]["message"]
    alerts.run()
    assert len(receiver.got) == 2  # once each
    clock.at = now + timedelta(hours=8)  # "Due later" is within 24 hours now
    alerts.run()
    alerts.run()
    assert [m["title"].rsplit(": ", 1)[-1] for m in receiver.got[2:]] == ["Due later"]


def test_an_account_status_change_alerts_once_not_also_as_a_critical_notice(desk, receiver):
    from pathlib import Path

    desk.add_account("Northwind", ["US", "DE"], ["notices+northwind@ops.example.com"])
    data = Path(__file__).parent / "data" / "spapi"
    summary = desk.importer("Northwind").run([data / "status_camel.json", data / "status_pascal.json"], "spapi")
    assert summary.imported == 2
    rules_desk(desk, receiver).alerts().run()
    assert sorted(m["title"] for m in receiver.got) == [
        "Northwind: account status AT_RISK -> DEACTIVATED", "Northwind: account status NORMAL -> AT_RISK"]
    assert all(m["type"] == "warning" for m in receiver.got)


def test_a_second_watcher_does_not_claim_what_the_first_is_sending(desk, tmp_path, clock):
    from console.store import alerts as store_alerts
    from console.store.db import open_store

    desk.store.conn.execute("BEGIN IMMEDIATE")
    desk.store.conn.execute("INSERT INTO alerts (event, rule, title, body, created_at) VALUES "
                            "('e1', 'severity', 't', 'b', '2026-11-27T08:00:00Z')")
    desk.store.conn.execute("COMMIT")
    other = open_store(desk.store.path, "tester", clock)
    try:
        first = store_alerts.claim(desk.store, "box-a:1", 0)
        assert [a["event"] for a in first] == ["e1"]
        assert store_alerts.claim(other, "box-b:2", 0) == []  # claimed, being sent
        from datetime import timedelta

        clock.at = clock.at + timedelta(minutes=6)  # the first watcher died while sending: taken over
        assert [a["event"] for a in store_alerts.claim(other, "box-b:2", 0)] == ["e1"]
    finally:
        other.close()


def test_backoff_doubles_up_to_its_cap_with_jitter():
    import random

    from console.ingest.watch import backoff

    rng = random.Random(7)
    waits = [backoff(n, 1.0, 30.0, rng) for n in range(1, 9)]
    caps = [1, 2, 4, 8, 16, 30, 30, 30]
    assert all(cap / 2 <= w <= cap for w, cap in zip(waits, caps))
    assert len({round(backoff(3, 1.0, 30.0, rng), 6) for _ in range(20)}) > 10  # jittered, not in step


def test_an_evaluation_with_nothing_new_takes_no_write_lock(setup, receiver, desk, run):
    """The watch evaluates every half minute: with nothing new it reads only, so another session's long write
    (a bulk change, a big import) neither blocks it nor is queued behind it."""
    import sqlite3

    from console.ingest.alerts import Alerts

    write, mail = setup
    argv = write(deadline_hours=24, follow_ups=True)
    notice_maildir(mail, 3)
    run("fetch", *argv)
    other = sqlite3.connect(desk.store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another session holds the write lock
        alerts = Alerts(rules_desk(desk, receiver, deadline_hours=24, follow_ups=True))
        assert alerts.enabled and alerts.run() == []
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_urls_in_a_0600_file_and_one_others_can_read_refused(tmp_path, desk, receiver, run):
    desk.add_account("Northwind", ["US", "CA"], ["notices+northwind@ops.example.com"])
    urls = tmp_path / "alert-urls"
    urls.write_text(f"# the on-call channel\n{receiver.url}\n")
    urls.chmod(0o600)
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[alerts]\nurls_file = "{urls}"\n')
    argv = ["--config", str(cfg), "--db", str(tmp_path / "flagdesk.db")]
    code, out, err = run("alerts", "test", *argv)
    assert code == 0 and len(receiver.got) == 1
    code, out, _ = run("config", "show", *argv)
    assert receiver.url not in out  # the URL (a token, with a real service) is not in the config
    urls.chmod(0o644)
    code, out, err = run("alerts", "test", *argv)
    assert code == 1 and f"alerts urls_file {urls} is readable by others (mode 0644): refused" in err
    assert len(receiver.got) == 1
