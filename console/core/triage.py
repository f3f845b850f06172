"""Triage: the filter language, deadline countdowns and relative times. Pure functions, no SQL.

The inbox order itself (unread first, then severity, nearest deadline, newest) lives in the
database as an index, see store/db.py; this module decides what the operator typed and how
times read.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from console.core.model import Severity, Status
from console.core.textsafe import clean, one_line

QUALIFIERS = ("account", "status", "category", "fate", "cause", "severity", "marketplace", "owner", "assignee",
              "due", "view")
# owner:me / owner:none, and their spoken forms.
_MINE = {"me", "mine", "@me"}
_NOBODY = {"none", "nobody", "unclaimed", "-"}
# Words that are FTS5 syntax and pass through untouched.
_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_FTS_BAREWORD = re.compile(r"^[\w*]+$")
# due:24h, due:3d (open, the deadline within that time and not passed yet), due:overdue (open, passed).
_DUE_SPAN = re.compile(r"^(\d{1,4})\s*(h|d)$")
# A saved view's name: what `view:NAME` and `--view NAME` take.
VIEW_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class FilterError(ValueError):
    """The operator's filter text cannot be used; the message says why in one line."""


@dataclass
class Filter:
    """What the inbox shows: qualifiers plus free text for full-text search."""

    account_ids: list[int] | None = None  # set by the sidebar or by account:
    unassigned: bool = False  # only notices whose account is not known yet
    account_prefix: str | None = None
    statuses: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # fates (the `category` column)
    causes: list[str] = field(default_factory=list)
    severities: list[str] = field(default_factory=list)
    marketplaces: list[str] = field(default_factory=list)
    assignee: str | None = None  # claimed by this operator (owner:NAME)
    mine: bool = False  # owner:me, resolved against the session's operator
    unclaimed: bool = False  # owner:none
    due_hours: int | None = None  # due:24h: open, the deadline within this many hours from now (not passed)
    overdue: bool = False  # due:overdue: open, the deadline passed (with due_hours: either)
    text: str = ""  # an FTS5 query

    @property
    def is_empty(self) -> bool:
        return not (
            self.account_ids is not None or self.unassigned or self.account_prefix or self.statuses or self.categories
            or self.causes or self.severities or self.marketplaces or self.assignee or self.mine or self.unclaimed or self.text
            or self.due_hours is not None or self.overdue
        )

    @property
    def timed(self) -> bool:
        """Whether what it matches moves with the clock (due:), not only with the data."""
        return self.due_hours is not None or self.overdue


def split_query(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return text.replace('"', " ").replace("'", " ").split()


def fts_query(words: list[str]) -> str:
    """Quote the words FTS5 would choke on (order IDs, hyphens), keep its operators usable."""
    out = []
    for word in words:
        # A leading * is FTS5's "special query" syntax, an error it does not call a syntax error: quote it.
        if word in _FTS_OPERATORS or (_FTS_BAREWORD.match(word) and not word.startswith("*")) or word.startswith("("):
            out.append(word)
        else:
            out.append('"' + word.replace('"', '""') + '"')
    return " ".join(out)


def parse_filter(text: str, category_ids: list[str] | None = None, cause_ids: list[str] | None = None,
                 views: dict[str, str] | None = None) -> Filter:
    """Parse `account:north status:new severity:high trademark` into a Filter. `category:` (or `fate:`)
    takes fate ids, `cause:` cause ids, each by prefix when the ids are given. `view:NAME` stands for the
    text of the saved view NAME (`views`: name -> filter text, from `[views]` in the config)."""
    f = Filter()
    words: list[str] = []
    # Control characters are no search: a NUL would cut FTS5's query short ("unterminated string").
    for token in expand_views(split_query(clean(text).strip()), views):
        key, sep, value = token.partition(":")
        key = key.lower()
        if not sep or key not in QUALIFIERS:
            words.append(token)
            continue
        value = value.strip()
        if not value:
            raise FilterError(f"'{key}:' needs a value, e.g. {key}:{_example(key)}")
        if key == "due":
            _due(value, f)
        elif key == "account":
            f.account_prefix = value
        elif key == "status":
            f.statuses.extend(_statuses(value))
        elif key == "severity":
            for v in value.split(","):
                match = [s.value for s in Severity if s.value.startswith(v.lower())]
                if not match:
                    raise FilterError(f"unknown severity '{v}' (use critical, high, medium, low)")
                f.severities.extend(match)
        elif key in ("category", "fate"):
            f.categories.extend(_ids(value, category_ids, "fate", cause_ids, "cause"))
        elif key == "cause":
            f.causes.extend(_ids(value, cause_ids, "cause", category_ids, "category"))
        elif key == "marketplace":
            f.marketplaces.extend(v.upper() for v in value.split(","))
        elif key in ("owner", "assignee"):
            f.assignee, f.mine, f.unclaimed = None, False, False
            if value.lower() in _MINE:
                f.mine = True
            elif value.lower() in _NOBODY:
                f.unclaimed = True
            else:
                f.assignee = value
    f.text = fts_query(words)
    return f


def expand_views(tokens: list[str], views: dict[str, str] | None) -> list[str]:
    """The tokens with each `view:NAME` replaced by the tokens of that view's text (a view names no other)."""
    out: list[str] = []
    for token in tokens:
        key, sep, name = token.partition(":")
        if not sep or key.lower() != "view":
            out.append(token)
            continue
        name = name.strip()
        if not name:
            raise FilterError("'view:' needs a value, e.g. view:critical ([views] in the config)")
        found = {k.lower(): v for k, v in (views or {}).items()}.get(name.lower())
        if found is None:
            known = ", ".join(sorted(views or {}))
            raise FilterError(f"unknown view '{one_line(name, 40)}' "
                              + (f"(views: {known})" if known else "(no views are set: [views] in the config)"))
        inner = split_query(clean(found).strip())
        if any(t.partition(":")[0].lower() == "view" and ":" in t for t in inner):
            raise FilterError(f"view '{name}' names another view; a view holds qualifiers and words only")
        out.extend(inner)
    return out


def check_view(name: str, text: str, category_ids: list[str] | None = None,
               cause_ids: list[str] | None = None) -> str | None:
    """Why a saved view cannot be used, or None: its name (letters, digits, - and _) and its filter text."""
    if not VIEW_NAME.match(name):
        return "a view's name is letters, digits, - and _ (at most 40), e.g. critical or my-due"
    if not isinstance(text, str) or not text.strip():
        return 'must be a filter text, e.g. "severity:critical status:open"'
    if any(t.partition(":")[0].lower() == "view" and ":" in t for t in split_query(text)):
        return "names another view; a view holds qualifiers and words only"
    try:
        parse_filter(text, category_ids, cause_ids)
    except FilterError as exc:
        return str(exc)
    return None


def _due(value: str, f: Filter) -> None:
    for v in value.lower().split(","):
        v = v.strip()
        m = _DUE_SPAN.match(v)
        if v in ("overdue", "late", "past"):
            f.overdue = True
        elif m and int(m.group(1)) > 0:
            hours = int(m.group(1)) * (24 if m.group(2) == "d" else 1)
            f.due_hours = max(f.due_hours or 0, hours)
        else:
            raise FilterError(f"unknown due '{one_line(v, 20)}' (use due:24h, due:3d or due:overdue)")


def _ids(value: str, ids: list[str] | None, kind: str, other: list[str] | None, other_key: str) -> list[str]:
    """The ids a comma list names, each by prefix; one that only the other kind has is pointed there."""
    out: list[str] = []
    for v in value.lower().split(","):
        if ids is None:
            out.append(v)
            continue
        match = [c for c in ids if c.startswith(v)]
        if not match:
            if other and any(c.startswith(v) for c in other):
                raise FilterError(f"'{v}' is a {'cause' if kind == 'fate' else 'fate'}, not a {kind}: "
                                  f"use {other_key}:{v}")
            raise FilterError(f"unknown {kind} '{v}' (e.g. {', '.join(ids[:4])})")
        out.extend(match)
    return out


def _statuses(value: str) -> list[str]:
    out: list[str] = []
    for v in value.lower().split(","):
        if v in ("unread",):
            out.append(Status.NEW.value)
        elif v == "open":
            out.extend(s.value for s in Status if not s.closed)
        elif v == "closed":
            out.extend(s.value for s in Status if s.closed)
        else:
            v = v.replace(" ", "_").replace("-", "_")
            match = [s.value for s in Status if s.value.startswith(v)]
            if not match:
                raise FilterError(
                    f"unknown status '{v}' (use new, read, in_progress, appealed, resolved, dismissed, open, closed)"
                )
            out.extend(match)
    return out


def _example(key: str) -> str:
    return {"account": "northwind", "status": "new", "category": "account_deactivated",
            "fate": "account_deactivated", "cause": "ip_complaint", "severity": "high",
            "marketplace": "DE", "owner": "me", "assignee": "maria", "due": "24h", "view": "critical"}[key]


# --- times ----------------------------------------------------------------------------------


def _span(delta: timedelta) -> str:
    seconds = int(abs(delta.total_seconds()))
    if seconds < 3600:
        return f"{max(seconds // 60, 1)}m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def relative(when: datetime, now: datetime) -> str:
    """'5m ago', '3h ago', '12d ago' for a received time."""
    if (now - when).total_seconds() < 60:
        return "just now"
    return f"{_span(now - when)} ago"


@dataclass(frozen=True)
class Countdown:
    text: str  # "in 17h", "overdue 2d", or "" without a deadline
    urgent: bool  # under 24 h left, or overdue


def countdown(deadline: datetime | None, now: datetime) -> Countdown:
    if deadline is None:
        return Countdown("", False)
    left = deadline - now
    if left.total_seconds() < 0:
        return Countdown(f"overdue {_span(left)}", True)
    return Countdown(f"in {_span(left)}", left < timedelta(hours=24))
