"""Labels of fates and causes without compiling the reading rules (issue 14: compiling the 400 patterns to
label the first row's reading cost the first paint ~100 ms)."""

from __future__ import annotations

import subprocess
import sys

from console.core.labels import load_labels
from console.core.reading import load_rules

EXTRA = {"fate": [{"id": "listing_paused", "label": "Listing paused", "severity": "medium",
                   "patterns": ["paused your listing"]}],
         "cause": [{"id": "authenticity", "label": "Authenticity (our wording)", "patterns": ["authentic"]},
                   {"id": "battery_rules", "patterns": ["lithium"]}]}


def _same(rules, labels) -> None:
    for rule in (*rules.fates, *rules.causes):
        got = labels.fate(rule.id) if rule.kind == "fate" else labels.cause(rule.id)
        assert got is not None and got.label == rule.label, rule.id


def test_every_shipped_label_is_the_rules_label():
    _same(load_rules(), load_labels())
    assert load_labels().fate("no_such_fate") is None


def test_ids_come_in_the_rules_order():
    for extra in (None, EXTRA):
        rules, labels = load_rules(extra), load_labels(extra)
        assert labels.fate_ids == [r.id for r in rules.fates]
        assert labels.cause_ids == [r.id for r in rules.causes]


def test_a_configs_rules_relabel_and_add():
    labels = load_labels(EXTRA)
    _same(load_rules(EXTRA), labels)
    assert labels.cause("authenticity").label == "Authenticity (our wording)"
    assert labels.cause("battery_rules").label == "Battery rules"
    assert labels.fate("listing_paused").label == "Listing paused"


def test_the_console_paints_its_first_screen_without_compiling_the_reading_rules(demo):
    probe = (
        "import sys, os\n"
        "os.environ['TEXTUAL_ANIMATIONS'] = 'none'\n"
        "from console.core import config\n"
        "from console.desk import Desk\n"
        "from console.tui.app import make_app\n"
        f"app = make_app(Desk.open(config.load(db_path={str(demo.store.path)!r})), live_refresh=False)\n"
        "async def drive(pilot):\n"
        "    await pilot.pause()\n"
        "    print('reading' if 'console.core.reading' in sys.modules else 'labels only')\n"
        "    pilot.app.exit()\n"
        "app.run(headless=True, size=(120, 40), auto_pilot=drive)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "labels only"
