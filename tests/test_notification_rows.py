"""The JSON an import writes for each notification (its lists and its audit detail) is the JSON the
one-at-a-time path writes (json.dumps, ensure_ascii=False), however hostile the text."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from console.store import notifications as notes

# Quotes, backslashes, every control character, separators json leaves alone, surrogates, plain text.
_TEXT = st.text(st.one_of(st.characters(max_codepoint=0x9f), st.sampled_from(
    ['"', "\\", "\u2028", "\u2029", "\u202e", "\ud800", "é", "中", "\U0001f600", "\xa0"])), max_size=30)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_TEXT, st.none()))
def test_json_str_is_json_dumps(value):
    assert notes._json_str(value) == json.dumps(value, ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.lists(_TEXT, max_size=5)))
def test_json_lists_are_those_of_add_notification(values):
    assert notes._json_list_quick(values) == notes._json_list(values)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT, _TEXT, st.one_of(_TEXT, st.none()), _TEXT)
def test_audit_detail_is_what_store_audit_writes(subject, source, severity, category, cause):
    expected = {"subject": subject, "source": source, "severity": severity, "category": category, "cause": cause}
    assert notes._audit_detail(subject, source, severity, category, cause) == json.dumps(expected,
                                                                                        ensure_ascii=False)
