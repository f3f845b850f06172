"""A listing's issues (LISTINGS_ITEM_ISSUES_CHANGE) read as a flagdesk notice: fate, cause, severity, text.

Pure: the importer (console/ingest/pipeline.py) stores what this gives. The mapping is data
(console/ingest/data/listing_issues.toml): the first enforcement action present decides the fate — a
catalog item removed is `listings_removed`, a suppressed listing (from search, from sale, an attribute)
`listing_edited` ("Listing edited or suppressed") — and no action leaves a `warning`. The severity is the
most severe of what the severities say (ERROR high, WARNING medium) and what the action says. The cause
comes from the issues' categories when the payload lists issues; Amazon's published payloads do not, and
then the cause is not said.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from console.core.model import Severity
from console.ingest.spapi import MARKETPLACE_CODES, ListingIssuesChange

DATA_FILE = Path(__file__).parent / "data" / "listing_issues.toml"
TYPE = "LISTINGS_ITEM_ISSUES_CHANGE"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with open(DATA_FILE, "rb") as f:
        return tomllib.load(f)


@dataclass
class ListingReading:
    fate: str
    cause: str
    severity: str
    why: dict[str, Any]
    headline: str  # "Listing suppressed", "Listing issue"


def listing_key(change: ListingIssuesChange, account_id: int | None) -> str:
    """One listing: the seller (else the account it is filed under), the marketplace and the SKU."""
    seller = change.seller_id.upper() if change.seller_id else f"account:{account_id if account_id else '-'}"
    return f"{seller}|{(change.marketplace_id or '-').upper()}|{change.sku}"


def _most_severe(*severities: str) -> str:
    return min(severities, key=lambda s: Severity(s).rank)


def read_listing(change: ListingIssuesChange) -> ListingReading:
    data = _data()
    levels = data["severity"]
    severity = _most_severe("low", *(levels[s] for s in change.severities if s in levels))
    action = next((a for a in data["action"] if a["id"] in change.enforcement_actions), None)
    reported = ", ".join(change.severities)
    if action:
        fate, headline = action["fate"], action["subject"]
        severity = _most_severe(severity, action["severity"])
        fate_why = {"sentence": f"EnforcementActions: {', '.join(change.enforcement_actions)}",
                    "phrase": action["id"], "rule": action["id"]}
    else:
        fate, headline = data["no_action"]["fate"], data["no_action"]["subject"]
        fate_why = {"sentence": f"Severities: {reported}", "phrase": reported, "rule": "no enforcement action"}
    cause, cause_why = "other", None
    categories = data["categories"]
    for issue in sorted(change.issues, key=lambda i: Severity(levels.get(i.severity or "", "low")).rank):
        found = next((c for c in issue.categories if c in categories), None)
        if found:
            cause = categories[found]
            cause_why = {"sentence": f"issue {issue.code or '?'}: categories {', '.join(issue.categories)}",
                         "phrase": found, "rule": found}
            break
    why = {"fate": fate_why, "cause": cause_why, "deadline": None,
           "severity": f"the Selling Partner API reported the listing's issues as {reported}"}
    return ListingReading(fate, cause, severity, why, headline)


def _action_words(action: str) -> str:
    found = next((a for a in _data()["action"] if a["id"] == action), None)
    return f"{action}: {found['words']}" if found else action


def _where(change: ListingIssuesChange) -> str:
    code = MARKETPLACE_CODES.get((change.marketplace_id or "").upper())
    if code:
        return f"{code} ({change.marketplace_id})"
    return change.marketplace_id or "not given"


def listing_subject(change: ListingIssuesChange, reading: ListingReading) -> str:
    asin = f" (ASIN {change.asin})" if change.asin else ""
    if change.cleared:
        return f"Listing issues cleared: SKU {change.sku}{asin}"
    level = "error" if "ERROR" in change.severities else "warning" if "WARNING" in change.severities else None
    lead = f"{reading.headline} ({level})" if level and reading.fate == "warning" else reading.headline
    return f"{lead}: SKU {change.sku}{asin}"


def listing_body(change: ListingIssuesChange, earlier: list[int] | None = None) -> str:
    """The notice's text: what the notification says, line by line (stored text, cleaned when stored)."""
    version = f", payload {change.payload_version}" if change.payload_version else ""
    lines = [f"The Selling Partner API reported a change in a listing's issues ({TYPE}{version}).",
             f"SKU: {change.sku}",
             f"ASIN: {change.asin or 'not given'}",
             f"Marketplace: {_where(change)}",
             f"Seller: {change.seller_id or 'not given'}",
             f"Severities: {', '.join(change.severities)}"]
    if change.enforcement_actions:
        lines.append("Enforcement actions:")
        lines += [f"- {_action_words(a)}" for a in change.enforcement_actions]
    else:
        lines.append("Enforcement actions: none")
    if change.issues:
        lines.append("Issues:")
        for issue in change.issues:
            extra = []
            if issue.categories:
                extra.append(f"categories {', '.join(issue.categories)}")
            if issue.attributes:
                extra.append(f"attributes {', '.join(issue.attributes)}")
            if issue.actions:
                extra.append(f"enforcement {', '.join(issue.actions)}")
            detail = f" ({'; '.join(extra)})" if extra else ""
            lines.append(f"- [{issue.severity or '?'}] {issue.code or 'no code'}: {issue.message or 'no message'}{detail}")
    elif not change.cleared:
        lines.append("Issues: the notification names none; Seller Central or the Listings Items API "
                     "(getListingsItem with includedData=issues) lists each issue's code and message.")
    if earlier:
        lines.append("Earlier open notices about this listing: " + ", ".join(f"#{n}" for n in earlier) + ".")
    lines.append(f"Event time: {change.event_time.isoformat() if change.event_time else 'not given'}.")
    lines.append(f"Notification id: {change.notification_id or 'not given'}.")
    return "\n".join(lines)


def clear_reason(change: ListingIssuesChange) -> str:
    """The audit's words for a notice resolved by a notification that clears its listing."""
    at = change.event_time.isoformat() if change.event_time else "time not given"
    return (f"{TYPE} {change.notification_id or '(no id)'} at {at}: no issue affects SKU {change.sku} "
            f"any more (Severities {', '.join(change.severities)})")
