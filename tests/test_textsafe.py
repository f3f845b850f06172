"""Untrusted text: escapes, controls and bidi overrides never survive; markup stays literal text."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.textsafe import clean, one_line


def test_escape_sequences_are_removed():
    assert clean("a\x1b[2J\x1b[31mb\x1b[0m") == "ab"
    assert clean("x\x1b]52;c;ZXZpbA==\x07y") == "xy"  # OSC 52 clipboard write
    assert clean("x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\y") == "xlinky"
    assert clean("x\x1bPpayload\x1b\\y") == "xy"


def test_controls_and_bidi_removed_but_newlines_kept():
    assert clean("a\x00b\x07c\x9bd\u202eE\u2066F\r\ng\th") == "abcdEF\ng\th"


def test_markup_is_untouched_text():
    assert clean("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"


def test_one_line_folds_and_truncates():
    assert one_line("a\n\n b\t c") == "a b c"
    assert one_line("x" * 600, 10) == "x" * 9 + "…"
    assert one_line(None) == ""


# --- the ASCII shortcut of clean gives what the full scan gives ------------------------------------
_REFERENCE_ESC = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]")
_REFERENCE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def reference_clean(text):
    """clean as it was before its ASCII shortcut: every text takes the full scan."""
    if not text:
        return ""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _REFERENCE_CONTROL.sub("", _REFERENCE_ESC.sub("", text))


# Characters where the two paths could part: every ASCII one (controls, ESC, CR, LF, tab), C1 controls,
# bidi controls, a lone surrogate, and ordinary non-ASCII text.
_CHARS = st.one_of(st.characters(max_codepoint=0x7f), st.sampled_from(
    ["\x85", "\x9b", "\u202e", "\u2066", "\u200f", "\u061c", "\ud800", "é", "\u00a0", "中", "\U0001f600"]))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(_CHARS, max_size=40), st.text(st.characters(max_codepoint=0x7f), max_size=40)))
def test_clean_gives_what_the_full_scan_gives(text):
    assert clean(text) == reference_clean(text)


def test_clean_shortcut_on_plain_ascii_examples():
    assert clean("Line 1\r\nLine 2\rLine 3\x07\x00\x7f\ttab") == "Line 1\nLine 2\nLine 3\ttab"
    assert clean("ASCII with \x1b[31mred\x1b[0m") == "ASCII with red"  # ESC: the full scan
    assert clean("") == "" and clean(None) == ""
