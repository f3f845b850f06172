"""Opening the shared database: pragmas, migrations, write transactions and the audit log.

Every operator's session and every cron import opens the same file, so:
- WAL journal, a busy timeout of several seconds, foreign keys on;
- every write runs inside `Store.write()`, a `BEGIN IMMEDIATE` transaction (a deferred
  transaction that reads and then writes fails at once with SQLITE_BUSY in WAL mode);
- every write appends audit rows (who, when, what, which row) in that same transaction, each hash-chained
  to the one before (audit_chain.py);
- rows operators edit carry a `version`, and a write that expected another version is refused.
"""

# size: the schema steps, one function each in the order they apply, beside the Store that applies them.

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.core.clock import Clock, to_iso
from console.core.errors import ConflictError, DataError, NotFoundError, StoreError  # noqa: F401 (re-exported)
from console.store import audit_chain
from console.store.files import create_file

if TYPE_CHECKING:
    import sqlite_utils

BIG_WRITE_CACHE_KIB = -65536  # PRAGMA cache_size for a big write: negative is KiB
BUSY_TIMEOUT_S = 8.0


# The schema steps, in order. They are applied through sqlite-utils' Migrations, which is imported
# only when a database needs a step: a session on an up-to-date database never pays for it.
_STEPS: list = []
_MIGRATIONS = None


def step(fn):
    _STEPS.append(fn)
    return fn


def migrations_set():
    """The sqlite-utils Migrations set "flagdesk" holding every step."""
    global _MIGRATIONS
    if _MIGRATIONS is None:
        from sqlite_utils import Migrations

        m = Migrations("flagdesk")
        for fn in _STEPS:
            m()(fn)
        _MIGRATIONS = m
    return _MIGRATIONS


@step
def m001_initial(db: sqlite_utils.Database) -> None:
    _run_script(db.conn, """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            seller_id TEXT,
            archived INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE account_marketplaces (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            marketplace TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (account_id, marketplace)
        );
        CREATE TABLE account_emails (
            email TEXT PRIMARY KEY COLLATE NOCASE,
            account_id INTEGER NOT NULL REFERENCES accounts(id)
        );
        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            -- NULL: an imported notice whose account could not be told, waiting for an operator.
            account_id INTEGER REFERENCES accounts(id),
            marketplace TEXT NOT NULL,
            received_at TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            category TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('critical','high','medium','low')),
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new','read','in_progress','appealed','resolved','dismissed')),
            policy TEXT,
            asins TEXT NOT NULL DEFAULT '[]',
            skus TEXT NOT NULL DEFAULT '[]',
            order_ids TEXT NOT NULL DEFAULT '[]',
            complaint_id TEXT,
            deadline_at TEXT,
            deadline_text TEXT,
            action_taken TEXT,
            source TEXT NOT NULL DEFAULT 'manual',
            external_id TEXT,
            assignee TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            -- Triage order, derived: unread first, closed last; most severe first; nearest deadline.
            bucket INTEGER GENERATED ALWAYS AS (
                CASE status WHEN 'new' THEN 0 WHEN 'resolved' THEN 2 WHEN 'dismissed' THEN 2 ELSE 1 END
            ) VIRTUAL,
            sev_rank INTEGER GENERATED ALWAYS AS (
                CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END
            ) VIRTUAL,
            deadline_sort TEXT GENERATED ALWAYS AS (coalesce(deadline_at, '9999')) VIRTUAL,
            -- The whole triage order as one ascending text key, so that paging is an index range:
            -- bucket, severity, deadline (none last), then newest first and the highest id first.
            sort_key TEXT GENERATED ALWAYS AS (
                bucket || sev_rank || coalesce(deadline_at, '9999-99-99T99:99:99Z')
                || printf('%012d', 99999999999 - unixepoch(received_at))
                || printf('%012d', 999999999999 - id)
            ) VIRTUAL
        );
        CREATE INDEX notifications_triage ON notifications (sort_key);
        CREATE INDEX notifications_account_triage ON notifications (account_id, sort_key);
        CREATE INDEX notifications_status ON notifications (status, account_id, marketplace);
        CREATE INDEX notifications_open_deadline ON notifications (account_id, deadline_at)
            WHERE status NOT IN ('resolved', 'dismissed');
        CREATE UNIQUE INDEX notifications_external
            ON notifications (source, external_id) WHERE external_id IS NOT NULL;

        CREATE VIRTUAL TABLE notifications_fts USING fts5(
            subject, body, content='notifications', content_rowid='id', tokenize='unicode61'
        );
        CREATE TRIGGER notifications_fts_ai AFTER INSERT ON notifications BEGIN
            INSERT INTO notifications_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body);
        END;
        CREATE TRIGGER notifications_fts_ad AFTER DELETE ON notifications BEGIN
            INSERT INTO notifications_fts(notifications_fts, rowid, subject, body)
            VALUES ('delete', old.id, old.subject, old.body);
        END;
        CREATE TRIGGER notifications_fts_au AFTER UPDATE OF subject, body ON notifications BEGIN
            INSERT INTO notifications_fts(notifications_fts, rowid, subject, body)
            VALUES ('delete', old.id, old.subject, old.body);
            INSERT INTO notifications_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body);
        END;

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id INTEGER,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_row ON audit (table_name, row_id, id);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        """)


@step
def m002_appeals(db: sqlite_utils.Database) -> None:
    _run_script(db.conn, """
        ALTER TABLE notifications ADD COLUMN appeal_button_used_at TEXT;
        ALTER TABLE notifications ADD COLUMN appeal_button_used_by TEXT;
        CREATE TABLE appeals (
            id INTEGER PRIMARY KEY,
            notification_id INTEGER NOT NULL REFERENCES notifications(id),
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            text TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'submitted', 'accepted', 'rejected')),
            route TEXT CHECK (route IN ('appeal-button', 'contact-us')),
            channel TEXT,
            case_id TEXT,
            submitted_at TEXT,
            submitted_by TEXT,
            override_reason TEXT,
            outcome_at TEXT,
            outcome_note TEXT,
            reviewed_by TEXT,
            reviewed_at TEXT,
            reviewed_revision INTEGER,
            revised_from INTEGER REFERENCES appeals(id),
            version INTEGER NOT NULL DEFAULT 1
        );
        -- Who has what open right now: heartbeat rows that expire (not audited: they change no content).
        CREATE TABLE presence (
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            ref_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (kind, ref_id, actor)
        );
        CREATE INDEX appeals_notification ON appeals (notification_id, id);
        CREATE TABLE appeal_revisions (
            id INTEGER PRIMARY KEY,
            appeal_id INTEGER NOT NULL REFERENCES appeals(id),
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            note TEXT,
            UNIQUE (appeal_id, number)
        );
        """)


@step
def m003_imports(db: sqlite_utils.Database) -> None:
    _run_script(db.conn, """
        CREATE TABLE account_status_history (
            id INTEGER PRIMARY KEY,
            account_id INTEGER REFERENCES accounts(id),
            marketplace TEXT,
            at TEXT NOT NULL,
            previous TEXT,
            current TEXT NOT NULL,
            notification_id INTEGER REFERENCES notifications(id),
            external_id TEXT UNIQUE
        );
        CREATE INDEX account_status_history_account ON account_status_history (account_id, at);
        CREATE TABLE health_snapshots (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            marketplace TEXT NOT NULL,
            marketplace_id TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            report_date TEXT,
            account_status TEXT,
            ahr_status TEXT,
            ahr_score INTEGER,
            metrics TEXT NOT NULL DEFAULT '[]',
            policy_counts TEXT NOT NULL DEFAULT '{}',
            warning_states TEXT NOT NULL DEFAULT '[]',
            content_hash TEXT NOT NULL,
            origin TEXT,
            UNIQUE (account_id, marketplace_id, content_hash)
        );
        CREATE INDEX health_snapshots_account ON health_snapshots (account_id, marketplace, id);
        """)


@step
def m004_contacts(db: sqlite_utils.Database) -> None:
    _run_script(db.conn, """
        -- Seller Support cases opened through Help -> Contact Us, and their timelines.
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            marketplace TEXT,
            channel TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'chat')),
            path TEXT,
            case_ref TEXT,
            summary TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'answered', 'requires_attention', 'reopened', 'closed')),
            urgent INTEGER NOT NULL DEFAULT 0,
            follow_up_at TEXT,
            notification_id INTEGER REFERENCES notifications(id),
            appeal_id INTEGER REFERENCES appeals(id),
            opened_at TEXT NOT NULL,
            opened_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX cases_account ON cases (account_id, status);
        CREATE INDEX cases_notification ON cases (notification_id);
        CREATE INDEX cases_case_ref ON cases (case_ref);
        CREATE INDEX cases_follow_up ON cases (follow_up_at) WHERE status != 'closed';
        CREATE TABLE case_entries (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('opened', 'contact', 'status', 'note', 'follow_up', 'case_ref')),
            channel TEXT,
            text TEXT,
            old_status TEXT,
            new_status TEXT
        );
        CREATE INDEX case_entries_case ON case_entries (case_id, id);
        CREATE VIRTUAL TABLE cases_fts USING fts5(summary, content='cases', content_rowid='id', tokenize='unicode61');
        CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
            INSERT INTO cases_fts(rowid, summary) VALUES (new.id, new.summary);
        END;
        CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
            INSERT INTO cases_fts(cases_fts, rowid, summary) VALUES ('delete', old.id, old.summary);
        END;
        CREATE TRIGGER cases_fts_au AFTER UPDATE OF summary ON cases BEGIN
            INSERT INTO cases_fts(cases_fts, rowid, summary) VALUES ('delete', old.id, old.summary);
            INSERT INTO cases_fts(rowid, summary) VALUES (new.id, new.summary);
        END;
        """)



@step
def m005_claims(db: sqlite_utils.Database) -> None:
    _run_script(db.conn, """
        -- A claim: the operator who owns a notification (assignee) and since when; presence by notification.
        ALTER TABLE notifications ADD COLUMN claimed_at TEXT;
        CREATE INDEX notifications_assignee ON notifications (assignee, sort_key);
        CREATE INDEX presence_at ON presence (at);
        """)


@step
def m006_audit_indexes(db: sqlite_utils.Database) -> None:
    _run_script(db.conn, """
        -- `flagdesk audit --since/--actor` and the audit screen at 100k+ rows: a range, not a scan.
        CREATE INDEX audit_at ON audit (at);
        CREATE INDEX audit_actor ON audit (actor, id);
        """)


@step
def m007_perf_indexes(db: sqlite_utils.Database) -> None:
    _run_script(db.conn, """
        -- At 100k notifications: count(*) reads this narrow index (not the wide triage one), the unread
        -- count is a range of it, and the flag's overdue count is a range of open deadlines, not a scan.
        CREATE INDEX notifications_status_only ON notifications (status);
        CREATE INDEX notifications_open_due ON notifications (deadline_at, account_id)
            WHERE status NOT IN ('resolved', 'dismissed') AND deadline_at IS NOT NULL;
        """)



@step
def m008_audit_guard(db: sqlite_utils.Database) -> None:
    _run_script(db.conn, """
        -- REPLACE deletes the row it replaces without firing DELETE triggers: refuse an insert that
        -- names an id already taken, so that no statement can overwrite an audit row.
        CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
        WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id) BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        """)


@step
def m009_appeal_signatures(db: sqlite_utils.Database) -> None:
    """Each appeal's similarity signature, written by every save (console/review/signatures.py): a session
    answers the template check from these tables instead of hashing every appeal's text when it opens."""
    _run_script(db.conn, """
        CREATE TABLE appeal_signatures (
            appeal_id INTEGER PRIMARY KEY REFERENCES appeals(id),
            revision INTEGER NOT NULL,      -- the appeal's revision whose text this signs
            num_perm INTEGER NOT NULL,      -- the index shape it was made with
            bands INTEGER NOT NULL,
            shingles BLOB NOT NULL,         -- sorted uint32 little-endian: crc32 of the word 4-shingles
            signature BLOB                  -- uint64 little-endian MinHash; NULL for a text with no shingles
        );
        -- The LSH buckets: the appeals sharing (band, key) with a query are its candidates, one indexed lookup each.
        CREATE TABLE appeal_bands (
            band INTEGER NOT NULL,
            key INTEGER NOT NULL,
            appeal_id INTEGER NOT NULL REFERENCES appeals(id),
            PRIMARY KEY (band, key, appeal_id)
        ) WITHOUT ROWID;
        CREATE INDEX appeal_bands_appeal ON appeal_bands (appeal_id);
        """)
    from console.store.signatures import backfill

    backfill(db.conn)  # every existing appeal, in this step's transaction (about 1 s per 1,500 appeals, once)


@step
def m010_audit_chain(db: sqlite_utils.Database) -> None:
    """Each audit row's SHA-256, chained to the row before (console/store/audit_chain.py).

    The append-only triggers forbid the UPDATE that gives the existing rows their hashes, so this step drops
    them, hashes every row as it stands, and creates them again from `audit_chain.GUARD_TRIGGERS` (the text
    `doctor` checks them against) — all in the one BEGIN IMMEDIATE transaction of the migration: no other
    session ever sees the log unguarded, and a failure leaves the database as it was. The rows written
    before this step are chained as they stand at the upgrade."""
    conn = db.conn
    conn.execute("ALTER TABLE audit ADD COLUMN hash TEXT")
    audit_chain.drop_guard(conn)
    audit_chain.backfill(conn)
    audit_chain.install_guard(conn)


@step
def m011_reading(db: sqlite_utils.Database) -> None:
    """Two readings per notice (console/core/reading.py): the fate stays in `category`, the cause gets its
    column, and `why` keeps what decided them; `corrected` lists the fields an operator set by hand (from
    the edits the audit holds), which no reading changes. Every notice stored as text is then read again
    by the new rules (console/store/rereading.py), with an audit row for each one that changes; a notice
    the Selling Partner API reported keeps what the API said, its old category becoming its cause."""
    conn = db.conn
    for column in ("cause TEXT NOT NULL DEFAULT 'other'", "why TEXT", "corrected TEXT NOT NULL DEFAULT '[]'"):
        conn.execute(f"ALTER TABLE notifications ADD COLUMN {column}")
    edited: dict[int, set[str]] = {}
    for row_id, detail in conn.execute("SELECT row_id, detail FROM audit WHERE action = 'notification.edit'"):
        try:
            keys = set(json.loads(detail)) & {"category", "severity", "deadline_at", "policy"}
        except (ValueError, TypeError):
            continue
        if keys and row_id is not None:
            edited.setdefault(row_id, set()).update(keys)
    conn.executemany("UPDATE notifications SET corrected = ? WHERE id = ?",
                     [(json.dumps(sorted(keys)), nid) for nid, keys in edited.items()])
    from console.core.reading import load_rules
    from console.store import rereading

    spapi = "('" + "','".join(rereading.NOT_TEXT) + "')"
    fates = [r.id for r in load_rules().fates]
    conn.execute(f"UPDATE notifications SET cause = category, category = 'warning' WHERE source IN {spapi} "
                 f"AND category NOT IN ({','.join('?' * len(fates))})", fates)
    now = to_iso(Clock().now())
    rereading.reread(conn, rereading.rules_reader(), actor="flagdesk (schema step m011)", now=now,
                     reason="schema step m011: the notices read again by the fate and cause rules")


@step
def m012_os_identity(db: sqlite_utils.Database) -> None:
    """Who did it is who ran it: the OS user (the process's uid) beside every display name, and the team's
    policy (console/store/policy.py).

    Audit rows, claims, presence, revisions and reviews record the OS user; `actor`, `assignee`, `author`,
    `reviewed_by` keep the display name (FLAGDESK_OPERATOR or `operator`). Rows written before this step have
    no OS user (NULL): their hashes stay as they were (audit_chain.values). Presence holds only heartbeats,
    so it is made again with the OS user in its key (two OS users declaring one name are two rows)."""
    _run_script(db.conn, """
        ALTER TABLE audit ADD COLUMN os_user TEXT;
        -- Shared OS accounts (one os_user, several display names): an index range per OS user.
        CREATE INDEX audit_os_user ON audit (os_user, actor) WHERE os_user IS NOT NULL;
        ALTER TABLE notifications ADD COLUMN assignee_os TEXT;
        ALTER TABLE appeals ADD COLUMN author_os TEXT;
        ALTER TABLE appeals ADD COLUMN submitted_by_os TEXT;
        ALTER TABLE appeals ADD COLUMN reviewed_by_os TEXT;
        ALTER TABLE appeal_revisions ADD COLUMN author_os TEXT;
        DROP TABLE presence;
        CREATE TABLE presence (
            actor TEXT NOT NULL,
            os_user TEXT NOT NULL,
            kind TEXT NOT NULL,
            ref_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (kind, ref_id, os_user, actor)
        );
        CREATE INDEX presence_at ON presence (at);
        -- Team policy: one row per setting, changed only by `flagdesk policy set` (audited, with a reason).
        CREATE TABLE policy (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            set_at TEXT NOT NULL,
            set_by TEXT NOT NULL,
            set_by_os TEXT NOT NULL,
            reason TEXT NOT NULL
        );
        """)


@step
def m013_account_state(db: sqlite_utils.Database) -> None:
    """An account's state (deactivated, under review, at risk, funds held) for the sidebar and `flagdesk status`:
    the fates of its open notices, an index range per fate however many notices are stored."""
    _run_script(db.conn, """
        CREATE INDEX notifications_open_fate ON notifications (category, account_id)
            WHERE status NOT IN ('resolved', 'dismissed');
        """)


@step
def m014_listing_issues(db: sqlite_utils.Database) -> None:
    """The issue changes of each listing (LISTINGS_ITEM_ISSUES_CHANGE, console/store/listings.py): one row
    per notification, keyed by its notificationId (a re-import adds nothing); `listing` is the seller, the
    marketplace and the SKU, so that a later notification clearing the listing finds the notices it resolves."""
    _run_script(db.conn, """
        CREATE TABLE listing_issue_events (
            id INTEGER PRIMARY KEY,
            external_id TEXT NOT NULL UNIQUE,
            listing TEXT NOT NULL,
            account_id INTEGER REFERENCES accounts(id),
            marketplace TEXT,
            sku TEXT NOT NULL,
            asin TEXT,
            at TEXT NOT NULL,
            severities TEXT NOT NULL DEFAULT '[]',
            actions TEXT NOT NULL DEFAULT '[]',
            cleared INTEGER NOT NULL DEFAULT 0,
            notification_id INTEGER REFERENCES notifications(id),
            imported_at TEXT NOT NULL
        );
        CREATE INDEX listing_issue_events_listing ON listing_issue_events (listing, at);
        """)


# The key of a notification's counter: its account (0: none yet), marketplace ('' none), status, and whether it
# has a deadline. Spelled once for the triggers below.
_COUNT_KEY = "coalesce({r}.account_id, 0), coalesce({r}.marketplace, ''), {r}.status, {r}.deadline_at IS NOT NULL"
_COUNT_MATCH = ("account_id = coalesce({r}.account_id, 0) AND marketplace = coalesce({r}.marketplace, '') "
                "AND status = {r}.status AND dated = ({r}.deadline_at IS NOT NULL)")
COUNT_TRIGGERS = f"""
        CREATE TRIGGER notification_counts_insert AFTER INSERT ON notifications BEGIN
            INSERT INTO notification_counts VALUES ({_COUNT_KEY.format(r="new")}, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER notification_counts_delete AFTER DELETE ON notifications BEGIN
            UPDATE notification_counts SET n = n - 1 WHERE {_COUNT_MATCH.format(r="old")};
        END;
        CREATE TRIGGER notification_counts_update AFTER UPDATE OF account_id, marketplace, status, deadline_at
            ON notifications
            WHEN old.account_id IS NOT new.account_id OR old.marketplace IS NOT new.marketplace
              OR old.status IS NOT new.status OR (old.deadline_at IS NULL) != (new.deadline_at IS NULL)
        BEGIN
            UPDATE notification_counts SET n = n - 1 WHERE {_COUNT_MATCH.format(r="old")};
            INSERT INTO notification_counts VALUES ({_COUNT_KEY.format(r="new")}, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
        END;
"""


@step
def m015_counts(db: sqlite_utils.Database) -> None:
    """Counters of notifications per account, marketplace, status and whether a deadline is set, kept by
    triggers in the writer's own transaction: the status line, the sidebar and the flag read a few hundred
    counters instead of counting index entries (half a million open notices at 1M: 70 ms). What depends on
    the clock (overdue, due within 24 h) is the dated open count less the few deadlines still ahead."""
    _run_script(db.conn, """
        CREATE TABLE notification_counts (
            account_id INTEGER NOT NULL,
            marketplace TEXT NOT NULL,
            status TEXT NOT NULL,
            dated INTEGER NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (account_id, marketplace, status, dated)
        ) WITHOUT ROWID;
        INSERT INTO notification_counts
            SELECT coalesce(account_id, 0), coalesce(marketplace, ''), status, deadline_at IS NOT NULL, count(*)
            FROM notifications GROUP BY 1, 2, 3, 4;
        """ + COUNT_TRIGGERS)


@step
def m016_sources(db: sqlite_utils.Database) -> None:
    """The `[[sources]]` of the config (`flagdesk fetch`): each one's last run, last error and counts, and per
    IMAP folder the UIDVALIDITY and the last UID imported, so that a re-run reads only new mail."""
    _run_script(db.conn, """
        CREATE TABLE source_state (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            last_run_at TEXT,
            last_ok_at TEXT,
            last_error TEXT,
            runs INTEGER NOT NULL DEFAULT 0,
            imported INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE source_cursors (
            source TEXT NOT NULL,
            folder TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            last_uid INTEGER NOT NULL,
            PRIMARY KEY (source, folder)
        );
        """)


@step
def m017_attachments(db: sqlite_utils.Database) -> None:
    """The evidence locker (console/store/attachments.py): each file's bytes once, by their SHA-256
    (attachment_blobs), and a link per appeal that carries it with its kind, document date and ASINs
    (attachments). In the database, so that a backup and a restore carry them and every operator sees them."""
    _run_script(db.conn, """
        CREATE TABLE attachment_blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mime TEXT NOT NULL,
            content BLOB NOT NULL,
            stored_at TEXT NOT NULL
        );
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            appeal_id INTEGER NOT NULL REFERENCES appeals(id),
            sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256),
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            doc_date TEXT,                  -- YYYY-MM-DD: the document's own date
            asins TEXT NOT NULL DEFAULT '[]',
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_by_os TEXT,
            UNIQUE (appeal_id, sha256)
        );
        CREATE INDEX attachments_blob ON attachments (sha256);
        """)


@step
def m018_alerts(db: sqlite_utils.Database) -> None:
    """Alerts to the on-call operator (console/ingest/alerts.py): each event once, its delivery kept (sent, or
    waiting with the last error, retried later); and the SQS messages `flagdesk fetch` could not read, kept
    aside with their reason (deleted from the queue so they do not come back forever); and since when each
    source has been failing."""
    _run_script(db.conn, """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            event TEXT NOT NULL UNIQUE,
            rule TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            -- The alert URLs (by a hash: a URL can hold a token) that have it, so a retry skips them.
            delivered TEXT NOT NULL DEFAULT '[]',
            claimed_at TEXT,
            claimed_by TEXT
        );
        CREATE INDEX alerts_pending ON alerts (created_at) WHERE sent_at IS NULL;
        -- How far each rule has looked (the newest notification and status change seen): what a database
        -- held before this step raises no alert.
        CREATE TABLE alert_marks (
            rule TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO alert_marks SELECT 'notification_id', coalesce(max(id), 0) FROM notifications;
        INSERT INTO alert_marks SELECT 'status_id', coalesce(max(id), 0) FROM account_status_history;
        CREATE TABLE source_kept (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            message_id TEXT NOT NULL,
            kept_at TEXT NOT NULL,
            reason TEXT NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (source, message_id)
        );
        -- Since when a source has been failing (NULL: its last run succeeded), for the console's top bar.
        ALTER TABLE source_state ADD COLUMN failing_since TEXT;
        """)


@step
def m019_lean_status(db: sqlite_utils.Database) -> None:
    """Marking many notifications read moves each row through every index that holds its status; the narrow
    status-only index of m007 (four values over every row) cost a quarter of such a change at 100k, and
    nothing needs it since the counters of m015: the unread range reads notifications_status instead."""
    _run_script(db.conn, "DROP INDEX IF EXISTS notifications_status_only;")


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the open transaction first."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        conn.execute(statement)


def known_migrations() -> list[str]:
    return [fn.__name__ for fn in _STEPS]


class Store:
    """One session's connection to the shared database, acting as one operator: `actor` is the display
    name, `os_user` who runs the process (from its uid unless given: tests stand in for colleagues)."""

    def __init__(self, path: Path | str, actor: str, clock: Clock | None = None, os_user: str | None = None):
        from console.core import identity

        self.path = Path(path)
        self.actor = actor
        self.os_user = os_user or identity.os_user()
        self.clock = clock or Clock()
        if str(path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create its folder: {exc.strerror}") from None
            try:  # flagdesk makes the file, not SQLite (0644 & ~umask): -wal and -shm then copy its mode
                create_file(self.path)
            except OSError:
                pass  # a folder we may not write in: SQLite's own error below says so
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from None
        self.conn = conn
        self._db = None
        try:
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{self.path}: {_reason(exc)}") from None

    # --- setup ------------------------------------------------------------------------

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection wrapped by sqlite-utils (made on first use)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def _configure(self) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if str(self.path) != ":memory:":
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")

    def _applied(self) -> set[str]:
        """Names of the steps this database has, read with plain SQL (no sqlite-utils needed)."""
        try:
            rows = self.conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'flagdesk'")
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return set()
            raise
        return {r[0] for r in rows}

    def _migrate(self) -> None:
        applied = self._applied()
        unknown = applied - set(known_migrations())
        if unknown:
            raise StoreError(
                f"{self.path}: written by a newer flagdesk (schema step {sorted(unknown)[-1]}); "
                "upgrade flagdesk to open it"
            )
        if applied >= set(known_migrations()):
            return
        migrations = migrations_set()
        with self.write():
            if migrations.pending(self.db):  # another process may have migrated meanwhile
                migrations.apply(self.db)
                self.conn.execute(f"PRAGMA user_version = {len(known_migrations())}")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    # --- transactions -----------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A BEGIN IMMEDIATE transaction: all of it lands, or none of it."""
        conn = self.conn
        if conn.in_transaction:  # nested: the outer transaction decides
            yield conn
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: {_reason(exc)}") from None
        try:
            yield conn
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise DataError(str(exc)) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: {_reason(exc)}") from None

    def now_iso(self) -> str:
        return to_iso(self.clock.now())

    def audit(self, action: str, table: str, row_id: int | None, detail: dict[str, Any] | None = None) -> None:
        """Append one audit row, chained to the newest (its hash covers the previous row's); call inside
        `write()`, whose BEGIN IMMEDIATE keeps two writers from appending after the same row."""
        self.audit_rows([(self.now_iso(), self.actor, action, table, row_id,
                          json.dumps(detail or {}, ensure_ascii=False))])

    def audit_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """Append many audit rows — (at, actor, action, table_name, row_id, detail JSON text) each — chained
        in order, with one read of the newest row and one executemany (an import's batch); each records
        this session's OS user."""
        with self.write() as conn:
            audit_chain.append(conn, rows, self.os_user)

    def last_change(self, table: str, row_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT at, actor, action, os_user FROM audit WHERE table_name = ? AND row_id = ? ORDER BY id DESC LIMIT 1",
            (table, row_id),
        ).fetchone()
        if not row:
            return None
        from console.core.identity import who

        return {"at": row[0], "actor": row[1], "action": row[2], "os_user": row[3], "who": who(row[1], row[3])}

    def who(self) -> str:
        """This session as shown: "maria (os: ops1)", or the OS user alone."""
        from console.core.identity import who

        return who(self.actor, self.os_user)

    @contextmanager
    def checkpoint_deferred(self) -> Iterator[None]:
        """A big write commits without copying the WAL back into the database file at once (SQLite's
        automatic checkpoint, a third of a 10,000-row change's time): `checkpoint_soon` does it afterwards.
        For its length the page cache is 64 MB instead of 2 (moving 10,000 rows through eight indexes reads
        the same index pages again and again: a quarter of the change's time), and back to what it was after,
        so that a session's memory does not grow with the database."""
        conn = self.conn
        previous = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute(f"PRAGMA cache_size = {BIG_WRITE_CACHE_KIB}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA wal_autocheckpoint = {int(previous)}")
            conn.execute(f"PRAGMA cache_size = {int(cache)}")

    def checkpoint_soon(self) -> None:
        """Copy the WAL back into the database file on a thread of its own (its own connection, a PASSIVE
        checkpoint: nobody's reads or writes wait for it)."""
        if str(self.path) == ":memory:":
            return
        import threading

        def run() -> None:
            try:
                conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S)
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                finally:
                    conn.close()
            except sqlite3.Error:
                pass  # the next writer's automatic checkpoint does it

        threading.Thread(target=run, name="flagdesk-checkpoint", daemon=True).start()

    def reader(self) -> Store | None:
        """The same database for the same operator on a read-only connection of its own, for a long read on
        another thread (a connection runs one statement at a time: sharing this one would hold up the
        console's own reads). None for an in-memory database, which no other connection sees."""
        if str(self.path) == ":memory:":
            return None
        other = object.__new__(Store)
        other.__dict__.update(self.__dict__)
        try:
            other.conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                         timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from None
        other._db = None
        return other

    def data_version(self) -> int:
        """Changes when another connection commits: the cue for a live refresh."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def rows(self, sql: str, params: tuple | list | dict = ()) -> list[dict[str, Any]]:
        """Run a read and return every row as a dict (cursors are exhausted at once)."""
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"database is locked (another process held the write lock for over {BUSY_TIMEOUT_S:.0f} s); try again"
    if "not a database" in text or "malformed" in text:
        return f"not a flagdesk database, or damaged ({text})"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only for you (check the file's group and permissions)"
    return text


def open_store(path: Path | str, actor: str, clock: Clock | None = None, os_user: str | None = None) -> Store:
    return Store(path, actor, clock, os_user)
