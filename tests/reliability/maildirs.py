"""Generated notice emails for the reliability tests: Maildirs of Amazon notices with distinct Message-IDs."""

from __future__ import annotations

from pathlib import Path

BODY = """Hello,

We received a report from a rights owner that the listing below infringes their trademark. As a
result, we have removed this listing from the Amazon.com store.

How do I reactivate my listing?
If you believe the report is inaccurate, contact the rights owner and ask them to retract the
complaint within 17 days.

ASIN: B0ABC{n:05d}
Complaint ID: {complaint}

Sincerely,
Seller Performance Team
"""


def notice_email(message_id: str, to: str, n: int) -> str:
    """One Amazon notice email (the shape of tests/data/email/plain.eml) with its own Message-ID."""
    return (
        "From: Amazon Seller Performance <seller-performance@amazon.com>\n"
        f"To: {to}\n"
        f"Message-ID: <{message_id}@email.amazonses.com>\n"
        f"Date: Mon, 02 Nov 2026 {9 + n % 10:02d}:{n % 60:02d}:00 +0000\n"
        f"Subject: Notice: Intellectual Property Complaint on your listing ({message_id})\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
        + BODY.format(n=n % 100000, complaint=f"{1000000000 + n}")
    )


def make_maildir(folder: Path, count: int, prefix: str, to: str) -> Path:
    """A Maildir of `count` notices to `to`, Message-IDs `<prefix>-<i>@...` (new/ and cur/ both used)."""
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        sub = "cur" if i % 3 == 0 else "new"
        name = f"{1762900000 + i}.M{i}P1.box" + (":2,S" if sub == "cur" else "")
        (folder / sub / name).write_text(notice_email(f"{prefix}-{i}", to, i), encoding="utf-8")
    return folder
