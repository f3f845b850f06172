"""An SSH drop (SIGHUP) at any moment leaves no process behind, and what was being typed is stored.

The real `flagdesk` runs in tmux on the demo database; `tmux kill-session` hangs its terminal up (tmux
sends SIGHUP to the pane's process group and closes the pty; the kernel adds SIGHUP and SIGCONT). Textual
8.2.8 used to hang in its shutdown on the dead terminal for ever; console/tui/hangup.py now saves the
drafts and leaves, with a watchdog behind it (os._exit within 2 s whatever Textual does).
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ROOT = Path(__file__).resolve().parents[2]
GONE_WITHIN_S = 3.0
# What the console reads from the environment (conftest.isolated_env sets them for this test).
PASSED_ENV = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "FLAGDESK_SYSTEM_CONFIG", "FLAGDESK_OPERATOR", "FLAGDESK_TZ",
              "TEXTUAL_ANIMATIONS", "HOME", "PATH", "PYTHONPATH", "VIRTUAL_ENV")


class Console:
    """`flagdesk --db DB` in its own tmux server (a socket of its own: nothing else's sessions touched)."""

    def __init__(self, db: Path, name: str) -> None:
        self.db = db
        self.socket = f"flagdesk-test-{os.getpid()}-{name}"
        # Where tmux puts it (-L): removed at the end, tmux leaves it behind when its last session goes.
        self.socket_path = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}" / self.socket
        self.session = "desk"
        self.started = 0.0

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check,
                              timeout=10)

    def start(self, status_file: Path | None = None) -> None:
        """Launch; with `status_file`, through a shell that writes the exit status there afterwards."""
        env = " ".join(f"{k}={shlex.quote(os.environ[k])}" for k in PASSED_ENV if k in os.environ)
        # The test's own interpreter, so that CI's venv (the package installed editable) is the one run.
        command = f"env -u FLAGDESK_CONFIG -u FLAGDESK_DB {env} {shlex.quote(sys.executable)} -m console " \
                  f"--db {shlex.quote(str(self.db))}"
        command = f"{command}; echo $? > {shlex.quote(str(status_file))}" if status_file else f"exec {command}"
        self.started = time.monotonic()
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", "120", "-y", "40",
                  "-c", str(ROOT), command)

    def screen(self) -> str:
        done = self.tmux("capture-pane", "-p", "-t", self.session, check=False)
        return done.stdout if done.returncode == 0 else ""

    def wait_for(self, text: str, timeout: float = 20) -> float:
        """Seconds since the launch when `text` showed on the screen."""
        deadline = time.monotonic() + timeout
        while text not in self.screen():
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} never showed; the screen:\n{self.screen()}")
            time.sleep(0.02)
        return time.monotonic() - self.started

    def flagdesk_pid(self) -> int:
        """The console's own process (not the shell around it)."""
        pids = [pid for pid in processes_of(self.db)
                if b"console" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[1:3]]
        assert len(pids) == 1, pids
        return pids[0]

    def hang_up(self) -> None:
        self.tmux("kill-session", "-t", self.session)

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        self.socket_path.unlink(missing_ok=True)
        for pid in processes_of(self.db):  # never leave one behind, even when the test failed
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def processes_of(db: Path) -> list[int]:
    """Every process whose command line names the database (flagdesk is started with --db DB), tmux's own
    server aside (it keeps the new-session command line it was started with)."""
    needle = str(db).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline and not os.path.basename(cmdline.split(b"\0", 1)[0]).startswith(b"tmux"):
            found.append(int(entry.name))
    return found


def assert_gone(db: Path, since: float) -> float:
    """No process on the database is left GONE_WITHIN_S after the hang-up; how long the last one took."""
    while processes_of(db):
        if time.monotonic() - since > GONE_WITHIN_S:
            left = {pid: (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                          if Path(f"/proc/{pid}").exists() else "?") for pid in processes_of(db)}
            pytest.fail(f"still running {GONE_WITHIN_S} s after the hang-up: {left}")
        time.sleep(0.02)
    return time.monotonic() - since


def stored_texts(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return [row[0] for row in conn.execute("SELECT text FROM appeals")]
    finally:
        conn.close()


@pytest.fixture
def demo_db(tmp_path) -> Path:
    db = tmp_path / "hangup-demo.db"
    subprocess.run([sys.executable, "-m", "console", "demo", "--no-open", "--db", str(db)], cwd=ROOT,
                   check=True, capture_output=True, timeout=60)
    return db


@pytest.fixture
def console(demo_db, request):
    c = Console(demo_db, request.node.name.split("[")[-1].strip("]").replace(".", "_")[:20])
    yield c
    c.close()


@pytest.mark.parametrize("delay", [0.2, 0.5, 1.0])
def test_hang_up_after_a_delay_leaves_no_process(console, delay):
    """0.2 s is start-up (imports, the database, compose: the first paint comes at ~0.4 s on the demo data),
    0.5 s about the first paint, 1 s a console at rest."""
    console.start()
    time.sleep(max(0.0, delay - (time.monotonic() - console.started)))
    painted = "CRIT" in console.screen()
    console.hang_up()
    took = assert_gone(console.db, time.monotonic())
    print(f"\nhung up {delay} s after launch ({'after' if painted else 'before'} the first paint): gone in "
          f"{took:.2f} s")


def test_hang_up_after_the_first_paint_leaves_no_process(console):
    console.start()
    console.wait_for("CRIT")
    console.hang_up()
    took = assert_gone(console.db, time.monotonic())
    print(f"\nhung up after the first paint: gone in {took:.2f} s")


def open_editor_and_type(console: Console, words: str, status_file: Path | None = None) -> None:
    console.start(status_file)
    console.wait_for("CRIT")
    console.tmux("send-keys", "-t", console.session, "a")  # the appeal of the selected notification
    console.wait_for("Revisions")  # the appeal editor's footer
    console.tmux("send-keys", "-t", console.session, "-l", words)
    console.wait_for(words.split()[-1])  # on the screen: the app has it
    time.sleep(0.3)  # well inside the 1.5 s autosave: only the hang-up path can store it
    assert not any(words in t for t in stored_texts(console.db)), "saved before the hang-up: nothing proven"


def test_hang_up_mid_typing_stores_the_draft_and_leaves_no_process(console):
    words = f"quokka marmot hangup{os.getpid()}"
    open_editor_and_type(console, words)
    console.hang_up()
    took = assert_gone(console.db, time.monotonic())
    assert any(words in t for t in stored_texts(console.db)), stored_texts(console.db)
    print(f"\nhung up mid-typing: draft stored, gone in {took:.2f} s")


def test_sigterm_mid_typing_stores_the_draft_and_exits_143(console, tmp_path):
    """The same path for a plain `kill`: the terminal is still there, so Textual gives it back as it exits."""
    words = f"wombat numbat term{os.getpid()}"
    status_file = tmp_path / "status"
    open_editor_and_type(console, words, status_file)
    os.kill(console.flagdesk_pid(), signal.SIGTERM)
    took = assert_gone(console.db, time.monotonic())
    assert any(words in t for t in stored_texts(console.db)), stored_texts(console.db)
    assert status_file.read_text().strip() == "143"
    print(f"\nSIGTERM mid-typing: draft stored, exit 143 in {took:.2f} s")


def test_watchdog_ends_the_process_whatever_it_is_doing():
    """The watchdog thread's os._exit, and the SIGALRM behind it (for a process whose threads cannot run)."""
    stuck = "import threading; lock = threading.Lock(); lock.acquire(); lock.acquire()"
    for setup, expected in (("hangup.start_watchdog(129, seconds=0.2)", 129),
                            ("hangup.start_watchdog(129, seconds=60, backstop=0.3)", -signal.SIGALRM)):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", f"from console.tui import hangup; {setup}; {stuck}"],
                              check=False, cwd=ROOT, capture_output=True, timeout=10)
        assert done.returncode == expected, done.stderr
        assert time.monotonic() - started < 3


@pytest.mark.parametrize("argv", [[], ["demo"]], ids=["console", "demo"])
def test_without_a_terminal_the_console_refuses_at_once_and_leaves_no_process(demo_db, argv):
    """`ssh box flagdesk` without -t, cron, a pipe: the console used to draw to nobody at 100% CPU for ever,
    holding the database. Now one line names what works instead, exit 2, nothing left running."""
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "console", *argv, "--db", str(demo_db)], cwd=ROOT,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the console ran on without a terminal")
    finally:
        for pid in processes_of(demo_db):
            os.kill(pid, signal.SIGKILL)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.strip().splitlines()[-1] == (
        "flagdesk: error: the console needs a terminal (standard input or output is not one); "
        "`flagdesk status` and `flagdesk list` work without one")
    assert time.monotonic() - started < 20
    assert processes_of(demo_db) == []
