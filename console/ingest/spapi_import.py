"""Importing Selling Partner API records: account status changes, listing issues, Account Health reports.

The Selling Partner API half of the importer (console/ingest/pipeline.py's `Importer` is one of these):
each record of `spapi.parse_json_bytes` is stored inside the transaction of its file. What the API says is
stored as it says it (no text is read for a fate): a status is a fate by STATUS_FATE, a listing's issues by
console/ingest/listings.py, a report's metrics by METRIC_CATEGORY and POLICY_CATEGORY.
"""

from __future__ import annotations

import hashlib

from console.core.textsafe import one_line
from console.ingest import listings, spapi
from console.store import health as health_store
from console.store import listings as listings_store
from console.store import notifications as notes
from console.store.notifications import NewNotification
from console.store.reads import STATUS_STATES

# New account status -> the severity and the fate of the notification it becomes (its cause is not said).
STATUS_SEVERITY = {"DEACTIVATED": "critical", "SUSPENDED": "critical", "AT_RISK": "critical",
                   "WARNING": "high", "NORMAL": "low"}
# The statuses that make an account's state are console/store/reads.py's (the quick `status` reads them there).
STATUS_FATE = {**STATUS_STATES, "WARNING": "warning", "NORMAL": "information"}
# The statuses of a marketplace in an Account Health report that become a notice when a report turns to one.
REPORT_ALERTS = tuple(STATUS_STATES)
METRIC_CATEGORY = {"order_defect_rate": "order_defect_rate", "late_shipment_rate": "late_shipment_rate",
                   "pre_fulfillment_cancel_rate": "cancel_rate", "valid_tracking_rate": "valid_tracking_rate"}
POLICY_CATEGORY = {"received_ip_complaints": "ip_complaint", "suspected_ip_violations": "ip_suspected",
                   "product_authenticity_complaints": "authenticity", "product_condition_complaints":
                   "product_condition", "product_safety_complaints": "product_safety",
                   "food_and_product_safety_issues": "product_safety", "restricted_product_violations":
                   "restricted_products", "listing_policy_violations": "listing_policy"}


class SpapiImport:
    """The importer's Selling Partner API records (a base of `Importer`, which gives it `store`, `desk`,
    `summary`, `forced`, `accounts`, `by_name`, `by_seller`, `_add`, `_exists` and `_marketplace`)."""

    def _spapi_record(self, record) -> None:
        if isinstance(record, spapi.ImportFailure):
            self.summary.failed.append((record.origin, record.reason))
        elif isinstance(record, spapi.SkippedNotification):
            # A type flagdesk does not track (offers, orders, feeds, ...): counted, not failed.
            self.summary.skipped_types[record.notification_type] += 1
            self.summary.envelopes[record.envelope] += 1
        elif isinstance(record, spapi.StatusChange):
            self.summary.envelopes[record.envelope] += 1
            self._status_change(record)
        elif isinstance(record, spapi.ListingIssuesChange):
            self.summary.envelopes[record.envelope] += 1
            self._listing_change(record)
        else:
            self._snapshot(record)

    def _spapi_account(self, *ids: str | None, seller_id: str | None = None) -> int | None:
        """--account; else the account whose seller id the payload names; else `spapi_accounts`."""
        if self.forced:
            return self.forced.id
        if seller_id and seller_id.upper() in self.by_seller:
            return self.by_seller[seller_id.upper()]
        mapping = {k: v.lower() for k, v in self.desk.config.spapi_accounts.items()}
        for i in (*ids, seller_id):
            if i and i in mapping and mapping[i] in self.by_name:
                return self.by_name[mapping[i]]
        return None

    def _spapi_marketplace(self, account_id: int | None, code: str | None, marketplace_id: str | None,
                           origin: str) -> tuple[str, bool]:
        """(the marketplace to file under, whether the account lists it). A marketplace the API names that the
        account does not list is kept, flagged, with one warning per account and marketplace; one it does
        not name (or an id flagdesk does not know) is the account's first, said when it has several."""
        if account_id is None:
            return code or "", True
        account = self.accounts[account_id]
        if code in account.marketplaces:
            return code, True
        if code:
            warning = (f"account {account.name} does not list marketplace {code}: kept, flagged as not listed "
                       f"(add it: flagdesk accounts add-marketplace \"{account.name}\" {code})")
            if not any(m == warning for _, m in self.summary.warnings):
                self.summary.warnings.append((origin, warning))
            return code, False
        if marketplace_id and len(account.marketplaces) > 1:
            self.summary.warnings.append((origin, f"unknown marketplace id {marketplace_id}; filed under "
                                                  f"{account.marketplaces[0]}"))
            return account.marketplaces[0], True
        return self._marketplace(account_id, None, origin), True

    def _status_change(self, change) -> None:
        external = change.notification_id or "sha256:" + hashlib.sha256(
            f"{change.event_time}|{change.previous_status}|{change.current_status}|{change.subscription_id}"
            .encode()).hexdigest()
        if self._exists("spapi", external):
            self.summary.duplicates += 1
            return
        account_id = self._spapi_account(change.subscription_id, change.application_id)
        # An account status is account-wide: no marketplace needs saying.
        marketplace = self._marketplace(account_id, spapi.MARKETPLACE_CODES.get(change.marketplace_id or ""),
                                        change.origin, warn=False)
        new = change.current_status
        old = change.previous_status or "unknown"
        body = (f"The Selling Partner API reported an account status change: {old} → {new}.\n"
                f"Event time: {change.event_time.isoformat() if change.event_time else 'not given'}.\n"
                f"Notification id: {change.notification_id or 'not given'}.")
        nid = self._add(NewNotification(
            account_id=account_id, marketplace=marketplace, received_at=change.event_time or self.desk.now(),
            subject=f"Account status: {old} → {new}", body=body,
            category=STATUS_FATE.get(new, "warning"), severity=STATUS_SEVERITY.get(new, "medium"),
            why={"fate": None, "cause": None, "deadline": None,
                 "severity": f"the Selling Partner API reported the account {new}"},
            source="spapi", external_id=external,
        ))
        health_store.record_status(self.store, account_id, marketplace, change, nid, external)

    def _snapshot(self, snap) -> None:
        account_id = self._spapi_account()
        if account_id is None:
            self.summary.skipped.append((snap.origin, "a performance report needs --account (it names no seller)"))
            return
        previous = health_store.latest_snapshot(self.store, account_id, snap.marketplace or snap.marketplace_id)
        if health_store.save_snapshot(self.store, account_id, snap, snap.origin) is None:
            self.summary.duplicates += 1
            return
        self.summary.snapshots += 1
        marketplace, listed = self._spapi_marketplace(account_id, snap.marketplace, snap.marketplace_id, snap.origin)
        self._report_status(account_id, marketplace, listed, snap, previous)
        for subject, cause, body in _health_changes(previous, snap):
            self._add(NewNotification(
                account_id=account_id, marketplace=marketplace, received_at=self.desk.now(), subject=subject,
                body=body, category="warning", cause=cause, severity="high", source="spapi-report",
                marketplace_unlisted=not listed,
                why={"fate": None, "cause": None, "deadline": None,
                     "severity": "the Account Health report shows a metric or policy past its target"},
                external_id=f"report:{account_id}:{snap.marketplace_id}:{hashlib.sha1(subject.encode()).hexdigest()}"
                            f":{health_store.snapshot_hash(snap)[:16]}",
            ))

    def _report_status(self, account_id: int, marketplace: str, listed: bool, snap, previous: dict | None) -> None:
        """A marketplace's status in a report, against the latest stored snapshot of it: turning AT_RISK,
        SUSPENDED or DEACTIVATED becomes a notice (once per change: the same status in the next report adds
        nothing); leaving those resolves the open notices the reports made of it. Both go to the history."""
        new = snap.account_status
        old = (previous or {}).get("account_status")
        if not new or new == old or (new not in REPORT_ALERTS and old not in REPORT_ALERTS):
            return
        where = snap.marketplace or snap.marketplace_id
        prefix = f"report-status:{account_id}:{snap.marketplace_id}:"
        external = prefix + health_store.snapshot_hash(snap)[:16]
        nid = None
        if new in REPORT_ALERTS:
            nid = self._add(NewNotification(
                account_id=account_id, marketplace=marketplace, received_at=self.desk.now(),
                subject=f"Account status on {where}: {old or 'not reported'} → {new}",
                body=(f"The Account Health report shows the account {new} on {where} ({snap.marketplace_id}).\n"
                      + (f"The snapshot before it showed {old}.\n" if old else
                         f"No earlier snapshot of {where} gave a status.\n")
                      + f"Report period to: {snap.report_date or 'not given'}."),
                category=STATUS_FATE.get(new, "warning"), severity=STATUS_SEVERITY.get(new, "high"),
                why={"fate": None, "cause": None, "deadline": None,
                     "severity": f"the Account Health report shows the account {new} on {where}"},
                source="spapi-report", external_id=external, marketplace_unlisted=not listed,
            ))
        else:
            reason = f"the Account Health report shows the account {new} on {where} again (was {old})"
            for open_id in notes.open_by_external_prefix(self.store, "spapi-report", prefix):
                self.summary.resolved += notes.resolve_reported(self.store, open_id, reason)
        change = spapi.StatusChange(origin=snap.origin, notification_id=None, event_time=None, publish_time=None,
                                    previous_status=old, current_status=new, subscription_id=None,
                                    application_id=None, marketplace_id=snap.marketplace_id)
        health_store.record_status(self.store, account_id, where, change, nid, external)

    def _listing_change(self, change) -> None:
        """A listing's issues changed: issues become a notice; cleared issues resolve the listing's open notices
        reported before (a notice whose listing a later stored notification cleared is resolved at once)."""
        external = change.notification_id or "sha256:" + hashlib.sha256(
            f"{change.sku}|{change.marketplace_id}|{change.seller_id}|{change.event_time}|{change.severities}|"
            f"{change.enforcement_actions}".encode()).hexdigest()
        if listings_store.is_recorded(self.store, external):
            self.summary.duplicates += 1
            return
        account_id = self._spapi_account(change.subscription_id, change.application_id, seller_id=change.seller_id)
        code = spapi.MARKETPLACE_CODES.get((change.marketplace_id or "").upper())
        marketplace, listed = self._spapi_marketplace(account_id, code, change.marketplace_id, change.origin)
        key = listings.listing_key(change, account_id)
        at = change.event_time or change.publish_time or self.desk.now()
        nid = None
        if change.cleared:
            self.summary.cleared += 1
            for open_id in listings_store.open_notices(self.store, key, until=at):
                self.summary.resolved += notes.resolve_reported(self.store, open_id, listings.clear_reason(change))
        else:
            reading = listings.read_listing(change)
            nid = self._add(NewNotification(
                account_id=account_id, marketplace=marketplace, received_at=at,
                subject=listings.listing_subject(change, reading),
                body=listings.listing_body(change, listings_store.open_notices(self.store, key)),
                category=reading.fate, cause=reading.cause, severity=reading.severity, why=reading.why,
                asins=[change.asin] if change.asin else [], skus=[change.sku],
                source="spapi-listing", external_id=external, marketplace_unlisted=not listed,
            ))
            later = listings_store.later_clear(self.store, key, at)
            if later:  # delivered after the notification that cleared it
                self.summary.resolved += notes.resolve_reported(self.store, nid, f"{listings.TYPE} {later['external_id']} at {later['at']} "
                                                        f"cleared SKU {change.sku} after this one")
        listings_store.record(self.store, external_id=external, listing=key, account_id=account_id,
                              marketplace=marketplace or None, sku=change.sku, asin=change.asin, at=at,
                              severities=change.severities, actions=change.enforcement_actions,
                              cleared=change.cleared, notification_id=nid)


def _health_changes(previous: dict | None, snap) -> list[tuple[str, str, str]]:
    """What got worse since the previous snapshot: metrics newly BAD, policy counts that rose."""
    out = []
    before = {(m["name"], m.get("channel")): m for m in (previous or {}).get("metrics", [])}
    where = snap.marketplace or snap.marketplace_id
    for m in snap.rate_metrics:
        if m.status == "BAD" and before.get((m.name, m.channel), {}).get("status") != "BAD":
            label = m.name.replace("_", " ") + (f" ({m.channel.upper()})" if m.channel else "")
            rate = f"{m.rate * 100:.2f}%" if m.rate is not None else "unknown"
            target = f"{m.target_condition or ''} {m.target_value * 100:.2f}%".strip() if m.target_value else "n/a"
            out.append((f"Account health: {label} is BAD on {where}", METRIC_CATEGORY.get(m.name, "other_policy"),
                        f"The seller performance report shows {label} at {rate} (target {target}) for "
                        f"{m.date_from or '?'} to {m.date_to or '?'}."))
    counts_before = (previous or {}).get("policy_counts", {})
    for name, count in snap.policy_counts.items():
        if count is not None and count > (counts_before.get(name) or 0):
            label = name.replace("_", " ")
            out.append((f"Account health: {label} rose to {count} on {where}", POLICY_CATEGORY.get(name, "other_policy"),
                        f"The seller performance report counts {count} {label} "
                        f"(previous snapshot: {counts_before.get(name, 0) or 0})."))
    return [(one_line(s, 200), c, b) for s, c, b in out]
