"""How the checklist reads a draft (console/review/text.py, structure.py, judge.py, evidence.py): pasted text,
headings of every kind, sentences judged for what they do."""

from __future__ import annotations

import pytest

from console.review import evidence, judge
from console.review.structure import classify, read
from console.review.text import paste, sentences, tidy

# --- pasted text ----------------------------------------------------------------------------------


def test_paste_turns_a_word_processor_document_into_a_typed_draft():
    pasted = ("Root cause  \r\n•\tOne\u00a0unit\r\n\to\tnested\r\n1.\tFirst\x0bSecond line\u2028third\r\n"
              "– dash item\r\n-- Greater detail\r\n\u200bZero\u00adwidth “quoted” don’t\r\n\r\n\r\n\r\nEnd")
    assert paste(pasted) == ("Root cause\n- One unit\n  - nested\n1. First\nSecond line\nthird\n- dash item\n"
                             "-- Greater detail\nZerowidth “quoted” don’t\n\nEnd")
    assert tidy(pasted).endswith('Zerowidth "quoted" don\'t\n\nEnd')
    assert paste("") == tidy("") == ""


def test_sentences_keep_abbreviations_and_decimals_together():
    assert sentences("We paid 1.5 times the price to Acme Ltd. in May, e.g. for the lids. Then we stopped.") == [
        "We paid 1.5 times the price to Acme Ltd. in May, e.g. for the lids.", "Then we stopped."]


# --- headings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "part"), [
    ("Root cause", "root_cause"), ("What went wrong", "root_cause"), ("The root cause(s) of the issue", "root_cause"),
    ("Root Causes of Customer Complaints – Poor Inventory Quality Control", "root_cause"),
    ("Greater detail on the root causes", "root_cause"), ("Why did this happen?", "root_cause"),
    ("Investigation Findings", "root_cause"),
    ("The actions you have taken to resolve the issue", "actions_taken"), ("What we have done so far", "actions_taken"),
    ("Corrective actions", "actions_taken"), ("Immediate fixes", "actions_taken"), ("Remediation", "actions_taken"),
    ("The steps you have taken to prevent this issue in the future", "preventive"),
    ("Steps We Have Taken to Prevent Complaints in The Future", "preventive"), ("Going forward", "preventive"),
    ("What we changed so this cannot happen again", "preventive"), ("Safeguards", "preventive"),
    ("Long-Term Preventive Measures", "preventive"), ("Part 3 – How we will keep the cancel rate below 2.5%", "preventive"),
])
def test_a_heading_names_its_part_whatever_its_words(label, part):
    assert classify(label) == ("part", (part,))


def test_headings_that_name_two_parts_or_none():
    assert classify("Root cause and corrective actions") == ("combined", ("root_cause", "actions_taken"))
    assert classify("Plan of Action – ASIN B0C4XK2M9P") == ("other", ())
    assert classify("Supporting documents") == ("evidence", ())
    assert classify("Supplier details") == ("none", ())


@pytest.mark.parametrize("heading", [
    "## Why this happened", "Why this happened:", "**Why this happened**", "WHY THIS HAPPENED", "1. Why this happened",
    "-- Why this happened", "Why this happened\n=================", "Why this happened",
])
def test_every_heading_form_heads_the_root_cause(heading):
    text = (f"{heading}\nOur packer shipped returned units as new because no rule said otherwise.\n\n"
            "Corrective actions:\n- We relabelled 40 units.\n")
    draft = read(text)
    assert draft.part("root_cause").where.lower() == 'under "why this happened"'
    assert draft.part("root_cause").body.startswith("Our packer shipped")
    assert draft.part("actions_taken").body == "- We relabelled 40 units."


def test_a_label_with_text_on_its_line_heads_only_its_paragraph():
    draft = read("Cause: the title said \"waterproof\" because we copied the supplier's sheet.\n\n"
                 "We have since rewritten the title and removed the word from 3 listings.\n")
    assert draft.part("root_cause").where == 'under "Cause"'
    assert draft.part("actions_taken").where == "paragraph 2"


def test_text_lines_that_look_like_labels_stay_text():
    draft = read("## Actions taken\nSupplier details: Voltra Ltd, Leeds.\nThe root cause was that our supplier:\n"
                 "- We removed the listing.\n")
    assert [s.heading for s in draft.sections] == ["", "Actions taken"]


def test_without_any_heading_parts_are_found_by_what_they_say_in_order():
    draft = read("Dear team,\n\nWe listed the kettle as new because our returns were never inspected.\n\n"
                 "We have removed 9 opened kettles and refunded the buyers.\n\n"
                 "From now on the returns clerk inspects every return within 2 days.\n\nThank you.\n")
    assert {p: draft.part(p).where for p in draft.parts} == {
        "root_cause": "paragraph 2", "actions_taken": "paragraph 3", "preventive": "paragraph 4"}
    assert draft.part("root_cause").by_content and not draft.headed


def test_one_paragraph_holding_all_three_parts_is_split_by_sentence():
    draft = read("Our packer restocked returned kettles because no rule forbade it. He also never opened the box. "
                 "We have removed the 9 opened kettles and refunded 4 buyers. "
                 "From now on the returns clerk inspects every return within 2 days. "
                 "Every month the manager checks the returns log.")
    assert draft.part("root_cause").where == "paragraph 1 sentences 1-2"
    assert draft.part("actions_taken").where == "paragraph 1 sentence 3"
    assert draft.part("preventive").where == "paragraph 1 sentences 4-5"


# --- sentences ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "whom"), [
    ("Another seller was doing this manipulation to get our account closed.", "competitor"),
    ("The orders were placed by unknown buyers with new accounts.", "buyer"),
    ("Amazon is in error.", "amazon"),
    ("The buyer used the blender for weeks and then returned it.", "buyer"),
    ("The brand is trying to control prices on Amazon.", "rights owner"),
    ("Your automated review did not read the ingredient list.", "amazon"),
    ("The fulfilment centre mixed our inventory with other sellers' units.", "amazon"),
    ("There is no violation on our side.", "denial"),
    ("This warning should never have been sent.", "denial"),
])
def test_blame_is_a_sentence_that_puts_the_cause_on_someone_else(sentence, whom):
    assert judge.blame(sentence) == whom


@pytest.mark.parametrize("sentence", [
    "A buyer reported that the charger did not match the listing.",
    "Our assistant copied this layout from a competitor's page.",
    "We mistakenly listed the used units as new.",
    'Each month we read comments mentioning "fake" or "counterfeit".',
    "Two buyers reported a different scent, which means the jars were most likely not genuine.",
    "Three claims were for wrong items: our bin labels were mixed up.",
    "Kettles that buyers returned through FBA were marked sellable by default.",
])
def test_naming_a_buyer_a_competitor_or_amazon_is_not_blame(sentence):
    assert judge.blame(sentence) is None


def test_capitals_shout_only_in_a_sentence():
    assert judge.shouting("WE DID NOTHING WRONG here.") == ("WE DID NOTHING WRONG",)
    assert judge.shouting("Order 111-2093847-5561230: RETURN AND REFUND, A-TO-Z CLAIM GRANTED.") == ()
    assert judge.shouting("The account was REACTIVATED AND PERMANENTLY CLOSED in 2024.") == ()
    assert judge.shouting('The bullet read "FREE SHIPPING ON ALL ORDERS TODAY".') == ()
    assert judge.shouting("CEO FBA SKU ASIN") == ()


@pytest.mark.parametrize("step", [
    "Every Monday the owner reviews the week's orders.",  # how often, who
    "We place two test buys per quarter on our own listings.",  # a number, a method
    "Only suppliers that appear as seller of record on their invoices are used.",  # a document
    "Orders are confirmed only after the carrier's collection scan.",  # a tool
    "Only product facts are posted as answers, never links, prices or codes.",  # a rule over named things
])
def test_a_step_is_checkable_when_it_names_something_someone_could_verify(step):
    assert judge.checkable(step)


@pytest.mark.parametrize("step", [
    "We will be more careful with our suppliers.", "We will follow all Amazon policies from now on.",
    "We will work with more reliable carriers.", "We will closely monitor our account health metrics.",
    "We will provide ongoing training to our team on Amazon's policies.",
])
def test_a_wish_is_not_a_checkable_step(step):
    assert judge.checkable(step) == ()


def test_done_actions_are_done_by_us_and_concrete():
    assert judge.done_actions("We removed the listing and refunded 3 buyers.") == ("removed", "refunded")
    assert judge.done_actions("We will remove the listing.") == ()
    assert judge.done_actions("We have fixed the issue.") == ()  # nothing in particular
    assert judge.done_actions("We removed any items that may not meet the standards.") == ()
    assert judge.done_actions("Every buyer who bought from the lot was refunded.") == ("refunded",)  # not "bought"
    assert judge.done_actions("We reviewed our processes.") == ()  # soft, naming nothing
    assert judge.done_actions("We reviewed all 46 other listings.") == ("reviewed",)


def test_terms_tie_a_step_to_its_cause_through_topic_families():
    cause = judge.terms("We bought the jars from a wholesaler that was not authorised.")
    assert judge.terms("Our buyer orders only from an authorised distributor.") & cause
    assert not judge.terms("Parcels are labelled before 1 pm for the carrier.") & cause


@pytest.mark.parametrize(("text", "named"), [
    ("Please find attached the invoices and the supplier details.", ["invoices", "supplier details"]),
    ("Their invoices from the last 365 days are attached.", ["invoices"]),
    ("The manufacturer's spec sheet is attached.", ["spec sheet"]),
    ("The signed declaration (two pages) is attached.", ["declaration"]),
    ("We do not have invoices, but we attached the supplier details.", ["supplier details"]),
    ("We sold items that we do not have invoices for.", []),
    ("We will send invoices once we receive them.", []),
    ("We can provide invoices upon request.", []),
    ("Supplier details: not available.", []),
    ("The owner reconciles units sold against supplier invoices every month.", []),
])
def test_evidence_is_a_document_the_text_says_is_attached(text, named):
    assert [m.document for m in evidence.named(sentences(text))] == named


def test_items_under_an_evidence_heading_are_provided():
    draft = read("## Root cause\nWe bought from a trader.\n\nSupporting documents:\n- Invoices from Voltra Ltd\n")
    provided = tuple(label == "evidence" for label in draft.labels)
    assert [m.document for m in evidence.named([u.text for u in draft.units], provided)] == ["invoices"]


def test_a_numbered_heading_that_continues_the_sequence_heads_its_part_whatever_its_words():
    draft = read("1. The cause\nThe bullet said \"FREE SHIPPING\" because our template added it.\n"
                 "2. The fix\nWe removed the line from 9 listings on 20 November.\n"
                 "3. Keeping it right\na) The store manager approves every new template.\n"
                 "b) On the first Monday of each month the store manager reads 30 listings.\n")
    assert [s.heading for s in draft.sections[1:]] == ["The cause", "The fix", "Keeping it right"]
    assert draft.part("preventive").steps() == ["The store manager approves every new template.",
                                                "On the first Monday of each month the store manager reads 30 listings."]


def test_a_plan_written_as_a_table_has_one_step_per_row():
    draft = read("Controls:\nStep | Who | When\n---|---|---\nCompare 25 test parcels | operations manager | "
                 "before a new courier\nReview open claims | customer service lead | each morning\n")
    assert draft.part("preventive").steps() == ["Compare 25 test parcels — operations manager — before a new courier",
                                                "Review open claims — customer service lead — each morning"]


def test_a_title_with_a_dash_is_not_a_label():
    draft = read("Order Defect Rate plan – orders 111-2093847-5561230\n\nWhy it happened:\nOur courier lost 9 parcels.\n")
    assert [s.heading for s in draft.sections] == ["", "Why it happened"]


def test_whatever_the_text_says_it_attached_is_evidence():
    named = evidence.named(["Attached our temperature test results and the factory's written admission."])
    assert [m.document for m in named] == ["temperature test results"]


@pytest.mark.parametrize("sentence", [
    "This is a problem with how Amazon reads this carrier's numbers, not with our shipping.",
    "Amazon's system did not accept the tracking numbers even though they are valid.",
])
def test_blame_without_an_accusing_word(sentence):
    assert judge.blame(sentence) in ("amazon", "denial")


def test_a_pronoun_carries_the_party_of_the_clause_before():
    assert judge.blame("A few buyers chose to read it as an offer, and one of them reported it to get the "
                       "product for free.") == "buyer"
    assert judge.blame("We do not think the insert broke any rule.") == "denial"


def test_numbered_paragraphs_of_several_sentences_are_several_steps():
    draft = read("1) Our factory changed the silicone because nobody required notice of changes.\n\n"
                 "2) We recalled the 1,150 units.\n\n"
                 "3) The agreement now requires 60 days' notice. Our compliance officer reviews the register "
                 "every month. Every batch is tested before it ships.\n")
    assert draft.part("preventive").where == "item 3)"
    from console.review.checklist import AppealContext, check_improvement_plan

    plan = check_improvement_plan(AppealContext(text=draft.text, asins=[], order_ids=[], complaint_id=None,
                                                category="product_safety", account="x", author="sam"))
    assert plan.reason.endswith("3 of 3 steps checkable")
