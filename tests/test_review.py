"""The appeal checklist and the similarity index (console.review)."""

from __future__ import annotations

import random
import time
import zlib
from dataclasses import replace
from datetime import date

import pytest

from console.core.attachments import Attachment
from console.review import similarity
from console.review.checklist import (
    CHECK_IDS,
    NEW_DRAFT,
    AppealContext,
    CheckResult,
    check_actions_taken,
    check_concise,
    check_evidence,
    check_improvement_plan,
    check_not_template,
    check_reviewed,
    check_root_cause,
    check_targeted,
    check_tone,
    ready,
    run_checks,
    sections,
)
from console.review.similarity import (
    GENERIC_APPEALS,
    Match,
    SimilarityIndex,
    default_index,
    jaccard,
    normalise,
    shingles,
)

ASIN = "B0C4XK2M9P"
ORDER = "114-3928475-6610283"
COMPLAINT = "7391046528"

STRONG = f"""## Root cause

Complaint ID {COMPLAINT} on ASIN {ASIN} (order {ORDER}) was caused by a batch of 120 chargers we bought in
August from a wholesaler, Brightline Trading, that was not an authorized distributor of the brand. We did not ask
for the distributor's authorization letter before buying, because our purchasing checklist only compared prices.
A second cause was that our warehouse did not inspect inbound units against the brand's packaging specification,
so units with a different label were shipped from our stock.

## Actions taken

- We removed the 43 remaining units from sale and had them destroyed at the FBA centre; the removal order was
  completed on 2026-11-20.
- We contacted the buyer of order {ORDER} and refunded the order in full.
- We audited every purchase of the last 12 months: all other stock of {ASIN} comes from Voltra Distribution Ltd,
  the brand's authorized distributor.
- Attached: Voltra invoices from the last 365 days (INV-20931, INV-21407) and the supplier details (Voltra
  Distribution Ltd, 14 Mill Road, Leeds, +44 113 496 0012, accounts@voltra.example).

## Preventive measures

1. Our purchasing manager approves a new supplier only after receiving a letter of authorization from the brand
   owner, checked against the brand's published distributor list.
2. Our warehouse team lead inspects 10% of every inbound shipment against the brand's packaging specification and
   records the result in our receiving spreadsheet.
3. Every Monday our compliance officer reviews the Account Health page and the Returns Report for
   authenticity-related comments and follows up within 2 days.
"""


def evidence_files(*asins: str) -> tuple[Attachment, ...]:
    """An invoice of 2026-10-01 and the supplier details, covering the ASINs (the clock says 2026-11-27)."""
    asins = asins or (ASIN,)
    return (Attachment(1, 1, "voltra-inv-20931.pdf", "invoice", date(2026, 10, 1), asins, 2048, "application/pdf",
                       "a" * 64),
            Attachment(2, 1, "voltra-supplier.pdf", "supplier_details", date(2026, 9, 2), asins, 1024,
                       "application/pdf", "b" * 64))


def make_ctx(text: str = STRONG, **kw) -> AppealContext:
    base = dict(
        text=text,
        asins=[ASIN],
        order_ids=[ORDER],
        complaint_id=COMPLAINT,
        category="authenticity",
        account="acme-uk",
        author="sam",
        reviewed_by="maria",
        reviewed_at="2026-11-27 09:12",
        today=date(2026, 11, 27),
    )
    base.update(kw)
    return AppealContext(**base)


def with_section(name: str, body: str) -> str:
    """STRONG with one section's body replaced."""
    heads = {"root_cause": "## Root cause", "actions_taken": "## Actions taken", "preventive": "## Preventive measures"}
    parts = sections(STRONG)
    parts[name] = body
    return "\n\n".join(f"{heads[k]}\n\n{parts[k]}" for k in heads) + "\n"


# --- the whole checklist ------------------------------------------------------------------------


def test_strong_plan_of_action_passes_every_check():
    ctx = make_ctx(similar=default_index().closest(STRONG), attachments=evidence_files())
    results = run_checks(ctx)
    assert [r.id for r in results] == list(CHECK_IDS)
    # The evidence the text names is attached: an invoice of the last 365 days and the supplier details.
    assert {r.id: r.status for r in results} == dict.fromkeys(CHECK_IDS, "pass"), results
    assert ready(results)
    assert [r.label for r in results] == [
        "Targeted",
        "Root cause",
        "Actions taken",
        "Improvement plan",
        "Causes answered",
        "Not a template",
        "Tone",
        "Evidence",
        "Concise",
        "Second pair of eyes",
    ]
    assert all("\n" not in r.reason and r.reason for r in results)


def test_new_draft_is_exactly_the_three_headings_and_fails_the_content_checks():
    assert NEW_DRAFT == "## Root cause\n\n\n## Actions taken\n\n\n## Preventive measures\n\n"
    results = {r.id: r for r in run_checks(make_ctx(NEW_DRAFT, asins=[], order_ids=[], complaint_id=None))}
    for check_id in ("root_cause", "actions_taken", "improvement_plan"):
        assert results[check_id].status == "fail"
        assert "empty" in results[check_id].reason
    assert not ready(results.values())


def test_ready_ignores_warnings_and_optional_failures():
    ok = CheckResult("tone", "Tone", "pass", True, "fine")
    warn = CheckResult("not_template", "Not a template", "warn", True, "0.5")
    optional_fail = CheckResult("reviewed", "Second pair of eyes", "fail", False, "not yet reviewed")
    required_fail = CheckResult("evidence", "Evidence", "fail", True, "name the evidence")
    assert ready([ok, warn, optional_fail])
    assert not ready([ok, warn, required_fail])


def test_run_checks_on_a_long_appeal_gives_every_check():
    text = (STRONG + "\n") * 2 + "Further detail. " * 40
    assert len(text) > 3500
    index = default_index()
    ctx = make_ctx(text, similar=index.closest(text))
    results = run_checks(ctx)
    assert len(results) == 10  # speed: tests/bench/bench_appeal.py


# --- sections -----------------------------------------------------------------------------------


def test_sections_markdown_headings():
    s = sections(STRONG)
    assert set(s) == {"root_cause", "actions_taken", "preventive"}
    assert s["root_cause"].startswith("Complaint ID")
    assert "## " not in s["root_cause"] and "We removed" not in s["root_cause"]
    assert s["actions_taken"].startswith("- We removed")
    assert s["preventive"].startswith("1. Our purchasing manager")


def test_sections_plain_colon_headings_case_insensitive_and_synonyms():
    text = (
        "Dear Seller Performance team,\n"
        "ROOT CAUSE:\nOur supplier shipped the wrong labels.\n"
        "Root cause 2: We did not check them.\n"
        "Corrective actions:\nWe relabelled the stock.\n"
        "How we will prevent this:\nA weekly label audit.\n"
        "Supplier details: Voltra Ltd\n"
    )
    s = sections(text)
    assert s["root_cause"] == "Our supplier shipped the wrong labels.\nWe did not check them."
    assert s["actions_taken"] == "We relabelled the stock."
    assert s["preventive"] == "A weekly label audit.\nSupplier details: Voltra Ltd"


def test_sections_other_synonyms_bare_and_bold_headings():
    text = (
        "**Root Cause**\nA.\nWhat we have done:\nB.\nImprovement plan\nC.\n"
        "The root cause was that our supplier:\nstill C.\n"
    )
    s = sections(text)
    assert s == {
        "root_cause": "A.",
        "actions_taken": "B.",
        "preventive": "C.\nThe root cause was that our supplier:\nstill C.",  # a statement, not a heading
    }


def test_sections_missing_and_unrelated_markdown_heading():
    s = sections("# Plan of Action\nintro\n## Root cause\nwhy\n## Appendix\nnot a section\n")
    assert s == {"root_cause": "why", "actions_taken": "", "preventive": ""}
    assert sections("") == {"root_cause": "", "actions_taken": "", "preventive": ""}


# --- targeted -----------------------------------------------------------------------------------


def test_targeted_pass_when_every_id_is_cited():
    r = check_targeted(make_ctx())
    assert (r.status, r.required) == ("pass", True)
    assert "3 IDs" in r.reason


def test_targeted_fail_lists_the_missing_ids():
    text = STRONG.replace(ORDER, "order").replace(COMPLAINT, "the complaint")
    r = check_targeted(make_ctx(text, asins=[ASIN, "B0ABCDEFGH"]))
    assert r.status == "fail"
    assert r.reason == f"missing B0ABCDEFGH, {ORDER}, {COMPLAINT}"
    assert r.details == ("B0ABCDEFGH", ORDER, COMPLAINT)


def test_targeted_does_not_count_an_id_inside_a_longer_token():
    r = check_targeted(make_ctx(f"See {ASIN}X and 9{ORDER}.", order_ids=[ORDER], complaint_id=None))
    assert r.status == "fail" and r.details == (ASIN, ORDER)


def test_targeted_no_ids_to_cite():
    r = check_targeted(make_ctx("anything", asins=[], order_ids=[], complaint_id=None))
    assert r.status == "pass" and r.reason == "no ASINs or order IDs to cite"


# --- root cause ---------------------------------------------------------------------------------


def test_root_cause_pass():
    r = check_root_cause(make_ctx())
    assert r.status == "pass" and r.required and "explains why" in r.reason


def test_root_cause_fail_when_thin():
    r = check_root_cause(make_ctx(with_section("root_cause", "We made a mistake because of a supplier.")))
    assert r.status == "fail" and "too thin" in r.reason


def test_root_cause_fail_when_it_says_what_but_not_why():
    body = (
        "A customer reported that the charger we shipped looked different from the one on the listing page. "
        "The charger came from a batch of 120 units that arrived at the warehouse in August this year."
    )
    r = check_root_cause(make_ctx(with_section("root_cause", body)))
    assert r.status == "fail" and "not why" in r.reason
    assert check_root_cause(make_ctx(with_section("root_cause", body + " We failed to check it."))).status == "pass"


def test_root_cause_fail_when_missing_says_what_it_looked_for():
    r = check_root_cause(make_ctx("## Actions taken\nWe removed it.\n"))
    assert r.status == "fail" and r.reason == "no root cause found; explain what went wrong and why"
    assert r.details[0].startswith("looked for a heading such as 'Root cause', 'What went wrong'")
    assert "sentences saying why (because, due to" in r.details[0]


# --- actions taken ------------------------------------------------------------------------------


def test_actions_taken_pass_lists_done_actions():
    r = check_actions_taken(make_ctx())
    assert r.status == "pass" and r.required
    assert {"removed", "contacted", "refunded", "audited"} <= set(r.details)


def test_actions_taken_fail_when_only_future_plans():
    body = "We will remove the listing, we are going to contact the buyer and the stock will be destroyed."
    r = check_actions_taken(make_ctx(with_section("actions_taken", body)))
    assert r.status == "fail" and "already did" in r.reason and r.details == ()


# --- improvement plan ---------------------------------------------------------------------------


def test_improvement_plan_pass_three_checkable_steps():
    r = check_improvement_plan(make_ctx())
    assert r.status == "pass" and r.required
    assert r.reason == "3 of 3 steps checkable"


def test_improvement_plan_fail_names_the_vague_steps():
    body = (
        "- We will be more careful with our suppliers.\n"
        "- We will follow all Amazon policies from now on.\n"
        "- Our QA lead checks 5 units of every shipment.\n"
    )
    r = check_improvement_plan(make_ctx(with_section("preventive", body)))
    assert r.status == "fail"
    assert r.reason.startswith("1 of 3 steps checkable")
    assert r.details == (
        "vague: We will be more careful with our suppliers.",
        "vague: We will follow all Amazon policies from now on.",
    )


def test_improvement_plan_counts_sentences_when_there_is_no_list():
    prose = (
        "We will review every listing monthly. The operations manager signs off each new supplier. "
        "From March 2027 we track complaints in a shared spreadsheet. We will try harder."
    )
    r = check_improvement_plan(make_ctx(with_section("preventive", prose)))
    assert (r.status, r.reason) == ("pass", "3 of 4 steps checkable")
    assert r.details == ("vague: We will try harder.",)


# --- not a template -----------------------------------------------------------------------------


def test_not_template_pass_shows_the_closest():
    ctx = make_ctx(similar=[Match("appeal:7", 0.23, "acme-de", "2026-10-01", False)])
    r = check_not_template(ctx)
    assert r.status == "pass" and r.required and r.reason.startswith("closest: acme-de 2026-10-01 0.23")
    assert check_not_template(make_ctx(similar=[])).reason.endswith("no similar appeal on file")


def test_not_template_warn_for_a_similar_appeal_of_the_same_account():
    r = check_not_template(make_ctx(similar=[Match("appeal:3", 0.5, "acme-uk", "2026-09-02", False)]))
    assert r.status == "warn" and "this account's appeal of 2026-09-02" in r.reason


def test_not_template_fail_for_a_generic_template():
    r = check_not_template(make_ctx(similar=[Match("generic:0", 0.82, None, None, True)]))
    assert r.status == "fail" and "reads like a generic template" in r.reason


def test_not_template_association_risk_for_another_account():
    matches = [Match("appeal:9", 0.74, "globex-de", "2026-11-02", False), Match("generic:1", 0.8, None, None, True)]
    r = check_not_template(make_ctx(similar=matches))
    assert r.status == "fail"
    assert r.reason.startswith("association risk: near-identical to an appeal of globex-de")
    r = check_not_template(make_ctx(similar=[replace(matches[0], score=0.5)], template_warn=0.45))
    assert r.status == "warn" and "association risk" in r.reason


def test_not_template_end_to_end_through_the_index():
    other = STRONG.replace(ASIN, "B0ZZZZZZZ1").replace(ORDER, "205-1111111-2222222")
    index = default_index()
    index.add("appeal:41", other, account="globex-de", date="2026-11-02")
    index.add("appeal:42", STRONG, account="acme-uk", date="2026-11-27")
    ctx = make_ctx(similar=index.closest(STRONG, exclude="appeal:42"))
    assert ctx.similar[0].key == "appeal:41" and ctx.similar[0].score == 1.0
    r = check_not_template(ctx)
    assert r.status == "fail" and "association risk" in r.reason and "globex-de" in r.reason


# --- tone ---------------------------------------------------------------------------------------


def test_tone_pass():
    r = check_tone(make_ctx())
    assert r.status == "pass" and r.required and r.details == ()


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("This was Amazon's mistake.", "blame"),
        ("Your system flagged us wrongly.", "blame"),
        ("The customer lied about the product.", "blame"),
        ("A competitor filed this false complaint.", "blame"),
        ("This is unfair.", "blame"),
        ("Please please reinstate us.", "pleading"),
        ("We beg you to help.", "pleading"),
        ("We are desperate.", "pleading"),
        ("Our family depends on this shop.", "pleading"),
        ("We will go bankrupt.", "pleading"),
        ("We are devastated by this decision.", "emotional"),
        ("Reinstate us now!!", "emotional"),
        ("WE DID NOTHING WRONG here.", "emotional"),
        ("See case ID 1234567890.", "other cases"),
        ("As explained in case #98765.", "other cases"),
        ("As in our previous case, nothing changed.", "other cases"),
        ("As I told your colleague yesterday.", "other cases"),
    ],
)
def test_tone_fail_flags_the_phrase(phrase, kind):
    r = check_tone(make_ctx(STRONG + "\n" + phrase))
    assert r.status == "fail"
    assert any(d.startswith(kind + ":") for d in r.details), r.details
    assert kind in r.reason


def test_tone_names_each_blaming_sentence_and_phrase():
    r = check_tone(make_ctx("Your system is unfair and a competitor did it. We are desperate."))
    assert r.details == ("blame: Your system is unfair and a competitor did it. (on Amazon)", "pleading: desperate")
    assert r.reason == 'remove blame / pleading: "Your system is unfair and a competitor…", "desperate"'


def test_tone_ignores_harmless_lookalikes():
    text = "In case no invoice matches, our manager escalates. In other cases we begin a review. CEO FBA SKU"
    assert check_tone(make_ctx(text)).status == "pass"  # abbreviations in capitals are not shouting


# --- evidence -----------------------------------------------------------------------------------


def test_evidence_named_in_the_text_but_not_attached_fails_naming_is_not_having():
    r = check_evidence(make_ctx())
    assert r.status == "fail" and r.required
    assert r.reason == ("naming is not having: the text names invoices, supplier details, but "
                        f"{ASIN} needs invoice dated within 365 days and supplier details")
    assert r.details == (f"{ASIN}: needs invoice dated within 365 days; supplier details",)
    # The plan's "after receiving a letter of authorization" is a step, not a document provided.
    assert "letter of authorization" not in r.reason


@pytest.mark.parametrize("sentence", [
    "We sold items that we do not have invoices for.",
    "We could not obtain a letter of authorization from the brand.",
    "Once we receive the supplier's invoices we will send them.",
    "Our listings went live without any certificates.",
])
def test_evidence_that_is_denied_or_deferred_is_not_evidence(sentence):
    r = check_evidence(make_ctx(text=f"## Root cause\n\n{sentence}\n"))
    assert r.status == "fail" and "attach the evidence" in r.reason


def test_the_root_cause_message_states_every_requirement():
    from console.review.checklist import check_root_cause

    r = check_root_cause(make_ctx(text="## Root cause\n\nWe shipped late.\n\n## Actions taken\n\nx\n"))
    assert r.status == "fail" and "2+ sentences and 25+ words" in r.reason


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("authenticity", "invoice dated within 365 days"),
        ("ip_complaint", "letter of authorisation"),
        ("ip_suspected", "letter of authorisation"),
    ],
)
def test_evidence_fail_says_what_is_expected(category, expected):
    text = "## Root cause\nWe sourced badly because we were careless.\n"
    r = check_evidence(make_ctx(text, category=category))
    assert r.status == "fail" and expected in r.reason


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("product_safety", "test reports"),
        ("food_and_product_safety", "test reports"),
        ("restricted_products", "certificates"),
    ],
)
def test_a_cause_without_an_attachment_rule_passes_saying_what_such_notices_ask_for(category, expected):
    # Only authenticity, condition and IP complaints have a rule (console/review/data/evidence_rules.toml):
    # what a safety or restricted-products notice needs varies, and the notice says it.
    r = check_evidence(make_ctx("## Root cause\nWe sourced badly because we were careless.\n", category=category))
    assert r.status == "pass" and r.reason.startswith(f"no attachment rule for {category}") and expected in r.reason


def test_evidence_not_required_for_other_categories():
    r = check_evidence(make_ctx("We shipped late.", category="late_shipment_rate"))
    assert r.status == "pass" and r.reason == "no documents required for late shipment rate"
    assert check_evidence(make_ctx("x", category="ship_delay")).status == "pass"  # not an "ip_" category


# --- concise ------------------------------------------------------------------------------------


def test_concise_warn_and_pass():
    r = check_concise(make_ctx("x" * 4812))
    assert (r.status, r.required) == ("warn", False)
    assert r.reason == "4,812 characters; aim under 4,000"
    ok = check_concise(make_ctx("x" * 3999))
    assert ok.status == "pass" and ok.reason == "3,999 characters"
    assert check_concise(make_ctx("x" * 3999, max_chars=3000)).status == "warn"


# --- reviewed -----------------------------------------------------------------------------------


def test_reviewed_pass_by_a_second_operator():
    r = check_reviewed(make_ctx())
    assert r.status == "pass" and r.required and r.reason == "reviewed by maria at 2026-11-27 09:12"


def test_reviewed_fail_when_the_author_reviewed_their_own_appeal():
    r = check_reviewed(make_ctx(reviewed_by="Sam"))
    assert r.status == "fail" and r.reason == "the author cannot review their own appeal"


def test_reviewed_fail_when_missing():
    r = check_reviewed(make_ctx(reviewed_by=None, reviewed_at=None))
    assert (r.status, r.required) == ("fail", True) and r.reason == "not yet reviewed by a second operator"


def test_reviewed_only_warns_when_review_is_not_required():
    r = check_reviewed(make_ctx(reviewed_by=None, require_review=False))
    assert (r.status, r.required) == ("warn", False)
    assert ready([r])


# --- similarity ---------------------------------------------------------------------------------


def test_normalise_placeholders():
    words = normalise(
        "Order 114-3928475-6610283 for B0C4XK2M9P and b0abcdefgh on 2026-11-20, 3 March 2026 and Nov 4, 2026; "
        "complaint 7391046528, 1,200.50 units. We've checked it."
    )
    # "2026-11-20, 3 March 2026" is a run of dates, "7391046528, 1,200.50" a run of numbers: one each.
    assert words == [
        "order", "zzorder", "for", "zzasin", "and", "zzasin", "on", "zzdate", "and", "zzdate",
        "complaint", "zznum", "units", "weve", "checked", "it",
    ]  # fmt: skip


def test_shingles_are_stable_crc32_of_word_windows():
    assert shingles("One, two; THREE four!") == frozenset({zlib.crc32(b"one two three four")})
    assert shingles("a b c d e") == frozenset({zlib.crc32(b"a b c d"), zlib.crc32(b"b c d e")})
    assert shingles("") == frozenset()
    assert shingles("## Root cause\n") == frozenset()  # headings alone say nothing


def test_jaccard():
    a, b = frozenset({1, 2, 3}), frozenset({2, 3, 4, 5})
    assert jaccard(a, b) == pytest.approx(2 / 5)
    assert jaccard(a, a) == 1.0
    assert jaccard(a, frozenset()) == 0.0 and jaccard(frozenset(), frozenset()) == 0.0


def test_generic_appeals_are_written_and_loaded():
    assert 6 <= len(GENERIC_APPEALS) <= 10
    index = default_index()
    assert len(index) == len(GENERIC_APPEALS)
    best = index.closest(GENERIC_APPEALS[2])[0]
    assert (best.key, best.score, best.generic, best.account, best.date) == ("generic:2", 1.0, True, None, None)


def test_a_generic_appeal_scores_high_against_the_default_index():
    text = (
        "Dear Amazon Seller Performance Team, We sincerely apologize for any inconvenience this may have caused to "
        "your customers and to Amazon. We have taken this matter very seriously. We have reviewed our processes "
        "and will ensure this does not happen again. We value our relationship with Amazon and are committed to "
        "providing the best possible experience to Amazon buyers. We kindly request you to reinstate our account. "
        "Thank you."
    )
    matches = default_index().closest(text)
    assert matches and matches[0].generic and matches[0].key == "generic:0"
    assert matches[0].score >= 0.7, matches
    assert check_not_template(make_ctx(text, similar=matches)).status == "fail"


def test_a_template_with_other_ids_still_matches():
    template = (
        "Hello, regarding ASIN {asin} and order {order} received on {date}: we have removed listing {asin}, "
        "contacted the buyer of order {order} and refunded {n} units. Our team reviewed complaint {cid} and "
        "will ensure this does not happen again."
    )
    a = template.format(asin="B0AAAAAAA1", order="111-1111111-1111111", date="2026-01-05", n=3, cid="C-100")
    b = template.format(asin="B0ZZZZZZZ9", order="999-9999999-9999999", date="March 9, 2026", n=40, cid="X99Y")
    assert a != b and jaccard(shingles(a), shingles(b)) == 1.0
    index = SimilarityIndex()
    index.add("appeal:1", a, account="acme-uk", date="2026-01-05")
    assert index.closest(b)[0] == Match("appeal:1", 1.0, "acme-uk", "2026-01-05", False)


def test_an_unrelated_appeal_scores_low():
    index = default_index()
    matches = index.closest(STRONG)
    assert all(m.score < 0.2 for m in matches), matches
    scores = [jaccard(shingles(STRONG), shingles(g)) for g in GENERIC_APPEALS]
    assert max(scores) < 0.1


def test_index_add_replace_remove_and_exclude():
    index = SimilarityIndex()
    index.add("appeal:1", STRONG, account="acme-uk", date="2026-11-27")
    index.add("appeal:2", GENERIC_APPEALS[0], account="globex-de", date="2026-10-01")
    assert len(index) == 2
    assert index.closest(STRONG)[0].key == "appeal:1"
    assert index.closest(STRONG, exclude="appeal:1") == []
    index.add("appeal:1", GENERIC_APPEALS[1], account="acme-uk")  # replaces the earlier text
    assert len(index) == 2 and index.closest(STRONG) == []
    index.remove("appeal:2")
    index.remove("appeal:404")
    assert len(index) == 1 and index.closest(GENERIC_APPEALS[0]) == []
    assert [m.key for m in index.closest(GENERIC_APPEALS[1], limit=5)] == ["appeal:1"]
    assert index.closest(GENERIC_APPEALS[1], limit=0) == []
    with pytest.raises(ValueError):
        SimilarityIndex(num_perm=64, bands=10)


# --- 5,000 appeals ------------------------------------------------------------------------------

_SUBJECTS = "supplier warehouse listing invoice batch carrier label packaging inspection return stock photo".split()
_VERBS = "checked removed replaced audited updated contacted inspected relabelled refunded verified".split()
_ADJS = "damaged unverified expired mislabelled incomplete late used wrong missing outdated".split()


def _synthetic(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        out.append(
            f"We {rng.choice(_VERBS)} the {rng.choice(_ADJS)} {rng.choice(_SUBJECTS)} and the "
            f"{rng.choice(_SUBJECTS)} for B0{rng.randrange(10**8):08d} after the {rng.choice(_ADJS)} "
            f"{rng.choice(_SUBJECTS)} was {rng.choice(_VERBS)} by our {rng.choice(_SUBJECTS)} team."
        )
    return " ".join(out)


@pytest.fixture(scope="module")
def big_index():
    rng = random.Random(20261127)
    index = SimilarityIndex()
    texts = {}
    for i in range(5000):
        key = f"appeal:{i}"
        texts[key] = _synthetic(rng, rng.randint(4, 8))
        index.add(key, texts[key], account=f"account-{i % 40}", date="2026-10-01")
    return index, texts, rng


def test_closest_finds_the_planted_near_duplicate_among_5000_quickly(big_index, monkeypatch):
    index, texts, rng = big_index
    assert len(index) == 5000
    planted = STRONG.replace(ASIN, "B0PLANTED1")
    index.add("appeal:planted", planted, account="globex-de", date="2026-11-02")
    try:
        query = STRONG + "\nWe also updated the packaging photos on the listing."
        calls = 0
        real = similarity.jaccard

        def counting(a, b):
            nonlocal calls
            calls += 1
            return real(a, b)

        monkeypatch.setattr(similarity, "jaccard", counting)
        matches = index.closest(query)
        assert matches[0].key == "appeal:planted" and matches[0].score > 0.85
        assert matches[0].account == "globex-de"
        assert calls < 250  # LSH candidates only, never every entry
        r = check_not_template(make_ctx(query, similar=matches))
        assert r.status == "fail" and "association risk" in r.reason
    finally:
        index.remove("appeal:planted")


def test_closest_on_a_long_appeal_against_5000_finds_no_false_match(big_index):
    index, texts, rng = big_index
    query = _synthetic(random.Random(1), 34)
    assert len(query) > 4000
    matches = index.closest(query)
    results = run_checks(make_ctx(query, similar=matches))
    assert len(results) == 10 and all(m.score < 0.45 for m in matches)  # speed: tests/bench/bench_appeal.py


# --- stored signatures (console/review/signatures.py) ---------------------------------------------


def _stored(conn, appeal_id: int):
    """(revision, shingles, band keys) stored for an appeal, or None."""
    row = conn.execute("SELECT revision, shingles FROM appeal_signatures WHERE appeal_id = ?", (appeal_id,)).fetchone()
    if row is None:
        return None
    bands = tuple(k for (k,) in conn.execute("SELECT key FROM appeal_bands WHERE appeal_id = ? ORDER BY band",
                                              (appeal_id,)))
    return row[0], frozenset(similarity.unpack_shingles(row[1])), bands


def _expected(revision: int, text: str):
    signed = similarity.sign(text)
    return revision, signed.shingles, signed.bands


def _index_from_texts(store) -> SimilarityIndex:
    """The index as sessions built it before signatures were stored: every appeal's text hashed."""
    from console.store import appeals as appeals_store

    index = default_index()
    for row in appeals_store.all_latest_texts(store):
        index.add(f"appeal:{row['id']}", row["text"], row["account"], row["date"])
    return index


DEMO_TEXTS = [
    STRONG,
    STRONG.replace(ASIN, "B0PLANTED1").replace("Brightline Trading", "Northgate Supply"),
    GENERIC_APPEALS[0],
    GENERIC_APPEALS[4] + " We also checked the packaging of every unit in stock.",
    with_section("root_cause", "We did not check the supplier's authorization because nobody owned that step."),
    _synthetic(random.Random(5), 6),
    _synthetic(random.Random(6), 6),
    "",
    NEW_DRAFT,
]


def _demo_with_appeals(demo):
    """The demo desk with an appeal on each of the first notices, texts from DEMO_TEXTS; the first two
    in different accounts."""
    rows = demo.store.rows("SELECT id, account_id FROM notifications ORDER BY id")
    second = next(r for r in rows if r["account_id"] != rows[0]["account_id"])
    nids = [rows[0]["id"], second["id"]] + [r["id"] for r in rows[1:] if r is not second][:len(DEMO_TEXTS) - 2]
    return [demo.new_appeal(nid, text) for nid, text in zip(nids, DEMO_TEXTS)]


def test_a_saved_appeal_stores_its_signature_in_the_same_transaction(demo, monkeypatch):
    from console.store import appeals as appeals_store
    from console.store import signatures

    conn = demo.store.conn
    appeal = demo.new_appeal(demo.store.rows("SELECT min(id) AS id FROM notifications")[0]["id"], STRONG)
    assert _stored(conn, appeal.id) == _expected(1, STRONG)
    saved = demo.save_appeal(appeal, GENERIC_APPEALS[1])
    assert _stored(conn, appeal.id) == _expected(2, GENERIC_APPEALS[1])

    # The save fails after the signature was written (its audit row): neither the revision nor the signature lands.
    def broken_audit(*a, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo.store, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        demo.save_appeal(saved, GENERIC_APPEALS[2])
    monkeypatch.undo()
    assert demo.appeal(appeal.id).revision == 2
    assert _stored(conn, appeal.id) == _expected(2, GENERIC_APPEALS[1])

    # Signing fails: the text is not saved either.
    def broken_sign(*a, **kw):
        raise RuntimeError("signing failed")

    monkeypatch.setattr(signatures, "sign", broken_sign)
    with pytest.raises(RuntimeError):
        demo.save_appeal(saved, GENERIC_APPEALS[3])
    monkeypatch.undo()
    assert [r.number for r in appeals_store.revisions(demo.store, appeal.id)] == [1, 2]
    assert demo.appeal(appeal.id).text == GENERIC_APPEALS[1]
    assert signatures.stale_ids(conn) == []


def test_the_index_from_the_database_finds_what_the_index_built_from_texts_finds(demo):
    appeals = _demo_with_appeals(demo)
    stored, built = demo.similarity_index(), _index_from_texts(demo.store)
    assert len(stored) == len(built) == len(GENERIC_APPEALS) + len(appeals)
    assert all(f"appeal:{a.id}" in stored for a in appeals) and "appeal:999999" not in stored
    queries = DEMO_TEXTS + list(GENERIC_APPEALS) + [STRONG + "\nWe also updated the packaging photos."]
    found = 0
    for a in appeals:
        for text in queries:
            got = stored.closest(text, exclude=f"appeal:{a.id}", limit=5)
            assert got == built.closest(text, exclude=f"appeal:{a.id}", limit=5)
            found += len(got)
    assert found > 100  # not a comparison of empty lists
    # The user-visible answer: the planted copy in another account is an association risk.
    planted = next(m for m in stored.closest(STRONG, exclude=f"appeal:{appeals[0].id}") if not m.generic)
    assert planted.key == f"appeal:{appeals[1].id}" and planted.score > 0.8
    assert planted.account == demo.notification(appeals[1].notification_id).account
    results = {r.id: r for r in demo.check_appeal(appeals[0])}
    assert results["not_template"].status == "fail" and "association risk" in results["not_template"].reason


def test_stored_and_built_indexes_agree_on_every_generated_appeal(store):
    from console.demo.seed import generate_large

    made = generate_large(store, accounts=6, notifications=400, appeals=120, contacts=0)
    from console.store.appeal_index import StoredIndex

    stored, built = StoredIndex.open(store), _index_from_texts(store)
    rows = store.rows("SELECT id, text FROM appeals ORDER BY id")
    assert len(rows) == made["appeals"] == 120 and len(stored) == len(built)
    non_empty = 0
    for row in rows:
        key = f"appeal:{row['id']}"
        got = stored.closest(row["text"], exclude=key, limit=4)
        assert got == built.closest(row["text"], exclude=key, limit=4), key
        non_empty += bool(got)
    assert non_empty > 100
    stored.close()


def test_other_sessions_saves_count_at_once(demo, tmp_path, config, clock):
    from console.desk import Desk
    from console.store.db import open_store

    appeals = _demo_with_appeals(demo)
    index = demo.similarity_index()
    query = GENERIC_APPEALS[6] + " We deleted the listing of B0C4XK2M9P on 2026-11-20."
    assert all(not m.key.startswith("appeal:") for m in index.closest(query))
    other = Desk(open_store(demo.store.path, "maria", clock, os_user="maria"), config, clock)
    try:
        copy = other.save_appeal(other.appeal(appeals[5].id), query)
    finally:
        other.store.close()
    assert index.closest(query, exclude="appeal:0")[0].key == f"appeal:{copy.id}"


def test_the_schema_step_signs_the_appeals_already_there(demo, config, clock):
    from console.store.db import open_store
    from console.store.signatures import stale_ids

    appeals = _demo_with_appeals(demo)
    path = demo.store.path
    with demo.store.write() as conn:  # the database as it was before schema step 9
        conn.execute("DROP TABLE appeal_bands")
        conn.execute("DROP TABLE appeal_signatures")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_appeal_signatures'")
    demo.store.close()
    s = open_store(path, "tester", clock)
    try:
        assert stale_ids(s.conn) == []
        for a in appeals:
            assert _stored(s.conn, a.id) == _expected(1, a.text)
    finally:
        s.close()


def test_appeals_changed_behind_flagdeskss_back_are_signed_when_the_index_opens(demo):
    appeals = _demo_with_appeals(demo)
    conn = demo.store.conn
    with demo.store.write():
        conn.execute("DELETE FROM appeal_bands WHERE appeal_id = ?", (appeals[2].id,))
        conn.execute("DELETE FROM appeal_signatures WHERE appeal_id = ?", (appeals[2].id,))
        conn.execute("UPDATE appeals SET text = ?, revision = 2 WHERE id = ?", (STRONG, appeals[6].id))
    index = demo.similarity_index()
    assert _stored(conn, appeals[2].id) == _expected(1, DEMO_TEXTS[2])
    assert _stored(conn, appeals[6].id) == _expected(2, STRONG)
    signed = demo.store.rows("SELECT detail FROM audit WHERE action = 'appeal.signatures'")
    assert len(signed) == 1 and '"signed": 2' in signed[0]["detail"]
    assert index.closest(STRONG, exclude=f"appeal:{appeals[0].id}")[0].key == f"appeal:{appeals[6].id}"
    assert index.closest(STRONG, exclude=f"appeal:{appeals[0].id}")[0].score == 1.0


def test_a_killed_save_leaves_no_signature_without_its_revision(demo):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    from console.store.signatures import stale_ids

    worker = Path(__file__).parent / "reliability" / "worker.py"  # saves revisions back to back until killed
    appeal = _demo_with_appeals(demo)[0]
    db = demo.store.path
    proc = subprocess.Popen([sys.executable, str(worker), "appeal-loop", "--db", str(db), "--appeal", str(appeal.id)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        deadline = time.monotonic() + 60
        while conn.execute("SELECT revision FROM appeals WHERE id = ?", (appeal.id,)).fetchone()[0] < 30:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no saves to kill in the middle of"
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        revision, text = conn.execute("SELECT revision, text FROM appeals WHERE id = ?", (appeal.id,)).fetchone()
        assert revision >= 30
        assert conn.execute("SELECT text FROM appeal_revisions WHERE appeal_id = ? AND number = ?",
                            (appeal.id, revision)).fetchone()[0] == text
        assert _stored(conn, appeal.id) == _expected(revision, text)
        assert stale_ids(conn) == []
    finally:
        conn.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
