"""(h) What the operator sees, in a real pseudo-terminal: the installed `flagdesk` command from spawn to the
first notification row on screen, and `flagdesk status` / `status --motd` as whole processes.

Each launch is a fresh process on a pty of its own (120x40, TERM=xterm-256color), the way an SSH session runs
it; the clock starts just before the spawn and stops when the first row's text has been written to the
terminal (the bytes the program wrote are read as they come; a row is drawn when its text is in them). The
reference is a minimal Textual app (Header, a 50-row DataTable, Footer) launched the same way, on the same
database, the two interleaved in one run (medians), so machine noise hits both alike. `status` is compared
with a bare `sqlite3` count script and with `python3 -c pass` (the interpreter alone), also on the pty.

    python tests/bench/bench_terminal.py [--runs 5] [--notifications 100000] [--accounts 50]

The database is the cached large one (benchlib.py); `--notifications 1000000 --accounts 200` is the 1M case.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

COLS, ROWS = 120, 40
TIMEOUT_S = 60.0

MINIMAL = '''
import sqlite3, sys
from textual.app import App
from textual.widgets import DataTable, Footer, Header


class Minimal(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("id", "subject", "status")
        conn = sqlite3.connect(sys.argv[1])
        table.add_rows(conn.execute(
            "SELECT id, 'ROW ' || substr(subject, 1, 60), status FROM notifications LIMIT 50").fetchall())
        table.focus()


Minimal().run()
'''

BARE = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print(c.execute('SELECT count(*) FROM notifications').fetchone()[0])")


def flagdesk_command() -> str:
    """The installed console script beside this interpreter (a venv's bin/), else the one on PATH."""
    beside = Path(sys.executable).parent / "flagdesk"
    found = str(beside) if beside.exists() else shutil.which("flagdesk")
    if not found:
        sys.exit("the flagdesk command is not installed: pip install -e . first")
    return found


def on_pty(argv: list[str], env: dict[str, str], until: bytes | None) -> tuple[float, bytes]:
    """Run argv on a fresh 120x40 pty: seconds from spawn until `until` is in what it wrote (then it is ended
    with SIGTERM), or until it exits when `until` is None; and what it wrote."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                            start_new_session=True)
    os.close(slave)
    seen = bytearray()
    took = None
    try:
        while time.perf_counter() - started < TIMEOUT_S:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the other side closed: the process has exited
                    chunk = b""
                if chunk:
                    seen += chunk
                    if until is not None and until in seen[-(len(chunk) + len(until)):]:
                        took = time.perf_counter() - started
                        break
                    continue
                if until is None:
                    took = time.perf_counter() - started
                    break
            if proc.poll() is not None and not ready:
                if until is None:
                    took = time.perf_counter() - started
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        # Drain, so that the program never blocks on a full pty while it exits.
        while select.select([master], [], [], 0)[0]:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
        os.close(master)
    if took is None:
        tail = bytes(seen[-400:]).decode(errors="replace")
        sys.exit(f"{argv[0]}: {'no ' + until.decode() + ' on screen' if until else 'did not exit'} within "
                 f"{TIMEOUT_S:.0f} s; it wrote: {tail!r}")
    return took, bytes(seen)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=benchlib.LARGE["notifications"])
    parser.add_argument("--accounts", type=int, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    args.accounts = benchlib.accounts_for(args)
    db = benchlib.large_db(args.notifications, accounts=args.accounts)
    with tempfile.TemporaryDirectory(prefix="flagdesk-term-") as home:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "TERM": "xterm-256color", "LANG": "C.UTF-8",
               "COLUMNS": str(COLS), "LINES": str(ROWS), "XDG_CONFIG_HOME": f"{home}/config",
               "XDG_DATA_HOME": f"{home}/data", "FLAGDESK_SYSTEM_CONFIG": f"{home}/none.toml",
               "FLAGDESK_OPERATOR": "bench", "TEXTUAL_ANIMATIONS": "none"}
        minimal = Path(home) / "minimal.py"
        minimal.write_text(MINIMAL)
        flagdesk = flagdesk_command()
        console = [flagdesk, "--db", str(db)]
        reference = [sys.executable, str(minimal), str(db)]
        # Rows: the severity word of flagdesk's list, the marked subject of the minimal app's table.
        row_of = {"flagdesk": b"CRIT", "minimal": b"ROW "}
        # Untimed: migrate the cached file if a schema step is due, and warm the OS cache.
        on_pty(console, env, row_of["flagdesk"])
        on_pty(reference, env, row_of["minimal"])
        launch: dict[str, list[float]] = {"flagdesk": [], "minimal": []}
        for _ in range(args.runs):
            launch["minimal"].append(on_pty(reference, env, row_of["minimal"])[0])
            launch["flagdesk"].append(on_pty(console, env, row_of["flagdesk"])[0])

        commands = {"status": [flagdesk, "status", "--db", str(db)],
                    "motd": [flagdesk, "status", "--motd", "--db", str(db)],
                    "bare": [sys.executable, "-c", BARE, str(db)], "pass": [sys.executable, "-c", "pass"]}
        for argv in commands.values():
            on_pty(argv, env, None)
        whole: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs * 2 + 1):
            for name, argv in commands.items():
                whole[name].append(on_pty(argv, env, None)[0])

    first, ref = median_ms(launch["flagdesk"]), median_ms(launch["minimal"])
    print(f"first row on a {COLS}x{ROWS} pty, {args.notifications:,} notifications, {args.accounts} accounts, "
          f"medians of {args.runs} interleaved: flagdesk {first:.0f} ms (min {min(launch['flagdesk']) * 1000:.0f}), "
          f"minimal Textual app {ref:.0f} ms (min {min(launch['minimal']) * 1000:.0f})")
    med = {k: median_ms(v) for k, v in whole.items()}
    print(f"whole processes, medians of {args.runs * 2 + 1}: flagdesk status {med['status']:.0f} ms, "
          f"status --motd {med['motd']:.0f} ms, bare count script {med['bare']:.0f} ms, "
          f"python -c pass {med['pass']:.0f} ms")
    size = f"{args.notifications:,} notifications"
    launch_target = 1.3 if args.notifications <= 100_000 else 1.5
    status_target = 1.5 if args.notifications <= 100_000 else 2.0
    benchlib.report("h1", f"real-terminal first row, {size}", f"{first:.0f} ms", f"minimal app {ref:.0f} ms",
                    f"{first / ref:.2f}x", f"<= {launch_target}x", first / ref <= launch_target)
    benchlib.report("h2", f"flagdesk status on a pty, {size}", f"{med['status']:.0f} ms",
                    f"bare count script {med['bare']:.0f} ms", f"{med['status'] / med['bare']:.2f}x",
                    f"<= {status_target}x", med["status"] / med["bare"] <= status_target)
    benchlib.report("h3", f"flagdesk status --motd on a pty, {size}", f"{med['motd']:.0f} ms",
                    f"bare count script {med['bare']:.0f} ms", f"{med['motd'] / med['bare']:.2f}x",
                    f"<= {status_target}x", med["motd"] / med["bare"] <= status_target)


if __name__ == "__main__":
    main()
