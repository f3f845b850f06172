"""The errors that end a command, or the console's opening, with one line and exit code 1 (no click here: the
console's own path, console/cli/launch.py, imports this too)."""

from __future__ import annotations

from console.core.config import ConfigError
from console.core.errors import StoreError
from console.core.triage import FilterError

EXPECTED = (ConfigError, StoreError, FilterError)
