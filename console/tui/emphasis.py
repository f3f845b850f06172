"""Urgency that survives without colour: the text styles for what matters most, by colour or, under NO_COLOR
(Textual draws in grey then), by attributes — reverse and bold for CRIT, overdue and the red counts, so that
the most urgent item is the most prominent on screen, never dim grey.

Stylesheets do the same through the `-mono` class the app sets on itself (see app.tcss).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Emphasis:
    mono: bool
    count: str  # a red unread count
    urgent: str  # overdue, a deadline under 24 h, CRIT
    warning: str  # a follow-up overdue, HIGH, a spent button
    ok: str  # ready, unused, passing
    present: str  # another operator here now

    @classmethod
    def of(cls, app) -> Emphasis:
        return MONO if getattr(app, "no_color", False) else COLOUR

    def pad(self, text: str) -> str:
        """A reversed block reads better with a space either side; coloured text needs none."""
        return f" {text} " if self.mono else text


COLOUR = Emphasis(False, count="bold white on red", urgent="bold red", warning="bold yellow", ok="bold green",
                  present="italic yellow")
MONO = Emphasis(True, count="bold reverse", urgent="bold reverse", warning="bold underline", ok="bold",
                present="italic")


_RED = {"red", "bright_red"}
_YELLOW = {"yellow", "bright_yellow"}
_GREEN = {"green", "bright_green"}


def _mono_style(style):
    """One Rich style without colour: red (text or background) becomes reverse bold, yellow bold underline,
    green bold; dim and the rest stay."""
    from rich.style import Style

    if isinstance(style, str):
        style = Style.parse(style) if style else Style()
    names = {c.name for c in (style.color, style.bgcolor) if c is not None}
    if names & _RED:
        return style + Style(color="default", bgcolor="default", bold=True, reverse=True, dim=False)
    if names & _YELLOW:
        return style + Style(color="default", bold=True, underline=True, dim=False)
    if names & _GREEN:
        return style + Style(color="default", bold=True)
    return style


def mono(text, app):
    """The text as drawn for this app: under NO_COLOR its red, yellow and green spans become attributes
    (see _mono_style); otherwise the text itself."""
    if not getattr(app, "no_color", False):
        return text
    from rich.text import Span

    out = text.copy()
    out.style = _mono_style(text.style) if text.style else text.style
    out.spans = [Span(s.start, s.end, _mono_style(s.style)) for s in text.spans]
    return out
