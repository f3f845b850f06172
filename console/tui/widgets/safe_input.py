"""A text box that never holds terminal escapes: a paste is cleaned before it is shown or used."""

from __future__ import annotations

from textual.widgets import Input

from console.core.textsafe import clean, unsafe


class SafeInput(Input):
    """Input whose value is cleaned of escape sequences, control and bidi characters, however it got
    there (typed, pasted, set by code). One line: pasted newlines and tabs become spaces."""

    def validate_value(self, value: str) -> str:
        if unsafe(value) or "\n" in value or "\t" in value:
            return clean(value).replace("\n", " ").replace("\t", " ")
        return value
