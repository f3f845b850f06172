"""The console on a database that is not there: it shows the path and where it came from and asks; it never
opens an empty inbox that reads as "all clear" (it used to create the file silently)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time


def _console(args: list[str], env: dict, answer: bytes, tmp_path) -> tuple[int, str]:
    main, child = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "console", *args], stdin=child, stdout=child, stderr=child,
                            env=env, cwd=tmp_path, close_fds=True)
    os.close(child)
    seen, deadline = b"", time.monotonic() + 20
    while b"Create it here?" not in seen and time.monotonic() < deadline:
        if select.select([main], [], [], 0.2)[0]:
            try:
                seen += os.read(main, 4096)
            except OSError:
                break
    os.write(main, answer)
    try:
        code = proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    while select.select([main], [], [], 0.1)[0]:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    return code, seen.decode(errors="replace")


def test_the_console_asks_before_creating_a_missing_database_and_no_creates_nothing(tmp_path):
    db = tmp_path / "typo" / "flagdesk.db"
    env = {**os.environ, "FLAGDESK_DB": str(db), "TERM": "xterm"}
    code, shown = _console([], env, b"n\n", tmp_path)
    assert f"There is no flagdesk database at {db} (the path comes from FLAGDESK_DB)." in shown.replace("\r", "")
    assert code == 1 and "no flagdesk database here" in shown
    assert not db.parent.exists()


def test_without_a_terminal_the_console_refuses_in_one_line(tmp_path):
    db = tmp_path / "typo.db"
    done = subprocess.run([sys.executable, "-m", "console", "--db", str(db)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=30)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (f"flagdesk: error: {db}: no flagdesk database here (the path comes from --db); "
                           "check the path, or create the database with `flagdesk init`\n")
    assert not db.exists()
