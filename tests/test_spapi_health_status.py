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
