"""Selling Partner API JSON -> StatusChange / HealthSnapshot / ImportFailure."""

from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.ingest.spapi import (
    HealthSnapshot,
    ImportFailure,
    RateMetric,
    SkippedNotification,
    StatusChange,
    looks_like_json,
    parse_json_bytes,
)

DATA = Path(__file__).parent / "data" / "spapi"
APP_ID = "amzn1.sellerapps.app.5c1d7e2a-93b4-4f0e-a6d1-2b8f4c7e9a10"
SUB_ID = "subscription-4e8b2f61-0c9d-4a7e-b3f5-7d21c6e8a904"
NOT_SPAPI = "not a Selling Partner API notification or performance report"
US, DE, UK, FR = "ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1F83G8C2ARO7P", "A13V1IB3VIYZZH"


def parse(name: str) -> list:
    return parse_json_bytes((DATA / name).read_bytes(), name)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def assert_utc(value: datetime | None) -> None:
    assert value is not None and value.tzinfo is not None and value.utcoffset().total_seconds() == 0


def metric(snap: HealthSnapshot, name: str, channel: str | None = None) -> RateMetric:
    found = [m for m in snap.rate_metrics if m.name == name and m.channel == channel]
    assert len(found) == 1, (name, channel, snap.rate_metrics)
    return found[0]


def notification(current="AT_RISK", previous="NORMAL", **extra) -> dict:
    doc = {
        "notificationVersion": "1.0",
        "notificationType": "ACCOUNT_STATUS_CHANGED",
        "payloadVersion": "2021-01-01",
        "eventTime": "2026-11-26T10:00:00Z",
        "payload": {"accountStatusChangeNotification": {"previousAccountStatus": previous, "currentAccountStatus": current}},
        "notificationMetadata": {"notificationId": "n-1", "publishTime": "2026-11-26T10:01:00Z"},
    }
    doc.update(extra)
    return doc


def as_bytes(value) -> bytes:
    return json.dumps(value).encode()


# --- ACCOUNT_STATUS_CHANGED -----------------------------------------------------------------------


def test_camel_case_notification():
    [rec] = parse("status_camel.json")
    assert rec == StatusChange(
        origin="status_camel.json",
        notification_id="7a3f0c2e-5b1d-4e98-8c6a-f02d9b4e7c13",
        event_time=utc(2026, 11, 26, 22, 41, 7, 118000),
        publish_time=utc(2026, 11, 26, 22, 43, 55, 602000),
        previous_status="NORMAL",
        current_status="AT_RISK",
        subscription_id=SUB_ID,
        application_id=APP_ID,
        marketplace_id=None,
    )
    assert_utc(rec.event_time)
    assert_utc(rec.publish_time)


def test_pascal_case_notification_with_offset_time_and_marketplace():
    [rec] = parse("status_pascal.json")
    assert isinstance(rec, StatusChange)
    assert (rec.previous_status, rec.current_status) == ("AT_RISK", "DEACTIVATED")
    assert rec.notification_id == "c81e4d92-3a7f-4b05-9e6c-1d2f8a0b5e47"
    assert rec.subscription_id == "subscription-91c7d3a8-2f4e-4b60-8d15-e3a0b7c94f22"
    assert rec.application_id == APP_ID
    # 03:15:42+01:00 is 02:15:42 UTC
    assert rec.event_time == utc(2026, 11, 27, 2, 15, 42)
    assert_utc(rec.event_time)
    assert str(rec.event_time.tzinfo) == "UTC"
    assert rec.publish_time == utc(2026, 11, 27, 2, 16, 9, 874000)
    assert rec.marketplace_id == "A1PA6795UKMFR9"


def test_array_of_notifications_keeps_unknown_status_upper_cased():
    first, second = parse("status_array.json")
    assert first.origin == "status_array.json#[0]"
    assert second.origin == "status_array.json#[1]"
    assert (first.previous_status, first.current_status) == ("AT_RISK", "NORMAL")
    assert first.notification_id == "0b6d2e71-8f3a-4c59-a1e4-5c7b9d02f3a8"
    assert first.publish_time == utc(2026, 11, 20, 9, 4, 30, 1000)
    assert (second.previous_status, second.current_status) == ("AT_RISK", "SUSPENDED")
    assert second.notification_id == "f4a9c3b0-6e2d-4718-b5f1-9a8e0d7c6b52"
    assert second.event_time == utc(2026, 11, 24, 17, 30)


def test_json_lines_broken_line_is_isolated():
    recs = parse("status_lines.jsonl")
    assert [type(r) for r in recs] == [StatusChange, ImportFailure, StatusChange]
    assert [r.origin for r in recs] == ["status_lines.jsonl#1", "status_lines.jsonl#2", "status_lines.jsonl#3"]
    assert recs[0].notification_id == "2d7c9e1a-4b3f-4a80-9c62-e5f1a0b8d734"
    assert (recs[0].previous_status, recs[0].current_status) == ("NORMAL", "AT_RISK")
    assert recs[2].notification_id == "9e5b1f07-c2a4-4d36-8b7e-0f3a6c9d2e81"
    assert (recs[2].previous_status, recs[2].current_status) == ("AT_RISK", "NORMAL")
    assert recs[2].event_time == utc(2026, 11, 26, 14, 12, 59, 7000)
    reason = recs[1].reason
    assert reason.startswith("not valid JSON: Unterminated string")
    assert reason.endswith("(line 2, column 96)")
    assert "\n" not in reason


def test_sqs_dump_with_plain_and_sns_wrapped_bodies():
    first, second = parse("sqs_dump.json")
    assert first.origin == "sqs_dump.json#Messages[0]"
    assert second.origin == "sqs_dump.json#Messages[1]"
    assert first.notification_id == "7a3f0c2e-5b1d-4e98-8c6a-f02d9b4e7c13"
    assert (first.previous_status, first.current_status) == ("NORMAL", "AT_RISK")
    assert second.notification_id == "5f0a8d3c-71e2-4b96-a4c8-3e9d1b7f0a26"
    assert (second.previous_status, second.current_status) == ("AT_RISK", "DEACTIVATED")
    assert second.event_time == utc(2026, 11, 27, 1, 5, 18, 553000)
    assert second.publish_time == utc(2026, 11, 27, 1, 6, 2, 117000)


def test_sns_envelope():
    [rec] = parse("sns_envelope.json")
    assert isinstance(rec, StatusChange)
    assert rec.origin == "sns_envelope.json"
    assert rec.notification_id == "e1d4b7a0-9c3f-4e26-8a5b-7f0c2d9e1b68"
    assert (rec.previous_status, rec.current_status) == ("NORMAL", "AT_RISK")
    assert rec.event_time == utc(2026, 11, 26, 19, 20, 45)
    assert rec.subscription_id == SUB_ID


def test_single_sqs_message_and_empty_receive():
    msg = {"MessageId": "m-1", "ReceiptHandle": "r", "Body": json.dumps(notification(current="DEACTIVATED"))}
    [rec] = parse_json_bytes(as_bytes(msg), "msg.json")
    assert rec.current_status == "DEACTIVATED"
    assert parse_json_bytes(b'{"Messages": []}', "empty.json") == []


def test_sqs_body_that_is_not_json_fails_alone():
    dump = {"Messages": [{"Body": "{oops"}, {"Body": json.dumps(notification())}]}
    bad, good = parse_json_bytes(as_bytes(dump), "d.json")
    assert isinstance(bad, ImportFailure) and bad.origin == "d.json#Messages[0]"
    assert "not valid JSON" in bad.reason
    assert isinstance(good, StatusChange) and good.origin == "d.json#Messages[1]"


def test_untracked_notification_type_is_skipped_with_a_one_line_name():
    doc = notification(notificationType="ANY_OFFER_CHANGED")
    assert parse_json_bytes(as_bytes(doc), "o.json") == [SkippedNotification("o.json", "ANY_OFFER_CHANGED")]
    [skip] = parse_json_bytes(as_bytes(notification(notificationType="EVIL\nTYPE\x1b[31m")), "o.json")
    assert isinstance(skip, SkippedNotification) and skip.notification_type.startswith("EVIL")
    assert "\n" not in skip.notification_type and "\x1b" not in skip.notification_type


def test_missing_current_status_is_a_failure():
    doc = notification()
    del doc["payload"]["accountStatusChangeNotification"]["currentAccountStatus"]
    [fail] = parse_json_bytes(as_bytes(doc), "x.json")
    assert isinstance(fail, ImportFailure)
    assert "currentAccountStatus" in fail.reason


def test_keys_match_ignoring_case_and_underscores():
    doc = {
        "NOTIFICATIONTYPE": "account_status_changed",
        "event_time": "2026-11-26T10:00:00",  # naive: taken as UTC
        "PAYLOAD": {"account_status_change_notification": {"CURRENTACCOUNTSTATUS": "at_risk", "marketplaceid": "APJ6JRA9NG5V4"}},
        "Notification_Metadata": {"NOTIFICATIONID": "abc"},
    }
    [rec] = parse_json_bytes(as_bytes(doc), "k.json")
    assert rec.current_status == "AT_RISK"
    assert rec.previous_status is None
    assert rec.notification_id == "abc"
    assert rec.marketplace_id == "APJ6JRA9NG5V4"
    assert rec.event_time == utc(2026, 11, 26, 10, 0)


def test_bad_times_become_none():
    [rec] = parse_json_bytes(as_bytes(notification(eventTime="yesterday")), "t.json")
    assert rec.event_time is None
    assert rec.publish_time == utc(2026, 11, 26, 10, 1)


# --- GET_V2_SELLER_PERFORMANCE_REPORT -------------------------------------------------------------


def test_report_two_marketplaces():
    us, de = parse("report.json")
    assert (us.origin, de.origin) == ("report.json", "report.json")
    assert (us.marketplace_id, us.marketplace, us.account_status) == (US, "US", "AT_RISK")
    assert (de.marketplace_id, de.marketplace, de.account_status) == (DE, "DE", "NORMAL")
    assert (us.ahr_status, us.ahr_score) == ("AT_RISK", 184)
    assert (de.ahr_status, de.ahr_score) == ("GREAT", None)
    assert us.report_date == "2026-11-25T23:59Z"


def test_report_rate_metrics_values():
    us, _ = parse("report.json")
    assert metric(us, "late_shipment_rate") == RateMetric(
        "late_shipment_rate", 0.052, "BAD", 0.04, "LESS_THAN", "2026-10-27T00:00Z", "2026-11-25T23:59Z", None
    )
    pfc = metric(us, "pre_fulfillment_cancel_rate")
    assert (pfc.rate, pfc.status, pfc.target_value, pfc.target_condition) == (0.0056, "GOOD", 0.025, "LESS_THAN")
    vtr = metric(us, "valid_tracking_rate")
    assert (vtr.rate, vtr.status, vtr.target_value, vtr.target_condition) == (0.9871, "GOOD", 0.95, "GREATER_THAN")
    otd = metric(us, "on_time_delivery_rate")
    assert (otd.rate, otd.status, otd.target_value, otd.date_from, otd.date_to) == (
        0.9448, "GOOD", 0.9, "2026-10-17T00:00Z", "2026-11-15T23:59Z"
    )
    # unknown metric with a rate: kept under a snake_case name
    unit = metric(us, "unit_on_time_delivery_rate")
    assert (unit.rate, unit.status, unit.target_value) == (0.9468, "GOOD", 0.9)
    assert {m.name for m in us.rate_metrics} == {
        "order_defect_rate", "late_shipment_rate", "pre_fulfillment_cancel_rate", "valid_tracking_rate",
        "on_time_delivery_rate", "invoice_defect_rate", "unit_on_time_delivery_rate",
    }


def test_order_defect_rate_afn_mfn_split():
    us, de = parse("report.json")
    afn = metric(us, "order_defect_rate", "afn")
    mfn = metric(us, "order_defect_rate", "mfn")
    assert (afn.rate, afn.status, afn.target_value, afn.target_condition) == (0.0021, "GOOD", 0.01, "LESS_THAN")
    assert (mfn.rate, mfn.status) == (0.0134, "BAD")
    assert (afn.date_from, afn.date_to) == ("2026-09-27T00:00Z", "2026-11-25T23:59Z")
    assert [m.channel for m in us.rate_metrics if m.name == "order_defect_rate"] == ["afn", "mfn"]
    assert all(m.channel is None for m in us.rate_metrics if m.name != "order_defect_rate")
    assert metric(de, "order_defect_rate", "afn").rate == 0.0008


def test_none_status_is_kept_as_no_data():
    us, de = parse("report.json")
    idr = metric(us, "invoice_defect_rate")
    assert (idr.status, idr.rate, idr.target_value) == ("NONE", 0.0, 0.05)
    assert metric(de, "order_defect_rate", "mfn").status == "NONE"
    assert metric(de, "late_shipment_rate").status == "NONE"
    assert metric(de, "invoice_defect_rate").status == "GOOD"
    assert len(de.rate_metrics) == 7


def test_policy_counts():
    us, de = parse("report.json")
    assert us.policy_counts == {
        "listing_policy_violations": 2,
        "received_ip_complaints": 1,
        "suspected_ip_violations": 0,
        "product_authenticity_complaints": 3,
        "product_condition_complaints": 0,
        "product_safety_complaints": None,  # status NONE
        "restricted_product_violations": 0,
        "food_and_product_safety_issues": None,  # no defectsCount
        "other_policy_violations": 1,
        "document_requests": 0,
        "customer_product_reviews_policy_violations": 0,  # unknown one, snake_case
    }
    assert set(de.policy_counts.values()) == {0}
    assert len(de.policy_counts) == 10


def test_warning_states_only_active_ones():
    us, de = parse("report.json")
    assert us.warning_states == ["spammingSellerMessaging"]  # offAmazonRedirect is GOOD
    assert de.warning_states == []


def test_alt_spellings_give_same_canonical_records():
    [alt] = parse("report_alt_spellings.json")
    us, _ = parse("report.json")
    assert metric(alt, "pre_fulfillment_cancel_rate").rate == 0.0056
    assert alt.policy_counts["document_requests"] == 0
    assert alt.warning_states == ["spammingSellerMessaging"]
    assert dataclasses.replace(alt, origin="report.json") == us


def test_gzip_report_variant_with_pascal_keys_and_status_only_marketplace():
    raw = (DATA / "report.json.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    uk, fr = parse_json_bytes(raw, "report.json.gz")
    assert (uk.marketplace, uk.account_status, uk.ahr_status, uk.ahr_score) == ("UK", "AT_RISK", "FAIR", 231)
    assert uk.marketplace_id == UK
    assert uk.report_date == "2026-11-23T23:59Z"
    lsr = metric(uk, "late_shipment_rate")
    assert (lsr.rate, lsr.status, lsr.target_value, lsr.target_condition) == (0.0125, "GOOD", 0.04, "LESS_THAN")
    assert metric(uk, "order_defect_rate", "afn").status == "GOOD"
    assert metric(uk, "order_defect_rate", "mfn").status == "NONE"
    assert uk.policy_counts["received_ip_complaints"] == 2
    assert uk.warning_states == ["listingPolicyWarning"]
    assert fr == HealthSnapshot(
        origin="report.json.gz", marketplace_id=FR, marketplace="FR", account_status="DEACTIVATED",
        ahr_status=None, ahr_score=None, rate_metrics=[], policy_counts={}, warning_states=[], report_date=None,
    )


def test_gzip_of_any_fixture_parses_like_plain():
    plain = (DATA / "report.json").read_bytes()
    assert parse_json_bytes(gzip.compress(plain), "r") == parse_json_bytes(plain, "r")


def test_unknown_marketplace_and_missing_id():
    doc = {"performanceMetrics": [{"marketplaceId": "AXXXXXXXXXXXX"}, {"lateShipmentRate": {"rate": 0.1}}]}
    snap, fail = parse_json_bytes(as_bytes(doc), "r.json")
    assert (snap.marketplace_id, snap.marketplace, snap.account_status) == ("AXXXXXXXXXXXX", None, None)
    assert fail == ImportFailure("r.json#performanceMetrics[1]", "performance metrics without marketplaceId")


def test_unknown_keys_ignored_and_single_string_warning():
    doc = {
        "accountStatuses": {"marketplaceId": US, "status": "warning"},
        "performanceMetrics": [{
            "marketplaceId": US,
            "accountHealthRating": {"status": "good", "ahrScore": "245"},
            "someNewBlock": {"note": "ignored"},
            "notes": "ignored too",
            "warningState": "restrictedProductsWarning",
        }],
    }
    [snap] = parse_json_bytes(as_bytes(doc), "r.json")
    assert (snap.account_status, snap.ahr_status, snap.ahr_score) == ("WARNING", "GOOD", 245)
    assert snap.rate_metrics == [] and snap.policy_counts == {}
    assert snap.warning_states == ["restrictedProductsWarning"]


def test_non_finite_and_non_numeric_rates_become_none():
    data = b'{"performanceMetrics": [{"marketplaceId": "ATVPDKIKX0DER", "lateShipmentRate": {"rate": NaN, "targetValue": Infinity, "status": "BAD"}, "validTrackingRate": {"rate": "n/a", "targetValue": true}, "listingPolicyViolations": {"defectsCount": 2.0, "status": "BAD"}}]}'
    [snap] = parse_json_bytes(data, "r.json")
    lsr = metric(snap, "late_shipment_rate")
    assert (lsr.rate, lsr.target_value, lsr.status) == (None, None, "BAD")
    vtr = metric(snap, "valid_tracking_rate")
    assert (vtr.rate, vtr.target_value, vtr.status) == (None, None, None)
    assert snap.policy_counts == {"listing_policy_violations": 2}


# --- failures and detection -----------------------------------------------------------------------


def test_broken_json():
    [fail] = parse("broken.json")
    assert fail.origin == "broken.json"
    assert fail.reason == "not valid JSON: Unterminated string starting at (line 9, column 7)"


def test_endless_wrapping_stops_with_a_failure():
    doc: object = notification()
    for _ in range(20):
        doc = {"Type": "Notification", "Message": json.dumps(doc)}
    [fail] = parse_json_bytes(as_bytes(doc), "deep.json")
    assert fail == ImportFailure("deep.json", "messages wrapped too deeply")
    doc = notification()
    for _ in range(3):
        doc = {"Type": "Notification", "Message": json.dumps(doc)}
    assert isinstance(parse_json_bytes(as_bytes({"Messages": [{"Body": json.dumps(doc)}]}), "ok")[0], StatusChange)


def test_not_spapi():
    assert parse("not_spapi.json") == [ImportFailure("not_spapi.json", NOT_SPAPI)]
    for doc in (b"[]", b"42", b'"text"', b"[1, 2]"):
        recs = parse_json_bytes(doc, "x")
        assert recs and all(r == ImportFailure(r.origin, NOT_SPAPI) for r in recs), doc


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"", "not valid JSON: empty input"),
        (b"\x1f\x8b\x08\x00garbage", "not valid gzip:"),
        (gzip.compress(b'{"a": 1}')[:-6], "not valid gzip:"),
        (b"\xff\xfe\xfd not text", "not valid JSON:"),
        (b"[" * 100_000, "not valid JSON:"),
        (b"1" * 5000, "not valid JSON:"),
    ],
)
def test_bad_bytes_give_one_line_failure(data, start):
    [fail] = parse_json_bytes(data, "bad")
    assert isinstance(fail, ImportFailure) and fail.origin == "bad"
    assert fail.reason.startswith(start)
    assert "\n" not in fail.reason and "\r" not in fail.reason


def test_bom_is_ignored():
    data = b"\xef\xbb\xbf" + (DATA / "status_camel.json").read_bytes()
    assert looks_like_json(data)
    [rec] = parse_json_bytes(data, "bom.json")
    assert rec.current_status == "AT_RISK"


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if p.is_file()))  # types/: its own test
def test_looks_like_json_accepts_every_fixture(name):
    assert looks_like_json((DATA / name).read_bytes())


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n", b"From: seller-performance@amazon.com\nSubject: x\n", b"hello {", b"\x1f\x8bnotgzip", b"\x00\x01"],
)
def test_looks_like_json_rejects(data):
    assert not looks_like_json(data)


def test_looks_like_json_lines_and_gzip():
    assert looks_like_json(b"\n  \n{\"a\": 1}\n[1]\n")
    assert looks_like_json(gzip.compress(b'  [{"a": 1}]'))
    assert not looks_like_json(gzip.compress(b"Dear Seller,"))


# --- never raises -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(
        st.sampled_from([
            "notificationType", "NotificationType", "payload", "accountStatusChangeNotification",
            "currentAccountStatus", "Messages", "Body", "Type", "Message", "accountStatuses", "performanceMetrics",
            "marketplaceId", "orderDefectRate", "afn", "rate", "warningStates", "defectsCount", "status",
        ]) | st.text(max_size=10),
        children,
        max_size=5,
    ),
    max_leaves=25,
)


def _check(records, origin):
    assert isinstance(records, list)
    for r in records:
        assert isinstance(r, StatusChange | SkippedNotification | HealthSnapshot | ImportFailure)
        if isinstance(r, SkippedNotification):
            assert r.notification_type and "\n" not in r.notification_type
            assert r.origin.startswith(origin)
        if isinstance(r, ImportFailure):
            assert r.reason and "\n" not in r.reason
            assert r.origin.startswith(origin)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data):
    _check(parse_json_bytes(data, "rnd"), "rnd")
    assert looks_like_json(data) in (True, False)
    _check(parse_json_bytes(b"\x1f\x8b" + data, "rnd"), "rnd")


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from(["plain", "sqs", "sns", "lines", "gzip"]))
def test_random_json_never_raises(value, wrap):
    text = json.dumps(value)
    if wrap == "sqs":
        data = as_bytes({"Messages": [{"Body": text}, {"Body": value}]})
    elif wrap == "sns":
        data = as_bytes({"Type": "Notification", "Message": text})
    elif wrap == "lines":
        data = (text + "\n" + text[: len(text) // 2] + "\n" + text).encode()
    elif wrap == "gzip":
        data = gzip.compress(text.encode())
    else:
        data = text.encode()
    _check(parse_json_bytes(data, "rnd"), "rnd")
