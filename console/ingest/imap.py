"""An IMAP mailbox read with the standard library's imaplib: TLS or STARTTLS, one folder, new mail by UID.

Nothing is marked, flagged or deleted on the server (the folder is EXAMINEd read-only, messages fetched with
BODY.PEEK) unless the source has `move_to`; then the imported messages are moved there (UID MOVE, else
COPY, \\Deleted and expunge). Every failure is a SourceError of one line naming the source.
"""

from __future__ import annotations

import imaplib
import os
import select
import ssl
import time

from console.core.sources import SourceError, password
from console.core.textsafe import one_line

_ERRORS = (OSError, imaplib.IMAP4.error, ssl.SSLError, EOFError, ValueError)  # ValueError: a garbled reply


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return one_line(str(value), 200)


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    """One connection to a source's server, logged in, its folder selected."""

    def __init__(self, source: dict):
        self.source = source
        self.name = source["name"]
        self.conn: imaplib.IMAP4 | None = None
        self.uidvalidity = 0
        self.exists = 0

    def __enter__(self) -> Mailbox:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fail(self, what: str, exc: BaseException | str) -> SourceError:
        return SourceError(f"source {self.name}: {what}: {_text(exc) if not isinstance(exc, str) else exc}")

    def open(self) -> None:
        src = self.source
        secret = password(src)  # a refused password file is said before anything is sent anywhere
        host, port, timeout = src["host"], src["port"], float(src["timeout"])
        context = None
        if src["security"] in ("tls", "starttls"):
            cafile = os.path.expanduser(src["ca_file"]) if src.get("ca_file") else None
            try:
                context = ssl.create_default_context(cafile=cafile)
            except (OSError, ssl.SSLError) as exc:
                raise self.fail(f"ca_file {cafile}", exc) from None
        try:
            if src["security"] == "tls":
                self.conn = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
            else:
                self.conn = imaplib.IMAP4(host, port, timeout=timeout)
                if src["security"] == "starttls":
                    self.conn.starttls(ssl_context=context)
        except _ERRORS as exc:
            self.close()
            raise self.fail(f"cannot connect to {host}:{port}", exc) from None
        try:
            self.conn.login(src["user"], secret)
        except _ERRORS as exc:
            self.close()
            raise self.fail(f"login as {src['user']} refused by {host}", exc) from None
        self.select(readonly=not src.get("move_to"))

    def select(self, readonly: bool = True) -> None:
        folder = self.source["folder"]
        try:
            typ, data = self.conn.select(_quote(folder), readonly=readonly)
            if typ != "OK":
                raise self.fail(f"folder {folder!r}", data[0] if data else "cannot be opened")
            self.exists = int(data[0] or 0)
            _, validity = self.conn.response("UIDVALIDITY")
            self.uidvalidity = int(validity[0]) if validity and validity[0] else 0
        except _ERRORS as exc:
            raise self.fail(f"folder {folder!r}", exc) from None

    def uids_after(self, last_uid: int) -> list[int]:
        """The UIDs above last_uid, oldest first."""
        try:
            typ, data = self.conn.uid("SEARCH", None, f"UID {last_uid + 1}:*")
        except _ERRORS as exc:
            raise self.fail("search", exc) from None
        if typ != "OK":
            raise self.fail("search", data[0] if data else typ)
        return sorted(u for u in (int(x) for x in b" ".join(d or b"" for d in data).split()) if u > last_uid)

    def fetch(self, uid: int) -> bytes | None:
        """One message's bytes, without setting \\Seen (None: it is gone since the search)."""
        try:
            typ, data = self.conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
        except _ERRORS as exc:
            raise self.fail("connection lost while fetching", exc) from None
        if typ != "OK":
            raise self.fail(f"fetch UID {uid}", data[0] if data else typ)
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return item[1]
        return None

    def move(self, uids: list[int], target: str) -> None:
        if not uids:
            return
        uid_set = ",".join(str(u) for u in uids)
        try:
            _, caps = self.conn.capability()
            if b"MOVE" in (caps[0] or b"").upper().split():
                typ, data = self.conn.uid("MOVE", uid_set, _quote(target))
            else:
                typ, data = self.conn.uid("COPY", uid_set, _quote(target))
                if typ == "OK":
                    self.conn.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Deleted)")
                    self.conn.expunge()
        except _ERRORS as exc:
            raise self.fail(f"moving imported mail to {target!r}", exc) from None
        if typ != "OK":
            raise self.fail(f"moving imported mail to {target!r}", data[0] if data else typ)

    def can_idle(self) -> bool:
        try:
            _, caps = self.conn.capability()
        except _ERRORS as exc:
            raise self.fail("capability", exc) from None
        return b"IDLE" in (caps[0] or b"").upper().split()

    def idle(self, stop, seconds: float) -> bool:
        """Wait in IDLE (RFC 2177) until the server says mail arrived (True), `seconds` pass or `stop` (a
        threading.Event) is set (False). The socket is watched in half-second steps, so a stop is prompt."""
        self._tag = getattr(self, "_tag", 0) + 1
        tag = b"FDIDLE%d" % self._tag
        try:
            self.conn.send(tag + b" IDLE\r\n")
            line = self.conn.readline()
            if not line.startswith(b"+"):
                raise self.fail("IDLE refused", line or "connection lost")
            sock = self.conn.socket()
            deadline = time.monotonic() + seconds
            arrived = False
            while not arrived and not stop.is_set() and time.monotonic() < deadline:
                pending = sock.pending() if isinstance(sock, ssl.SSLSocket) else 0
                if not pending and not select.select([sock], [], [], 0.5)[0]:
                    continue
                arrived = self._untagged(self.conn.readline())
            self.conn.send(b"DONE\r\n")
            while True:  # the untagged lines before IDLE's own completion
                line = self.conn.readline()
                if line.startswith(tag):
                    break
                arrived = self._untagged(line) or arrived
            return arrived
        except _ERRORS as exc:
            raise self.fail("connection lost while waiting for mail", exc) from None

    def _untagged(self, line: bytes) -> bool:
        """Whether an untagged line says new mail; SourceError when it says the connection is over."""
        if not line:
            raise self.fail("connection lost while waiting for mail", "the server closed the connection")
        words = line.upper().split()
        if words[:2] == [b"*", b"BYE"]:
            raise self.fail("the server closed the connection", line)
        return len(words) >= 3 and words[2] in (b"EXISTS", b"RECENT")

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            conn.logout()
        except Exception:  # noqa: BLE001 - a connection already gone: nothing left to close
            try:
                conn.shutdown()
            except Exception:  # noqa: BLE001
                pass
