"""The evidence check on the held-out review suite (tests/data/appeals/review/cases.toml): each case's attachments
as labelled (kind, date, the ASINs covered), the suite's clock (2026-12-01), and the evidence verdict the reviewer
gave, labelled without running the checklist. tests/test_review_cases.py judges the text checks of the same cases."""

from __future__ import annotations

from datetime import date

import pytest

from console.core.attachments import Attachment, check_kind
from console.review.checklist import check_evidence, run_checks
from tests.test_review_cases import CASES, context

TODAY = date(2026, 12, 1)  # the suite's clock


def attachments(case) -> tuple[Attachment, ...]:
    return tuple(Attachment(i, 1, f"{a['kind']}-{i}.pdf", check_kind(a["kind"]),
                            date.fromisoformat(a["date"]) if a.get("date") else None, tuple(a.get("asins", ())),
                            10_000, "application/pdf", f"{i:064x}")
                 for i, a in enumerate(case.get("attachments", ()), 1))


def evidence_context(case):
    from dataclasses import replace

    return replace(context(case), attachments=attachments(case), today=TODAY)


LABELLED = [c for c in CASES if "evidence" in c["expect"]]


@pytest.mark.parametrize("case", LABELLED, ids=lambda c: c["file"][:3])
def test_each_case_s_evidence_reads_as_the_reviewer_labelled_it(case):
    r = check_evidence(evidence_context(case))
    allowed = {case["expect"]["evidence"], case.get("reads", {}).get("evidence")}
    assert r.status in allowed, (case["file"], r.reason, r.details)


def test_the_suite_holds_every_evidence_trap():
    kinds = {c["kind"] for c in LABELLED if c["expect"]["evidence"] == "fail"}
    assert {"evidence_missing"} <= kinds
    assert sum(c["expect"]["evidence"] == "pass" and bool(c.get("attachments")) for c in LABELLED) >= 5


def test_what_is_missing_is_said_per_asin():
    by = {c["file"][:3]: c for c in CASES}
    r = check_evidence(evidence_context(by["030"]))  # the text names invoices and supplier details; none attached
    assert r.reason.startswith("naming is not having: the text names ")
    assert [d.split(":")[0] for d in r.details] == by["030"]["asins"]
    r = check_evidence(evidence_context(by["023"]))  # its invoice is more than 365 days old
    assert r.status == "fail" and "days ago)" in " ".join(r.details), r.details
    r = check_evidence(evidence_context(by["020"]))  # an IP complaint with only an invoice
    assert r.status == "fail" and "letter of authorisation or licence or trademark registration" in r.reason


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "evidence_complete"], ids=lambda c: c["file"][:3])
def test_an_evidence_complete_case_blocks_on_nothing(case):
    failing = {r.id for r in run_checks(evidence_context(case)) if r.required and r.status == "fail"}
    assert failing == set(), (case["file"], failing)
