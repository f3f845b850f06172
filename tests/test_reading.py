"""Reading a notice's fate and cause (console/core/reading.py): the rules as data, the moods, severity from the fate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console.core.reading import RuleError, load_rules, parse_rules, read, sentences

DEACTIVATED = [
    "Your Amazon selling account has been temporarily deactivated.",
    "Your seller account has been permanently deactivated.",
    "We have removed your Amazon selling privileges.",
    "You currently may not sell on Amazon.",
    "Your listings have been deactivated and funds will be held.",
    "Ihr Verkäuferkonto wurde deaktiviert.",
    "Votre compte vendeur a été désactivé.",
    "Il tuo account venditore è stato disattivato.",
    "Tu cuenta de vendedor ha sido desactivada.",
    "お客様の出品用アカウントは停止されました。",
]


@pytest.mark.parametrize("sentence", DEACTIVATED)
def test_every_wording_of_a_deactivation_is_critical(sentence):
    r = read("Notice about your account", f"Hello,\n\n{sentence}\n\nHas your account been deactivated in error?")
    assert (r.fate, r.severity) == ("account_deactivated", "critical")
    assert r.why["fate"].sentence.startswith(sentence[:12])


@pytest.mark.parametrize("sentence", [
    "Your account could be at risk of deactivation.",
    "If this happens again, your account may be deactivated.",
    "Further violations may lead to deactivation of your account.",
    "Failure to respond may result in your account being deactivated.",
    "Wenn Sie nicht reagieren, könnte Ihr Konto deaktiviert werden.",
    "Si vous ne répondez pas, votre compte pourrait être désactivé.",
])
def test_a_conditional_threat_is_not_critical(sentence):
    r = read("Policy warning", f"We received a complaint about your listing. {sentence}")
    assert r.severity != "critical" and r.fate not in ("account_deactivated", "account_at_risk")
    assert r.threat  # noted, for "under review" and the explanation, but it raises nothing by itself


def test_the_in_error_heading_alone_deactivates_nothing():
    r = read("Your community privileges have been removed",
             "We have removed your community privileges because reviews you wrote broke our Community "
             "Guidelines.\n\nHas your account been deactivated in error?\nContact us.")
    assert r.fate == "warning" and r.cause == "community_guidelines" and r.severity == "medium"


def test_a_removed_bullet_point_is_an_edit_not_a_removal():
    r = read("Detail page update", "The bullet point content was removed from your listing because it made "
             "medical claims.")
    assert r.fate == "listing_edited" and r.severity == "medium"


@pytest.mark.parametrize("subject, body, fate, cause, severity", [
    ("Your account is under review", "Your account is under review while we verify your identity. "
     "Your account may be deactivated if we cannot verify it.", "account_under_review", "identity_verification",
     "high"),  # the only threat is conditional: it raises nothing
    ("Your account is under review", "Your account is under review while we verify your identity, and your "
     "account is at risk of deactivation.", "account_under_review", "identity_verification", "critical"),
    ("Rolling reserve", "We have placed a rolling reserve on your account's funds during our review.",
     "funds_held", "other", "high"),
    ("Received Intellectual Property Complaint", "We received a report from a rights owner that your listing "
     "infringes their trademark.", "warning", "ip_complaint", "high"),
    ("Late shipment rate above target", "Your late shipment rate is above our target of 4%.", "warning",
     "late_shipment_rate", "medium"),
    ("Policy update", "We are updating our returns policy next month. No action is required.", "information",
     "policy_update", "low"),
    ("Related accounts", "Your account has been deactivated because it is related to another account that "
     "may not sell on Amazon.", "account_deactivated", "related_accounts", "critical"),
])
def test_fate_cause_and_severity(subject, body, fate, cause, severity):
    r = read(subject, body)
    assert (r.fate, r.cause, r.severity) == (fate, cause, severity)


def test_a_deadline_within_72_hours_raises_a_medium_warning():
    body = "Your late shipment rate is above our target."
    assert read("Late shipment", body).severity == "medium"
    r = read("Late shipment", body, deadline_hours=48)
    assert r.severity == "high" and "72 hours" in r.severity_reason


def test_sentences_are_not_cut_at_a_domain_or_a_decimal():
    assert sentences("Your listing on Amazon.fr is 1.5% above target. Why?\nNext") == [
        "Your listing on Amazon.fr is 1.5% above target.", "Why?", "Next"]


def test_config_rules_extend_and_replace_the_shipped_ones():
    rules = load_rules({"cause": [{"id": "battery_rules", "label": "Battery rules", "anchors": ["lithium"],
                                   "patterns": [r"lithium\s+batter"]}]})
    assert read("Compliance", "Your lithium batteries need a test summary.", rules).cause == "battery_rules"
    replaced = load_rules({"fate": [{"id": "funds_held", "label": "Money parked", "severity": "critical",
                                     "anchors": ["parked"], "patterns": ["funds are parked"]}]})
    r = read("Funds", "Your funds are parked for now.", replaced)
    assert (r.fate_label, r.severity) == ("Money parked", "critical")


@pytest.mark.parametrize("extra, message", [
    ({"cause": [{"id": "x", "patterns": ["(unclosed"]}]}, "rules.cause[1] (x) pattern 1: missing )"),
    ({"fate": [{"id": "y", "patterns": ["a"], "severity": "huge"}]}, "severity must be one of"),
    ({"cause": [{"id": "Bad Id", "patterns": ["a"]}]}, "id must be lowercase"),
    ({"causes": []}, "unknown key 'causes'"),
])
def test_a_bad_rule_is_one_clear_error(extra, message):
    from console.core.reading import _shipped

    with pytest.raises(RuleError) as err:
        parse_rules(_shipped(), extra)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_flagdesk_explain_prints_the_reading_and_its_reasons(tmp_path):
    notice = tmp_path / "n.txt"
    notice.write_text("Subject: Your Amazon selling account has been deactivated\n\nHello,\n\nWe have "
                      "deactivated your selling account because customers reported items that were not "
                      "authentic.\n\nHas your account been deactivated in error?\nSend an appeal within 17 days.\n")
    out = subprocess.run([sys.executable, "-m", "console", "explain", "--file", str(notice)],
                         capture_output=True, text=True, check=True).stdout
    assert "fate: Account deactivated" in out and "cause: Product authenticity" in out
    assert "severity: critical" in out and '"within 17 days"' in out
    assert 'from "not authentic" in: We have deactivated your selling account' in out



def test_flagdesk_explain_of_a_stored_notice_prints_its_deadline_phrase(demo, run):
    """`explain ID` used to stop with a traceback (it asked the notification for a field it does not have)."""
    nid = demo.store.rows("SELECT id FROM notifications WHERE deadline_at IS NOT NULL AND source = 'demo' "
                          "ORDER BY id LIMIT 1")[0]["id"]
    code, out, err = run("explain", str(nid), "--db", str(demo.store.path))
    assert code == 0, err
    assert "  deadline: " in out and "after receipt), from \"" in out
    code, out, err = run("explain", str(nid), "--db", str(demo.store.path), "--json")
    assert code == 0 and json.loads(out)["deadline"]["phrase"]


# --- the labelled corpus (tests/data/notices/corpus: texts written for flagdesk, labels in labels.toml) ---

def _corpus():
    import tomllib
    from datetime import UTC, datetime
    from pathlib import Path

    from console.desk import Desk

    folder = Path(__file__).parent / "data" / "notices" / "corpus"
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))["notice"]
    assert len(labels) >= 100
    received = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    return [(label, Desk.read_text((folder / label["file"]).read_text(encoding="utf-8"), received)[1])
            for label in labels]


def test_on_the_corpus_every_deactivation_is_critical_and_no_conditional_threat_is():
    corpus = _corpus()
    deactivations = [(label["file"], r.fate, r.severity) for label, r in corpus
                     if label["fate"] == "account_deactivated"]
    assert len(deactivations) >= 14
    assert [d for d in deactivations if d[1:] != ("account_deactivated", "critical")] == []
    conditional = [(label["file"], r.fate) for label, r in corpus
                   if label.get("conditional_only") and r.severity == "critical"]
    assert conditional == []


def test_the_why_phrase_is_whole_words_never_a_rules_stem():
    """The detail pane's Why line quotes the phrase: "has been deactivated", not the rule's stem "deactivat"."""
    r = read("Notice about your account", "Your Amazon selling account has been temporarily deactivated.")
    assert r.why["fate"].phrase.endswith("deactivated"), r.why["fate"].phrase
    cut = []
    for label, reading in _corpus():
        for part in ("fate", "cause"):
            why = reading.why.get(part)
            if why is None:
                continue
            at = why.sentence.find(why.phrase)
            assert at >= 0, (label["file"], why)
            after = why.sentence[at + len(why.phrase):at + len(why.phrase) + 1]
            before = why.sentence[at - 1:at] if at else ""
            if why.phrase and (after.isalpha() and after.isascii() and why.phrase[-1].isalpha()
                               or before.isalpha() and before.isascii() and why.phrase[0].isalpha()):
                cut.append((label["file"], part, why.phrase))
    assert cut == []


def test_a_stem_stored_before_the_widening_shows_whole_in_the_why_line():
    """Rows read before phrases were widened keep "deactivat" in `why`; the Why line widens it from the sentence."""
    from console.core.fates import why_line

    stored = {"fate": {"sentence": "Your account has been deactivated.", "phrase": "has been deactivat",
                       "rule": "fate.account_deactivated"}, "severity": "the fate (account deactivated)"}
    assert why_line(stored, "critical") == 'critical: the fate (account deactivated) — "has been deactivated"'


@pytest.mark.parametrize(("body", "fate"), [
    ("Your account is at risk of being deactivated. We have found that your account may be related to another "
     "selling account that was deactivated.", "account_at_risk"),
    ("Your account may be linked to other seller accounts that were suspended. Your account is under review.",
     "account_under_review"),
    ("Wir haben festgestellt, dass Ihr Konto mit einem anderen Verkäuferkonto verbunden ist, das gesperrt wurde.",
     "warning"),
    ("Your selling account has been deactivated because it is related to another account that was deactivated.",
     "account_deactivated"),
])
def test_another_accounts_fate_is_not_this_accounts(body, fate):
    """A related account's deactivation is the cause of a review or a risk, not this account's fate."""
    assert read("Notice about your account", body).fate == fate


def test_each_pattern_that_matches_a_corpus_sentence_finds_its_anchor_there():
    """Patterns are tried only in sentences holding one of their rule's anchors (the reading's speed): on the
    corpus, no sentence a pattern matches lacks the anchor, so nothing is missed by the shortcut."""
    from console.core.reading import anchored

    rules = load_rules()
    missed = []
    for label, _ in _corpus():
        text = (Path(__file__).parent / "data" / "notices" / "corpus" / label["file"]).read_text(encoding="utf-8")
        for sentence in sentences(text):
            for rule in (*rules.fates, *rules.causes):
                if any(p.search(sentence) for p in rule.patterns) and not anchored(rule, sentence):
                    missed.append((label["file"], rule.id, sentence[:60]))
    assert missed == []
