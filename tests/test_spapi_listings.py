"""LISTINGS_ITEM_ISSUES_CHANGE becomes a listing notice, and a later one clearing the listing resolves it.

tests/data/spapi/listings/ holds invented notifications in the shapes Amazon publishes: payload versions 1.0
and 2023-12-13 (PascalCase), a clearing one (Severities NONE, lowerCamelCase) and one that also carries the
listing's issues in the Listings Items API's shape (code, message, severity, categories, enforcements).
Everything goes through `flagdesk import` (or the Desk's importer), as a cron job or an operator runs it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.core.errors import ConflictError
from console.core.model import Status

LISTINGS = Path(__file__).parent / "data" / "spapi" / "listings"
SQS = lambda *docs: {"Messages": [{"MessageId": f"m{i}", "ReceiptHandle": f"r{i}",  # noqa: E731
                                   "Body": json.dumps(d)} for i, d in enumerate(docs)]}


def doc(name: str) -> dict:
    return json.loads((LISTINGS / f"{name}.json").read_text())


def variant(name: str, notification_id: str, event_time: str | None = None, **payload) -> dict:
    """A fixture with another notificationId and some payload fields replaced (PascalCase fixtures)."""
    d = doc(name)
    d["NotificationMetadata"]["NotificationId"] = notification_id
    if event_time:
        d["EventTime"] = event_time
    d["Payload"].update(payload)
    return d


@pytest.fixture
def cli(tmp_path, run):
    db = str(tmp_path / "cli.db")
    code, out, err = run("accounts", "add", "Northwind", "--marketplace", "US", "--seller-id", "A2FLAGDESKTEST",
                         "--db", db)
    assert code == 0, out + err
    return lambda *args: run(*args, "--db", db)


@pytest.fixture
def write(tmp_path):
    def _write(name: str, content) -> str:
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)
    return _write


def notices(cli, *args) -> list[dict]:
    code, out, err = cli("list", "--json", *args)
    assert code == 0, err
    return sorted(json.loads(out), key=lambda n: n["id"])


def test_both_payload_versions_become_listing_notices(cli):
    code, out, _ = cli("import", str(LISTINGS / "v1.json"), str(LISTINGS / "v2023.json"))
    assert code == 0 and out.splitlines()[0] == "imported 2, duplicates 0, skipped 0, failed 0"
    v1, v2023 = notices(cli)
    # The account is the one whose seller id the payload names: no --account needed.
    assert (v1["account"], v1["marketplace"], v1["skus"], v1["asins"]) == ("Northwind", "US", ["FD-LAMP-07"],
                                                                         ["B0FDLAMP07"])
    assert v1["subject"] == "Listing suppressed from search: SKU FD-LAMP-07 (ASIN B0FDLAMP07)"
    assert (v1["fate"], v1["cause"], v1["severity"], v1["source"]) == ("listing_edited", "other", "high",
                                                                      "spapi-listing")
    assert v1["fate_label"] == "Listing edited or suppressed"
    assert v1["received_at"] == "2025-04-02T08:15:00Z"
    for line in ("SKU: FD-LAMP-07", "ASIN: B0FDLAMP07", "Marketplace: US (ATVPDKIKX0DER)",
                 "Severities: ERROR, WARNING", "- SEARCH_SUPPRESSED: the listing is hidden from search results",
                 "LISTINGS_ITEM_ISSUES_CHANGE, payload 1.0"):
        assert line in v1["body"], line
    assert "names none" in v1["body"]  # the published payloads carry no issue codes: said, not invented
    assert v2023["subject"] == "Listing suppressed: SKU FD-LAMP-07 (ASIN B0FDLAMP07)"
    assert (v2023["fate"], v2023["severity"]) == ("listing_edited", "high")
    assert "- LISTING_SUPPRESSED: the listing is suppressed: it cannot be bought" in v2023["body"]
    assert f"Earlier open notices about this listing: #{v1['id']}." in v2023["body"]
    code, out, _ = cli("show", str(v2023["id"]))
    assert "high: the Selling Partner API reported the listing's issues as ERROR" in out


def test_each_issue_code_message_severity_and_category(cli):
    code, _, _ = cli("import", str(LISTINGS / "with_issues.json"))
    [n] = notices(cli)
    assert "- [ERROR] FD1042: The kettle needs an approval for this category before it can be offered. " \
           "(categories QUALIFICATION_REQUIRED; enforcement LISTING_SUPPRESSED)" in n["body"]
    assert "- [WARNING] FD2210: The main image has a coloured background; use a plain white one. " \
           "(categories INVALID_IMAGE; attributes main_product_image_locator)" in n["body"]
    # The ERROR issue's category decides the cause; the action the fate.
    assert (n["fate"], n["cause"], n["severity"]) == ("listing_edited", "restricted_products", "high")
    assert n["why"]["cause"]["phrase"] == "QUALIFICATION_REQUIRED"


def test_warning_and_catalog_removal_readings(cli, write):
    warning = variant("v1", "7a2e0c11-4b1d-4f0e-9d6c-000000000201", Sku="FD-MAT-3", Asin="B0FDMAT003",
                      Severities=["WARNING"], EnforcementActions=[])
    removed = variant("v2023", "7a2e0c11-4b1d-4f0e-9d6c-000000000202", Sku="FD-RUG-9",
                      EnforcementActions=["SEARCH_SUPPRESSED", "CATALOG_ITEM_REMOVED"])
    del removed["Payload"]["Asin"]
    code, out, _ = cli("import", write("two.json", SQS(warning, removed)))
    assert code == 0, out
    w, r = notices(cli)
    assert w["subject"] == "Listing issue (warning): SKU FD-MAT-3 (ASIN B0FDMAT003)"
    assert (w["fate"], w["severity"]) == ("warning", "medium")
    assert r["subject"] == "Listing removed from the catalog: SKU FD-RUG-9" and r["asins"] == []
    assert (r["fate"], r["severity"]) == ("listings_removed", "high") and "ASIN: not given" in r["body"]


def test_cleared_issues_resolve_the_listings_open_notices_with_an_audit_row(cli, tmp_path):
    other = variant("v1", "7a2e0c11-4b1d-4f0e-9d6c-000000000301", Sku="FD-LAMP-08")
    (tmp_path / "other.json").write_text(json.dumps(other))
    first = [str(LISTINGS / "v1.json"), str(LISTINGS / "v2023.json"), str(tmp_path / "other.json")]
    assert cli("import", *first)[0] == 0
    code, out, _ = cli("import", str(LISTINGS / "cleared.json"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "imported 0, duplicates 0, skipped 0, failed 0"
    assert "listings cleared 1; resolved 2 open notices the Selling Partner API says are over" in lines
    lamp, lamp2, other_sku = notices(cli)
    assert (lamp["status"], lamp2["status"], other_sku["status"]) == ("resolved", "resolved", "new")
    code, out, _ = cli("audit", "--json")
    rows = [r for r in json.loads(out) if r["action"] == "notification.status"]
    assert sorted(r["row_id"] for r in rows) == [lamp["id"], lamp2["id"]]
    assert all(r["detail"]["status"] == ["new", "resolved"] and "7a2e0c11-4b1d-4f0e-9d6c-000000000103"
               in r["detail"]["reason"] and "no issue affects SKU FD-LAMP-07" in r["detail"]["reason"]
               for r in rows)
    # Re-importing everything adds nothing and resolves nothing again.
    code, out, _ = cli("import", *first, str(LISTINGS / "cleared.json"))
    assert code == 0 and out.splitlines()[0] == "imported 0, duplicates 4, skipped 0, failed 0"
    assert not any(x.startswith("listings cleared") for x in out.splitlines())
    assert len(notices(cli)) == 3
    code, out, _ = cli("audit", "--json")
    assert len([r for r in json.loads(out) if r["action"] == "notification.status"]) == 2


def test_a_notice_delivered_after_the_clear_is_resolved_at_once(cli, write):
    """SQS does not keep order: the clearing notification may come first. An issue reported before it is
    stored resolved (audited); one reported after it stays open."""
    later = variant("v1", "7a2e0c11-4b1d-4f0e-9d6c-000000000401", event_time="2025-04-06T10:00:00.000Z")
    code, out, _ = cli("import", "--json", str(LISTINGS / "cleared.json"))
    assert code == 0 and (json.loads(out)["listings_cleared"], json.loads(out)["resolved"]) == (1, 0)
    code, out, _ = cli("import", "--json", str(LISTINGS / "v1.json"), write("later.json", later))
    data = json.loads(out)
    assert code == 0 and (data["imported"], data["listings_cleared"], data["resolved"]) == (2, 0, 1)
    early, late = notices(cli)
    assert (early["status"], late["status"]) == ("resolved", "new")
    code, out, _ = cli("audit", "--json")
    [row] = [r for r in json.loads(out) if r["action"] == "notification.status"]
    assert row["row_id"] == early["id"] and "cleared SKU FD-LAMP-07 after this one" in row["detail"]["reason"]


def test_the_import_never_overwrites_an_operators_edit_in_flight(desk):
    """An operator has the notice open (its version) when the clearing notification is imported: their
    change is refused as a conflict, not written over the resolution."""
    desk.add_account("Northwind", ["US"], seller_id="A2FLAGDESKTEST")
    desk.import_paths([LISTINGS / "v1.json"])
    [row] = desk.page(desk.parse_filter(""), 0, 10)
    seen = desk.notification(row["id"])
    summary = desk.import_paths([LISTINGS / "cleared.json"])
    assert (summary.cleared, summary.resolved) == (1, 1)
    with pytest.raises(ConflictError):
        desk.set_status(seen.id, Status.IN_PROGRESS, expected_version=seen.version)
    assert desk.notification(seen.id).status is Status.RESOLVED


def test_an_unknown_seller_is_unassigned_and_dry_run_stores_nothing(tmp_path, run):
    db = str(tmp_path / "other.db")
    assert run("accounts", "add", "Brightwater", "--marketplace", "US", "--db", db)[0] == 0
    code, out, _ = run("import", "--dry-run", str(LISTINGS / "v1.json"), "--db", db)
    assert code == 0 and out.splitlines()[0].startswith("(dry run) imported 1")
    code, out, _ = run("list", "--json", "--db", db)
    assert json.loads(out) == []
    code, out, _ = run("import", str(LISTINGS / "v1.json"), "--db", db)
    assert "(1 unassigned: assign them in the console)" in out.splitlines()[0]


def test_a_notification_without_a_sku_fails_alone(cli, write):
    bad = variant("v1", "7a2e0c11-4b1d-4f0e-9d6c-000000000501")
    del bad["Payload"]["Sku"]
    code, out, _ = cli("import", write("bad.json", SQS(bad, doc("v2023"))))
    assert code == 1
    assert out.splitlines()[0] == "imported 1, duplicates 0, skipped 0, failed 1"
    assert any(x.startswith("failed ") and x.endswith("Messages[0]: LISTINGS_ITEM_ISSUES_CHANGE notification "
                                                     "without a Sku") for x in out.splitlines())


def test_hostile_text_in_a_listing_is_cleaned(cli, write):
    hostile = variant("with_issues", "7a2e0c11-4b1d-4f0e-9d6c-000000000601", Sku="FD-\x1b[31mRED\x1b[0m")
    hostile["Payload"]["Issues"][0]["message"] = "Bad \x1b]52;c;Zm9v\x07 message\u202e"
    assert cli("import", write("hostile.json", hostile))[0] == 0
    [n] = notices(cli)
    for text in (n["subject"], n["body"], *n["skus"]):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
