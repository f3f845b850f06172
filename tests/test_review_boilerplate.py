"""Issue 12: boilerplate read sentence by sentence, stock courtesy as a tone warning, causes and remedies.

The texts here are written for these tests, in the shapes template appeals take.
"""

from __future__ import annotations

import json
import re

import pytest

from console.review import boilerplate
from console.review.checklist import AppealContext, check_logic, check_not_template, check_tone, ready, run_checks

ASIN, ORDER = "B0CQ4W7T2M", "113-4410982-5573016"

# The issue's example: a draft assembled from stock sentences around the notice.
ISSUE_TEMPLATE = f"""Dear Seller Performance Team,

We sincerely apologize for any inconvenience caused regarding ASIN {ASIN} and order {ORDER}. We value our customers
and Amazon very much and we take this matter very seriously. We have reviewed our policies and made changes to our
business practices to make sure this never happens again. We will monitor our account closely and ensure that all
of our products comply with Amazon policies. We are committed to providing the best possible experience to Amazon
customers. We kindly ask you to reinstate our account as soon as possible.

Thank you for your time and consideration.
"""

SPECIFIC = f"""Root cause:
On 2 October our buyer, Tomasz Wilk, bought 300 units of ASIN {ASIN} from Harbour Lane Wholesale, a trader we had not
used before, because its price was 18% below our usual distributor. Nobody asked Harbour Lane for invoices
from the brand, and our goods-in check only counted the cartons.

Actions taken:
We removed the 212 units left in stock on 20 November and refunded the buyer of order {ORDER} in full. We stopped
buying from Harbour Lane and ordered replacement stock from Keswick Distribution, the brand's authorised distributor.

Preventive measures:
- Our purchasing manager approves a new supplier only after the brand confirms it in writing.
- At goods-in, the warehouse lead opens 5 units of every delivery and compares the batch codes with the invoice.
- On the first Monday of each month the owner reconciles units sold per ASIN against units invoiced by suppliers.
"""


def ctx(text: str, **kw) -> AppealContext:
    base = dict(text=text, asins=[ASIN], order_ids=[ORDER], complaint_id=None, category="authenticity",
                account="acme-uk", author="sam", reviewed_by="maria", reviewed_at="2026-11-27 09:12")
    base.update(kw)
    return AppealContext(**base)


# --- the shipped corpus -------------------------------------------------------------------------


def test_the_corpus_is_public_sources_as_hashes_not_text():
    data = json.loads(boilerplate.DATA.read_text(encoding="utf-8"))
    sources = data["sources"]
    assert len(sources) >= 40
    assert all(re.match(r"https?://\S+$", s["url"]) for s in sources)
    kinds = {s["kind"] for s in sources}
    assert {"suspension", "ip", "authenticity", "listing", "metrics"} <= kinds
    # No text: every stock sentence is its source's number and integer hashes; no string anywhere else.
    assert all(isinstance(n, int) and n < len(sources) and all(isinstance(h, int) for h in hashes)
               for n, hashes in data["sentences"])
    assert all(isinstance(h, int) for h in data["shared"] + data["vocabulary"])
    assert len(data["sentences"]) >= 400


def test_a_stock_sentence_is_boilerplate_a_specific_one_is_specific():
    stock = boilerplate.score("We sincerely apologize for any inconvenience this may have caused to our customers.",
                              specific=False)
    assert stock.verdict == "boilerplate" and stock.source is not None and stock.source.url.startswith("http")
    mine = boilerplate.score("On 14 October the warehouse lead relabelled 260 bins and checked each against its SKU.",
                             specific=True)
    assert mine.verdict == "specific"
    plain = boilerplate.score("The cartons arrived from the port in a shared container with the kettles.",
                              specific=False)
    assert plain.verdict == "neither"


def test_a_filled_in_id_does_not_make_a_stock_sentence_specific():
    s = boilerplate.score(f"We will ensure that all of our products comply with Amazon policies for ASIN {ASIN}.",
                          specific=False, cites=True)
    assert s.verdict == "boilerplate"


def test_build_keeps_addresses_and_hashes_only(tmp_path):
    (tmp_path / "001.txt").write_text("url: https://example.org/poa\ntitle: A sample\nkind: metrics\n---\n"
                                      "We understand how important shipping on time is to buyers.\n"
                                      "Our shipping software printed labels late every Friday afternoon.\n",
                                      encoding="utf-8")
    (tmp_path / "002.txt").write_text("url: https://example.net/x\nkind: ip\n---\nWe removed the listing at once.\n",
                                      encoding="utf-8")
    data = boilerplate.build(tmp_path)
    assert [s["url"] for s in data["sources"]] == ["https://example.org/poa", "https://example.net/x"]
    dumped = json.dumps(data)
    assert "shipping" not in dumped and "listing" not in dumped and "Friday" not in dumped
    assert len(data["sentences"]) == 3


def test_build_names_the_file_without_an_address(tmp_path):
    (tmp_path / "003.txt").write_text("title: no address\n---\nSome text here for the test.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"003\.txt: no url: line"):
        boilerplate.build(tmp_path)


# --- not a template, sentence by sentence ---------------------------------------------------------


def test_the_issue_template_fails_and_lists_its_stock_sentences():
    r = check_not_template(ctx(ISSUE_TEMPLATE))
    assert r.status == "fail", r
    assert r.reason.startswith("assembled from stock sentences")
    listed = [d for d in r.details if d.startswith("stock: ")]
    assert len(listed) >= 4
    assert any(d.startswith("stock: We value our customers and Amazon very much") for d in listed)
    assert any(d.startswith("stock: We kindly ask you to reinstate") for d in listed)
    assert not ready(run_checks(ctx(ISSUE_TEMPLATE)))


def test_a_specific_appeal_is_not_a_template():
    r = check_not_template(ctx(SPECIFIC))
    assert r.status == "pass", r


def test_a_few_stock_sentences_in_a_specific_appeal_warn_and_name_them():
    text = SPECIFIC.replace("Root cause:\n", "Root cause:\nWe take this matter very seriously and we have "
                            "reviewed our processes thoroughly. We understand the importance of customer trust. ")
    text += ("\nWe will continue to improve our processes to ensure this never happens again. "
             "We are committed to providing the best possible experience to Amazon customers.\n")
    r = check_not_template(ctx(text))
    assert r.status == "warn", r
    assert sum(d.startswith("stock: ") for d in r.details) >= 3


def test_no_part_naming_anything_specific_fails_even_without_stock_sentences():
    text = ("## Root cause\nThe parcel left our shelf in a muddle, because the wrong jar slipped into it during a "
            "busy afternoon. Nobody spotted the mix-up.\n\n## Actions taken\nWe sorted the shelf out and wrote to "
            "the buyer.\n\n## Preventive measures\nShelves get sorted out more often. Jars are kept apart. We "
            "look twice.\n")
    r = check_not_template(ctx(text, asins=[], order_ids=[]))
    assert r.status == "fail" and "names anything specific" in r.reason, r


def test_association_risk_still_comes_from_the_whole_draft():
    from console.review.similarity import Match

    r = check_not_template(ctx(SPECIFIC, similar=[Match("appeal:9", 0.82, "acme-de", "2026-10-01", False)]))
    assert r.status == "fail" and r.reason.startswith("association risk: near-identical to an appeal of acme-de")


# --- tone: stock courtesy warns, blame fails ------------------------------------------------------


def test_stock_courtesy_is_a_warning_naming_the_phrases():
    r = check_tone(ctx(ISSUE_TEMPLATE))
    assert r.status == "warn", r
    named = " ".join(r.details)
    for phrase in ("sincerely apologize", "kindly ask", "as soon as possible", "we value",
                   "committed to providing the best"):
        assert phrase in named, phrase
    assert check_tone(ctx(SPECIFIC)).status == "pass"


def test_blame_stays_a_failure_next_to_stock_courtesy():
    text = ISSUE_TEMPLATE + "\nThe complaint was filed by a competitor who wants our listing gone.\n"
    r = check_tone(ctx(text))
    assert r.status == "fail" and "blame" in r.reason
    assert any(d.startswith("stock courtesy: ") for d in r.details)


def test_we_hope_warns():
    r = check_tone(ctx(SPECIFIC + "\nWe hope this plan answers your questions.\n"))
    assert r.status == "warn" and "we hope" in r.reason


# --- logic: causes and remedies --------------------------------------------------------------------

TWO_CAUSES = f"""Root cause:
1. Our listing template for ASIN {ASIN} still said "new" in the condition field after we switched to selling
   returned units, because nobody changed the template when the returns programme started in August.
2. Our packers did not inspect returned kettles before restocking them, so units with scratched lids went out.

Actions taken:
We corrected the condition field of the listing to "Used - Very Good" on 3 November and refunded order {ORDER}.

Preventive measures:
- The store manager reads the condition field of every listing template each Monday.
- Listing templates are changed only by the store manager, who signs the change log.
- Every change to a listing template is logged in our spreadsheet with the date and the person.
"""


def test_a_cause_without_an_action_or_a_step_is_named():
    r = check_logic(ctx(TWO_CAUSES))
    assert r.status == "warn" and not r.required, r
    assert any(d.startswith("no action answers cause 2: Our packers did not inspect") for d in r.details), r.details
    assert any(d.startswith("no preventive step answers cause 2") for d in r.details), r.details
    assert not any("cause 1" in d for d in r.details), r.details


def test_answering_the_cause_clears_the_warning():
    text = TWO_CAUSES.replace("refunded order", "had the packers inspect every returned kettle in stock, and refunded"
                              " order")
    text += "- Our warehouse lead inspects each returned kettle's lid and seal before it is restocked.\n"
    r = check_logic(ctx(text))
    assert r.status == "pass", r.details


def test_a_step_may_answer_a_cause_by_its_number():
    text = TWO_CAUSES.replace("refunded order", "retrained the team (cause 2), and refunded order")
    text += "- For cause 2: a second person signs each restock sheet.\n"
    r = check_logic(ctx(text))
    assert not any("cause 2" in d for d in r.details), r.details


def test_a_step_about_something_else_answers_no_cause():
    text = SPECIFIC + "- Our accountant files the VAT return every quarter with our tax adviser Elm & Co.\n"
    r = check_logic(ctx(text))
    assert r.status == "warn"
    assert any(d.startswith("answers no cause: Our accountant files the VAT return") for d in r.details), r.details


def test_the_specific_appeal_relates_every_cause_and_step():
    r = check_logic(ctx(SPECIFIC))
    assert r.status == "pass", r.details
