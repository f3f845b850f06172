"""Every SP-API notification type has an outcome, in every envelope a seller's destination delivers.

tests/data/spapi/types/ holds one invented notification per type Amazon publishes a sample of (in the shapes
of those samples: PascalCase or lowerCamelCase keys, the type's own payload). The envelopes are built here
around them: an `aws sqs receive-message` dump, a Lambda SQS event (lowerCamelCase), SNS inside an SQS body,
and an EventBridge event (`detail-type`, `source`, `detail`). ACCOUNT_STATUS_CHANGED and LISTINGS_ITEM_ISSUES_CHANGE
are imported; every other type is skipped, counted by type; only unreadable input fails.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from console.ingest.pipeline import Importer
from console.ingest.spapi import (
    ImportFailure,
    ListingIssuesChange,
    SkippedNotification,
    StatusChange,
    parse_json_bytes,
)

TYPES = Path(__file__).parent / "data" / "spapi" / "types"
ACCOUNT = "ACCOUNT_STATUS_CHANGED"
LISTING = "LISTINGS_ITEM_ISSUES_CHANGE"
TRACKED = [ACCOUNT, LISTING]
ALL_TYPES = sorted(p.stem for p in TYPES.glob("*.json"))
UNTRACKED = [t for t in ALL_TYPES if t not in TRACKED]
SOURCE = "aws.partner/sellingpartnerapi.amazon/amzn1.sellerapps.app.0f0f0f0f-1111-4222-8333-944445555666"


def sample(kind: str) -> dict:
    return json.loads((TYPES / f"{kind}.json").read_text())


def sqs_dump(*bodies: dict) -> dict:
    return {"Messages": [{"MessageId": f"msg-{i}", "ReceiptHandle": f"rh-{i}", "MD5OfBody": "0" * 32,
                          "Body": json.dumps(body)} for i, body in enumerate(bodies)]}


def lambda_sqs(*bodies: dict) -> dict:
    return {"Records": [{"messageId": f"lam-{i}", "receiptHandle": f"r-{i}", "body": json.dumps(body),
                         "attributes": {}, "messageAttributes": {}, "md5OfBody": "0" * 32, "eventSource": "aws:sqs",
                         "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:flagdesk-test", "awsRegion": "us-east-1"}
                        for i, body in enumerate(bodies)]}


def sns(body: dict) -> dict:
    return {"Type": "Notification", "MessageId": "sns-1", "TopicArn": "arn:aws:sns:us-east-1:123456789012:fd-test",
            "Message": json.dumps(body), "Timestamp": "2025-03-04T10:00:01.000Z", "SignatureVersion": "1",
            "Signature": "c2lnbmF0dXJl", "SigningCertURL": "https://sns.us-east-1.amazonaws.com/cert.pem",
            "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"}


def eventbridge(body: dict) -> dict:
    kind = body.get("notificationType") or body.get("NotificationType")
    return {"version": "0", "id": f"eb-{kind}", "detail-type": kind, "source": SOURCE, "account": "123456789012",
            "time": "2025-03-04T10:00:02Z", "region": "us-east-1", "resources": [], "detail": body}


ENVELOPES = {
    "raw": lambda body: body,
    "SQS": sqs_dump,
    "SQS lowerCamelCase": lambda_sqs,
    "SNS in SQS": lambda body: sqs_dump(sns(body)),
    "EventBridge": eventbridge,
    "EventBridge in SQS": lambda body: sqs_dump(eventbridge(body)),
}
LABEL = {"SQS lowerCamelCase": "SQS"}


def as_bytes(doc) -> bytes:
    return json.dumps(doc).encode()


def test_fixtures_cover_the_published_types():
    assert set(TRACKED) <= set(ALL_TYPES) and len(UNTRACKED) == 22
    for kind in ALL_TYPES:
        doc = sample(kind)
        assert (doc.get("notificationType") or doc.get("NotificationType")) == kind


@pytest.mark.parametrize("envelope", list(ENVELOPES))
@pytest.mark.parametrize("kind", UNTRACKED)
def test_untracked_type_is_skipped_in_every_envelope(kind, envelope):
    [rec] = parse_json_bytes(as_bytes(ENVELOPES[envelope](sample(kind))), "q.json")
    assert isinstance(rec, SkippedNotification), rec
    assert rec.notification_type == kind and rec.envelope == LABEL.get(envelope, envelope)


@pytest.mark.parametrize("envelope", list(ENVELOPES))
def test_account_status_change_is_read_in_every_envelope(envelope):
    [rec] = parse_json_bytes(as_bytes(ENVELOPES[envelope](sample(ACCOUNT))), "q.json")
    assert isinstance(rec, StatusChange), rec
    assert (rec.previous_status, rec.current_status) == ("NORMAL", "AT_RISK")
    assert rec.notification_id == "5f1c0a7e-90b2-4d1e-8c3a-000000000001"
    assert rec.envelope == LABEL.get(envelope, envelope)


@pytest.mark.parametrize("envelope", list(ENVELOPES))
def test_listing_issues_change_is_read_in_every_envelope(envelope):
    [rec] = parse_json_bytes(as_bytes(ENVELOPES[envelope](sample(LISTING))), "q.json")
    assert isinstance(rec, ListingIssuesChange), rec
    assert (rec.sku, rec.asin, rec.marketplace_id) == ("FD-MUG-BLUE", "B0FDTEST01", "ATVPDKIKX0DER")
    assert (rec.severities, rec.enforcement_actions, rec.cleared) == (["ERROR"], ["SEARCH_SUPPRESSED"], False)
    assert rec.notification_id == "5f1c0a7e-90b2-4d1e-8c3a-000000000014"
    assert rec.envelope == LABEL.get(envelope, envelope)


def test_eventbridge_detail_without_a_type_takes_the_detail_type():
    detail = sample(ACCOUNT)
    del detail["notificationType"]
    detail["payload"] = {"currentAccountStatus": "WARNING"}  # not the usual shape: read by detail-type alone
    event = {**eventbridge(sample(ACCOUNT)), "detail": detail}
    [rec] = parse_json_bytes(as_bytes(event), "eb.json")
    assert isinstance(rec, StatusChange) and rec.current_status == "WARNING" and rec.envelope == "EventBridge"
    other = {**eventbridge(sample("ORDER_CHANGE")), "detail": {"payload": {}}}
    assert parse_json_bytes(as_bytes(other), "eb.json") == [SkippedNotification("eb.json", "ORDER_CHANGE")]


def test_unreadable_notification_type_still_fails():
    doc = sample("ORDER_CHANGE")
    doc["NotificationType"] = 42
    [rec] = parse_json_bytes(as_bytes(doc), "n.json")
    assert isinstance(rec, ImportFailure) and "notificationType" in rec.reason


# --- a seller's shared queue, imported -------------------------------------------------------------------


def mixed_queue(path: Path) -> tuple[Path, Counter, Counter]:
    """Every untracked type plus one ACCOUNT_STATUS_CHANGED and one LISTINGS_ITEM_ISSUES_CHANGE, each in a
    different envelope, as JSON lines; the expected skipped counts by type and notifications by envelope."""
    names = list(ENVELOPES)
    lines, types, envelopes = [], Counter(), Counter()
    for i, kind in enumerate([*UNTRACKED, *TRACKED]):
        envelope = names[i % len(names)]
        lines.append(json.dumps(ENVELOPES[envelope](sample(kind))))
        envelopes[LABEL.get(envelope, envelope)] += 1
        if kind not in TRACKED:
            types[kind] += 1
    # A second ORDER_CHANGE and ANY_OFFER_CHANGED in one receive-message dump, behind SNS and EventBridge.
    lines.append(json.dumps(sqs_dump(sns(sample("ORDER_CHANGE")), eventbridge(sample("ANY_OFFER_CHANGED")))))
    types.update(["ORDER_CHANGE", "ANY_OFFER_CHANGED"])
    envelopes.update(["SNS in SQS", "EventBridge in SQS"])
    path.write_text("\n".join(lines) + "\n")
    return path, types, envelopes


@pytest.fixture
def cli(tmp_path, run):
    db = str(tmp_path / "cli.db")
    code, _, _ = run("accounts", "add", "Northwind", "--marketplace", "US", "--db", db)
    assert code == 0
    return lambda *args: run(*args, "--db", db)


def test_mixed_queue_imports_the_account_status_and_the_listing_issues_and_skips_the_rest(tmp_path, cli):
    queue, types, envelopes = mixed_queue(tmp_path / "queue.jsonl")
    skipped = sum(types.values())
    code, out, err = cli("import", "--account", "Northwind", str(queue))
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0] == f"imported 2, duplicates 0, skipped {skipped}, failed 0"
    [line] = [x for x in lines if "does not track" in x]
    assert line.startswith(f"skipped {skipped} SP-API notifications flagdesk does not track: "
                           "ANY_OFFER_CHANGED 2, ORDER_CHANGE 2, ")
    for kind in UNTRACKED:
        assert f" {kind} {types[kind]}" in line
    assert LISTING not in line and ACCOUNT not in line
    [env] = [x for x in lines if x.startswith("envelopes: ")]
    assert env == ("envelopes: " + ", ".join(f"{e} {envelopes[e]}" for e in
                   ("raw", "SQS", "SNS in SQS", "EventBridge", "EventBridge in SQS")))
    assert not any(x.startswith(("failed ", "warning ")) for x in lines)

    code, out, _ = cli("import", "--account", "Northwind", str(queue))  # again: nothing new
    assert code == 0 and out.splitlines()[0] == f"imported 0, duplicates 2, skipped {skipped}, failed 0"
    code, out, _ = cli("list", "--json")
    notices = {n["source"]: n for n in json.loads(out)}
    assert set(notices) == {"spapi", "spapi-listing"}
    assert notices["spapi"]["subject"] == "Account status: NORMAL → AT_RISK"
    listing = notices["spapi-listing"]
    assert listing["subject"] == "Listing suppressed from search: SKU FD-MUG-BLUE (ASIN B0FDTEST01)"
    assert (listing["account"], listing["marketplace"], listing["skus"], listing["asins"]) == (
        "Northwind", "US", ["FD-MUG-BLUE"], ["B0FDTEST01"])
    assert (listing["fate"], listing["severity"], listing["status"]) == ("listing_edited", "high", "new")


def test_mixed_queue_json_lists_skipped_types_and_envelopes(tmp_path, cli):
    queue, types, envelopes = mixed_queue(tmp_path / "queue.jsonl")
    code, out, _ = cli("import", "--account", "Northwind", "--json", str(queue))
    assert code == 0
    data = json.loads(out)
    assert data["imported"] == 2 and data["failed"] == [] and data["skipped"] == []
    assert data["skipped_types"] == dict(types)
    assert list(data["skipped_types"])[:2] == ["ANY_OFFER_CHANGED", "ORDER_CHANGE"]  # most first
    assert data["envelopes"] == dict(envelopes)


def test_eventbridge_account_status_change_imports(desk):
    desk.add_account("Northwind", ["US"], [])
    path = desk.store.path.parent / "eb.json"
    path.write_text(json.dumps(eventbridge(sample(ACCOUNT))))
    summary = Importer(desk, "Northwind").run([path])
    assert (summary.imported, summary.failed, summary.skipped_types) == (1, [], Counter())
    assert summary.envelopes == Counter({"EventBridge": 1})
    [row] = desk.store.rows("SELECT subject, source FROM notifications")
    assert (row["subject"], row["source"]) == ("Account status: NORMAL → AT_RISK", "spapi")


def test_broken_json_still_fails_with_its_line_and_column(tmp_path, cli):
    broken = tmp_path / "broken.json"  # a trailing comma, as in one published example
    broken.write_text('{\n  "NotificationType": "PRODUCT_TYPE_DEFINITIONS_CHANGE",\n'
                      '  "Payload": {"NewProductTypes": ["MUG",\n  ]}\n}\n')
    code, out, _ = cli("import", "--account", "Northwind", str(broken))
    assert code == 1
    [failed] = [x for x in out.splitlines() if x.startswith("failed ")]
    assert "not valid JSON" in failed and "(line 4, column 3)" in failed


def test_a_failed_file_leaves_no_counts_behind(desk):
    """A file whose transaction fails is rolled back in the summary too, skipped types and envelopes included."""
    desk.add_account("Northwind", ["US"], [])
    importer = Importer(desk, "Northwind")
    path = desk.store.path.parent / "q.json"
    path.write_text(json.dumps(sqs_dump(sample("ORDER_CHANGE"), sample(ACCOUNT))))

    def boom(change):
        raise ValueError("refused")

    importer._status_change = boom
    summary = importer.run([path])
    assert summary.skipped_types == Counter() and summary.envelopes == Counter()
    assert [r for _, r in summary.failed] == ["cannot import: refused"]
