"""Tests for console.ingest.email: notice emails on disk turned into parsed records.

The corpus in tests/data/email/ is committed byte for byte; each test names the file it reads.
"""

from __future__ import annotations

import gzip
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.ingest import email as mail
from console.ingest.email import (
    DEFAULT_SENDER_PATTERNS,
    MAX_BODY_CHARS,
    ImportFailure,
    ParsedEmail,
    detect_format,
    is_amazon_sender,
    iter_messages,
    marketplace_from_address,
    parse_bytes,
    readers,
)
from console.ingest.email.headers import _plain_date
from console.ingest.email.mime import _charset, _payload_bytes, text_parts
from console.ingest.email.parse import _message

DATA = Path(__file__).parent / "data" / "email"
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def one(name: str) -> ParsedEmail:
    results = list(iter_messages(DATA / name))
    assert len(results) == 1, results
    assert isinstance(results[0], ParsedEmail), results[0]
    return results[0]


def parsed(data: bytes, origin: str = "inline.eml") -> ParsedEmail:
    result = parse_bytes(data, origin)
    assert isinstance(result, ParsedEmail), result
    return result


def lines(text: str) -> list[str]:
    return text.split("\n")


# --- single files -------------------------------------------------------------------------------


def test_plain_text_notice():
    msg = one("plain.eml")
    assert msg.origin == str(DATA / "plain.eml")
    assert msg.message_id == "0100018c2f3a9b7e-4d1c-plain-0001@email.amazonses.com"
    assert msg.dedupe_key == "mid:0100018c2f3a9b7e-4d1c-plain-0001@email.amazonses.com"
    assert msg.sender == "seller-performance@amazon.com"
    assert msg.recipients == ["notices+northwind@ops.example.com"]  # To and Delivered-To, once
    assert msg.subject == "Notice: Intellectual Property Complaint on your listing"
    assert msg.date == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    assert msg.text.startswith("Hello,\n\nWe received a report from a rights owner")
    assert "another party\u2019s intellectual property" in msg.text
    assert lines(msg.text)[-6:-3] == ["ASIN: B0ABC12345", "Title: Acme Steel Water Bottle 750ml", "Complaint ID: 1234567890"]
    assert (msg.forwarded_sender, msg.forwarded_recipients) == (None, [])
    assert msg.truncated is False and msg.warnings == []
    assert re.fullmatch(r"[0-9a-f]{64}", msg.content_hash)


def test_html_only_becomes_readable_text():
    msg = one("html_only.eml")
    text = msg.text
    assert TAG.search(text) is None, text
    assert "&amp;" not in text and "&lt;" not in text and "&nbsp;" not in text and "&quot;" not in text
    assert "within 72 hours & before further action is taken." in text
    assert "- Supplier invoices from the last 365 days" in lines(text)
    assert "- A Plan of Action that explains the root cause \u2013 the actions taken \u2013 the steps to prevent it" in lines(text)
    assert "- Letter of authorisation from the brand owner (if any)" in lines(text)
    assert "ASIN | Title | Complaint ID" in lines(text)
    assert "B0DEF67890 | Northwind Ceramic Mug <350ml> | 9876543210" in lines(text)
    assert 'B0GHI11223 | Northwind Tea Set "Classic" | 9876543211' in lines(text)
    assert "How do I send the required information?" in lines(text)
    assert "trackOpen" not in text and "padding" not in text  # script and style dropped
    assert "Amazon Seller Central" not in text  # <title>
    assert lines(text)[-2:] == ["Sincerely,", "Seller Performance Team"]
    assert "\n\n\n" not in text and text == text.strip()
    assert msg.date == datetime(2026, 11, 3, 22, 5, 11, tzinfo=UTC)  # -0800 converted to UTC


def test_html_converter_edge_cases():
    text = mail.html_to_text(
        "<div>A<br>B<br><br>C</div><ol><li><p>first</p></li><li>second</li></ol>"
        "<![if !supportLists]>x<![endif]><p>a&nbsp;&nbsp;b &#8364; &euro;</p><!-- hidden -->"
    )
    assert text == "A\nB\n\nC\n- first\n- second\nx\n\na b \u20ac \u20ac"
    outlook = mail.html_to_text(
        "<!--[if mso]><table><tr><td>MSO ONLY</td></tr></table><![endif]--><p>1 < 2 and <unclosed</p><!-- open"
    )
    assert outlook == "1 < 2 and <unclosed"


def test_pathological_html_is_read_as_text():
    # Quadratic in html.parser: flagdesk must not hand it over (a hang here is the failure).
    msg = parsed(b"From: a@b.example\nContent-Type: text/html\n\n" + b"<a " * 200_000)
    assert msg.text.startswith("<a <a ")


def test_multipart_prefers_plain_and_skips_attachment():
    msg = one("multipart.eml")
    assert msg.text.startswith("Hello,\n\nYour Order Defect Rate is above our target of 1%.")
    assert msg.text.endswith("Order ID: 112-1234567-7654321")
    assert "Seller Central banner" not in msg.text  # the HTML alternative was not used
    assert "ATTACHED ORDER LIST" not in msg.text
    assert msg.recipients == ["notices+northwind@ops.example.com", "ana@ops.example.com"]
    assert msg.sender == "seller-performance@amazon.com"


def test_text_attachment_before_body_is_not_the_body():
    data = (
        b"From: seller-performance@amazon.com\nSubject: s\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
        b'Content-Type: text/plain\nContent-Disposition: attachment; filename="a.txt"\n\nATTACHMENT\n--b\n'
        b"Content-Type: text/html; charset=utf-8\n\n<p>Body &amp; soul</p>\n--b--\n"
    )
    assert parsed(data).text == "Body & soul"


def test_quoted_printable_decoded():
    msg = one("quoted_printable.eml")
    assert "The product\u2019s description mentions \u201ccures\u201d and \u201ctreats\u201d, which are medical" in msg.text
    assert "detail page \u2014 within 17 days." in msg.text
    assert lines(msg.text)[-1] == "Title: Herbal Sleep Tea 20 bags \u2013 caf\u00e9-free"
    assert "=E2" not in msg.text and "=\n" not in msg.text and "=20" not in msg.text
    assert msg.date == datetime(2026, 11, 5, 9, 15, tzinfo=UTC)


def test_base64_decoded():
    msg = one("base64.eml")
    assert msg.text.startswith("Dear Seller,\n\nYour Account Health Rating is now 95")
    assert "deactivated beginning 7 days from today." in msg.text
    assert lines(msg.text)[-1] == "Account Health Rating: 95"
    assert msg.date == datetime(2026, 11, 7, 4, 59, 59, tzinfo=UTC)


def test_latin1_umlauts():
    msg = one("latin1.eml")
    assert msg.subject == "Beschwerde \u00fcber die Echtheit eines Produkts"
    assert "Kunden m\u00fcssen darauf vertrauen k\u00f6nnen" in msg.text
    assert "Gr\u00f6\u00dfe und\nQualit\u00e4t" in msg.text
    assert "Titel: Kaffeebecher \u00c4sthetik Wei\u00df" in lines(msg.text)
    assert "\u00c3" not in msg.text and "\ufffd" not in msg.text  # no mojibake, no replacement characters
    assert msg.sender == "seller-performance@amazon.de"  # despite the raw 8-bit display name
    assert marketplace_from_address(msg.sender) == "DE"
    assert msg.warnings == []


def test_unknown_charset_decodes_with_warning():
    msg = one("unknown_charset.eml")
    assert msg.warnings == ["unknown charset 'x-unknown-foo' in body: decoded as utf-8 with replacement characters"]
    assert "Gr\u00f6\u00dfe: 500 ml." in msg.text
    assert "Invalid byte here: \ufffd end." in lines(msg.text)
    assert "ASIN: B0PQR00112" in lines(msg.text)


def test_bogus_charsets_never_raise():
    for charset in (b"base64", b"rot13", b"zlib", b"\"\"", b"utf-8\x00x", b"x" * 300):
        data = b"From: a@b.example\nSubject: =?" + charset + b"?Q?hi?=\nContent-Type: text/plain; charset=" + charset
        msg = parsed(data + b"\n\nbody \xff\n")
        assert msg.text.startswith("body ")
    assert parsed(b"From: a@b.example\nSubject: =?utf-7?B?KzJEMC0=?=\n\nx\n").subject  # UTF-7 lone surrogate


def test_rfc2047_subject():
    msg = one("rfc2047_subject.eml")
    assert msg.subject == "Amazon.de: \u00dcberpr\u00fcfung Ihres Verk\u00e4uferkontos: Beschwerde \u00fcber geistiges Eigentum"
    assert msg.sender == "seller-performance@amazon.de"
    assert msg.warnings == []


def test_rfc2047_multibyte_split_across_words():
    # "Prüfung" with the two bytes of "ü" in two encoded words (same charset): joined before decoding.
    msg = parsed(b"From: a@b.example\nSubject: =?UTF-8?Q?Pr=C3?= =?UTF-8?Q?=BCfung?= jetzt\n\nx\n")
    assert msg.subject == "Pr\u00fcfung jetzt"


def test_forwarded_notice():
    msg = one("forwarded.eml")
    assert msg.sender == "jane@ops.example.com"
    assert not is_amazon_sender(msg.sender)
    assert msg.subject == "Fwd: Product authenticity complaint: ASIN B0XYZ98765"
    assert msg.forwarded_sender == "seller-performance@amazon.co.uk"
    assert is_amazon_sender(msg.forwarded_sender)
    assert marketplace_from_address(msg.forwarded_sender) == "UK"
    assert msg.forwarded_recipients == ["eu-ops@brightwater.example.com", "compliance@brightwater.example.com"]
    assert msg.recipients == ["notices+brightwater@ops.example.com"]
    # The whole text is kept, preamble included.
    assert msg.text.startswith("FYI, this came in for the UK store overnight.")
    assert "---------- Forwarded message ---------" in msg.text
    assert lines(msg.text)[-3:] == ["ASIN: B0XYZ98765", "Title: Brightwater Glass Bottle 1L", "Complaint ID: 4440009999"]


@pytest.mark.parametrize(
    ("subject", "block", "sender", "recipients"),
    [
        (
            "Fw: Listing removed",
            "Begin forwarded message:\n\n"
            "From: Amazon <seller-performance@amazon.fr>\nSubject: Listing removed\n"
            "Date: 1 November 2026 at 08:00:00 CET\nTo: ops-fr@brightwater.example.com\n\nBonjour,\n",
            "seller-performance@amazon.fr",
            ["ops-fr@brightwater.example.com"],
        ),
        (
            "FW: Account at risk",
            "-----Original Message-----\n"
            "From: seller-performance@amazon.com [mailto:seller-performance@amazon.com]\n"
            "Sent: Monday, November 2, 2026 9:30 AM\n"
            "To: Ops One <one@ops.example.com>; two@ops.example.com;\n"
            "    three@ops.example.com\n"
            "Cc: 'Boss' <boss@ops.example.com>\nSubject: Account at risk\n\nHello,\n",
            "seller-performance@amazon.com",
            ["one@ops.example.com", "two@ops.example.com", "three@ops.example.com", "boss@ops.example.com"],
        ),
        (
            "WG: Konto deaktiviert",
            "________________________________\n"
            "Von: Amazon.de <seller-performance@amazon.de>\nGesendet: Montag, 2. November 2026 09:30\n"
            "An: de-ops@brightwater.example.com\nBetreff: Konto deaktiviert\n\nGuten Tag,\n",
            "seller-performance@amazon.de",
            ["de-ops@brightwater.example.com"],
        ),
        (
            "Fwd: Policy warning",  # no marker line: the first From: block after a forward subject
            "see below\n\n*From:* Amazon <seller-performance@amazon.it>\n*To:* it@brightwater.example.com\n\nCiao,\n",
            "seller-performance@amazon.it",
            ["it@brightwater.example.com"],
        ),
    ],
)
def test_forwarded_block_variants(subject, block, sender, recipients):
    data = f"From: Colleague <colleague@ops.example.com>\nSubject: {subject}\n\nPlease handle.\n\n{block}".encode()
    msg = parsed(data)
    assert (msg.forwarded_sender, msg.forwarded_recipients) == (sender, recipients)


def test_forward_marker_without_forward_subject():
    data = (
        b"From: jane@ops.example.com\nSubject: Please look at this one\n\nThanks!\n"
        b"From: the warehouse team, nothing yet.\n\n"
        b"-----Original Message-----\nFrom: seller-performance@amazon.ca\nTo: ca@brightwater.example.com\n\nHello,\n"
    )
    msg = parsed(data)
    assert (msg.forwarded_sender, msg.forwarded_recipients) == ("seller-performance@amazon.ca", ["ca@brightwater.example.com"])


def test_undeclared_charset_falls_back_from_utf8():
    assert parsed(b"From: a@b.example\nSubject: s\n\nGr\xc3\xb6\xc3\x9fe\n").text == "Gr\u00f6\u00dfe"
    assert parsed(b"From: a@b.example\nSubject: s\n\nGr\xf6\xdfe \x80\n").text == "Gr\u00f6\u00dfe \u20ac"  # cp1252


def test_not_forwarded_has_no_forward_fields():
    # "From:" in the body of a message that is not a forward does not count.
    msg = parsed(b"From: seller-performance@amazon.com\nSubject: Notice\n\nHello,\nFrom: nobody@example.com\n")
    assert (msg.forwarded_sender, msg.forwarded_recipients) == (None, [])


def test_forwarded_as_attachment():
    data = (
        b"From: jane@ops.example.com\nSubject: Fwd: Notice\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
        b"Content-Type: message/rfc822\n\n"
        b"From: Amazon <seller-performance@amazon.es>\nTo: es@brightwater.example.com\nSubject: Notice\n\n"
        b"Hola,\nASIN: B0ESP00001\n--b--\n"
    )
    msg = parsed(data)
    assert msg.text == "Hola,\nASIN: B0ESP00001"  # the outer message has no text of its own
    assert msg.forwarded_sender == "seller-performance@amazon.es"
    assert msg.forwarded_recipients == ["es@brightwater.example.com"]


# --- duplicates ---------------------------------------------------------------------------------


def test_duplicate_message_id_same_dedupe_key():
    original, duplicate = one("plain.eml"), one("duplicate.eml")
    assert duplicate.message_id == original.message_id
    assert duplicate.dedupe_key == original.dedupe_key
    assert duplicate.recipients == ["notices+northwind@ops.example.com", "northwind-alerts@ops.example.com"]


def test_twins_without_message_id_share_content_hash():
    first, copy = one("no_message_id.eml"), one("no_message_id_copy.eml")
    assert first.message_id is None and copy.message_id is None
    assert first.content_hash == copy.content_hash  # whitespace differs, content does not
    assert first.dedupe_key == copy.dedupe_key == f"sha256:{first.content_hash}"
    assert first.recipients != copy.recipients
    assert first.dedupe_key != one("plain.eml").dedupe_key


def test_content_hash_normalisation():
    base = b"From: a@b.example\nSubject: %s\n\n%s\n"
    ref = parsed(base % (b"Order Defect Rate warning", b"Hello,\n\nYour rate is 1.4%."))
    assert parsed(base % (b"Fwd: FW: order  defect rate WARNING", b"hello,   your rate\nis 1.4%.")).content_hash == (
        ref.content_hash
    )
    assert parsed(base % (b"Order Defect Rate warning", b"Hello, your rate is 1.5%.")).content_hash != ref.content_hash


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"Message-ID: <abc@x.example>\n", "abc@x.example"),
        (b"Message-Id:   <  abc@x.example >  \n", "abc@x.example"),
        (b"Message-ID: bare-id@x.example\n", "bare-id@x.example"),
        (b"Message-ID: <>\n", None),
        (b"Message-ID:\n", None),
        (b"", None),
    ],
)
def test_message_id_forms(header, expected):
    msg = parsed(b"From: a@b.example\n" + header + b"Subject: s\n\nbody\n")
    assert msg.message_id == expected
    assert msg.dedupe_key == (f"mid:{expected}" if expected else f"sha256:{msg.content_hash}")


def test_dates():
    assert parsed(b"From: a@b.example\nSubject: s\n\nx\n").date is None
    msg = parsed(b"From: a@b.example\nDate: the day after tomorrow\nSubject: s\n\nx\n")
    assert msg.date is None and any("Date" in w for w in msg.warnings)
    naive = parsed(b"From: a@b.example\nDate: Mon, 02 Nov 2026 09:30:00 -0000\n\nx\n").date
    assert naive == datetime(2026, 11, 2, 9, 30, tzinfo=UTC) and naive.tzinfo is UTC


def test_senders_and_recipients_normalised():
    msg = parsed(
        b"From: =?utf-8?q?J=C3=B6rg?= <Joerg@Ops.Example.COM>\n"
        b"To: A <a@x.example>, \"Last, First\" <B@x.example>\nTo: a@x.example\n"
        b"Cc: c@x.example\nDelivered-To: D@x.example\nX-Original-To: a@x.example, e@x.example\n\nx\n"
    )
    assert msg.sender == "joerg@ops.example.com"
    assert msg.recipients == ["a@x.example", "b@x.example", "c@x.example", "d@x.example", "e@x.example"]
    assert parsed(b"Subject: no sender\n\nx\n").sender == ""


# --- non-notices and broken input ---------------------------------------------------------------


def test_not_amazon_is_parsed_but_not_amazon():
    msg = one("not_amazon.eml")
    assert msg.sender == "news@example.org"
    assert not is_amazon_sender(msg.sender)
    assert marketplace_from_address(msg.sender) is None
    assert msg.subject == "This week: 10 tips to grow your online store"


def test_garbage_is_an_import_failure():
    results = list(iter_messages(DATA / "garbage.eml"))
    assert results == [ImportFailure(str(DATA / "garbage.eml"), "not an email (no headers)")]
    assert detect_format(DATA / "garbage.eml") is None
    assert parse_bytes(b"", "empty.eml") == ImportFailure("empty.eml", "empty file")
    assert parse_bytes(b"just some words\nand more\n", "t.txt") == ImportFailure("t.txt", "not an email (no headers)")


def test_escape_sequences_stripped_and_markup_literal():
    data = (
        b"From: seller-performance@amazon.com\n"
        b"Subject: \x1b[31mAlert\x1b[0m \x1b]0;pwned\x07[@click=app.quit]x[/] \xe2\x80\xaeevil\n"
        b"Content-Type: text/plain; charset=utf-8\n\n"
        b"Hello,\x1b[2J\x1b[H\nClick [@click=app.quit]x[/] or [bold red]this[/]\x07\x08.\n\x1bPq#0;2;0;0;0\x1b\\done\n"
    )
    msg = parsed(data)
    assert msg.subject == "Alert [@click=app.quit]x[/] evil"
    assert msg.text == "Hello,\nClick [@click=app.quit]x[/] or [bold red]this[/].\ndone"
    html = parsed(
        b"From: a@b.example\nSubject: s\nContent-Type: text/html\n\n<p>a&#27;[31mb \x1b[1mc [@click=app.quit]x[/]</p>\n"
    )
    assert "\x1b" not in html.text and "[@click=app.quit]x[/]" in html.text


def test_large_body_truncated_with_note():
    body = ("ASIN: B0ABC12345 Title: filler line for a very long notice\n" * 40_000).encode()  # ~2.3 MB
    msg = parsed(b"From: seller-performance@amazon.com\nSubject: big\nMessage-ID: <big@x>\n\n" + body)
    assert msg.truncated is True
    assert msg.text.endswith("\n\n[flagdesk: body truncated at 1 MB]")
    assert len(msg.text) == MAX_BODY_CHARS + len("\n\n[flagdesk: body truncated at 1 MB]")
    assert msg.text.startswith("ASIN: B0ABC12345 Title: filler line")
    small = parsed(b"From: a@b.example\nSubject: s\n\n" + b"x" * MAX_BODY_CHARS)
    assert small.truncated is False and len(small.text) == MAX_BODY_CHARS


def test_broken_headers_and_structure_do_not_raise():
    samples = [
        b"From: a@b.example\nSubject: s\nthis line is not a header\n\nbody\n",
        b"From: a@b.example\nSubject: caf\xe9 \xff\xfe\nTo: \xe4@x.example\n\nbody\n",
        b"From: a@b.example\nContent-Type: multipart/mixed\n\nno boundary at all\n",
        b'From: a@b.example\nContent-Type: multipart/alternative; boundary="q"\n\n--q\nContent-Type: text/plain\n',
        b"From: a@b.example\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n",
        b"From: a@b.example\nContent-Type: application/pdf\n\n%PDF-1.4\n",
        b"From: <<<>>>@@@\nTo: ;;;,,,\nDate: 99 Foo 99999 99:99:99\nSubject: =?utf-8?B?####?=\n\nx\n",
    ]
    for data in samples:
        result = parse_bytes(data, "x.eml")
        assert isinstance(result, ParsedEmail), (data, result)
    assert parsed(samples[1]).subject == "caf\u00e9 \u00ff\u00fe"  # not UTF-8: read as Windows-1252
    assert parsed(samples[1]).recipients == ["\u00e4@x.example"]
    assert parsed(samples[5]).warnings == ["no text body (application/pdf)"]


# --- containers ---------------------------------------------------------------------------------


def test_mbox_three_messages():
    results = list(iter_messages(DATA / "notices.mbox"))
    assert [r.origin for r in results] == [f"{DATA / 'notices.mbox'}#{i}" for i in (1, 2, 3)]
    assert all(isinstance(r, ParsedEmail) for r in results)
    assert [r.subject for r in results] == [
        "Listing removed: Restricted Products",
        "Policy Warning: Customer Reviews",
        "Your account has been deactivated",
    ]
    assert "\nFrom now on, do not ask for positive reviews." in results[1].text  # ">From" unescaped
    assert results[2].sender == "seller-performance@amazon.fr"


def test_truncated_mbox_keeps_good_messages():
    path = DATA / "truncated.mbox"
    results = list(iter_messages(path))
    good = [r for r in results if isinstance(r, ParsedEmail)]
    failures = [r for r in results if isinstance(r, ImportFailure)]
    assert [m.message_id for m in good] == ["mbox-0101@email.amazonses.com", "mbox-0102@email.amazonses.com"]
    assert failures == [ImportFailure(f"{path}#3", "truncated mbox: last message has no body")]
    assert str(path) in failures[0].origin


def test_maildir_reads_cur_and_new_not_tmp(tmp_path):
    results = list(iter_messages(DATA / "maildir"))
    assert all(isinstance(r, ParsedEmail) for r in results)
    assert [Path(r.origin).parent.name for r in results] == ["cur", "new", "new"]
    assert [r.message_id for r in results] == [
        "md-0201@email.amazonses.com",
        "md-0202@email.amazonses.com",
        "md-0203@email.amazonses.com",
    ]
    copy = tmp_path / "Maildir"
    shutil.copytree(DATA / "maildir", copy)
    (copy / "tmp" / "half-delivered").write_bytes((DATA / "plain.eml").read_bytes())
    (copy / "new" / ".hidden").write_bytes((DATA / "plain.eml").read_bytes())
    assert detect_format(copy) == "maildir"
    assert len(list(iter_messages(copy))) == 3
    assert len(list(iter_messages(tmp_path))) == 3  # a Maildir inside a folder is still read as one


def test_gzip_eml_and_mbox(tmp_path):
    msg = one("notice.eml.gz")
    assert msg.message_id == "0100018c2f3a9b7e-4d1c-gzip-0002@email.amazonses.com"
    assert msg.subject == one("plain.eml").subject
    assert msg.content_hash == one("plain.eml").content_hash and msg.dedupe_key != one("plain.eml").dedupe_key
    box = tmp_path / "archive.gz"  # no telling name: the content decides
    box.write_bytes(gzip.compress((DATA / "notices.mbox").read_bytes()))
    assert detect_format(box) == "mbox"
    assert [r.origin for r in iter_messages(box)] == [f"{box}#{i}" for i in (1, 2, 3)]
    broken = tmp_path / "broken.eml.gz"
    broken.write_bytes(gzip.compress((DATA / "plain.eml").read_bytes())[:60])
    (failure,) = iter_messages(broken)
    assert isinstance(failure, ImportFailure) and failure.reason.startswith("corrupt gzip")


def test_whole_corpus_folder_is_deterministic():
    first = list(iter_messages(DATA))
    second = list(iter_messages(DATA))
    assert [r.origin for r in first] == [r.origin for r in second]
    failures = [r.origin for r in first if isinstance(r, ImportFailure)]
    assert failures == [str(DATA / "garbage.eml"), f"{DATA / 'truncated.mbox'}#3"]
    assert sum(isinstance(r, ParsedEmail) for r in first) == 22
    # Nothing from the Maildir's tmp/ or from hidden files (judged below the corpus folder, wherever the
    # checkout itself lives — CI may clone into /tmp).
    below = [Path(r.origin.split("#")[0]).relative_to(DATA).parts for r in first]
    assert not any(part == "tmp" or part.startswith(".") for parts in below for part in parts)


def test_json_is_left_to_another_module(tmp_path):
    (tmp_path / "report.json").write_text('{"accountStatuses": []}')
    (tmp_path / "events.txt").write_text('[{"notificationType": "ACCOUNT_STATUS_CHANGED"}]')
    shutil.copy(DATA / "plain.eml", tmp_path / "plain.eml")
    assert list(iter_messages(tmp_path / "report.json")) == []
    assert list(iter_messages(tmp_path / "events.txt")) == []
    assert [r.origin for r in iter_messages(tmp_path)] == [str(tmp_path / "plain.eml")]


def test_missing_and_unreadable(tmp_path, monkeypatch):
    assert list(iter_messages(tmp_path / "nope")) == [ImportFailure(str(tmp_path / "nope"), "no such file or folder")]
    shutil.copy(DATA / "plain.eml", tmp_path / "a.eml")
    shutil.copy(DATA / "base64.eml", tmp_path / "b.eml")
    real_open = open

    def fake_open(path, *args, **kwargs):
        if Path(path).name == "a.eml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(readers, "open", fake_open, raising=False)  # the module that opens the files
    results = list(iter_messages(tmp_path))
    assert results[0] == ImportFailure(str(tmp_path / "a.eml"), "cannot read: Permission denied")
    assert isinstance(results[1], ParsedEmail) and results[1].subject == "Account Health Rating at risk"


def test_forced_formats(tmp_path):
    odd = tmp_path / "notice.txt"
    odd.write_bytes((DATA / "plain.eml").read_bytes())
    assert one("plain.eml").subject == next(iter_messages(odd, fmt="eml")).subject
    (as_eml,) = iter_messages(DATA / "notices.mbox", fmt="eml")  # one message, its From_ line dropped
    assert as_eml.message_id == "mbox-0101@email.amazonses.com"
    (not_mbox,) = iter_messages(DATA / "plain.eml", fmt="mbox")
    assert isinstance(not_mbox, ImportFailure) and "mbox" in not_mbox.reason
    assert [r.origin for r in iter_messages(DATA / "notices.mbox", fmt="mbox")][-1].endswith("#3")
    assert isinstance(next(iter_messages(DATA / "plain.eml", fmt="maildir")), ImportFailure)
    with pytest.raises(ValueError):
        iter_messages(DATA, fmt="pst")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plain.eml", "eml"),
        ("html_only.eml", "eml"),
        ("forwarded.eml", "eml"),
        ("notices.mbox", "mbox"),
        ("truncated.mbox", "mbox"),
        ("maildir", "maildir"),
        ("maildir/new", "folder"),
        (".", "folder"),
        ("notice.eml.gz", "eml"),
        ("garbage.eml", None),
        ("missing.eml", None),
    ],
)
def test_detect_format_corpus(name, expected):
    assert detect_format(DATA / name) == expected


def test_detect_format_json_and_text(tmp_path):
    cases = {
        "a.json": b"not even json",
        "b.jsonl": b'{"a": 1}\n',
        "c.dat": b'  \n[{"notificationType": "ACCOUNT_STATUS_CHANGED"}]',
        "d.gz": gzip.compress(b'{"reportSpecification": {}}'),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert detect_format(tmp_path / name) == "json", name
    (tmp_path / "notes.txt").write_bytes(b"Remember: call the supplier\n")
    assert detect_format(tmp_path / "notes.txt") is None
    (tmp_path / "empty.eml").write_bytes(b"")
    assert detect_format(tmp_path / "empty.eml") is None


# --- Amazon senders -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("seller-performance@amazon.com", True),
        ("Seller-Performance@Amazon.COM", True),
        ("Amazon <seller-performance@amazon.co.uk>", True),
        ("seller-performance@amazon.de", True),
        ("noreply@amazon.com.mx", True),
        ("no-reply@marketplace.amazon.co.jp", True),
        ("x@marketplace.amazon.de", True),
        ("notify@sellercentral.amazon.com.au", True),
        ("seller-performance@amazon.com.evil.example", False),
        ("seller-performance@notamazon.com", False),
        ("amazon.com@evil.example", False),
        ("x@marketplace.amazon.evil.example", False),
        ("news@example.org", False),
        ("", False),
        ("a@b@amazon.com", False),
    ],
)
def test_is_amazon_sender(address, expected):
    assert is_amazon_sender(address) is expected


def test_is_amazon_sender_custom_patterns():
    assert is_amazon_sender("alerts@ops.example.com", ["*@ops.example.com"])
    assert not is_amazon_sender("seller-performance@amazon.com", ["*@ops.example.com"])
    assert all(p.startswith("*@") for p in DEFAULT_SENDER_PATTERNS)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("seller-performance@amazon.com", "US"),
        ("seller-performance@amazon.co.uk", "UK"),
        ("seller-performance@amazon.de", "DE"),
        ("seller-performance@amazon.fr", "FR"),
        ("seller-performance@amazon.it", "IT"),
        ("seller-performance@amazon.es", "ES"),
        ("seller-performance@amazon.nl", "NL"),
        ("seller-performance@amazon.se", "SE"),
        ("seller-performance@amazon.pl", "PL"),
        ("seller-performance@amazon.com.be", "BE"),
        ("seller-performance@amazon.com.tr", "TR"),
        ("seller-performance@amazon.ie", "IE"),
        ("seller-performance@amazon.ca", "CA"),
        ("seller-performance@amazon.com.mx", "MX"),
        ("seller-performance@amazon.com.br", "BR"),
        ("seller-performance@amazon.co.jp", "JP"),
        ("seller-performance@amazon.com.au", "AU"),
        ("seller-performance@amazon.sg", "SG"),
        ("seller-performance@amazon.in", "IN"),
        ("seller-performance@amazon.ae", "AE"),
        ("seller-performance@amazon.sa", "SA"),
        ("seller-performance@amazon.eg", "EG"),
        ("no-reply@marketplace.amazon.co.uk", "UK"),
        ("Amazon <x@Amazon.DE>", "DE"),
        ("x@sellercentral-europe.amazon.com", None),
        ("x@amazon.com.evil.example", None),
        ("news@example.org", None),
        ("not an address", None),
    ],
)
def test_marketplace_from_address(address, expected):
    assert marketplace_from_address(address) == expected


# --- never raises -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4000))
def test_parse_bytes_random_bytes_never_raises(data):
    result = parse_bytes(data, "fuzz.eml")
    assert isinstance(result, ParsedEmail | ImportFailure)
    if isinstance(result, ParsedEmail):
        assert "\x1b" not in result.text + result.subject and result.truncated is False


_HEADER_NAMES = st.sampled_from(
    ["From", "To", "Cc", "Subject", "Date", "Message-ID", "Content-Type", "Content-Transfer-Encoding",
     "Delivered-To", "X-Original-To", "MIME-Version", "Content-Disposition"]
)  # fmt: skip
_HEADER_VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            'text/html; charset="x-foo"', "text/plain; charset=utf-16", 'multipart/mixed; boundary="b"',
            "multipart/alternative", "message/rfc822", "base64", "quoted-printable", "=?utf-8?B?w7w=?=",
            "=?bogus?Q?=FF?=", "<a@b>", "Mon, 02 Nov 2026 09:30:00 +0000", "attachment", "\x1b[31m",
        ]  # fmt: skip
    ),
)
_BODIES = st.one_of(
    st.text(max_size=400),
    st.sampled_from(
        [
            "--b\nContent-Type: text/html\n\n<p>x</p>\n--b--\n",
            "<table><tr><td>a<td>b",
            "---------- Forwarded message ---------\nFrom: x\n",
        ]
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_HEADER_NAMES, _HEADER_VALUES), max_size=8), _BODIES, st.sampled_from(["utf-8", "latin-1"]))
def test_parse_bytes_random_headers_never_raise(headers, body, encoding):
    raw = "".join(f"{name}: {value}\n" for name, value in headers) + "\n" + body
    result = parse_bytes(raw.encode(encoding, errors="replace"), "fuzz.eml")
    assert isinstance(result, ParsedEmail | ImportFailure)
    if isinstance(result, ParsedEmail):
        assert "\x1b" not in result.subject + result.text
        assert result.sender == result.sender.lower()
        assert "\n" not in result.subject


# --- the import's shortcuts read what the full parse reads -------------------------------------------

HEADER_LINES = [
    b"From: Amazon <seller-performance@amazon.com>\n", b"From: x@y.com\n", b"To: a@b.c, \"X, Y\" <c@d.e>\n",
    b"Cc: z@q.r;w@e.r\n", b"Message-ID: <abc@x>\n", b"Message-ID:\n <folded@x>\n", b"Subject: =?utf-8?q?caf=C3=A9?=\n",
    b"Subject: Fwd: notice\n", b"Subject: caf\xe9\n", b"Date: Thu, 26 Nov 2026 10:05:00 +0000\n",
    b"Date: 26 Nov 2026 10:05:00 -0000\n", b"Date: Thu, 31 Feb 2026 10:05:00 +0000\n",
    b"Date: Thu, 26 Nov 2026 10:05:00 +2500\n", b"Date: Thu, 26 Nov 26 10:05 +0100\n", b"Date: garbage\n",
    b"Content-Type: text/plain; charset=latin-1\n", b"Content-Type: text/plain; charset=\"utf-8\"\n",
    b"Content-Type: text/plain; Charset=UTF-8; format=flowed\n", b"Content-Type: text/html\n",
    b"Content-Type: multipart/alternative; boundary=XX\n", b"Content-Type: message/rfc822\n",
    b"Content-Transfer-Encoding: quoted-printable\n", b"Content-Transfer-Encoding: base64\n",
    b"Content-Disposition: attachment\n", b"X-Original-To: notices+a@ops.example.com\n", b"not a header\n",
    b"From someone Thu Nov 26 10:05:00 2026\n", b": no name\n", b" a continuation\n", b"X Bad Name: v\n",
    b"Received: from a\r\n\tby b\r\n", b"X-Tab:\tvalue \n", b"Subject:\n",
]
BODY_PARTS = [
    b"Hello\r\nworld  \r\n", b"caf\xe9 \x1b[31mred\x1b[0m\n", b"--XX\nContent-Type: text/plain\n\nin a part\n--XX--\n",
    b"<p>Hi</p><ul><li>a</li></ul>", b"---------- Forwarded message ---------\nFrom: x@amazon.de\nTo: eu@b.com\n\n",
    b"From: inner@amazon.fr\nSubject: inner\n\nthe inner body\n", b"=C3=A9t=C3=A9\n", b"Y2Fm6Q==\n", b"\t\n \n",
    b"\x00\x07 ctl\x7f \xc2\x85 nel\n", b"\r", b"\n",
]
messages = st.tuples(
    st.lists(st.sampled_from(HEADER_LINES), min_size=1, max_size=8),
    st.sampled_from([b"\n", b"\r\n", b""]),
    st.lists(st.sampled_from(BODY_PARTS), max_size=4),
).map(lambda t: b"".join(t[0]) + t[1] + b"".join(t[2]))


@settings(max_examples=600, deadline=None)
@given(messages)
def test_single_part_mail_parsed_from_its_header_block_reads_like_the_full_parse(data):
    import email as stdlib_email
    import email.policy

    full = stdlib_email.message_from_bytes(data, policy=email.policy.compat32)
    quick = _message(data)
    assert list(quick.raw_items()) == list(full.raw_items()) and quick.get_unixfrom() == full.get_unixfrom()
    assert quick.items() == full.items()
    assert quick.get_content_type() == full.get_content_type()
    assert quick.is_multipart() == full.is_multipart()
    assert _payload_bytes(quick) == _payload_bytes(full)
    assert [_charset(p) for p in text_parts(quick) if p] == \
        [_charset(p) for p in text_parts(full) if p]
    parsed = parse_bytes(data, "m.eml")
    if isinstance(parsed, ParsedEmail):
        assert mail.peek(data) == (parsed.message_id, parsed.sender)


def test_plain_date_reads_what_the_general_parser_reads():
    import email.utils

    for value in ("Thu, 26 Nov 2026 10:05:00 +0000", "26 Nov 2026 10:05:00 -0000", "Mon, 01 Jan 2024 23:59:59 +0530",
                  "Sun, 9 Mar 2025 02:30:00 -0800", "Fri, 29 Feb 2028 12:00:00 +1400", "Xyz, 3 dec 2026 00:00:00 +0000"):
        expected = email.utils.parsedate_to_datetime(value)
        expected = (expected if expected.tzinfo else expected.replace(tzinfo=UTC)).astimezone(UTC)
        assert _plain_date(value) == expected, value
    for value in ("Thu, 31 Feb 2026 10:05:00 +0000", "Thu, 26 Nov 2026 10:05:00 +2500", "Thu, 26 Nov 2026 10:05 +0000",
                  "Thu, 26 Nov 2026 10:05:00 GMT", "26 Nov 2026 24:00:00 +0000"):
        assert _plain_date(value) is None, value  # left to the general parser, and its warning


def test_read_message_fails_like_the_file_reader(tmp_path):
    assert mail.read_message(tmp_path / "nope.eml") == ImportFailure(str(tmp_path / "nope.eml"), "no such file or folder")
    assert mail.read_message(tmp_path) == ImportFailure(str(tmp_path), "is a folder, not an eml file")
    link = tmp_path / "dangling.eml"
    link.symlink_to(tmp_path / "gone.eml")
    assert mail.read_message(link) == ImportFailure(str(link), "cannot read: No such file or directory")
    big = tmp_path / "big.eml"
    data = b"From: a@amazon.com\nSubject: big\n\n" + b"x" * 200_000 + b"\n"
    big.write_bytes(data)
    assert mail.read_message(big) == data  # more than the first read
    packed = tmp_path / "big.eml.gz"
    packed.write_bytes(gzip.compress(data))
    assert mail.read_message(str(packed)) == data
    for path in (tmp_path / "nope.eml", tmp_path, link, big, packed):  # the same as reading the file whole
        assert [(r.origin, r.reason) if isinstance(r, ImportFailure) else r.text for r in iter_messages(path, "eml")] \
            == [(r.origin, r.reason) if isinstance(r, ImportFailure) else parse_bytes(r, str(path)).text
                for r in [mail.read_message(path)]]
