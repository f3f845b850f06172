"""Turn Selling Partner API JSON into records: account status changes and health snapshots.

Pure and stdlib-only; nothing here touches the database. `parse_json_bytes()` accepts
any bytes without raising and returns, in input order, one record or one failure per
thing it found:

- `StatusChange` for an ``ACCOUNT_STATUS_CHANGED`` notification;
- `ListingIssuesChange` for a ``LISTINGS_ITEM_ISSUES_CHANGE`` notification (payload versions 1.0 and
  2023-12-13: the SKU, ASIN, marketplace, severities and enforcement actions; each issue's code, message,
  severity and categories when the payload carries them in the Listings Items API's shape);
- `SkippedNotification` for a notification of any other type (flagdesk does not track it: not a failure);
- `HealthSnapshot` per marketplace of a ``GET_V2_SELLER_PERFORMANCE_REPORT`` document;
- `ImportFailure` (origin + one-line reason) for anything it cannot read.

Accepted containers, in any mix: optional gzip; one JSON object; a JSON array of objects; JSON lines
(a broken line fails alone); an SQS ReceiveMessage dump (``{"Messages": [{"Body": ...}]}``), a single
SQS message, or a Lambda SQS/SNS event (``{"Records": [{"body": ...}]}`` / ``[{"Sns": {"Message": ...}}]``);
an SNS envelope (``{"Type": "Notification", "Message": ...}``), also inside an SQS body; an EventBridge
event (``{"detail-type": ..., "source": ..., "detail": {<notification>}}``), also inside an SQS body.
Each notification says which envelope it came in (`envelope`: ``raw``, ``SQS``, ``SNS in SQS``,
``EventBridge``, ``EventBridge in SQS``, ...).

Amazon documents the same envelope in PascalCase and lowerCamelCase, so every key is
looked up ignoring case and underscores (`_get`). Origins name where a record came from:
``file.json``, ``file.jsonl#3`` (line 3, 1-based), ``file.json#[0]`` (array index, 0-based),
``dump.json#Messages[2]`` (0-based), nested steps joined by ``/``.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from console.core.textsafe import one_line

__all__ = [
    "MARKETPLACE_CODES",
    "HealthSnapshot",
    "ImportFailure",
    "ListingIssue",
    "ListingIssuesChange",
    "RateMetric",
    "SkippedNotification",
    "StatusChange",
    "looks_like_json",
    "parse_json_bytes",
]


@dataclass
class StatusChange:
    origin: str
    notification_id: str | None
    event_time: datetime | None
    publish_time: datetime | None
    previous_status: str | None
    current_status: str
    subscription_id: str | None
    application_id: str | None
    marketplace_id: str | None
    envelope: str = field(default="raw", compare=False)


@dataclass
class ListingIssue:
    """One issue of a listing, as the Listings Items API gives it (``issues``: code, message, severity,
    categories, enforcements). Amazon's published notification payloads carry none: they give only the
    severities and enforcement actions of the listing as a whole."""

    code: str | None
    message: str | None
    severity: str | None
    categories: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # enforcements.actions[].action
    attributes: list[str] = field(default_factory=list)


@dataclass
class ListingIssuesChange:
    """A LISTINGS_ITEM_ISSUES_CHANGE notification: the issues of one listing (seller, marketplace, SKU) changed."""

    origin: str
    notification_id: str | None
    event_time: datetime | None
    publish_time: datetime | None
    payload_version: str | None
    seller_id: str | None
    marketplace_id: str | None
    sku: str
    asin: str | None
    severities: list[str]  # ERROR, WARNING; ["NONE"] when no issue affects the listing any more
    enforcement_actions: list[str]  # SEARCH_SUPPRESSED, LISTING_SUPPRESSED, ATTRIBUTE_SUPPRESSED, CATALOG_ITEM_REMOVED
    issues: list[ListingIssue]
    subscription_id: str | None
    application_id: str | None
    envelope: str = field(default="raw", compare=False)

    @property
    def cleared(self) -> bool:
        """No issue affects the listing any more: its severities are NONE (and no issue listed says otherwise)."""
        return all(s == "NONE" for s in self.severities) and not any(
            i.severity and i.severity != "NONE" for i in self.issues)


@dataclass
class SkippedNotification:
    """A readable notification of a type flagdesk does not track (offers, orders, feeds, reports, ...)."""

    origin: str
    notification_type: str
    envelope: str = field(default="raw", compare=False)


@dataclass
class RateMetric:
    name: str
    rate: float | None
    status: str | None
    target_value: float | None
    target_condition: str | None
    date_from: str | None
    date_to: str | None
    channel: str | None = None


@dataclass
class HealthSnapshot:
    origin: str
    marketplace_id: str
    marketplace: str | None
    account_status: str | None
    ahr_status: str | None
    ahr_score: int | None
    rate_metrics: list[RateMetric] = field(default_factory=list)
    policy_counts: dict[str, int | None] = field(default_factory=dict)
    warning_states: list[str] = field(default_factory=list)
    report_date: str | None = None


@dataclass
class ImportFailure:
    origin: str
    reason: str


Record = StatusChange | ListingIssuesChange | SkippedNotification | HealthSnapshot | ImportFailure

MARKETPLACE_CODES: dict[str, str] = {
    "ATVPDKIKX0DER": "US",
    "A2EUQ1WTGCTBG2": "CA",
    "A1AM78C64UM0Y8": "MX",
    "A2Q3Y263D00KWC": "BR",
    "A1F83G8C2ARO7P": "UK",
    "A1PA6795UKMFR9": "DE",
    "A13V1IB3VIYZZH": "FR",
    "APJ6JRA9NG5V4": "IT",
    "A1RKKUPIHCS9HS": "ES",
    "A1805IZSGTT6HS": "NL",
    "A2NODRKZP88ZB9": "SE",
    "A1C3SOZRARQ6R3": "PL",
    "AMEN7PMS3EDWL": "BE",
    "A33AVAJ2PDY3EV": "TR",
    "A28R8C7NBKEWEA": "IE",
    "A1VC38T7YXB528": "JP",
    "A39IBJ37TRP1C6": "AU",
    "A19VAU5U5O7RUS": "SG",
    "A21TJRUUN4KGV": "IN",
    "A2VIGQ35RCS4UG": "AE",
    "A17E79C6D8DWNP": "SA",
    "ARBP9OOSHTCHU": "EG",
}

NOT_SPAPI = "not a Selling Partner API notification or performance report"
MAX_UNZIPPED = 256 * 1024 * 1024  # a decompressed report larger than this is refused
_MAX_WRAPPING = 8  # SQS -> SNS -> ... nesting allowed before giving up
RAW = "raw"  # the envelope of a notification that came in none

# Keys are compared after `_norm` (lower case, no underscores/hyphens).
_RATE_METRICS = {
    "orderdefectrate": "order_defect_rate",
    "lateshipmentrate": "late_shipment_rate",
    "prefulfillmentcancellationrate": "pre_fulfillment_cancel_rate",
    "prefulfillmentcancelrate": "pre_fulfillment_cancel_rate",
    "validtrackingrate": "valid_tracking_rate",
    "ontimedeliveryrate": "on_time_delivery_rate",
    "invoicedefectrate": "invoice_defect_rate",
}
_POLICY_COUNTS = {
    "listingpolicyviolations": "listing_policy_violations",
    "receivedintellectualpropertycomplaints": "received_ip_complaints",
    "suspectedintellectualpropertyviolations": "suspected_ip_violations",
    "productauthenticitycustomercomplaints": "product_authenticity_complaints",
    "productconditioncustomercomplaints": "product_condition_complaints",
    "productsafetycustomercomplaints": "product_safety_complaints",
    "restrictedproductpolicyviolations": "restricted_product_violations",
    "foodandproductsafetyissues": "food_and_product_safety_issues",
    "otherpolicyviolations": "other_policy_violations",
    "documentrequests": "document_requests",
}
_NOT_METRICS = {"marketplaceid", "accounthealthrating", "warningstates", "warningstate"}
_ODR_CHANNELS = ("afn", "mfn")
_QUIET_STATES = {"GOOD", "NONE"}


class _Bad(Exception):
    """Internal: the input cannot be used; the message is the failure reason."""


# --- small helpers --------------------------------------------------------------------------------


def _norm(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def _get(obj: Any, *names: str) -> Any:
    """`obj[name]` for the first of `names` present, ignoring case and underscores; else None."""
    if not isinstance(obj, dict):
        return None
    for name in names:
        if name in obj:
            return obj[name]
    wanted = [_norm(n) for n in names]
    found: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(key, str):
            found.setdefault(_norm(key), value)
    for w in wanted:
        if w in found:
            return found[w]
    return None


def _has(obj: Any, name: str) -> bool:
    return isinstance(obj, dict) and any(isinstance(k, str) and _norm(k) == _norm(name) for k in obj)


def _text(value: Any, limit: int = 200) -> str | None:
    """A scalar as cleaned one-line text; None for missing, empty or structured values."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    s = one_line(str(value), limit)
    return s or None


def _upper(value: Any) -> str | None:
    s = _text(value, 80)
    return s.upper() if s else None


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        f = float(value)
    except (ValueError, OverflowError):
        return None
    return f if math.isfinite(f) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 19:
        return int(value.strip())
    return None


def _time(value: Any) -> datetime | None:
    """ISO 8601 text as an aware UTC datetime (naive means UTC); None when unparseable."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _snake(key: str) -> str:
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", key)
    s = re.sub(r"[^0-9a-zA-Z]+", "_", s).strip("_").lower()
    return s[:80]


def _child(origin: str, step: str) -> str:
    return f"{origin}/{step}" if "#" in origin else f"{origin}#{step}"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _names(value: Any, limit: int = 80) -> list[str]:
    """A list of names (or one name) as unique upper-case one-line texts, in order; anything else dropped."""
    out: list[str] = []
    for item in _as_list(value):
        name = _upper(item) if not isinstance(item, dict | list) else None
        if name and len(name) <= limit and name not in out:
            out.append(name)
    return out


# --- bytes to JSON values -------------------------------------------------------------------------


def _gunzip(data: bytes) -> bytes:
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(MAX_UNZIPPED + 1)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise _Bad(f"not valid gzip: {one_line(str(exc), 200) or type(exc).__name__}") from None
    if len(out) > MAX_UNZIPPED:
        raise _Bad(f"gzip content larger than {MAX_UNZIPPED // (1024 * 1024)} MiB")
    return out


def _decode(data: bytes) -> str:
    try:
        encoding = json.detect_encoding(data)
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _Bad(f"not valid JSON: not {exc.encoding} text (byte {exc.start})") from None
    except LookupError:  # pragma: no cover - detect_encoding only returns known codecs
        raise _Bad("not valid JSON: unknown text encoding") from None
    return text.lstrip("\ufeff")


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Bad(f"not valid JSON: {one_line(exc.msg, 200)} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise _Bad("not valid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise _Bad(f"not valid JSON: {one_line(str(exc), 200)}") from None


def _line_is_object(line: str) -> bool:
    s = line.strip()
    if not (s.startswith("{") and s.endswith("}")):
        return False
    try:
        return isinstance(json.loads(s), dict)
    except (ValueError, RecursionError):
        return False


def _looks_like_lines(lines: list[tuple[int, str]]) -> bool:
    if len(lines) < 2:
        return False
    if _line_is_object(lines[0][1]):
        return True
    good = sum(1 for _, line in lines if _line_is_object(line))
    return good * 2 >= len(lines)


# --- public API -----------------------------------------------------------------------------------


def looks_like_json(data: bytes) -> bool:
    """True if (after optional gzip) the text starts with { or [, or every non-empty line does."""
    try:
        text = _decode(_gunzip(bytes(data)))
    except _Bad:
        return False
    except Exception:  # noqa: BLE001 - a guess must never raise
        return False
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        return True
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return bool(lines) and all(line[:1] in ("{", "[") for line in lines)


def parse_json_bytes(data: bytes, origin: str) -> list[Record]:
    """Every status change, health snapshot and failure in `data`; never raises for bad input."""
    try:
        return _parse(bytes(data), origin)
    except _Bad as exc:
        return [ImportFailure(origin, _reason(str(exc)))]
    except RecursionError:
        return [ImportFailure(origin, "not valid JSON: nested too deeply")]
    except Exception as exc:  # noqa: BLE001 - last guard: bad input must never crash an import
        return [ImportFailure(origin, _reason(f"could not read: {type(exc).__name__}: {exc}"))]


def _reason(text: str) -> str:
    return one_line(text, 300) or "could not read"


def _parse(data: bytes, origin: str) -> list[Record]:
    text = _decode(_gunzip(data))
    if not text.strip():
        raise _Bad("not valid JSON: empty input")
    try:
        value = _loads(text)
    except _Bad:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if not _looks_like_lines(lines):
            raise
        out: list[Record] = []
        for n, line in lines:
            line_origin = _child(origin, str(n))
            try:
                out.extend(_dispatch(_loads(line), line_origin, 0, ()))
            except _Bad as exc:
                reason = str(exc).replace("(line 1, column", f"(line {n}, column")
                out.append(ImportFailure(line_origin, _reason(reason)))
        return out
    return _dispatch(value, origin, 0, ())


def _envelope(wrap: tuple[str, ...]) -> str:
    """("SQS", "SNS") -> "SNS in SQS"; () -> "raw"."""
    return " in ".join(reversed(wrap)) or RAW


def _dispatch(value: Any, origin: str, depth: int, wrap: tuple[str, ...]) -> list[Record]:
    if depth > _MAX_WRAPPING:
        return [ImportFailure(origin, "messages wrapped too deeply")]
    if isinstance(value, list):
        if not value:
            return [ImportFailure(origin, NOT_SPAPI)]
        out: list[Record] = []
        for i, item in enumerate(value):
            out.extend(_dispatch_object(item, _child(origin, f"[{i}]"), depth + 1, wrap))
        return out
    return _dispatch_object(value, origin, depth, wrap)


def _dispatch_object(obj: Any, origin: str, depth: int, wrap: tuple[str, ...]) -> list[Record]:
    if not isinstance(obj, dict):
        return [ImportFailure(origin, NOT_SPAPI)]

    messages = _get(obj, "Messages")
    if isinstance(messages, list):  # SQS ReceiveMessage dump
        out: list[Record] = []
        for i, message in enumerate(messages):
            out.extend(_sqs_message(message, _child(origin, f"Messages[{i}]"), depth + 1, wrap))
        return out

    records = _get(obj, "Records")
    if isinstance(records, list) and records and all(_is_lambda_record(r) for r in records):
        out = []  # a Lambda event: SQS messages or SNS notifications
        for i, record in enumerate(records):
            step = _child(origin, f"Records[{i}]")
            sns = _get(record, "Sns")
            if isinstance(sns, dict):
                out.extend(_sns(sns, step, depth + 1, wrap) or [ImportFailure(step, "SNS record without a Message")])
            else:
                out.extend(_sqs_message(record, step, depth + 1, wrap))
        return out

    if isinstance(_get(obj, "Body"), str | dict) and (_has(obj, "MessageId") or _has(obj, "ReceiptHandle")):
        return _sqs_message(obj, origin, depth + 1, wrap)  # one SQS message

    sns_records = _sns(obj, origin, depth + 1, wrap)
    if sns_records is not None:
        return sns_records

    detail = _get(obj, "detail")
    if _has(obj, "detail-type") and isinstance(detail, str | dict):
        return _event(obj, detail, origin, depth + 1, wrap + ("EventBridge",))

    if _has(obj, "notificationType") or _has(_get(obj, "payload"), "accountStatusChangeNotification"):
        return [_notification(obj, origin, _envelope(wrap))]

    if _has(obj, "accountStatuses") or _has(obj, "performanceMetrics"):
        return _report(obj, origin)

    return [ImportFailure(origin, NOT_SPAPI)]


def _is_lambda_record(record: Any) -> bool:
    return isinstance(record, dict) and (isinstance(_get(record, "Sns"), dict) or (
        isinstance(_get(record, "body"), str | dict) and (_has(record, "messageId") or _has(record, "eventSource"))))


def _sqs_message(message: Any, origin: str, depth: int, wrap: tuple[str, ...]) -> list[Record]:
    body = _get(message, "Body")
    if not isinstance(body, str | dict):
        return [ImportFailure(origin, "SQS message without a Body")]
    return _unwrap(body, origin, depth, wrap + ("SQS",))


def _sns(obj: dict, origin: str, depth: int, wrap: tuple[str, ...]) -> list[Record] | None:
    """The records of an SNS notification envelope; None when `obj` is not one."""
    kind = _get(obj, "Type")
    message = _get(obj, "Message")
    if isinstance(kind, str) and kind.strip().lower() == "notification" and isinstance(message, str | dict):
        return _unwrap(message, origin, depth, wrap + ("SNS",))
    return None


def _event(obj: dict, detail: str | dict, origin: str, depth: int, wrap: tuple[str, ...]) -> list[Record]:
    """An EventBridge event: its `detail` is the notification. A detail that does not name its type is
    read as the type the event's `detail-type` names."""
    if isinstance(detail, dict) and not _has(detail, "notificationType") and _has(detail, "payload"):
        named = _text(_get(obj, "detail-type"), 80)
        if named:
            detail = {**detail, "notificationType": named}
    return _unwrap(detail, origin, depth, wrap)


def _unwrap(inner: str | dict, origin: str, depth: int, wrap: tuple[str, ...]) -> list[Record]:
    if isinstance(inner, str):
        try:
            inner = _loads(inner)
        except _Bad as exc:
            return [ImportFailure(origin, _reason(f"message body {exc}"))]
    return _dispatch(inner, origin, depth, wrap)


# --- ACCOUNT_STATUS_CHANGED -----------------------------------------------------------------------


def _notification(obj: dict, origin: str, envelope: str = RAW) -> Record:
    kind = _get(obj, "notificationType")
    payload = _get(obj, "payload")
    if kind is not None:
        name = _text(kind, 80) if isinstance(kind, str) else None
        if not name:
            return ImportFailure(origin, "notification without a readable notificationType")
        kind_key = _norm(name).replace(" ", "")
        if kind_key == "listingsitemissueschange":
            return _listing_issues(obj, origin, envelope)
        if kind_key != "accountstatuschanged":
            # Every other type is one flagdesk does not track: skipped, counted by type.
            return SkippedNotification(origin, name.upper(), envelope)

    change = _get(payload, "accountStatusChangeNotification")
    if not isinstance(change, dict):
        change = payload if isinstance(payload, dict) else {}
    current = _upper(_get(change, "currentAccountStatus", "currentStatus"))
    if current is None:
        return ImportFailure(origin, "ACCOUNT_STATUS_CHANGED notification without currentAccountStatus")

    meta = _get(obj, "notificationMetadata")
    marketplace_id = None
    for holder in (change, payload, obj, meta):
        marketplace_id = _text(_get(holder, "marketplaceId"), 40)
        if marketplace_id:
            break
    return StatusChange(
        origin=origin,
        notification_id=_text(_get(meta, "notificationId")),
        event_time=_time(_get(obj, "eventTime")),
        publish_time=_time(_get(meta, "publishTime")),
        previous_status=_upper(_get(change, "previousAccountStatus", "previousStatus")),
        current_status=current,
        subscription_id=_text(_get(meta, "subscriptionId")),
        application_id=_text(_get(meta, "applicationId")),
        marketplace_id=marketplace_id,
        envelope=envelope,
    )


# --- LISTINGS_ITEM_ISSUES_CHANGE -------------------------------------------------------------------


def _listing_issues(obj: dict, origin: str, envelope: str) -> Record:
    payload = _get(obj, "payload")
    if not isinstance(payload, dict):
        return ImportFailure(origin, "LISTINGS_ITEM_ISSUES_CHANGE notification without a Payload")
    sku = _text(_get(payload, "sku"), 200)
    if not sku:
        return ImportFailure(origin, "LISTINGS_ITEM_ISSUES_CHANGE notification without a Sku")
    issues = [_issue(i) for i in _as_list(_get(payload, "issues")) if isinstance(i, dict)]
    issues = [i for i in issues if i.code or i.message or i.severity]
    severities = _names(_get(payload, "severities"), 20)
    if not severities:
        severities = list(dict.fromkeys(i.severity for i in issues if i.severity))
    if not severities:
        return ImportFailure(origin, "LISTINGS_ITEM_ISSUES_CHANGE notification without Severities")
    actions = _names(_get(payload, "enforcementActions"))
    for issue in issues:
        actions += [a for a in issue.actions if a not in actions]
    meta = _get(obj, "notificationMetadata")
    return ListingIssuesChange(
        origin=origin,
        notification_id=_text(_get(meta, "notificationId")),
        event_time=_time(_get(obj, "eventTime")),
        publish_time=_time(_get(meta, "publishTime")),
        payload_version=_text(_get(obj, "payloadVersion"), 40),
        seller_id=_text(_get(payload, "sellerId"), 40),
        marketplace_id=_text(_get(payload, "marketplaceId"), 40),
        sku=sku,
        asin=_upper(_get(payload, "asin")),
        severities=severities,
        enforcement_actions=actions,
        issues=issues,
        subscription_id=_text(_get(meta, "subscriptionId")),
        application_id=_text(_get(meta, "applicationId")),
        envelope=envelope,
    )


def _issue(value: dict) -> ListingIssue:
    enforcements = _get(value, "enforcements")
    actions = _names([_get(a, "action") if isinstance(a, dict) else a for a in _as_list(_get(enforcements, "actions"))])
    attributes = [a for a in (_text(x, 80) for x in _as_list(_get(value, "attributeNames", "attributeName"))) if a]
    return ListingIssue(
        code=_text(_get(value, "code"), 80),
        message=_text(_get(value, "message"), 1000),
        severity=_upper(_get(value, "severity")),
        categories=_names(_get(value, "categories")),
        actions=actions,
        attributes=attributes,
    )


# --- GET_V2_SELLER_PERFORMANCE_REPORT ----------------------------------------------------------------


def _report(obj: dict, origin: str) -> list[Record]:
    statuses: dict[str, str | None] = {}
    status_order: list[str] = []
    for entry in _as_list(_get(obj, "accountStatuses")):
        mid = _text(_get(entry, "marketplaceId"), 40)
        if mid and mid not in statuses:
            statuses[mid] = _upper(_get(entry, "status", "accountStatus"))
            status_order.append(mid)

    out: list[Record] = []
    seen: set[str] = set()
    for i, metrics in enumerate(_as_list(_get(obj, "performanceMetrics"))):
        mid = _text(_get(metrics, "marketplaceId"), 40)
        if not mid:
            out.append(ImportFailure(_child(origin, f"performanceMetrics[{i}]"), "performance metrics without marketplaceId"))
            continue
        seen.add(mid)
        out.append(_snapshot(metrics, mid, statuses.get(mid), origin))
    for mid in status_order:
        if mid not in seen:
            out.append(_snapshot({}, mid, statuses[mid], origin))
    if not out:
        out.append(ImportFailure(origin, "performance report lists no marketplaces"))
    return out


def _snapshot(metrics: dict, mid: str, account_status: str | None, origin: str) -> HealthSnapshot:
    ahr = _get(metrics, "accountHealthRating")
    ahr_range = _get(ahr, "reportingDateRange")
    snap = HealthSnapshot(
        origin=origin,
        marketplace_id=mid,
        marketplace=MARKETPLACE_CODES.get(mid.upper()),
        account_status=account_status,
        ahr_status=_upper(_get(ahr, "ahrStatus", "accountHealthRatingStatus", "status")),
        ahr_score=_int(_get(ahr, "ahrScore")),
        warning_states=_warnings(_get(metrics, "warningStates", "warningState")),
        report_date=_text(_get(ahr_range, "reportingDateTo"), 64),
    )
    seen_rates: set[tuple[str, str | None]] = set()
    for key, value in metrics.items():
        if not isinstance(key, str) or _norm(key) in _NOT_METRICS:
            continue
        nk = _norm(key)
        if nk == "orderdefectrate" and isinstance(value, dict) and any(_has(value, c) for c in _ODR_CHANNELS):
            for channel in _ODR_CHANNELS:
                part = _get(value, channel)
                if isinstance(part, dict):
                    _add_rate(snap, seen_rates, "order_defect_rate", part, channel)
            continue
        rate_name = _RATE_METRICS.get(nk)
        if rate_name and isinstance(value, dict):
            _add_rate(snap, seen_rates, rate_name, value, None)
            continue
        policy_name = _POLICY_COUNTS.get(nk) or _POLICY_COUNTS.get(nk + "s")
        if policy_name or (isinstance(value, dict) and _has(value, "defectsCount") and not _has(value, "rate")):
            name = policy_name or _snake(key)
            if name and name not in snap.policy_counts:
                snap.policy_counts[name] = _defects(value)
            continue
        if isinstance(value, dict) and _has(value, "rate"):
            name = _snake(key)
            if name:
                _add_rate(snap, seen_rates, name, value, None)
    return snap


def _add_rate(snap: HealthSnapshot, seen: set, name: str, value: dict, channel: str | None) -> None:
    if (name, channel) in seen:
        return
    seen.add((name, channel))
    span = _get(value, "reportingDateRange")
    snap.rate_metrics.append(
        RateMetric(
            name=name,
            rate=_num(_get(value, "rate")),
            status=_upper(_get(value, "status")),
            target_value=_num(_get(value, "targetValue")),
            target_condition=_upper(_get(value, "targetCondition")),
            date_from=_text(_get(span, "reportingDateFrom"), 64),
            date_to=_text(_get(span, "reportingDateTo"), 64),
            channel=channel,
        )
    )


def _defects(value: Any) -> int | None:
    if not isinstance(value, dict):
        return _int(value)
    if _upper(_get(value, "status")) == "NONE":
        return None
    return _int(_get(value, "defectsCount"))


def _warnings(value: Any) -> list[str]:
    """Active warnings: each warningType whose status is not GOOD or NONE (a bare string counts)."""
    out: list[str] = []
    for item in _as_list(value):
        if isinstance(item, dict):
            if _upper(_get(item, "status")) in _QUIET_STATES:
                continue
            name = _text(_get(item, "warningType", "type", "name"))
        else:
            name = _text(item)
        if name and name not in out:
            out.append(name)
    return out
