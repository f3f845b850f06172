"""Amazon senders and marketplaces: whether an address is Amazon's, and which marketplace it names."""

from __future__ import annotations

import email.utils
import fnmatch
from collections.abc import Sequence

# Domain suffix after "amazon." -> marketplace code.
_MARKETPLACE_DOMAINS: dict[str, str] = {
    "com": "US", "ca": "CA", "com.mx": "MX", "com.br": "BR", "co.uk": "UK", "de": "DE", "fr": "FR",
    "it": "IT", "es": "ES", "nl": "NL", "se": "SE", "pl": "PL", "com.be": "BE", "com.tr": "TR",
    "ie": "IE", "co.jp": "JP", "com.au": "AU", "sg": "SG", "in": "IN", "ae": "AE", "sa": "SA",
    "eg": "EG", "co.za": "ZA",
}  # fmt: skip
_SUFFIXES_LONGEST_FIRST = sorted(_MARKETPLACE_DOMAINS, key=len, reverse=True)

# "*@amazon.de" and any subdomain ("*@*.amazon.de", e.g. marketplace.amazon.de). A bare
# "*@marketplace.amazon.*" would also match marketplace.amazon.evil.example, so the marketplace
# host is spelled out per domain (it is covered by "*@*.amazon.<tld>").
DEFAULT_SENDER_PATTERNS: tuple[str, ...] = tuple(
    pattern
    for suffix in _MARKETPLACE_DOMAINS
    for pattern in (f"*@amazon.{suffix}", f"*@*.amazon.{suffix}")
)


def _bare_address(address: str) -> str:
    address = (address or "").strip()
    if "<" in address:
        address = email.utils.parseaddr(address)[1] or address
    return address.strip().strip("<>").strip().lower()


def is_amazon_sender(address: str, patterns: Sequence[str] = DEFAULT_SENDER_PATTERNS) -> bool:
    """Whether `address` ("x@y" or "Name <x@y>") matches one of the fnmatch `patterns` (case-insensitive)."""
    addr = _bare_address(address)
    if addr.count("@") != 1 or any(c.isspace() for c in addr) or addr.startswith("@"):
        return False
    return any(fnmatch.fnmatchcase(addr, p.strip().lower()) for p in patterns if p and p.strip())


def marketplace_from_address(address: str) -> str | None:
    """The marketplace an Amazon address belongs to: amazon.co.uk -> "UK", amazon.com -> "US", else None.

    sellercentral-europe.amazon.com serves every European marketplace, so it names none.
    """
    addr = _bare_address(address)
    domain = addr.rpartition("@")[2].rstrip(".")
    if not domain or "@" not in addr:
        return None
    for suffix in _SUFFIXES_LONGEST_FIRST:
        base = f"amazon.{suffix}"
        if domain == base or domain.endswith("." + base):
            if suffix == "com" and "europe" in domain[: -len(base)]:
                return None
            return _MARKETPLACE_DOMAINS[suffix]
    return None
