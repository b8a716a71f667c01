"""UI test isolation: each test ends with the application's own palette, style and theme."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def restore_theme(qapp):
    palette, style = qapp.palette(), qapp.style().name()
    yield
    from runbook_viewer.ui import theme

    theme.reset()
    if qapp.style().name() != style:
        qapp.setStyle(style)
    qapp.setPalette(palette)
