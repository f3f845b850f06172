"""Tests for console.ingest.extract: fields pulled from notice texts written in Amazon's style."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.reading import SEVERITIES, load_rules
from console.ingest.extract import extract

RECEIVED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

IP_COMPLAINT = """\
Subject: Notice: Intellectual Property Complaint
From: seller-performance@amazon.com
To: ops@example.com
Date: Mon, 2 Nov 2026 09:30:00 +0000

Hello,

We received a report from a rights owner that the listings below infringe their trademark. As a
result, we have removed these listings.

Why is this happening?
This violates our Intellectual Property Policy. We take intellectual property rights seriously.

How do I reactivate my listing?
If you believe the report is inaccurate, contact the rights owner and ask them to retract the
complaint. You can find the rights owner's contact information below.

ASIN: B0ABC12345 Title: Acme Steel Water Bottle 750ml Complaint ID: 1234567890
Infringement type: Trademark
Rights owner: Acme Brands Inc.
"""

AUTHENTICITY = """\
Dear Seller,

We received customer complaints about the authenticity of items you sold. Listings for the ASIN
below have been removed, and your funds will be held while we review them.

How do I send the required information?
Send invoices from the last 365 days, or invoices dated within 365 days of this notice, through
sellercentral.amazon.co.uk. If you do not send the required information within 17 days, the
listings will stay inactive.

ASIN: B0WXYZ9876 Title: Genuine Leather Wallet  Seller SKU: WAL-001-BRN
Complaint type: Product Authenticity (inauthentic)
"""

AT_RISK = """\
Subject: Your Amazon selling account is at risk of deactivation

Hello,

Your account is under review and at risk of deactivation. We require the information below
within 72 hours. Reference ID: RX-20261102-77

What happens if I do not send the required information?
Your account may be deactivated.
"""

AHR_RED = """\
Hello,

Your Account Health Rating is at risk. Your account may be deactivated beginning 7 days from today
unless you address the issues listed on the Account Health page at sellercentral.amazon.de.
"""


def test_ip_complaint_notice() -> None:
    x = extract(IP_COMPLAINT, RECEIVED)
    assert x.subject == "Notice: Intellectual Property Complaint"
    assert x.body.startswith("Hello,\n\nWe received a report")
    assert "From:" not in x.body and "Date:" not in x.body
    assert x.asins == ["B0ABC12345"]
    assert x.complaint_id == "1234567890"
    assert x.policy == "Intellectual Property Policy"
    assert x.action_taken == "listing removed"
    assert (x.category, x.cause) == ("listings_removed", "ip_complaint")
    assert x.severity == "high"
    assert x.why["fate"]["rule"] == "fate.listings_removed" and x.why["cause"]["rule"] == "cause.ip_complaint"
    assert x.marketplace == "US"
    # The Date: header is not a deadline.
    assert x.deadline_at is None and x.deadline_text is None


def test_authenticity_notice_ignores_last_365_days() -> None:
    x = extract(AUTHENTICITY, RECEIVED)
    assert x.subject.startswith("We received customer complaints about the authenticity")
    assert x.asins == ["B0WXYZ9876"]
    assert x.skus == ["WAL-001-BRN"]
    assert x.deadline_at == RECEIVED + timedelta(days=17)
    assert x.deadline_text == "within 17 days"
    assert x.cause == "authenticity"
    assert x.action_taken == "funds held"
    assert x.severity == "high"
    assert x.marketplace == "UK"


def test_last_365_days_alone_gives_no_deadline() -> None:
    x = extract("Please send supplier invoices from the last 365 days.", RECEIVED)
    assert x.deadline_at is None and x.deadline_text is None


def test_account_at_risk_within_72_hours() -> None:
    x = extract(AT_RISK, RECEIVED)
    assert x.subject == "Your Amazon selling account is at risk of deactivation"
    assert x.deadline_at == RECEIVED + timedelta(hours=72)
    assert x.deadline_text == "within 72 hours"
    assert x.severity == "critical"
    assert x.category == "account_under_review"  # "under review and at risk": the review is what happened
    assert x.why["deadline"] == "within 72 hours"
    assert x.complaint_id == "RX-20261102-77"
    assert x.action_taken is None  # "may be deactivated" is a threat, not an action


@pytest.mark.parametrize(
    "phrase",
    ["within 17 days", "in 17 days", "17 days from today", "You have 17 days", "within 17 business days"],
)
def test_seventeen_days(phrase: str) -> None:
    x = extract(f"Please send the documents {phrase}.", RECEIVED)
    assert x.deadline_at == RECEIVED + timedelta(days=17)
    assert x.deadline_text == phrase


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("by November 30, 2026", datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC)),
        ("by 30 November 2026", datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC)),
        ("before 2026-12-01", datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC)),
        ("on or before Dec 1, 2026", datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC)),
        ("by December 1, 2026 at 5:00 PM PST", datetime(2026, 12, 2, 1, 0, tzinfo=UTC)),
    ],
)
def test_explicit_dates(phrase: str, expected: datetime) -> None:
    x = extract(f"Send your plan of action {phrase}.", RECEIVED)
    assert x.deadline_at == expected
    assert x.deadline_text == phrase


def test_earliest_deadline_wins_and_non_deadline_dates_are_ignored() -> None:
    text = (
        "Date: November 1, 2026\n\n"
        "Reporting period: October 1, 2026 to October 31, 2026.\n"
        "Include invoices dated before 2026-01-01.\n"
        "Respond by 30 November 2026, and in any case within 20 days.\n"
    )
    x = extract(text, RECEIVED)
    assert x.deadline_at == RECEIVED + timedelta(days=20)
    assert x.deadline_text == "within 20 days"


def test_invalid_date_is_skipped() -> None:
    assert extract("Respond by February 31, 2026.", RECEIVED).deadline_at is None


def test_ahr_beginning_seven_days_from_today() -> None:
    x = extract(AHR_RED, RECEIVED)
    assert x.cause == "account_health_rating"
    assert x.deadline_at == RECEIVED + timedelta(days=7)
    assert x.deadline_text == "beginning 7 days from today"
    assert x.severity == "critical"
    assert x.marketplace == "DE"
    assert x.subject == (
        "Your Account Health Rating is at risk. Your account may be deactivated beginning 7 days from today"
    )


def test_order_ids_unique_in_order() -> None:
    text = (
        "Orders affected: 113-2223334-5556667, 111-0000000-9999999 and again 113-2223334-5556667. "
        "Not an order: 1113-2223334-5556667."
    )
    assert extract(text, RECEIVED).order_ids == ["113-2223334-5556667", "111-0000000-9999999"]


def test_skus_labels_and_boundaries() -> None:
    text = "SKU: ABC-123, MSKU: x_y.z; Seller SKU: Q-1. FNSKU: X00NOTME sku:lower_9"
    assert extract(text, RECEIVED).skus == ["ABC-123", "x_y.z", "Q-1", "lower_9"]


def test_asins_boundaries_and_labelled_isbn() -> None:
    text = "ASIN: 0306406152; see B0AAAAAAA1, XB0BBBBBBBB2, B0CCCCCCCCC (11 chars), B0AAAAAAA1 again, b0dddddddd"
    assert extract(text, RECEIVED).asins == ["0306406152", "B0AAAAAAA1"]
    # An all-digit token is not an ASIN without its label.
    assert extract("Call 0306406152 now", RECEIVED).asins == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Marketplace: DE\nsent by seller-performance@amazon.com", "DE"),
        ("Visit sellercentral.amazon.co.uk for details", "UK"),
        ("From seller-performance@amazon.com; see www.amazon.com.au.", "AU"),
        ("Log in to sellercentral-europe.amazon.com to respond", None),
        ("Your Amazon.com selling account", "US"),
        ("Sold on amazon.co.jp", "JP"),
        ("the marketplace: in order to comply", None),
        ("no domain here", None),
    ],
)
def test_marketplace(text: str, expected: str | None) -> None:
    assert extract(text, RECEIVED).marketplace == expected


@pytest.mark.parametrize(
    ("text", "fate", "cause"),
    [
        ("We have removed your listing because it is a restricted product.", "listings_removed",
         "restricted_products"),
        ("Your account has been deactivated. Your Order Defect Rate was 3%.", "account_deactivated",
         "order_defect_rate"),
        ("Your Order Defect Rate is above our target of 1%.", "warning", "order_defect_rate"),
        ("Your Order Defect Rate is high and your account is at risk of deactivation.", "account_at_risk",
         "order_defect_rate"),
        ("We received a notice of suspected intellectual property violations.", "warning", "ip_suspected"),
        ("A rights owner reported a copyright infringement.", "warning", "ip_complaint"),
        ("Customers report the item was used sold as new: product condition complaint.", "warning",
         "product_condition"),
        ("Food safety issue reported for your listing.", "warning", "product_safety"),
        ("This review manipulation violates the Customer Product Reviews policy.", "warning", "reviews_policy"),
        ("Your late shipment rate is 6%.", "warning", "late_shipment_rate"),
        ("Your pre-fulfillment cancel rate is 3%.", "warning", "cancel_rate"),
        ("Your valid tracking rate is 90%.", "warning", "valid_tracking_rate"),
        ("Policy Warning: listing removed for a detail page rules breach.", "warning", "listing_policy"),
        ("Your listing has been suppressed because the main image is missing.", "listing_edited", "other"),
        ("This is in violation of the Seller Code of Conduct.", "warning", "code_of_conduct"),
        ("Thanks for selling with us.", "information", "other"),
    ],
)
def test_fate_and_cause(text: str, fate: str, cause: str) -> None:
    x = extract(text, RECEIVED)
    assert (x.category, x.cause) == (fate, cause)


def test_policy_names() -> None:
    assert extract("This violates our Restricted Products policy.", RECEIVED).policy == "Restricted Products policy"
    assert (
        extract("See the Customer Product Reviews policy for details.", RECEIVED).policy
        == "Customer Product Reviews policy"
    )
    assert extract("You violated the Seller Code of Conduct.", RECEIVED).policy == "Seller Code of Conduct"
    assert extract("Please read our policy.", RECEIVED).policy is None


def test_a_policy_name_runs_over_a_wrapped_line() -> None:
    """Mail wraps at about 72 columns: "Intellectual" ends one line and "Property Policy" begins the next."""
    text = ("Hello,\nWe removed the listings below because they may infringe the Amazon Intellectual\n"
            "Property Policy. Please review the policy before you list again.")
    assert extract(text, RECEIVED).policy == "Intellectual Property Policy"
    # A short line above is a heading of its own, not the start of the name.
    assert extract("Policy notice\nRestricted Products Policy applies.", RECEIVED).policy == \
        "Restricted Products Policy"


def test_the_business_solutions_agreement_is_not_the_policy_broken() -> None:
    text = ("Under the Amazon Business Solutions Agreement, we have deactivated your selling account because "
            "your listings violated our Restricted Products Policy.")
    assert extract(text, RECEIVED).policy == "Restricted Products Policy"
    # Cited alone, the agreement is the only policy there is.
    assert extract("Under the Business Solutions Agreement, we have deactivated your account.",
                   RECEIVED).policy == "Business Solutions Agreement"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("We have deactivated your account.", "account deactivated"),
        ("Your Amazon.com selling privileges have been removed.", "selling privileges removed"),
        ("We have restricted your ability to sell in this category.", "account restricted"),
        ("We will hold your funds for 90 days.", "funds held"),
        ("Your funds are on hold.", "funds held"),
        ("The following listings have been removed.", "listing removed"),
        ("The listing is suppressed.", "listing suppressed"),
        ("Nothing happened.", None),
        # Threatened, not taken: the conditional sentence of a notice that only puts the account at risk.
        ("Your account is at risk. If we do not receive the information within 72 hours, your account may be "
         "deactivated, your listings removed and your funds held.", None),
        ("Failure to respond may result in your funds being held.", None),
        ("Has your account been deactivated in error? Send us the documents.", None),
        ("We found your account may be related to another selling account that was deactivated.", None),
        ("We have deactivated your account. If you do not appeal, your funds will be held.", "account deactivated"),
        ("If you have questions, contact us. Your funds are on hold.", "funds held"),
    ],
)
def test_action_taken(text: str, action: str | None) -> None:
    assert extract(text, RECEIVED).action_taken == action


def test_severity_comes_from_the_fate_and_an_urgent_deadline() -> None:
    assert extract("Informational: no action required.", RECEIVED).severity == "low"
    assert extract("Informational policy update: no action required.", RECEIVED).severity == "low"
    assert extract("This is a warning about a listing policy violation.", RECEIVED).severity == "medium"
    assert extract("Your account has been deactivated: upload a VAT invoice.", RECEIVED).severity == "critical"
    # A deadline within 72 hours raises a low notice to high; a later one does not.
    assert extract("Informational. Reply by November 3, 2026.", RECEIVED).severity == "high"
    assert extract("Informational. Reply by November 30, 2026.", RECEIVED).severity == "low"


def test_config_rules_extend_the_shipped_ones() -> None:
    rules = load_rules({"cause": [{"id": "vat", "label": "VAT", "anchors": ["vat"], "patterns": [r"\bvat invoice"]}]})
    text = "Your account has been deactivated: upload a VAT invoice."
    x = extract(text, RECEIVED, rules)
    assert (x.category, x.cause, x.severity) == ("account_deactivated", "vat", "critical")
    # The shipped rules, untouched by the extension.
    assert extract(text, RECEIVED).cause == "other"


def test_empty_string() -> None:
    x = extract("", RECEIVED)
    assert (x.subject, x.body, x.asins, x.skus, x.order_ids) == ("", "", [], [], [])
    assert (x.complaint_id, x.policy, x.deadline_at, x.deadline_text, x.action_taken, x.marketplace) == (
        None,
        None,
        None,
        None,
        None,
        None,
    )
    assert (x.category, x.cause, x.severity) == ("information", "other", "low")


def test_markup_stays_literal() -> None:
    x = extract("[bold]x[/]", RECEIVED)
    assert x.subject == "[bold]x[/]"
    assert x.body == "[bold]x[/]"


def test_subject_skips_greeting_and_is_capped() -> None:
    x = extract("Dear Seller,\n\n" + "A" * 300 + "\nmore", RECEIVED)
    assert x.subject == "A" * 200


def test_forwarded_notice() -> None:
    text = (
        "From: Jane Ops <jane@example.com>\r\nSubject: Fwd: Policy Warning\r\n\r\n"
        "---------- Forwarded message ---------\r\nFrom: seller-performance@amazon.com\r\n\r\n"
        "Hello Amazon Seller,\r\nWe removed ASIN B0ZZZZZZZ1 from amazon.de because it violates our "
        "Restricted Products Policy.\r\n"
    )
    x = extract(text, RECEIVED)
    assert x.subject == "Fwd: Policy Warning"
    assert x.body.startswith("---------- Forwarded message")
    assert x.marketplace == "DE"  # a national domain beats the shared amazon.com sender
    assert x.policy == "Restricted Products Policy"
    assert (x.category, x.cause) == ("listings_removed", "restricted_products")
    assert x.action_taken == "listing removed"


def test_naive_received_at_is_taken_as_utc() -> None:
    x = extract("Reply within 48 hours.", datetime(2026, 11, 2, 9, 30))
    assert x.deadline_at == RECEIVED + timedelta(hours=48)
    assert x.severity == "high"


def test_one_megabyte_line_is_read_without_false_matches() -> None:
    """A 1 MB line of near-misses (catastrophic backtracking would hang here; speed is measured in bench/)."""
    chunk = (
        "within 7 B0" + "A" * 20 + " SKU: " + "x" * 30 + " 123-" + "1" * 40
        + " Policy Policy by November Complaint ID is amazon.c " + " " * 50
    )  # fmt: skip
    line = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    x = extract(line, RECEIVED)
    assert x.asins == [] and x.order_ids == [] and x.complaint_id is None
    assert x.skus == ["x" * 30]


def test_random_unicode_never_raises() -> None:
    rng = random.Random(20261102)
    alphabet = "abcB0123456789-:,. \n\t[]/é漢🙂\u202e\x00\x1b" + "ASIN SKU within days by December 2026"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        x = extract(text, RECEIVED)
        assert x.severity in SEVERITIES


def test_a_conditional_threat_names_the_cause_and_does_not_escalate() -> None:
    text = ("Subject: Action required: Order Defect Rate above 1%\n\nHello,\nYour order defect rate is 2.1%. "
            "Your account is at risk of deactivation if it stays above target.\n")
    x = extract(text, RECEIVED)
    assert (x.category, x.cause, x.severity) == ("warning", "order_defect_rate", "medium")


# --- the shortcuts give what the plain scans give ---------------------------------------------------
# For ASCII text each pattern that starts with a word boundary is tried only where one of its words
# occurs (scan.at); these properties compare that with the plain scans, on texts made of the phrases
# the patterns look for, their near misses and odd characters.

PHRASES = [
    "within 72 hours", "in 3 days", "within the next 10 business days", "beginning 7 days from today",
    "starting 2 weeks after the date of this notice", "You have 5 days", "you have until December 3, 2026",
    "on or before 3rd of Dec 2026 at 5:30 pm PST", "no later than 2026-12-01", "not later than Dec. 4, 2026, 10:00 UTC",
    "by Friday, January 9, 2027", "Deadline: 2026-12-24", "due on Nov 30 2026", "due date: 12 March 2027",
    "dated before 2026-01-01", "by 31 Feb 2026", "in 99999 days", "ASIN: 0123456789", "asin:012345678X", "B0ABCDEFGH",
    "xB0ABCDEFGH", "B0B0ABCDEFGH", "Seller SKU: ab-12.", "MSKU: Z9", "sku :x_1", "123-4567890-1234567",
    "1123-4567890-1234567", "Complaint ID: 12345", "reference id # AB-9", "complaint ID is below",
    "deactivated your account", "account has been suspended", "selling privileges have been removed",
    "removed your selling privileges", "restricted your ability", "funds are held", "holding your funds",
    "we have removed", "listings were removed", "suppressed", "unsuppressed", "Marketplace: DE", "amazon.co.uk",
    "sellercentral-europe.amazon.com", "amazon.com", "Restricted Products Policy", "policies", "counterfeit",
    "no action required", "within", "in", "by", "before", "removed", "-", "Hello,", "Subject: x", "From: a@b.c",
]
SEPARATORS = [" ", "\n", ". ", ", ", "", " x ", "-", "\t"]
texts = st.lists(st.tuples(st.sampled_from(PHRASES), st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda parts: "".join(p + s for p, s in parts))


def flat_of(text: str) -> tuple[str, str]:
    flat = " ".join(text.split())
    return flat, flat.lower()


@settings(max_examples=300, deadline=None)
@given(texts, st.booleans())
def test_shortcut_scans_find_what_the_plain_scans_find(text, upper):
    from console.ingest import deadlines, scan
    from console.ingest import extract as x

    flat, haystack = flat_of(text.upper() if upper else text)
    assert deadlines.deadline(flat, RECEIVED, haystack) == deadlines.deadline(flat, RECEIVED)
    assert x._asins(flat, haystack, True) == x._asins(flat, haystack, False)
    assert x._skus(flat, haystack, True) == x._skus(flat, haystack, False)
    assert x._complaint_id(flat, haystack, True) == x._complaint_id(flat, haystack, False)
    assert x._action_taken(flat, haystack, True) == x._action_taken(flat, haystack, False)
    for pattern, word in ((x._DOMAIN, "amazon."), (x._MARKET_LABEL, "marketplace"), (x._POLICY_WORD, "polic"),
                          (x._ORDER_ID, None)):
        starts = scan.find_all(flat.lower(), word) if word else range(len(flat))
        assert [m.span() for m in scan.at(pattern, flat, starts)] == [m.span() for m in pattern.finditer(flat)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["", " ", "Policy Warning", "  Fwd: notice ", "a\u2028b", "x\ny", "S" * 250, "ß İ"]), texts)
def test_extract_email_is_extract_of_the_subject_and_text(subject, text):
    from console.ingest.extract import extract_email

    whole = extract(f"Subject: {subject}\n\n{text}", RECEIVED)
    assert extract_email(subject, text, RECEIVED) == whole
    assert extract_email(subject, text, RECEIVED, flat_text=" ".join(text.split())) == whole


def test_many_anchor_words_in_one_long_word_stay_linear():
    """Action phrases are looked for in windows around their words; with no word boundary near, or a
    great many such words, the text is scanned once instead (no window reaches to the end each time)."""
    x = extract("removed" * 150_000, RECEIVED)
    assert x.action_taken is None
    assert extract("we removed " * 100_000, RECEIVED).action_taken == "listing removed"


