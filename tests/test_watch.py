"""`flagdesk fetch --watch`, the installed command in a subprocess, against a real IMAP server (pymap) and a
real SQS endpoint (moto in server mode), both on free localhost ports, started and stopped by these tests:
new mail picked up by IDLE within seconds, a server without IDLE polled, a connection dropped in the middle
of a fetch, SIGTERM and SIGINT between messages, alerts sent from the watch."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pymap")

from tests.test_sources import PASSWORD, USER, DroppingProxy, fill, start_pymap, stop  # noqa: E402

COMMAND = Path(sys.executable).parent / "flagdesk"
FAST = {"backoff_seconds": 0.2, "backoff_max_seconds": 1, "poll_seconds": 0.5, "idle_seconds": 30}


@pytest.fixture(scope="module")
def server():
    proc, port = start_pymap("--no-tls")
    yield port
    stop(proc)


@pytest.fixture
def folder(request):
    return "W-" + "".join(c for c in request.node.name if c.isalnum())[:40]


class Watcher:
    """`flagdesk fetch --watch` running; its stderr lines gathered as they come."""

    def __init__(self, argv: list[str], env: dict):
        if not COMMAND.exists():
            pytest.skip("the flagdesk command is not installed beside this Python")
        self.proc = subprocess.Popen([str(COMMAND), "fetch", "--watch", *argv], env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 15) -> float:
        """Seconds until `count` stderr lines match `pattern`."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if sum(bool(re.search(pattern, line)) for line in list(self.lines)) >= count:
                return time.monotonic() - start
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        pytest.fail(f"no {count} lines matching {pattern!r} in {timeout} s; stderr:\n" + "\n".join(self.lines))

    def signal(self, sig=signal.SIGTERM, timeout: float = 10) -> int:
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=2)
        return code


@pytest.fixture
def watching(tmp_path, desk):
    """start(sources table, **config) -> a Watcher; every one started is stopped at the end."""
    desk.add_account("Northwind", ["US", "CA"], ["notices+northwind@ops.example.com"])
    desk.close()
    pw = tmp_path / "imap.pass"
    pw.write_text(PASSWORD + "\n")
    pw.chmod(0o600)
    started = []

    def start(table: dict, watch: dict | None = None, alerts: dict | None = None) -> Watcher:
        cfg = tmp_path / "config.toml"
        text = "[[sources]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items())
        text += "\n[watch]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in {**FAST, **(watch or {})}.items())
        if alerts:
            text += "\n[alerts]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in alerts.items())
        cfg.write_text(text)
        env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}
        env.pop("FLAGDESK_NOW", None)
        w = Watcher(["--config", str(cfg), "--db", str(tmp_path / "flagdesk.db")], env)
        started.append(w)
        return w

    start.imap = lambda port, folder, **extra: {
        "name": "shared", "kind": "imap", "host": "127.0.0.1", "port": port, "security": "plain", "user": USER,
        "password_file": str(pw), "folder": folder, "timeout": 5, **extra}
    start.db = tmp_path / "flagdesk.db"
    yield start
    for w in started:
        if w.proc.poll() is None:
            w.proc.kill()
            w.proc.wait()


def stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM notifications").fetchone()[0]


def test_new_mail_during_watch_is_picked_up_by_idle_within_seconds_and_sigterm_stops(server, folder, watching):
    fill(server, folder, [0])
    w = watching(watching.imap(server, folder))
    w.wait_for(r"source shared: imported 1, duplicates 0")
    w.wait_for(rf"source shared: watching {folder} \(IDLE\)")
    time.sleep(0.3)  # in IDLE now
    fill(server, folder, [1])
    seconds = w.wait_for(r"source shared: imported 1, duplicates 0", count=2, timeout=10)
    assert seconds < 5, f"picked up after {seconds:.1f} s"
    assert stored(watching.db) == 2
    assert w.signal(signal.SIGTERM) == 0
    assert "SIGTERM: stopping" in "\n".join(w.lines) and w.lines[-1].endswith("flagdesk: stopped")
    # One line per event, each stamped.
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ", line) for line in w.lines)


def test_a_server_without_idle_is_polled(server, folder, watching):
    proxy = RewritingProxy(server, lambda data: re.sub(rb" IDLE\b", b"", data))
    try:
        fill(server, folder, [0])
        w = watching(watching.imap(proxy.port, folder))
        w.wait_for(r"the server has no IDLE: polling every 0.5 s")
        fill(server, folder, [1])
        w.wait_for(r"source shared: imported 1, duplicates 0", count=2, timeout=10)
        assert stored(watching.db) == 2
        assert w.signal(signal.SIGINT) == 0
    finally:
        proxy.close()


def test_a_connection_dropped_mid_fetch_during_watch_imports_nothing_then_completes(server, folder, watching):
    fill(server, folder, range(3))
    proxy = DroppingProxy(server, drop_at=2)
    try:
        w = watching(watching.imap(proxy.port, folder))
        w.wait_for(r"connection lost while fetching.*; retrying in \d+\.\d s")
        assert stored(watching.db) == 0  # nothing half-imported
        proxy.drop_at = None
        w.wait_for(r"source shared: imported 3, duplicates 0", timeout=15)
        assert stored(watching.db) == 3
        assert w.signal() == 0
    finally:
        proxy.close()
    with sqlite3.connect(watching.db) as conn:
        last_error, failing = conn.execute("SELECT last_error, failing_since FROM source_state").fetchone()
    assert last_error is None and failing is None  # the source is well again


def test_alerts_are_sent_from_the_watch(server, folder, watching):
    from tests.test_alerts import Receiver

    receiver = Receiver()
    receiver.start()
    try:
        fill(server, folder, [0, 1])
        w = watching(watching.imap(server, folder), alerts={
            "urls": [receiver.url], "severities": ["critical", "high", "medium", "low"], "deadline_hours": 0,
            "follow_ups": False})
        w.wait_for(r"alert severity: .* -> json://127\.0\.0\.1:\d+/…: sent", count=2)
        assert len(receiver.got) == 2
        assert w.signal() == 0
    finally:
        receiver.stop()


class RewritingProxy(DroppingProxy):
    """Forwards to the IMAP server, rewriting what the server says (here: the IDLE capability taken out)."""

    def __init__(self, target: int, rewrite):
        self.rewrite = rewrite
        self.rewrite_client = lambda data: data
        super().__init__(target, drop_at=None)

    def _pipe(self, src, dst, from_client):
        try:
            while data := src.recv(65536):
                dst.sendall(self.rewrite_client(data) if from_client else self.rewrite(data))
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def test_sqs_is_long_polled_and_sigint_stops(watching, tmp_path):
    pytest.importorskip("boto3")
    moto_server = pytest.importorskip("moto.server")
    import boto3

    from tests.test_sqs import bodies

    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        _, port = server.get_host_and_port()
        sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        url = sqs.create_queue(QueueName="watched")["QueueUrl"]
        w = watching({"name": "spapi", "kind": "sqs", "queue_url": url, "region": "us-east-1",
                      "endpoint_url": f"http://127.0.0.1:{port}", "account": "Northwind", "wait_seconds": 1,
                      "timeout": 5})
        w.wait_for(r"source spapi: watching \(long polling ")
        time.sleep(0.5)
        for body in bodies():
            sqs.send_message(QueueUrl=url, MessageBody=body)
        w.wait_for(r"source spapi: imported \d, duplicates 0", timeout=10)
        deadline = time.monotonic() + 10
        while stored(watching.db) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert stored(watching.db) == 3
        assert w.signal(signal.SIGINT) == 0
        assert w.lines[-1].endswith("flagdesk: stopped")
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"
    finally:
        server.stop()


class TLSProxy(DroppingProxy):
    """Implicit TLS (the port speaks TLS from its first byte, as 993 does) in front of the plain pymap server,
    which cannot do that itself (it offers STARTTLS only): a self-signed certificate made by the test."""

    def __init__(self, target: int, cert: Path, key: Path):
        import ssl

        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(cert), str(key))
        super().__init__(target, drop_at=None)

    def _serve(self):
        while not self.stopping:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                continue
            try:
                raw.settimeout(5)
                client = self.context.wrap_socket(raw, server_side=True)
                client.settimeout(None)
            except OSError:
                raw.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5)
            upstream.settimeout(None)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()


@pytest.fixture
def tls_port(server, tmp_path):
    import shutil

    if not shutil.which("openssl"):
        pytest.skip("no openssl to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=30)
    proxy = TLSProxy(server, cert, key)
    yield proxy.port, cert
    proxy.close()


def test_implicit_tls_fetch_and_idle(server, folder, watching, tls_port):
    port, cert = tls_port
    fill(server, folder, [0])
    w = watching(watching.imap(port, folder, security="tls", ca_file=str(cert)))
    w.wait_for(r"source shared: imported 1, duplicates 0")
    w.wait_for(rf"source shared: watching {folder} \(IDLE\)")
    time.sleep(0.3)
    fill(server, folder, [1])
    w.wait_for(r"source shared: imported 1, duplicates 0", count=2, timeout=10)
    assert stored(watching.db) == 2
    assert w.signal() == 0


def test_implicit_tls_refuses_a_certificate_nobody_vouches_for(server, folder, watching, tls_port):
    port, _ = tls_port
    fill(server, folder, [0])
    w = watching(watching.imap(port, folder, security="tls"))  # the system's CAs do not know it
    w.wait_for(rf"source shared: cannot connect to 127\.0\.0\.1:{port}: .*CERTIFICATE_VERIFY_FAILED.*; retrying in")
    assert stored(watching.db) == 0
    assert w.signal() == 0


class SlowProxy(RewritingProxy):
    """Forwards to the IMAP server, each UID FETCH held back 60 ms (a slow link: a fetch takes seconds)."""

    def __init__(self, target: int):
        super().__init__(target, lambda data: data)
        self.rewrite_client = self.slow

    @staticmethod
    def slow(data: bytes) -> bytes:
        if b"UID FETCH" in data.upper():
            time.sleep(0.06)
        return data


def test_sigterm_in_the_middle_of_a_fetch_leaves_nothing_half_imported(server, folder, watching, run):
    fill(server, folder, range(40))
    proxy = SlowProxy(server)
    try:
        w = watching(watching.imap(proxy.port, folder))
        w.wait_for(r"flagdesk: watching shared")
        time.sleep(1)  # reading the folder's messages now (2.4 s in all)
        assert w.signal() == 0
        assert w.lines[-1].endswith("flagdesk: stopped")
        before = stored(watching.db)
        assert 0 < before < 40  # stopped in the middle: what was read before the stop is imported
        # What the stopped watch stored and the cursor it left agree: the next fetch imports the rest, once each.
        cfg = [a for a in w.proc.args if a.endswith("config.toml")][0]
        code, out, err = run("fetch", "--config", cfg, "--db", str(watching.db))
        assert code == 0, err
        assert f"shared: imported {40 - before}, duplicates 0" in out and stored(watching.db) == 40
    finally:
        proxy.close()


def test_mail_arriving_between_the_fetch_and_the_idle_is_not_left_for_the_renewal(server, folder, watching):
    """The watch's two connections each open the folder (EXAMINE): a message that lands just before the second
    one does is imported at once, not after idle_seconds (here 30 s) when the IDLE is renewed."""
    fill(server, folder, [0])
    seen = []

    def inject(data: bytes) -> bytes:
        if b" EXAMINE " in data.upper():
            seen.append(data)
            if len(seen) == 2:
                fill(server, folder, [1])  # lands now, before the server reads this EXAMINE
        return data

    proxy = RewritingProxy(server, lambda data: data)
    proxy.rewrite_client = inject
    try:
        w = watching(watching.imap(proxy.port, folder), watch={"idle_seconds": 30})
        w.wait_for(rf"source shared: watching {folder} \(IDLE\)")
        deadline = time.monotonic() + 5
        while stored(watching.db) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stored(watching.db) == 2, "\n".join(w.lines)
        assert w.signal() == 0
    finally:
        proxy.close()
