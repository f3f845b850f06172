"""A change to many notifications while another operator's process works on the same rows: nothing either of
them does is overwritten by the other.

Another process (a real one, with its own connection) changes some of the selected rows after they were
selected and before the change runs: those are left as it made them and reported with its name. Then the same
process tries to change rows in the middle of the change (its writes wait for the change's BEGIN IMMEDIATE
transaction, then find the versions moved): it is refused, and the change stands whole.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from console.core.model import Status
from console.store import batch

NOW = "2026-11-27T08:00:00Z"

# maria's process: `before IDS`: change them now; `during IDS`: load them, say ready, wait for go, then change
# each with the version loaded (as her console would), reporting what was refused.
MARIA = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from console.core import config as config_mod
    from console.core.clock import FrozenClock
    from console.core.errors import ConflictError
    from console.core.model import Status
    from console.desk import Desk
    from console.store.db import open_store

    mode, db, folder, ids = sys.argv[1], sys.argv[2], Path(sys.argv[3]), [int(i) for i in sys.argv[4].split(",")]
    clock = FrozenClock("%s")
    desk = Desk(open_store(db, "maria", clock, os_user="maria"), config_mod.load(db_path=db), clock)
    seen = {i: desk.notification(i).version for i in ids}
    if mode == "during":
        (folder / "ready").write_text("")
        while not (folder / "go").exists():
            time.sleep(0.01)
    report = {"done": [], "refused": []}
    for i in ids:
        try:
            desk.set_status(i, Status.IN_PROGRESS, seen[i])
            report["done"].append(i)
        except ConflictError as exc:
            report["refused"].append([i, str(exc)])
    print(json.dumps(report))
""" % NOW)


def maria(mode: str, db: Path, folder: Path, ids: list[int]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", MARIA, mode, str(db), str(folder), ",".join(map(str, ids))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return json.loads(out)


def test_rows_another_process_changed_after_the_selection_are_left_and_reported(demo, tmp_path):
    targets = demo.select(demo.parse_filter("status:new"))  # the operator's marks, with the versions seen
    hers = list(targets)[2:5]
    assert finished(maria("before", demo.store.path, tmp_path, hers))["done"] == hers
    result = demo.bulk("read", targets, note={"marked": True})
    assert set(result.moved) == set(hers) and set(result.moved.values()) == {"maria"}
    assert result.summary() == "15 done; 3 changed by maria meanwhile, left as they are"
    assert all(demo.notification(i).status is Status.IN_PROGRESS for i in hers)
    assert all(demo.notification(i).status is Status.READ for i in result.done)


def test_writes_of_another_process_in_the_middle_of_the_change_wait_and_are_refused(demo, tmp_path, monkeypatch):
    targets = demo.select(demo.parse_filter("status:new"))
    hers = list(targets)[:4]
    proc = maria("during", demo.store.path, tmp_path, hers)
    deadline = time.monotonic() + 30
    while not (tmp_path / "ready").exists():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    write = batch._write
    held = []

    def slow_write(store, *args, **kwargs):
        write(store, *args, **kwargs)  # the rows and their audit written, the transaction still open
        (tmp_path / "go").write_text("")
        time.sleep(0.6)  # maria's writes now wait on the write lock
        held.append(store.conn.in_transaction)

    monkeypatch.setattr(batch, "_write", slow_write)
    result = demo.bulk("read", targets)
    report = finished(proc)
    assert held == [True] and len(result.done) == 18 and not result.moved
    assert report["done"] == [] and [i for i, _ in report["refused"]] == hers
    assert all("changed by tester" in why and "nothing was saved" in why for _, why in report["refused"])
    assert all(demo.notification(i).status is Status.READ for i in targets)  # the change stands whole
