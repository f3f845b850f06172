"""UI fixtures: the app built by make_app on fixed data, frozen clock, no blink, no live timer."""

from __future__ import annotations

import pytest

from console.tui.app import make_app


def build(desk):
    return make_app(desk, live_refresh=False, cursor_blink=False)


@pytest.fixture
def app(demo):
    return build(demo)
