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
