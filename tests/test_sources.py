"""`[[sources]]`, `flagdesk sources list|check` and `flagdesk fetch` against a real IMAP server (pymap, its
in-memory backend) started on a free localhost port by these tests, and stopped by them."""

from __future__ import annotations

import imaplib
import json
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

from console.core import config as config_mod

pytest.importorskip("pymap")

USER, PASSWORD = "notices", "s3cret-pass"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_pymap(*options: str):
    """A pymap IMAP server on a free localhost port (the in-memory backend): (process, port)."""
    port = free_port()
    code = "import sys; from pymap.main import main; sys.argv[0] = 'pymap'; sys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", code, "--host", "127.0.0.1", "--port", str(port), *options,
                             "dict", "--demo-user", USER, "--demo-password", PASSWORD],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the pymap IMAP server did not start")
            time.sleep(0.05)


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@pytest.fixture(scope="module")
def server():
    """A plain-text pymap server for the module: its port."""
    proc, port = start_pymap("--no-tls")
    yield port
    stop(proc)


def admin(port: int) -> imaplib.IMAP4:
    conn = imaplib.IMAP4("127.0.0.1", port, timeout=5)
    conn.login(USER, PASSWORD)
    return conn


def notice(n: int) -> bytes:
    from console.demo import notices as demo_data

    text = demo_data.NOTICES[n % len(demo_data.NOTICES)]["text"]
    title, _, body = text.partition("\n")
    return (f"From: seller-performance@amazon.com\r\nTo: notices+northwind@ops.example.com\r\n"
            f"Subject: {title.removeprefix('Subject: ')}\r\nMessage-ID: <imap-{n}@amazon.com>\r\n"
            f"Date: Thu, 26 Nov 2026 10:{n % 60:02d}:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + body.replace("\n", "\r\n") + "\r\n").encode()


def fill(port: int, folder: str, numbers) -> None:
    conn = admin(port)
    try:
        conn.create(f'"{folder}"')
        for n in numbers:
            assert conn.append(f'"{folder}"', None, None, notice(n))[0] == "OK"
    finally:
        conn.logout()


@pytest.fixture
def folder(request):
    return "T-" + request.node.name.replace("[", "-").replace("]", "")[:40]


@pytest.fixture
def box(tmp_path, desk, folder):
    """A config with one IMAP source (its password in a 0600 file), Northwind to route to: (write, argv)."""
    desk.add_account("Northwind", ["US", "CA"], ["notices+northwind@ops.example.com"])
    pw = tmp_path / "imap.pass"
    pw.write_text(PASSWORD + "\n")
    pw.chmod(0o600)
    cfg = tmp_path / "config.toml"

    def write(port, **extra):
        table = {"name": "shared", "kind": "imap", "host": "127.0.0.1", "port": port, "security": "plain",
                 "user": USER, "password_file": str(pw), "folder": folder, **extra}
        lines = ["[[sources]]"] + [f"{k} = {json.dumps(v)}" for k, v in table.items()]
        cfg.write_text("\n".join(lines) + "\n")
        return ["--config", str(cfg), "--db", str(tmp_path / "flagdesk.db")]

    return write, pw


def stored_count(desk) -> int:
    return desk.store.conn.execute("SELECT count(*) FROM notifications").fetchone()[0]


def test_first_fetch_then_a_refetch_that_adds_nothing(server, box, folder, desk, run):
    write, _ = box
    fill(server, folder, range(3))
    argv = write(server)
    code, out, err = run("sources", "check", *argv)
    assert code == 0 and "connected, 3 messages, 3 not fetched yet" in out
    assert stored_count(desk) == 0  # check imports nothing

    code, out, err = run("fetch", *argv)
    assert code == 0, err
    assert "shared: imported 3, duplicates 0, skipped 0, failed 0" in out
    assert stored_count(desk) == 3

    code, out, err = run("fetch", *argv)
    assert code == 0 and "shared: imported 0, duplicates 0, skipped 0, failed 0" in out  # nothing re-read

    fill(server, folder, [3])
    code, out, err = run("fetch", *argv)
    assert "shared: imported 1, duplicates 0" in out and stored_count(desk) == 4

    code, out, _ = run("sources", "list", "--json", *argv)
    [item] = json.loads(out)
    assert item["runs"] == 3 and item["imported"] == 4 and item["last_error"] is None and item["last_uid"]
    audit = desk.store.conn.execute("SELECT count(*) FROM audit WHERE action = 'source_run'").fetchone()[0]
    assert audit == 3
    # Nothing was marked on the server: no \Seen, no \Deleted, every message still there.
    conn = admin(server)
    conn.select(f'"{folder}"', readonly=True)
    _, flags = conn.fetch("1:*", "(FLAGS)")
    conn.logout()
    assert len(flags) == 4 and not any(b"\\Seen" in f or b"\\Deleted" in f for f in flags)


def test_a_uidvalidity_reset_rereads_and_deduplicates(server, box, folder, desk, run):
    write, _ = box
    fill(server, folder, range(2))
    argv = write(server)
    assert run("fetch", *argv)[0] == 0 and stored_count(desk) == 2
    conn = admin(server)  # the folder made anew: a new UIDVALIDITY, the same mail (and one more)
    assert conn.delete(f'"{folder}"')[0] == "OK"
    conn.logout()
    fill(server, folder, range(3))
    code, out, err = run("fetch", *argv)
    assert code == 0
    assert "UIDVALIDITY" in err and "read again" in err
    assert "shared: imported 1, duplicates 2" in out and stored_count(desk) == 3


def test_a_wrong_password_is_one_clear_line(server, box, folder, desk, run):
    write, pw = box
    fill(server, folder, [0])
    pw.write_text("not-the-password\n")
    argv = write(server)
    code, out, err = run("fetch", *argv)
    assert code == 1 and stored_count(desk) == 0
    [line] = err.strip().splitlines()
    assert line.startswith(f"flagdesk: error: source shared: login as {USER} refused by 127.0.0.1")
    code, out, err = run("sources", "list", *argv)
    assert "error: source shared: login as" in out
    code, out, err = run("sources", "check", *argv)
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_a_password_file_others_can_read_is_refused(server, box, folder, desk, run):
    write, pw = box
    fill(server, folder, [0])
    pw.chmod(0o644)
    argv = write(server)
    code, out, err = run("fetch", *argv)
    assert code == 1 and stored_count(desk) == 0
    [line] = err.strip().splitlines()
    assert f"password_file {pw} is readable by others (mode 0644): refused" in line


class DroppingProxy:
    """Forwards to the IMAP server and cuts both connections when the client sends its Nth UID FETCH (or
    whatever `pattern` says: the SQS tests cut DeleteMessageBatch)."""

    def __init__(self, target: int, drop_at: int | None, pattern: bytes = b"UID FETCH"):
        self.target, self.drop_at, self.fetches, self.pattern = target, drop_at, 0, pattern.upper()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping:
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, src, dst, from_client):
        try:
            while data := src.recv(65536):
                if from_client and self.pattern in data.upper():
                    self.fetches += 1
                    if self.drop_at is not None and self.fetches >= self.drop_at:
                        raise OSError("dropped")
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self):
        self.stopping = True
        self.thread.join(timeout=2)
        self.listener.close()


def test_a_connection_dropped_mid_fetch_imports_nothing_and_the_next_run_completes(server, box, folder, desk, run):
    write, _ = box
    fill(server, folder, range(4))
    proxy = DroppingProxy(server, drop_at=3)
    try:
        argv = write(proxy.port, timeout=5)
        code, out, err = run("fetch", *argv)
        assert code == 1 and "connection lost while fetching" in err
        assert stored_count(desk) == 0  # nothing half-imported
        proxy.drop_at = None
        code, out, err = run("fetch", *argv)
        assert code == 0 and "shared: imported 4, duplicates 0" in out and stored_count(desk) == 4
    finally:
        proxy.close()
    _, out, _ = run("sources", "list", "--json", *argv)
    [item] = json.loads(out)
    assert item["runs"] == 2 and item["last_error"] is None and item["imported"] == 4


def test_move_to_moves_what_was_imported(server, box, folder, desk, run):
    write, _ = box
    fill(server, folder, range(2))
    admin_conn = admin(server)
    admin_conn.create(f'"{folder}-done"')
    admin_conn.logout()
    argv = write(server, move_to=f"{folder}-done")
    code, out, err = run("fetch", *argv)
    assert code == 0 and "imported 2" in out
    conn = admin(server)
    assert conn.select(f'"{folder}"', readonly=True)[1] == [b"0"]
    assert conn.select(f'"{folder}-done"', readonly=True)[1] == [b"2"]
    conn.logout()


def test_a_maildir_source(tmp_path, desk, run):
    from tests.test_import import notice_maildir

    desk.add_account("Northwind", ["US", "CA"], ["notices+northwind@ops.example.com"])
    notice_maildir(tmp_path / "mail", 3)
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[[sources]]\nname = "local"\nkind = "maildir"\npath = "{tmp_path / "mail"}"\n')
    argv = ["--config", str(cfg), "--db", str(tmp_path / "flagdesk.db")]
    assert run("sources", "check", *argv)[1].strip().endswith(": 3 messages")
    code, out, _ = run("fetch", "local", *argv)
    assert code == 0 and "local: imported 3" in out
    code, out, _ = run("fetch", *argv)
    assert "local: imported 0, duplicates 3" in out
    code, _, err = run("fetch", "nosuch", *argv)
    assert code == 1 and "no source named 'nosuch' in the config (sources: local)" in err


@pytest.mark.parametrize("table, reason", [
    ('name = "a"\nkind = "pop3"', "source 'a': kind must be one of imap, maildir"),
    ('name = "a"\nkind = "imap"\nhost = "h"\nuser = "u"\npassword = "x"', "source 'a': unknown setting 'password'"),
    ('name = "a"\nkind = "imap"\nhost = "h"\nuser = "u"', "source 'a': set one of password_file"),
    ('name = "a"\nkind = "imap"\nhost = "mail.example.com"\nuser = "u"\nsecurity = "plain"\npassword_file = "p"',
     "only to this machine"),
    ('name = "a"\nkind = "imap"\nhost = "h"\nuser = "u"\nport = "993"\npassword_file = "p"',
     "port must be a whole number"),
    ('name = "a b"\nkind = "maildir"\npath = "/x"', "name must be letters"),
    ('name = "a"\nkind = "maildir"', "source 'a': a maildir source needs path"),
    ('name = "q"\nkind = "sqs"\nqueue_url = "https://sqs.us-east-1.amazonaws.com/1/q"',
     "source 'q': an sqs source needs region"),
    ('name = "q"\nkind = "sqs"\nqueue_url = "https://sqs.us-east-1.amazonaws.com/1/q"\nregion = "us-east-1"\n'
     'wait_seconds = 30', "source 'q': wait_seconds (the long poll) must be a whole number from 1 to 20"),
    ('name = "q"\nkind = "sqs"\nqueue_url = "sqs/q"\nregion = "us-east-1"', "queue_url must be the queue's"),
])
def test_a_bad_source_is_one_line_naming_the_file_and_the_source(tmp_path, table, reason):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[[sources]]\n{table}\n")
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(cfg)
    assert str(err.value).startswith(f"{cfg}: ") and reason in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("text, reason", [
    ('[alerts]\nurls = "json://x"', "alerts.urls must be a list of apprise URLs"),
    ('[alerts]\nseverities = ["urgent"]', "alerts.severities must be a list of critical, high, medium, low"),
    ('[alerts]\nsend_to = []', "alerts.send_to: unknown setting"),
    ('[watch]\npoll_seconds = 0', "watch.poll_seconds must be a number above 0"),
    ('[watch]\nidle = 5', "watch must be a table with poll_seconds"),
])
def test_bad_watch_or_alerts_settings_are_one_line_naming_the_file(tmp_path, text, reason):
    cfg = tmp_path / "config.toml"
    cfg.write_text(text + "\n")
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(cfg)
    assert str(err.value).startswith(f"{cfg}: ") and reason in str(err.value) and "\n" not in str(err.value)


def test_a_password_command():
    from console.core.sources import SourceError, password

    assert password({"name": "a", "password_command": f"{sys.executable} -c \"print('pw1')\""}) == "pw1"
    with pytest.raises(SourceError, match="password_command exited with status 3"):
        password({"name": "a", "password_command": f"{sys.executable} -c \"raise SystemExit(3)\""})


def test_starttls_with_the_servers_ca(tmp_path, box, folder, desk, run):
    if not shutil.which("openssl"):
        pytest.skip("no openssl to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=30)
    proc, port = start_pymap("--cert", str(cert), "--key", str(key))
    try:
        write, _ = box
        fill(port, folder, [0])  # (the test's own client logs in before STARTTLS: pymap allows it)
        argv = write(port, security="starttls", ca_file=str(cert))
        code, out, err = run("fetch", *argv)
        assert code == 0 and "shared: imported 1" in out, err
        argv = write(port, security="starttls")  # the system's CAs do not know this certificate
        code, out, err = run("sources", "check", *argv)
        assert code == 1 and f"source shared: cannot connect to 127.0.0.1:{port}" in err and "CERTIFICATE" in err.upper()
    finally:
        stop(proc)
