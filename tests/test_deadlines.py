"""The deadline reader: the seller's deadline, never Amazon's own timelines, in the marketplace languages.

Each case is a short notice text written for this file, the deadline expected (a timedelta from RECEIVED,
an explicit moment, or None) and words the returned phrase must hold. The last column says whether the
behaviour is new: True cases fail on the reader as it was before ("Read real notices right": Amazon-side
timelines were taken as deadlines, and only English was read); False cases pin behaviour that stays.
Of the tests below the table, test_upper_case_notice_in_german and test_amazon_reply_time_is_not_urgent are
new behaviour too; test_shortcut_scans_agree_with_the_plain_scans is a property that held before and holds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.ingest.extract import extract

RECEIVED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
DAYS = timedelta(days=1)
HOURS = timedelta(hours=1)


def end_of(year: int, month: int, day: int) -> datetime:
    """A date with no time: 23:59:59 UTC that day."""
    return datetime(year, month, day, 23, 59, 59, tzinfo=UTC)


CASES = [
    # --- Amazon-side timelines in English: no deadline --------------------------------------------------
    ("we-will-reply", "Thank you for your appeal. We will reply within 2 business days.", None, None, True),
    ("review-takes-interval", "The review takes 2-4 business days from the date of this notice.", None, None, True),
    ("our-team-will-respond", "Our team will respond within 48 hours.", None, None, True),
    ("we-will-review-information", "We will review your information within 3 days.", None, None, True),
    ("after-90-days-disbursement", "After 90 days from today you may request a disbursement.", None, None, True),
    ("disbursement-days-after", "You can request a disbursement 90 days after the date of this notice.", None, None,
     True),
    ("invoices-last-365-days", "Send invoices issued in the last 365 days.", None, None, False),
    ("funds-available", "Your funds will be available in 90 days.", None, None, True),
    ("may-take-up-to", "It may take up to 5 business days from today for the listing to appear.", None, None, True),
    ("allow-days", "Please allow 3 business days from today for processing.", None, None, True),
    ("usually-reactivated", "The listings will be reviewed and reactivated, usually in 2 business days.", None, None,
     True),
    ("you-will-receive-response", "You will receive a response within 48 hours.", None, None, True),
    ("clause-first-then-we", "Within 2 business days, we will reply to your appeal.", None, None, True),
    ("please-note-we-reply", "Please note that we will reply within 2 business days.", None, None, True),
    ("we-will-reply-by-date", "We will reply by December 12, 2026.", None, None, True),
    # --- an Amazon-side sentence does not veto another sentence's deadline -------------------------------
    ("reply-then-seller-deadline", "We will reply within 2 business days. Please send us your invoices within 17 days.",
     17 * DAYS, "within 17 days", True),
    ("seller-deadline-then-team", "Send the invoices within 17 days; our team will respond within 48 hours.",
     17 * DAYS, "within 17 days", True),
    ("review-interval-then-deadline",
     "The review takes 2-4 business days from the date of this notice. Please respond within 7 days.",
     7 * DAYS, "within 7 days", True),
    ("named-team-then-deadline", "Seller Performance will review your plan within 3 days. Respond within 10 days.",
     10 * DAYS, "within 10 days", True),
    # --- real seller deadlines in English stay ---------------------------------------------------------------
    ("you-must-appeal", "You must send us an appeal within 72 hours.", 72 * HOURS, "within 72 hours", False),
    ("please-respond", "Please respond within 7 days.", 7 * DAYS, "within 7 days", False),
    ("if-you-do-not-provide", "If you do not provide the invoices within 17 days, we will deactivate your account.",
     17 * DAYS, "within 17 days", False),
    ("beginning-from-today", "Your account may be deactivated beginning 7 days from today.", 7 * DAYS,
     "beginning 7 days from today", False),
    ("by-date", "Send your plan of action by December 12, 2026.", end_of(2026, 12, 12), "by December 12, 2026",
     False),
    ("no-later-than-iso", "Send your plan of action no later than 2026-12-12.", end_of(2026, 12, 12),
     "no later than 2026-12-12", False),
    ("we-require", "We require the information below within 72 hours.", 72 * HOURS, "within 72 hours", False),
    ("after-we-review-you-must", "After we review your appeal, you must respond within 7 days.", 7 * DAYS,
     "within 7 days", False),
    ("so-that-we-can-review", "Please respond within 7 days so that we can review your case.", 7 * DAYS,
     "within 7 days", False),
    ("english-numeric-date-unread", "Respond by 12/11/2026.", None, None, False),
    ("english-earliest-wins", "Send the invoices within 17 days. Respond by November 10, 2026 at the latest.",
     end_of(2026, 11, 10), "by November 10, 2026", False),
    # --- German -------------------------------------------------------------------------------------------
    ("de-innerhalb", "Bitte senden Sie uns die Rechnungen innerhalb von 17 Tagen.", 17 * DAYS,
     "innerhalb von 17 Tagen", True),
    ("de-binnen", "Sie müssen binnen 72 Stunden antworten.", 72 * HOURS, "binnen 72 Stunden", True),
    ("de-bis-zum", "Bitte reichen Sie Ihren Aktionsplan bis zum 12. Dezember 2026 ein.", end_of(2026, 12, 12),
     "bis zum 12. Dezember 2026", True),
    ("de-spaetestens-numeric", "Bitte antworten Sie spätestens am 12.12.2026.", end_of(2026, 12, 12),
     "spätestens am 12.12.2026", True),
    ("de-time-and-zone", "Bitte reichen Sie die Unterlagen bis zum 3. Dezember 2026 um 12:00 Uhr MEZ ein.",
     datetime(2026, 12, 3, 11, 0, tzinfo=UTC), "um 12:00 Uhr MEZ", True),
    ("de-wir-antworten", "Wir antworten innerhalb von 2 Werktagen. Bitte antworten Sie innerhalb von 7 Tagen.",
     7 * DAYS, "innerhalb von 7 Tagen", True),
    ("de-wir-pruefen-verb-last",
     "Wir werden Ihre Unterlagen innerhalb von 3 Tagen prüfen. Senden Sie sie bitte innerhalb von 17 Tagen.",
     17 * DAYS, "innerhalb von 17 Tagen", True),
    ("de-earliest-wins", "Bitte senden Sie die Unterlagen innerhalb von 17 Tagen oder spätestens am 10.11.2026.",
     end_of(2026, 11, 10), "spätestens am 10.11.2026", True),
    ("de-period-is-no-deadline",
     "Betroffener Zeitraum: 26.10.2026 bis 01.11.2026. Bitte antworten Sie innerhalb von 7 Tagen.",
     7 * DAYS, "innerhalb von 7 Tagen", True),
    # --- French -------------------------------------------------------------------------------------------
    ("fr-sous", "Veuillez nous envoyer les factures sous 17 jours.", 17 * DAYS, "sous 17 jours", True),
    ("fr-dans-un-delai", "Vous devez répondre dans un délai de 17 jours.", 17 * DAYS, "dans un délai de 17 jours",
     True),
    ("fr-d-ici-le", "Veuillez répondre d'ici le 12 décembre 2026.", end_of(2026, 12, 12), "d'ici le 12 décembre 2026",
     True),
    ("fr-avant-le-day-first", "Envoyez votre plan d'action avant le 12/11/2026.", end_of(2026, 11, 12),
     "avant le 12/11/2026", True),
    ("fr-nous-repondrons",
     "Nous vous répondrons sous 2 jours ouvrés. Veuillez envoyer les documents sous 17 jours.",
     17 * DAYS, "sous 17 jours", True),
    ("fr-si-vous-ne-repondez-pas", "Si vous ne répondez pas sous 17 jours, nous désactiverons votre compte.",
     17 * DAYS, "sous 17 jours", True),
    # --- Italian ------------------------------------------------------------------------------------------
    ("it-entro-giorni", "Invia le fatture entro 17 giorni.", 17 * DAYS, "entro 17 giorni", True),
    ("it-entro-il", "Invia il piano d'azione entro il 12 dicembre 2026.", end_of(2026, 12, 12),
     "entro il 12 dicembre 2026", True),
    ("it-entro-l-apostrophe", "Invia i documenti entro l'11 dicembre 2026.", end_of(2026, 12, 11),
     "entro l'11 dicembre 2026", True),
    ("it-risponderemo", "Risponderemo entro 2 giorni lavorativi. Invia i documenti entro 10 giorni.",
     10 * DAYS, "entro 10 giorni", True),
    # --- Spanish ------------------------------------------------------------------------------------------
    ("es-en-un-plazo", "Envíe las facturas en un plazo de 17 días.", 17 * DAYS, "en un plazo de 17 días", True),
    ("es-dentro-de", "Responda dentro de 17 días.", 17 * DAYS, "dentro de 17 días", True),
    ("es-antes-del", "Envíe su plan de acción antes del 12 de diciembre de 2026.", end_of(2026, 12, 12),
     "antes del 12 de diciembre de 2026", True),
    ("es-a-mas-tardar-day-first", "Responda a más tardar el 12/11/2026.", end_of(2026, 11, 12),
     "a más tardar el 12/11/2026", True),
    ("es-le-responderemos",
     "Le responderemos en un plazo de 2 días hábiles. Envíe los documentos dentro de 10 días.",
     10 * DAYS, "dentro de 10 días", True),
    # --- Japanese -----------------------------------------------------------------------------------------
    ("ja-days", "17日以内に請求書をご提出ください。", 17 * DAYS, "17日以内", True),
    ("ja-hours", "72時間以内にご対応ください。", 72 * HOURS, "72時間以内", True),
    ("ja-full-width-digits", "１７日以内にご提出ください。", 17 * DAYS, "１７日以内", True),
    ("ja-date", "2026年12月12日までに改善計画をご提出ください。", end_of(2026, 12, 12), "2026年12月12日までに", True),
    ("ja-we-will-contact", "2営業日以内にご連絡します。7日以内にご返信ください。", 7 * DAYS, "7日以内", True),
    ("ja-interval-we-will-contact", "2～4営業日以内にご連絡します。10日以内にご返信ください。", 10 * DAYS, "10日以内",
     True),
    ("ja-past-days-are-no-deadline", "2026年12月12日までに、過去30日以内に発行された請求書をご提出ください。",
     end_of(2026, 12, 12), "2026年12月12日までに", True),
]


@pytest.mark.parametrize(("text", "expected", "phrase"), [case[1:4] for case in CASES], ids=[c[0] for c in CASES])
def test_deadline(text: str, expected: timedelta | datetime | None, phrase: str | None) -> None:
    x = extract(text, RECEIVED)
    if expected is None:
        assert (x.deadline_at, x.deadline_text) == (None, None)
        return
    assert x.deadline_at == (RECEIVED + expected if isinstance(expected, timedelta) else expected)
    assert x.deadline_text is not None and phrase in x.deadline_text


def test_cases_are_many_and_named_once() -> None:
    assert len(CASES) >= 40
    assert len({case[0] for case in CASES}) == len(CASES)
    assert sum(case[4] for case in CASES) >= 30  # most cases pin new behaviour


@pytest.mark.parametrize("text", [case[1] for case in CASES if case[1].isascii()],
                         ids=[case[0] for case in CASES if case[1].isascii()])
def test_shortcut_scans_agree_with_the_plain_scans(text: str) -> None:
    """For ASCII text the English patterns run only where they can start; that gives what the plain scans
    give, with the other languages' patterns (and Amazon-side skipping) on top."""
    from console.ingest import deadlines as x

    for variant in (text, text.upper()):
        flat = " ".join(variant.split())
        assert x.deadline(flat, RECEIVED, flat.lower()) == x.deadline(flat, RECEIVED)


def test_upper_case_notice_in_german() -> None:
    x = extract("WIR ANTWORTEN INNERHALB VON 2 WERKTAGEN. BITTE ANTWORTEN SIE INNERHALB VON 7 TAGEN.", RECEIVED)
    assert x.deadline_at == RECEIVED + 7 * DAYS
    assert x.deadline_text == "INNERHALB VON 7 TAGEN"


def test_amazon_reply_time_is_not_urgent() -> None:
    """The real notice behind the issue: a 2-day reply time made it urgent; its own deadline is 17 days."""
    text = (
        "Subject: Your appeal was received\n\nHello,\n\nThank you for your appeal. Our team will review it and "
        "we will reply within 2 business days.\n\nIf you do not provide the invoices within 17 days, your "
        "listing will stay inactive.\n"
    )
    x = extract(text, RECEIVED)
    assert x.deadline_at == RECEIVED + 17 * DAYS
    assert x.deadline_text == "within 17 days"


MORE_FORMS = [
    "in 1 Tag", "binnen 72 Std.", "innerhalb der nächsten 5 Werktage", "binnen 2 Wochen", "sous 48 h", "d’ici 48h",
    "dans les 48 heures", "sous 2 semaines", "au plus tard le 1er décembre 2026", "jusqu’au 3 mars 2027 à 17h00",
    "tra 72 ore", "nei prossimi 5 giorni lavorativi", "entro 2 settimane", "entro il 12° dicembre 2026",
    "en las próximas 72 horas", "en 3 semanas", "a mas tardar el 1/12/2026",
    "hasta el 3 de enero de 2027 a las 17:00 (CET)", "2週間以内", "5営業日以内", "2026 年 12 月 12 日まで",
    "２０２６年１２月１２日までに",
]


def test_gate_and_keywords_lose_no_match() -> None:
    """The other languages' patterns run only past a quick scan and their keywords: every match holds both."""
    from console.ingest import deadlines as x

    found = 0
    for text in [case[1] for case in CASES] + MORE_FORMS:
        for variant in (text, text.upper()):
            for _lang, _kind, keywords, pattern in x._FOREIGN:
                for m in pattern.finditer(" ".join(variant.split())):
                    found += 1
                    phrase = m.group(0).lower()
                    assert any(k in phrase for k in keywords), phrase
                    encoded = phrase.encode()  # the gate: on UTF-8 bytes with the digits made NULs, or full-width
                    assert (x._FOREIGN_GATE.search(encoded.translate(x._DIGITS_AS_NUL))
                            or b"\xef\xbc" in encoded and x._FOREIGN_GATE_WIDE.search(phrase)), phrase
    assert found > 100


@pytest.mark.parametrize(("text", "expected"), [
    ("Bitte antworten Sie in 1 Tag.", RECEIVED + DAYS),
    ("Inviare i documenti tra 72 ore.", RECEIVED + 72 * HOURS),
    ("Veuillez répondre jusqu’au 3 mars 2027 à 17h00.", datetime(2027, 3, 3, 17, 0, tzinfo=UTC)),
    ("Responda hasta el 3 de enero de 2027 a las 17:00 (CET).", datetime(2027, 1, 3, 16, 0, tzinfo=UTC)),
    ("2026年12月12日（土）17:00（日本時間）までにご提出ください。", datetime(2026, 12, 12, 8, 0, tzinfo=UTC)),
])
def test_more_forms(text: str, expected: datetime) -> None:  # new behaviour: none of these was read before
    assert extract(text, RECEIVED).deadline_at == expected
