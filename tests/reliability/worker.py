"""One operator's process for the reliability tests, run as `python tests/reliability/worker.py MODE ...`.

stress: a seeded random mix of what operators do all morning — mark read, change a status, claim and
release, save an appeal revision, log a Seller Support contact, import a small Maildir — through the
same Desk API the console calls. Every write it makes is written down in a JSON report (counts per
operation, the audit rows it expects to have left, ids touched, conflicts retried, errors), so that
the test can reconcile the database against the sum of what the processes say they did.

appeal-loop: save revisions of one appeal as fast as it can, until killed (the SIGKILL test).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from console.core import config as config_mod
from console.core.errors import ConflictError
from console.core.model import Status
from console.desk import Desk
from console.store import contacts as cs

MAX_RETRIES = 200


def word(n: int) -> str:
    """A letters-only token unique to n (the duplicate-case guard compares words of 3+ letters)."""
    out = ""
    n += 26 * 26 * 26  # at least four letters
    while n:
        n, r = divmod(n, 26)
        out += chr(ord("a") + r)
    return out


def holder(n) -> str | None:
    """Who holds the claim (the claim is kept as the notification's assignee)."""
    return getattr(n, "claimed_by", n.assignee)


class Stress:
    def __init__(self, desk: Desk, args: argparse.Namespace, plan: dict):
        self.desk = desk
        self.args = args
        self.me = desk.operator
        self.rng = random.Random(args.seed)
        self.pool: list[int] = plan["notifications"]
        self.appeal_nids: list[int] = plan["appeal_notifications"]
        self.account_ids: list[int] = plan["accounts"]
        self.operators: list[str] = plan["operators"]
        self.ops: Counter = Counter()  # operations done, by name
        self.audit: Counter = Counter()  # audit rows this process must have left, by action
        self.conflicts: Counter = Counter()  # stale versions / held claims, reloaded and retried
        self.errors: list[str] = []
        self.revisions: list[list] = []  # [appeal id, revision number, text]
        self.cases_opened: list[int] = []
        self.entries = 0
        self.imported = 0
        self.duplicates = 0
        self.imports: list[str] = []
        self.marked_read: list[int] = []
        self.held: set[int] = set()
        self.has_claims = hasattr(desk, "claim") and hasattr(desk, "release")

    # --- operations ---------------------------------------------------------------------------

    def mark_read(self, i: int) -> None:
        nid = self.rng.choice(self.pool)
        if self.desk.mark_read(nid):
            self.audit["notification.status"] += 1
            self.marked_read.append(nid)
        self.ops["mark_read"] += 1

    def set_status(self, i: int) -> None:
        nid = self.rng.choice(self.pool)
        for _ in range(MAX_RETRIES):
            n = self.desk.notification(nid)
            choices = [s for s in (Status.READ, Status.IN_PROGRESS) if s != n.status]
            try:
                self.desk.set_status(nid, self.rng.choice(choices), expected_version=n.version)
            except ConflictError:
                self.conflicts["set_status"] += 1
                continue
            self.audit["notification.status"] += 1
            self.ops["set_status"] += 1
            return
        raise RuntimeError(f"set_status {nid}: still conflicting after {MAX_RETRIES} tries")

    def claim(self, i: int) -> None:
        if self.held and self.rng.random() < 0.4:
            nid = self.rng.choice(sorted(self.held))
            self.desk.release(nid)
            self.held.discard(nid)
            self.audit["release"] += 1
            self.ops["release"] += 1
            return
        nid = self.rng.choice(self.pool)
        if nid in self.held:  # claiming your own again changes nothing
            n = self.desk.claim(nid)
            if holder(n) != self.me:
                self.errors.append(f"claim {nid} again: the holder is {holder(n)!r}")
            self.ops["claim_again"] += 1
            return
        try:
            n = self.desk.claim(nid)
        except ConflictError as exc:
            self.conflicts["claim"] += 1
            if not any(op in str(exc) for op in self.operators if op != self.me):
                self.errors.append(f"claim {nid}: the refusal does not name the holder: {exc}")
            return
        if holder(n) != self.me:
            self.errors.append(f"claim {nid}: the holder is {holder(n)!r}")
        self.held.add(nid)
        self.audit["claim"] += 1
        self.ops["claim"] += 1

    def save_appeal(self, i: int) -> None:
        nid = self.rng.choice(self.appeal_nids)
        appeal = self.desk.open_appeal(nid)
        for attempt in range(MAX_RETRIES):
            text = f"{appeal.text.split(chr(10) + '--', 1)[0]}\n-- saved by {self.me}, operation {i}, try {attempt}"
            try:
                self.desk.save_appeal(appeal, text)
            except ConflictError:
                # As the editor does: look at the newer text, keep ours as a new revision on top of it.
                self.conflicts["save_appeal"] += 1
                appeal = self.desk.open_appeal(nid)
                continue
            # The save was based on appeal.version, so it became the revision after appeal.revision.
            self.revisions.append([appeal.id, appeal.revision + 1, text])
            self.audit["appeal.save"] += 1
            self.ops["save_appeal"] += 1
            return
        raise RuntimeError(f"save_appeal {nid}: still conflicting after {MAX_RETRIES} tries")

    def contact(self, i: int) -> None:
        store = self.desk.store
        channel = self.rng.choice(cs.CHANNELS)
        existing = [r["id"] for r in store.rows("SELECT id FROM cases ORDER BY id")]
        if existing and self.rng.random() < 0.5:
            case_id = self.rng.choice(existing)
            cs.add_contact(store, case_id, channel, f"Follow-up {i} from {self.me}: asked for an update.")
            self.audit["case.contact"] += 1
            self.entries += 1
            self.ops["add_contact"] += 1
            return
        base = self.args.seed * 100_000 + i * 10
        summary = f"{word(base + 1)} {word(base + 2)} {word(base + 3)} escalation"
        case = cs.open_case(store, self.rng.choice(self.account_ids), channel, summary,
                            notes=f"Logged by {self.me} at operation {i}.")
        self.cases_opened.append(case.id)
        self.audit["case.open"] += 1
        self.entries += 1
        self.ops["open_case"] += 1

    def import_maildir(self, i: int, which: str | None = None) -> None:
        which = which or self.rng.choice(("own", "shared"))
        path = Path(self.args.own if which == "own" else self.args.shared)
        summary = self.desk.import_paths([path])
        if summary.failed or summary.skipped:
            self.errors.append(f"import {which}: failed {summary.failed}, skipped {summary.skipped}")
        self.imported += summary.imported
        self.duplicates += summary.duplicates
        self.audit["notification.add"] += summary.imported
        self.imports.append(which)
        self.ops["import"] += 1

    # --- the run ------------------------------------------------------------------------------

    def run(self, count: int) -> None:
        names = ["mark_read", "set_status", "claim", "save_appeal", "contact", "import_maildir"]
        weights = [25, 10, 15 if self.has_claims else 0, 25, 20, 5]
        for i in range(count):
            if i == 3:
                op, kwargs = self.import_maildir, {"which": "shared"}  # every process races for the same mail
            elif i == count // 2:
                op, kwargs = self.import_maildir, {"which": "own"}
            else:
                op, kwargs = getattr(self, self.rng.choices(names, weights)[0]), {}
            try:
                op(i, **kwargs)
            except Exception as exc:  # what would reach the operator: recorded, never hidden
                self.errors.append(f"operation {i} {op.__name__}: {type(exc).__name__}: {exc}\n"
                                   + "".join(traceback.format_exc(limit=4)))

    def report(self) -> dict:
        return {
            "operator": self.me, "ops": dict(self.ops), "audit": dict(self.audit),
            "conflicts": dict(self.conflicts), "errors": self.errors, "revisions": self.revisions,
            "cases_opened": self.cases_opened, "entries": self.entries, "imported": self.imported,
            "duplicates": self.duplicates, "imports": self.imports, "marked_read": self.marked_read,
            "held": sorted(self.held), "claims": self.has_claims,
        }


def stress(args: argparse.Namespace) -> None:
    plan = json.loads(Path(args.plan).read_text())
    desk = Desk.open(config_mod.load(db_path=args.db))
    worker = Stress(desk, args, plan)
    Path(args.report + ".ready").touch()
    go = Path(args.go)
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:  # start together, so that they really race
        time.sleep(0.005)
    started, wall = time.monotonic(), time.time()
    worker.run(args.ops)
    report = worker.report()
    report["seconds"] = round(time.monotonic() - started, 2)
    report["window"] = [wall, time.time()]  # when it ran, to show that the processes really overlapped
    Path(args.report).write_text(json.dumps(report, indent=1))


def appeal_loop(args: argparse.Namespace) -> None:
    """Save revisions of one appeal back to back until killed; each text names its revision."""
    desk = Desk.open(config_mod.load(db_path=args.db))
    appeal = desk.appeal(args.appeal)
    i = 0
    while True:
        i += 1
        appeal = desk.save_appeal(appeal, f"Root cause and plan, draft {i}.\n" + "x" * (i % 5000))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("stress")
    s.add_argument("--db", required=True)
    s.add_argument("--plan", required=True)
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--ops", type=int, required=True)
    s.add_argument("--own", required=True)
    s.add_argument("--shared", required=True)
    s.add_argument("--report", required=True)
    s.add_argument("--go", required=True)
    a = sub.add_parser("appeal-loop")
    a.add_argument("--db", required=True)
    a.add_argument("--appeal", type=int, required=True)
    args = parser.parse_args(argv)
    stress(args) if args.mode == "stress" else appeal_loop(args)


if __name__ == "__main__":
    main(sys.argv[1:])
