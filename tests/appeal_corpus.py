"""The appeal corpus (tests/data/appeals/): its labels, and each appeal's checklist context on its notice.

Shared by tests/test_appeal_corpus.py and tests/bench/bench_appeal_corpus.py. Each appeal answers one
notice of the notice corpus (tests/data/notices/corpus/): the notice is read as flagdesk reads a pasted
notice (`Desk.read_text`), and its ASINs, order IDs, complaint ID and cause make the appeal's context.
A second operator has reviewed every appeal, so the verdict depends on the text alone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
APPEALS = HERE / "data" / "appeals"
NOTICES = HERE / "data" / "notices" / "corpus"
RECEIVED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LABELLED = ("targeted", "root_cause", "actions_taken", "improvement_plan", "not_template", "tone", "evidence")
BAD_KINDS = ("template", "vague", "blaming", "pleading")  # none of these may be let go


@dataclass(frozen=True)
class Labelled:
    file: str
    notice: str
    kind: str
    verdict: str  # "let_go" | "blocked"
    checks: dict
    headings: dict
    reads: dict  # where today's checklist reads a check otherwise than the label (known disagreements)
    note: str
    split: str  # "dev": written before the reading was tuned; "fresh": written after, never tuned on

    @property
    def text(self) -> str:
        return (APPEALS / self.file).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def labels() -> tuple[Labelled, ...]:
    data = tomllib.loads((APPEALS / "labels.toml").read_text(encoding="utf-8"))
    return tuple(Labelled(a["file"], a["notice"], a["kind"], a["verdict"], dict(a["checks"]),
                          dict(a.get("headings", {})), dict(a.get("reads", {})), a.get("note", ""),
                          a.get("split", "dev"))
                 for a in data["appeal"])


@lru_cache(maxsize=None)
def notice(name: str):
    """(asins, order_ids, complaint_id, cause) of a notice of the notice corpus, as flagdesk reads it."""
    from console.desk import Desk

    x, r = Desk.read_text((NOTICES / name).read_text(encoding="utf-8"), RECEIVED)
    return tuple(x.asins), tuple(x.order_ids), x.complaint_id, r.cause


def attached(item: Labelled) -> bool:
    """Whether the appeal goes with its evidence attached: on a notice whose cause has a rule of the evidence
    locker (console/review/data/evidence_rules.toml), every appeal not labelled as lacking evidence — those whose
    text names the documents it provides (labelled `warn`, what a text-only reading could say at best) and the
    condition complaints the text-only reading asked nothing of (`pass`). Their evidence check then passes."""
    from console.review.locker import rule_for

    return item.checks.get("evidence") in ("warn", "pass") and rule_for(notice(item.notice)[3]) is not None


def expected(item: Labelled, check: str) -> str:
    """The label of a check, as the checklist now says it: evidence attached passes, and so does a cause the
    evidence locker has no rule for (safety, restricted products: the text-only reading asked for documents)."""
    from console.review.locker import rule_for

    if check == "evidence" and (attached(item) or rule_for(notice(item.notice)[3]) is None):
        return "pass"
    return item.checks[check]


def evidence_for(item: Labelled) -> tuple:
    """Attachments answering every need of the notice's rule for each of its ASINs, dated a month back."""
    from datetime import date

    from console.core.attachments import Attachment
    from console.review.locker import rule_for

    if not attached(item):
        return ()
    asins, _, _, cause = notice(item.notice)
    return tuple(Attachment(i, 1, f"{need.kinds[0]}.pdf", need.kinds[0], date(2026, 11, 1), asins, 1000,
                            "application/pdf", f"{i:064x}") for i, need in enumerate(rule_for(cause).needs, 1))


def context(item: Labelled, text: str | None = None):
    """The checklist's context for a corpus appeal (or another text on the same notice)."""
    from console.review.checklist import AppealContext

    text = item.text if text is None else text
    asins, orders, complaint, cause = notice(item.notice)
    return AppealContext(text=text, asins=list(asins), order_ids=list(orders), complaint_id=complaint,
                         category=cause, account="corpus", author="sam", reviewed_by="maria",
                         reviewed_at="2026-12-01 10:00", similar=_index().closest(text),
                         attachments=evidence_for(item), today=RECEIVED.date())


@lru_cache(maxsize=1)
def _index():
    from console.review.similarity import default_index

    return default_index()


def statuses(item: Labelled, text: str | None = None) -> tuple[dict, bool]:
    """{check: status} for the labelled checks, and whether the checklist lets the appeal go."""
    from console.review.checklist import ready, run_checks

    results = run_checks(context(item, text))
    return {r.id: r.status for r in results if r.id in LABELLED}, ready(results)
