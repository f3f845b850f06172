"""The keyword rules that classify a notice: categories and severities (config may replace them).

Kept apart from the extractor so that reading the config does not compile the extractor's patterns.
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("critical", "high", "medium", "low")  # most severe first


@dataclass(frozen=True)
class CategoryRule:
    id: str  # e.g. "ip_complaint"
    label: str  # e.g. "IP complaint"
    keywords: tuple[str, ...]  # case-insensitive substrings
    severity: str  # default severity for this category: critical|high|medium|low
    generic: bool = False  # a catch-all bucket: never chosen from the subject alone


# First match wins, so the most specific rules come first: the account's fate, then policy kinds,
# then metrics, then the generic warning/removal/violation buckets.
DEFAULT_CATEGORIES: tuple[CategoryRule, ...] = (
    CategoryRule(
        "account_deactivated",
        "Account deactivated",
        (
            "account has been deactivated",
            "account was deactivated",
            "account is deactivated",
            "account is now deactivated",
            "deactivated your account",
            "deactivated your selling account",
            "account has been suspended",
            "suspended your account",
            "selling privileges have been removed",
            "selling privileges have been deactivated",
            "removed your selling privileges",
        ),
        "critical",
    ),
    CategoryRule(
        "account_health_rating",
        "Account Health Rating",
        (
            "account health rating is",
            "account health rating has",
            "account health rating dropped",
            "account health rating fell",
            "account health rating turned",
            "account health rating (ahr)",
            "ahr is ",
            "ahr has ",
        ),
        "critical",
    ),
    CategoryRule(
        "account_at_risk",
        "Account at risk",
        (
            "at risk of deactivation",
            "at risk of being deactivated",
            "account is under review",
            "account under review",
            "may be deactivated",
            "will be deactivated",
            "could be deactivated",
        ),
        "critical",
    ),
    CategoryRule(
        "account_security",
        "Account security",
        (
            "account security",
            "suspicious activity",
            "suspicious sign-in",
            "unusual sign-in",
            "unauthorized access",
            "unauthorised access",
            "compromised",
            "two-step verification",
        ),
        "high",
    ),
    CategoryRule(
        "ip_suspected",
        "Suspected IP violation",
        (
            "suspected intellectual property",
            "suspected ip violation",
            "suspected infringement",
            "suspected of infringing",
        ),
        "high",
    ),
    # Before ip_complaint: authenticity notices may also name counterfeits.
    CategoryRule(
        "authenticity",
        "Product authenticity complaint",
        ("product authenticity", "authenticity complaint", "inauthentic", "not authentic"),
        "high",
    ),
    CategoryRule(
        "ip_complaint",
        "Received IP complaint",
        (
            "intellectual property",
            "rights owner",
            "infringement",
            "infringing",
            "infringe",
            "copyright",
            "trademark",
            "patent",
            "counterfeit",
        ),
        "high",
    ),
    CategoryRule(
        "product_condition",
        "Product condition complaint",
        ("product condition", "condition complaint", "used sold as new", "sold as new", "condition guidelines"),
        "medium",
    ),
    CategoryRule(
        "product_safety",
        "Food and product safety",
        ("product safety", "food safety", "safety complaint", "unsafe", "recalled", "product recall"),
        "high",
    ),
    CategoryRule(
        "restricted_products",
        "Restricted products",
        ("restricted product", "prohibited product", "dangerous goods", "hazmat"),
        "high",
    ),
    CategoryRule(
        "listing_policy",
        "Listing policy",
        ("listing policy", "listing policies", "detail page rules", "variation policy", "duplicate listing"),
        "medium",
    ),
    CategoryRule(
        "reviews_policy",
        "Customer reviews policy",
        (
            "customer product reviews",
            "customer reviews policy",
            "reviews policy",
            "review manipulation",
            "review abuse",
            "incentivized review",
        ),
        "high",
    ),
    CategoryRule("order_defect_rate", "Order defect rate", ("order defect rate",), "high"),
    CategoryRule("late_shipment_rate", "Late shipment rate", ("late shipment rate", "late shipment"), "medium"),
    CategoryRule(
        "cancel_rate",
        "Pre-fulfilment cancel rate",
        (
            "pre-fulfillment cancel",
            "pre-fulfilment cancel",
            "prefulfillment cancel",
            "cancellation rate",
            "cancel rate",
        ),
        "medium",
    ),
    CategoryRule("valid_tracking_rate", "Valid tracking rate", ("valid tracking rate", "tracking rate"), "medium"),
    CategoryRule("policy_warning", "Policy warning", ("policy warning",), "medium", generic=True),
    CategoryRule(
        "listing_removal",
        "Listing removal or suppression",
        (
            "listing removed",
            "listings removed",
            "removed your listing",
            "removed the following listing",
            "listing has been removed",
            "listings have been removed",
            "we have removed",
            "suppressed",
            "suppression",
        ),
        "high",
        generic=True,
    ),
    CategoryRule(
        "other_policy",
        "Other policy violation",
        ("policy violation", "violates our", "violation of", "in violation", "violating"),
        "medium",
        generic=True,
    ),
)

DEFAULT_SEVERITY_RULES: dict[str, tuple[str, ...]] = {
    # Phrases that say the account itself is going or gone; "may result in deactivation", which
    # nearly every warning carries, is deliberately not one of them.
    "critical": (
        "has been deactivated",
        "have been deactivated",
        "been deactivated",
        "will be deactivated",
        "may be deactivated",
        "at risk of deactivation",
        "at risk of being deactivated",
        "within 72 hours",
        "suspended",
        "under review",
    ),
    "high": (
        "removed",
        "funds",
        "intellectual property",
        "counterfeit",
        "authenticity",
        "inauthentic",
        "safety",
        "infringement",
        "trademark",
        "copyright",
        "patent",
        "suppressed",
        "restricted",
    ),
    "medium": ("warning", "policy", "violation"),
    "low": ("informational", "no action required", "no action is required", "for your information"),
}
