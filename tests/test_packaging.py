"""The wheel carries every stylesheet, and the checkout finds them too."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from console.tui.styles import SHEETS, styles_dir

ROOT = Path(__file__).resolve().parent.parent


def test_every_sheet_exists_in_the_checkout():
    assert sorted(p.name for p in (ROOT / "styles").glob("*.tcss")) == sorted(SHEETS)
    assert styles_dir() == ROOT / "styles"


def test_wheel_ships_every_stylesheet(tmp_path):
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
                   cwd=ROOT, check=True, capture_output=True)
    wheel = next(tmp_path.glob("flagdesk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for sheet in SHEETS:
        assert f"console/styles/{sheet}" in names
    assert "console/tui/app.py" in names and "console/core/data/reading.toml" in names
    assert "console/demo/data/notices.toml" in names
    for data in ("parts", "sentences", "tone", "evidence"):  # the appeal checklist's phrase lists
        assert f"console/review/data/{data}.toml" in names
    assert "console/demo/data/notices/001-northwind-home-account-at-risk.txt" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "flagdesk = console.cli.entry:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
