"""Alerts to the on-call operator through apprise (an optional extra: `pip install 'flagdesk[live]'`).

After each fetch (and in `fetch --watch`, after each fetch and every half minute) the `[alerts]` rules are
evaluated (console/store/alerts.py records each event once), then what waits is sent to each URL: one
message per alert, or with `digest_minutes` one message for all of them at most every N minutes. A URL
that fails keeps the alert waiting (the error noted): it is tried again the next time, and a URL that
already has it is not sent it again. Titles and bodies are cleaned (console/core/textsafe.py) and sent as
plain text. Only `flagdesk fetch` and `flagdesk alerts` import this module (and so apprise).
"""

from __future__ import annotations

import hashlib
import os
import socket

from console.core.alerts import read_urls_file
from console.core.textsafe import clean, one_line
from console.store import alerts as store

MAX_DIGEST_LINES = 50  # alerts named in one digest message (the rest counted)


def url_key(url: str) -> str:
    """A URL's name in the database: a hash (a URL can hold a token)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _redacted(url: str) -> str:
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    return f"{scheme}://{host}/…" if host else f"{scheme}://…"


class Alerts:
    def __init__(self, desk):
        self.desk = desk
        self.settings = desk.config.alerts
        self.urls: list[str] = list(self.settings["urls"])
        self.problem: str | None = None  # an urls_file that cannot be used: said on every run, nothing sent
        if self.settings.get("urls_file"):
            try:
                self.urls += read_urls_file(self.settings["urls_file"])
            except ValueError as exc:
                self.problem = str(exc)
        self.enabled = bool(self.urls) or self.problem is not None
        self.who = f"{socket.gethostname()}:{os.getpid()}"

    def run(self) -> list[str]:
        """Evaluate the rules and send what waits: one line per alert sent or failed."""
        if not self.enabled:
            store.skip_past(self.desk.store)
            return []
        store.evaluate(self.desk.store, self.settings)
        if self.problem:
            return [f"alerts: {self.problem}; the alerts wait"]
        return self.send_waiting()

    @staticmethod
    def run_in(desk) -> list[str]:
        """`run` on another desk (the watch's alert thread has its own connection)."""
        return Alerts(desk).run()

    def send_waiting(self) -> list[str]:
        digest = float(self.settings["digest_minutes"])
        waiting = store.claim(self.desk.store, self.who, digest)
        if not waiting:
            return []
        lines: list[str] = []
        try:
            if digest > 0:
                lines += self._send_digest(waiting)
            else:
                for alert in waiting:
                    lines += self._send_one(alert)
        finally:
            store.release(self.desk.store, [a["id"] for a in waiting])
        return lines

    def _send_one(self, alert: dict) -> list[str]:
        lines = []
        for url in self.urls:
            key = url_key(url)
            if key in alert["delivered"]:
                continue
            error = self._notify(url, alert["title"], alert["body"], alert["rule"])
            store.delivered(self.desk.store, [alert["id"]], key, [url_key(u) for u in self.urls], error)
            lines.append(f"alert {alert['rule']}: {one_line(alert['title'], 200)} -> {_redacted(url)}: "
                         + (f"not sent ({error}); tried again later" if error else "sent"))
        return lines

    def _send_digest(self, waiting: list[dict]) -> list[str]:
        lines = []
        keys = [url_key(u) for u in self.urls]
        for url in self.urls:
            key = url_key(url)
            todo = [a for a in waiting if key not in a["delivered"]]
            if not todo:
                continue
            title = f"flagdesk: {len(todo)} alert{'s' if len(todo) != 1 else ''}"
            body = "\n".join(f"- {a['title']}" for a in todo[:MAX_DIGEST_LINES])
            if len(todo) > MAX_DIGEST_LINES:
                body += f"\n… and {len(todo) - MAX_DIGEST_LINES} more (flagdesk alerts list)"
            error = self._notify(url, title, body, "digest")
            store.delivered(self.desk.store, [a["id"] for a in todo], key, keys, error, digest=True)
            lines.append(f"alert digest of {len(todo)} -> {_redacted(url)}: "
                         + (f"not sent ({error}); tried again later" if error else "sent"))
        return lines

    def _notify(self, url: str, title: str, body: str, rule: str) -> str | None:
        """Send one message to one URL: None when it went, else the reason."""
        try:
            import apprise
        except ImportError:
            return "alerts need apprise: pip install 'flagdesk[live]'"
        import logging

        # apprise's own warnings would be extra lines on stderr: the reason is in this alert's one line.
        quiet = logging.getLogger("apprise")
        if quiet.propagate:
            quiet.addHandler(logging.NullHandler())
            quiet.propagate = False
        box = apprise.Apprise()
        if not box.add(url):
            return "not an apprise URL apprise can use"
        logs: list[str] = []
        level = apprise.NotifyType.WARNING if rule in ("account_status", "severity") else apprise.NotifyType.INFO
        try:
            result = box.notify(body=clean(body), title=one_line(title, 200), notify_type=level,
                                body_format=apprise.NotifyFormat.TEXT,
                                log_callback=lambda entry, _plugin: logs.append(str(getattr(entry, "message", entry))))
        except Exception as exc:  # noqa: BLE001 - a plugin's own failure: the alert waits, the watch goes on
            return one_line(f"{type(exc).__name__}: {exc}", 200)
        if result:
            return None
        return one_line(logs[-1] if logs else "the service did not accept it", 200)

    def test(self) -> list[tuple[bool, str]]:
        """`flagdesk alerts test`: one test message to each URL, (ok, line) each; listed with the alerts."""
        title = "flagdesk: test alert"
        body = (f"A test message from flagdesk ({self.desk.operator} on {socket.gethostname()}): alerts reach "
                "this channel.")
        out = []
        for url in self.urls:
            error = self._notify(url, title, body, "test")
            store.record_test(self.desk.store, title, body, error)
            out.append((error is None, f"{_redacted(url)}: " + (f"not sent: {error}" if error else "sent")))
        return out

    def listing(self, limit: int = 50) -> list[dict]:
        return store.listing(self.desk.store, limit)
