"""The demo database: realistic, deterministic notices across several accounts (data in notices.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from console.core.clock import Clock
from console.core.config import Config
from console.core.errors import StoreError
from console.desk import Desk
from console.ingest.extract import extract
from console.store import accounts as accounts_store
from console.store import bulk
from console.store import notifications as notes
from console.store.db import open_store
from console.store.notifications import NewNotification


def seed_demo(path: Path, config: Config, clock: Clock) -> dict[str, int]:
    """Recreate the demo database at path; refuses to touch a database holding real work."""
    from console.demo import notices

    path = Path(path)
    if not bulk.seeded_by_demo(path):
        raise StoreError(f"{path}: holds data not made by `flagdesk demo`; refusing to replace it")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = open_store(path, config.operator, clock)
    try:
        populate(store, config, clock)
        return {"accounts": len(notices.ACCOUNTS), "notifications": len(notices.NOTICES)}
    finally:
        store.close()


def populate(store, config: Config, clock: Clock) -> None:
    """Add the demo accounts and notices to an open store, in one transaction."""
    from console.demo import notices

    now = clock.now()
    with store.write():
        store.audit("demo.seed", "accounts", None, {"accounts": len(notices.ACCOUNTS)})
        ids = {}
        for a in notices.ACCOUNTS:
            account = accounts_store.add_account(store, a["name"], a["marketplaces"], a.get("emails"),
                                                 a.get("seller_id"))
            ids[a["name"]] = account.id
        for i, n in enumerate(notices.NOTICES):
            received = now - timedelta(hours=n["hours_ago"])
            x = extract(n["text"], received, config.rules())
            notes.add_notification(store, NewNotification(
                account_id=ids[n["account"]], marketplace=n["marketplace"], received_at=received,
                subject=x.subject, body=x.body, category=x.category, cause=x.cause, why=x.why,
                severity=x.severity, policy=x.policy,
                asins=x.asins, skus=x.skus, order_ids=x.order_ids, complaint_id=x.complaint_id,
                deadline_at=x.deadline_at, deadline_text=x.deadline_text, action_taken=x.action_taken,
                status=n["status"], source="demo", external_id=f"demo-{i}", assignee=n.get("assignee"),
            ))


def seed_large(path: Path, config: Config, clock: Clock, **sizes: int) -> dict[str, int]:
    """The large demo database at path (`flagdesk demo --size large`): made once with `generate_large`,
    then reused. It is written beside path and moved into place when complete, so an interrupted run
    leaves nothing half-made; a database holding real work is never replaced."""
    import os
    import time

    path = Path(path)
    counts = bulk.large_counts(path)
    if counts is not None:
        return {**counts, "reused": 1}
    if not bulk.seeded_by_demo(path):
        raise StoreError(f"{path}: holds data not made by `flagdesk demo`; refusing to replace it")
    part = path.with_name(path.name + ".part")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{part}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    store = open_store(part, config.operator, clock)
    try:
        made = generate_large(store, **{**LARGE, **sizes})
    finally:
        store.close()  # the last connection to close checkpoints the WAL into the file
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(part, path)
    made.pop("long_appeal_id", None)
    return {**made, "reused": 0, "seconds": time.perf_counter() - started}


def demo_desk(config: Config, clock: Clock, path: Path | str = ":memory:") -> Desk:
    """A Desk on a freshly seeded demo database (tests and snapshots use an in-memory one)."""
    store = open_store(path, config.operator, clock)
    populate(store, config, clock)
    return Desk(store, config, clock)


LARGE = {"accounts": 50, "notifications": 100_000, "appeals": 5_000, "contacts": 10_000}
HUGE = {"accounts": 200, "notifications": 1_000_000, "appeals": 20_000, "contacts": 40_000}  # --size huge
LONG_APPEAL_REVISIONS = 50  # one appeal of the large database has exactly this many revisions
OPERATORS = ("lucia", "sam", "maria", "dev", "ana", "tomasz")
CASE_SUMMARIES = (
    "Appeal for {subject}", "Asked why {asin} is still suppressed after the fix", "Reinstatement of {asin}",
    "Invoice for {asin} rejected, asked which document they need", "Follow-up on the plan of action for {subject}",
    "Account health rating dropped after {subject}", "Requested the rights owner's contact for complaint {complaint}",
    "Late shipment rate: carrier delay on {date}", "Payments on hold since {date}", "Listing {asin} removed in error",
)
CASE_PATHS = ("Help → Contact Us → Account Health", "Help → Contact Us → Selling on Amazon",
              "Help → Contact Us → Listings and inventory", "Help → Contact Us → Orders and shipping")


def _appeal_text(rng, asins: list[str], order_ids: list[str], complaint: str | None) -> dict[str, str]:
    """The three sections of one appeal, drawn from the demo's appeal parts and filled in."""
    from console.demo import notices

    def fill(part: str) -> str:
        return part.format(
            asin=asins[0] if asins else f"B0{rng.randrange(16**8):08X}",
            order=order_ids[0] if order_ids else f"{rng.randint(111, 114)}-{rng.randrange(10**7):07d}-"
                                                   f"{rng.randrange(10**7):07d}",
            n=rng.choice([3, 5, 10, 12, 20, 43, 120, 250]),
            date=f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
            **{k: rng.choice(v) for k, v in notices.APPEAL_FILL.items()},
        )

    root = " ".join(fill(p) for p in rng.sample(notices.APPEAL_ROOT_CAUSES, rng.randint(2, 3)))
    if complaint and rng.random() < 0.7:
        root = f"Complaint ID {complaint}: {root}"
    actions = "\n".join(f"- {fill(p)}" for p in rng.sample(notices.APPEAL_ACTIONS, rng.randint(3, 4)))
    steps = "\n".join(f"{i}. {fill(p)}" for i, p in enumerate(rng.sample(notices.APPEAL_PREVENTIVE, 3), 1))
    return {"root": root, "actions": actions, "steps": steps}


def _revisions(rng, parts: dict[str, str], count: int) -> list[str]:
    """How an operator writes an appeal: the root cause first, then the actions, then the prevention,
    then small edits (one word swapped, one sentence added) in each later revision."""
    import re

    from console.demo import notices

    def text(root: str, actions: str = "", steps: str = "") -> str:
        return f"## Root cause\n\n{root}\n\n## Actions taken\n\n{actions}\n\n## Preventive measures\n\n{steps}\n"

    texts = [text(parts["root"]), text(parts["root"], parts["actions"]),
             text(parts["root"], parts["actions"], parts["steps"])][:count]
    current = texts[-1]
    while len(texts) < count:
        old, new = rng.choice(notices.APPEAL_EDITS)
        edited = re.sub(rf"\b{re.escape(old)}\b", new, current, count=1)
        if rng.random() < 0.5 and edited != current:
            current = edited
        else:
            current = current.rstrip("\n") + f"\n{len(texts) + 1}. We review this plan on the first Monday " \
                f"of every month (revision {len(texts) + 1}).\n"
        texts.append(current)
    return texts


def generate_large(store, accounts: int = 50, notifications: int = 100_000, seed: int = 7,
                   appeals: int = 5_000, contacts: int = 10_000) -> dict[str, int]:
    """A large, realistic-looking database for benchmarks and `flagdesk demo --size large`: the demo
    notices re-dated and spread across many accounts; appeals with several revisions each, written
    the way operators write them (one of them with exactly LONG_APPEAL_REVISIONS revisions); Seller
    Support cases with their timelines. One transaction, one audit row saying what was made.

    Returns the counts, and `long_appeal_id`: the appeal with LONG_APPEAL_REVISIONS revisions."""
    import json
    import random

    from console.core.clock import to_iso
    from console.demo import notices

    rng = random.Random(seed)
    now = store.clock.now()
    statuses = ["new"] * 2 + ["read"] * 5 + ["in_progress", "appealed"] + ["resolved"] * 6 + ["dismissed"] * 2
    templates = []
    for n in notices.NOTICES:
        x = extract(n["text"], now)
        templates.append(x)
    whys = {id(x): json.dumps(x.why, ensure_ascii=False) for x in templates}
    appeals = min(appeals, notifications)
    with store.write() as conn:
        store.audit("demo.seed", "accounts", None, {"accounts": accounts, "notifications": notifications,
                                                    "appeals": appeals, "contacts": contacts, "seed": seed})
        account_rows = []
        for i in range(accounts):
            mps = rng.sample(["US", "CA", "UK", "DE", "FR", "IT", "ES", "JP"], rng.randint(1, 3))
            account_rows.append((bulk.add_account(conn, f"Seller {i + 1:02d}", to_iso(now), mps), mps))
        picks = []  # (template, account id, marketplace, received) per notification, for appeals and cases

        def rows():  # made as they are written: a million notices' texts never sit in memory at once
            for i in range(notifications):
                x = templates[rng.randrange(len(templates))]
                account_id, mps = account_rows[rng.randrange(accounts)]
                received = now - timedelta(minutes=rng.randint(5, 60 * 24 * 720))
                deadline = received + timedelta(days=rng.choice([3, 7, 17, 30])) if rng.random() < 0.4 else None
                mp = rng.choice(mps)
                picks.append((x, account_id, mp, received))
                yield (
                    first_id + i, account_id, mp, to_iso(received), f"{x.subject} #{i}", x.body, x.category,
                    x.severity, rng.choice(statuses), x.policy, json.dumps(x.asins), json.dumps(x.skus),
                    json.dumps(x.order_ids), x.complaint_id, to_iso(deadline) if deadline else None, "large-demo",
                    f"large-{i}", to_iso(now), to_iso(now), x.cause, whys[id(x)],
                )

        first_id = bulk.next_id(conn, "notifications")
        bulk.add_notifications(conn, rows())

        def later(start, hours: float):
            return min(start + timedelta(hours=rng.uniform(0.2, hours)), now)

        first_appeal = bulk.next_id(conn, "appeals")
        appeal_rows, revision_rows, appealed = [], [], []
        for k, i in enumerate(sorted(rng.sample(range(notifications), appeals))):
            x, account_id, mp, received = picks[i]
            count = LONG_APPEAL_REVISIONS if k == appeals // 2 else rng.randint(2, 7)
            texts = _revisions(rng, _appeal_text(rng, x.asins, x.order_ids, x.complaint_id), count)
            author = rng.choice(OPERATORS)
            created = later(received, 48)
            at = created
            aid = first_appeal + k
            for number, text in enumerate(texts, 1):
                revision_rows.append((aid, number, text, author if rng.random() < 0.8 else rng.choice(OPERATORS),
                                      to_iso(at), None))
                at = later(at, 6)
            status = rng.choice(["draft"] * 6 + ["submitted"] * 2 + ["accepted", "rejected"])
            if count == LONG_APPEAL_REVISIONS:
                status = "draft"  # still being written: the benchmarks type into it
            submitted = to_iso(at) if status != "draft" else None
            outcome = to_iso(later(at, 24 * 7)) if status in ("accepted", "rejected") else None
            appeal_rows.append((aid, first_id + i, author, to_iso(created), to_iso(at), texts[-1], len(texts), status,
                                "contact-us" if submitted else None, "email" if submitted else None, submitted,
                                author if submitted else None, outcome))
            appealed.append((aid, first_id + i))
        bulk.add_appeals(conn, appeal_rows, revision_rows)

        first_case = bulk.next_id(conn, "cases")
        case_rows, entry_rows = [], []
        case_statuses = ["open"] * 3 + ["answered"] * 2 + ["requires_attention", "reopened"] + ["closed"] * 5
        for k in range(contacts):
            cid = first_case + k
            appeal_id = None
            if k % 5 == 0 and appealed:
                appeal_id, nid = appealed[rng.randrange(len(appealed))]
                i = nid - first_id
            else:
                i = rng.randrange(notifications)
            x, account_id, mp, received = picks[i]
            opened = later(received, 24 * 10)
            status = rng.choice(case_statuses)
            channel = rng.choice(["email"] * 3 + ["phone", "chat"])
            summary = rng.choice(CASE_SUMMARIES).format(
                subject=x.subject[:80], asin=x.asins[0] if x.asins else "the listing",
                complaint=x.complaint_id or "on file", date=opened.date().isoformat())
            follow = None
            if status != "closed" and rng.random() < 0.6:
                follow = to_iso(opened + timedelta(days=rng.randint(1, 10)))
            actor = rng.choice(OPERATORS)
            at = opened
            entry_rows.append((cid, to_iso(at), actor, "opened", channel, f"Opened: {summary}", None, "open"))
            previous = "open"
            for _ in range(rng.randint(0, 3)):
                at = later(at, 72)
                entry_rows.append((cid, to_iso(at), rng.choice(OPERATORS), "contact", channel,
                                   rng.choice(["Seller Support asked for the invoices again.",
                                               "Sent the supplier's invoices and the letter of authorization.",
                                               "Chat transcript: the agent escalated to the Account Health team.",
                                               "Called back; the case is with the investigations team."]),
                                   None, None))
            if status != "open":
                at = later(at, 72)
                entry_rows.append((cid, to_iso(at), actor, "status", None, None, previous, status))
            case_rows.append((cid, account_id, mp, channel, rng.choice(CASE_PATHS), f"{15_000_000_000 + k}",
                              summary, status, int(rng.random() < 0.1), follow, first_id + i, appeal_id,
                              to_iso(opened), actor, to_iso(at)))
        bulk.add_cases(conn, case_rows, entry_rows)
    return {"accounts": accounts, "notifications": notifications, "appeals": appeals,
            "revisions": len(revision_rows), "contacts": contacts, "contact_entries": len(entry_rows),
            "long_appeal_id": first_appeal + appeals // 2 if appeals else None}
