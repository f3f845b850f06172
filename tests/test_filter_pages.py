"""Pages of a full-text filter whose words match many rows are read in triage order, asking the full-text
index about each row (issue 14: 'policy' at 1M, 367,000 matches, 112 -> 8 ms); they must be the very pages
the match set gives, at any offset, after any key, with other conditions too."""

from __future__ import annotations

import pytest

from console.store import notifications as notes


def _pages(demo, query: str, monkeypatch, dense: bool) -> list[list[int]]:
    monkeypatch.setattr(notes, "DENSE", 0.0 if dense else 2.0)
    f = demo.parse_filter(query)
    total = demo.count(f)[0]
    out = []
    for offset, limit in ((0, 5), (5, 5), (0, 50), (3, 7)):
        out.append([r["id"] for r in demo.page(f, offset, limit, total=total)])
    first = demo.page(f, 0, 4, total=total)
    if first:
        out.append([r["id"] for r in demo.page(f, 4, 6, after_key=first[-1]["sort_key"], total=total)])
    return out


@pytest.mark.parametrize("query", ["amazon", "account", "policy status:new", "listing severity:high", "zzqx"])
def test_dense_pages_are_the_same_pages(demo, monkeypatch, query):
    assert _pages(demo, query, monkeypatch, dense=True) == _pages(demo, query, monkeypatch, dense=False)


def test_the_dense_way_is_taken_and_fills_the_page(demo, monkeypatch):
    monkeypatch.setattr(notes, "DENSE", 0.0)
    f = demo.parse_filter("amazon")
    total = demo.count(f)[0]
    assert total >= 10
    found = notes._dense_page(demo.store, f, 0, 5, None, total)
    assert found is not None and len(found) == 5
