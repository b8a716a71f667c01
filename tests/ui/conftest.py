"""UI tests: each ends with the application's own palette, style and theme; the main window
they drive comes from ``make_window`` (any library, any size) or ``window`` (the bundled one)."""

from __future__ import annotations

import functools

import pytest
from ui_helpers import LAPTOP, open_window


@pytest.fixture(autouse=True)
def restore_theme(qapp):
    palette, style = qapp.palette(), qapp.style().name()
    yield
    from runbook_viewer.ui import theme

    theme.reset()
    if qapp.style().name() != style:
        qapp.setStyle(style)
    qapp.setPalette(palette)


@pytest.fixture
def make_window(qtbot):
    """``make_window(lib_dir, deferred=…, show=…, size=…, active=…, runbook=…)``: a main window,
    closed at the test's end (``ui_helpers.open_window``). A module with its own library
    overrides ``window`` with a call to this and keeps its own set-up there."""
    return functools.partial(open_window, qtbot)


@pytest.fixture
def window(make_window):
    """The bundled library at laptop size, on screen and active (keys reach it)."""
    return make_window(size=LAPTOP, active=True)
