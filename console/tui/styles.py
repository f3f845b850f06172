"""Where the stylesheets are: inside the wheel (console/styles) or the checkout's top-level styles/."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def styles_dir() -> Path:
    for candidate in (_PACKAGE / "styles", _PACKAGE.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError(f"flagdesk stylesheets not found beside {_PACKAGE}")


def sheet(name: str) -> str:
    return str(styles_dir() / name)


SHEETS = ("app.tcss", "inbox.tcss", "help.tcss", "paste.tcss", "modals.tcss", "appeal.tcss", "health.tcss", "contacts.tcss", "audit.tcss")
