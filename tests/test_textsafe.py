"""Untrusted text: escapes, controls and bidi overrides never survive; markup stays literal text."""

from console.textsafe import clean, one_line


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
