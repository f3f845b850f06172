"""The marketplace statuses of an Account Health report reach the inbox: once per change, not per report.

tests/data/spapi/health/three_marketplaces.json is an invented report in the shape of the one Amazon
publishes (three marketplaces, US AT_RISK, CA NORMAL, MX SUSPENDED, metrics for the US only); the tests
write later reports from it with other statuses and figures, and import them with `flagdesk import`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPORT = Path(__file__).parent / "data" / "spapi" / "health" / "three_marketplaces.json"
IDS = {"US": "ATVPDKIKX0DER", "CA": "A2EUQ1WTGCTBG2", "MX": "A1AM78C64UM0Y8"}


@pytest.fixture
def cli(tmp_path, run):
    db = str(tmp_path / "cli.db")
    code, out, err = run("accounts", "add", "Northwind", "--marketplace", "US", "--marketplace", "CA",
                         "--marketplace", "MX", "--db", db)
    assert code == 0, out + err
    return lambda *args: run(*args, "--db", db)


@pytest.fixture
def report(tmp_path):
    """A report file: the fixture with these statuses and this late shipment rate."""
    made = []

    def _report(late_rate: float = 0.0170, **statuses: str) -> str:
        doc = json.loads(REPORT.read_text())
        for entry in doc["accountStatuses"]:
            code = next(c for c, i in IDS.items() if i == entry["marketplaceId"])
            entry["status"] = statuses.get(code, entry["status"])
        doc["performanceMetrics"][0]["lateShipmentRate"]["rate"] = late_rate
        path = tmp_path / f"report-{len(made)}.json"
        path.write_text(json.dumps(doc))
        made.append(path)
        return str(path)
    return _report


def status_notices(cli) -> list[dict]:
    code, out, _ = cli("list", "--json")
    return sorted((n for n in json.loads(out) if n["subject"].startswith("Account status on")), key=lambda n: n["id"])


def test_a_marketplace_turning_at_risk_or_suspended_becomes_a_notice_once(cli, report):
    code, out, _ = cli("import", "--account", "Northwind", report())
    assert code == 0 and out.splitlines()[0] == "imported 2, duplicates 0, skipped 0, failed 0; 3 health snapshots"
    us, mx = status_notices(cli)
    assert us["subject"] == "Account status on US: not reported → AT_RISK" and us["marketplace"] == "US"
    assert (us["fate"], us["severity"], us["source"]) == ("account_at_risk", "critical", "spapi-report")
    assert mx["subject"] == "Account status on MX: not reported → SUSPENDED" and mx["marketplace"] == "MX"
    assert (mx["fate"], mx["severity"]) == ("account_deactivated", "critical")
    assert "shows the account SUSPENDED on MX (A1AM78C64UM0Y8)" in mx["body"]

    # The next report: the same statuses, other figures. New snapshots, no new status notice.
    code, out, _ = cli("import", "--account", "Northwind", report(late_rate=0.0210))
    assert code == 0 and out.splitlines()[0] == "imported 0, duplicates 2, skipped 0, failed 0; 1 health snapshots"
    assert len(status_notices(cli)) == 2

    # US gets worse: a notice of that change.
    assert cli("import", "--account", "Northwind", report(US="SUSPENDED"))[0] == 0
    *_, worse = status_notices(cli)
    assert worse["subject"] == "Account status on US: AT_RISK → SUSPENDED"
    assert worse["fate"] == "account_deactivated"
    code, out, _ = cli("health", "Northwind", "--json")
    history = [(h["marketplace"], h["previous"], h["current"]) for h in json.loads(out)["status_history"]]
    assert history == [("US", None, "AT_RISK"), ("MX", None, "SUSPENDED"), ("US", "AT_RISK", "SUSPENDED")]


def test_back_to_normal_resolves_the_reports_open_status_notices(cli, report):
    assert cli("import", "--account", "Northwind", report())[0] == 0
    assert cli("import", "--account", "Northwind", report(US="SUSPENDED"))[0] == 0
    code, out, _ = cli("import", "--account", "Northwind", report(US="NORMAL"))
    assert code == 0
    assert "resolved 2 open notices the Selling Partner API says are over" in out.splitlines()
    notices = status_notices(cli)
    assert [(n["marketplace"], n["status"]) for n in notices] == [("US", "resolved"), ("MX", "new"),
                                                                    ("US", "resolved")]
    code, out, _ = cli("audit", "--json")
    rows = [r for r in json.loads(out) if r["action"] == "notification.status"]
    assert sorted(r["row_id"] for r in rows) == sorted(n["id"] for n in notices if n["marketplace"] == "US")
    assert all(r["detail"]["reason"] == "the Account Health report shows the account NORMAL on US again "
                                        "(was SUSPENDED)" for r in rows)
    # The same reports again: nothing new, nothing resolved again.
    code, out, _ = cli("import", "--account", "Northwind", report(US="NORMAL"))
    assert code == 0 and out.splitlines()[0].startswith("imported 0,") and "resolved" not in out


# --- marketplaces the account does not list ----------------------------------------------------------------


LISTING = Path(__file__).parent / "data" / "spapi" / "listings" / "v1.json"


def test_unlisted_marketplaces_are_kept_flagged_with_one_warning_each_then_added(tmp_path, run, report):
    db = str(tmp_path / "us-only.db")
    cli = lambda *args: run(*args, "--db", db)  # noqa: E731
    assert cli("accounts", "add", "Northwind", "--marketplace", "US")[0] == 0
    in_ca = json.loads(LISTING.read_text())
    in_ca["Payload"]["MarketplaceId"] = IDS["CA"]
    (tmp_path / "ca.json").write_text(json.dumps(in_ca))
    code, out, _ = cli("import", "--account", "Northwind", report(), report(late_rate=0.03), str(tmp_path / "ca.json"))
    assert code == 0
    warnings = [x for x in out.splitlines() if x.startswith("warning ")]
    # One line per account and marketplace, whatever number of snapshots and notices were filed there.
    assert [w.split(": ", 1)[1] for w in warnings] == [
        'account Northwind does not list marketplace CA: kept, flagged as not listed '
        '(add it: flagdesk accounts add-marketplace "Northwind" CA)',
        'account Northwind does not list marketplace MX: kept, flagged as not listed '
        '(add it: flagdesk accounts add-marketplace "Northwind" MX)']
    code, out, _ = cli("health", "Northwind", "--json")
    snaps = json.loads(out)["snapshots"]
    assert sorted((s["marketplace"], s["listed"]) for s in snaps) == [("CA", False), ("MX", False), ("US", True),
                                                                        ("US", True)]
    code, out, _ = cli("health", "Northwind")
    assert any(" MX (not listed): SUSPENDED" in line for line in out.splitlines())
    code, out, _ = cli("list", "--json")
    kept = {n["marketplace"]: n for n in json.loads(out) if n["marketplace"] != "US"}
    assert kept["MX"]["subject"] == "Account status on MX: not reported → SUSPENDED"
    assert kept["CA"]["skus"] == ["FD-LAMP-07"]
    assert [n["marketplace_listed"] for n in kept.values()] == [False, False]
    code, out, _ = cli("show", str(kept["MX"]["id"]))
    assert 'marketplace: MX (not listed for Northwind: flagdesk accounts add-marketplace "Northwind" MX)' in out

    code, out, err = cli("accounts", "add-marketplace", "Northwind", "ca", "MX")
    assert code == 0, err
    assert out.strip() == ("Added CA, MX to Northwind (US, CA, MX); 2 notices and 2 health snapshots there no "
                           "longer flagged as not listed")
    code, out, _ = cli("list", "--json")
    assert all(n["marketplace_listed"] for n in json.loads(out))
    code, out, _ = cli("audit", "--json")
    [row] = [r for r in json.loads(out) if r["action"] == "account.marketplaces"]
    assert row["detail"] == {"name": "Northwind", "added": ["CA", "MX"], "marketplaces": ["US", "CA", "MX"]}
    code, out, _ = cli("accounts", "add-marketplace", "Northwind", "CA")
    assert code == 0 and out.strip() == "Northwind already lists CA: nothing changed"


@pytest.mark.parametrize("args, message", [
    (("Northwind", "XX"), "'XX' is not an Amazon marketplace code"),
    (("Northwind", "C A"), "is not a marketplace code like US, UK, DE"),
    (("Nobody", "CA"), "unknown account 'Nobody'"),
])
def test_add_marketplace_refuses_what_is_not_one(cli, args, message):
    code, out, err = cli("accounts", "add-marketplace", *args)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    code, out, _ = cli("accounts", "list", "--json")
    assert json.loads(out)[0]["marketplaces"] == ["US", "CA", "MX"]
