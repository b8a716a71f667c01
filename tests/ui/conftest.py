"""UI tests: each ends with the application's own palette, style and theme; the main window
they drive comes from ``make_window`` (any library, any size) or ``window`` (the bundled one)."""

from __future__ import annotations

import functools

import pytest
from ui_helpers import LAPTOP, open_window


def _import_every_module() -> None:
    """Import the whole package here, on the main thread, while coverage traces it. The window's
    loading thread (a QThread, which coverage does not trace) imports the panels' modules ahead
    of time; had a deferred window been the first to need one, its module-level lines counted
    as never run and the coverage figure depended on the random test order (91.6–93.2 %)."""
    import importlib
    import pkgutil

    import runbook_viewer

    for module in pkgutil.walk_packages(runbook_viewer.__path__, "runbook_viewer."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


_import_every_module()


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
