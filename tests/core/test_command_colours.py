"""The colours commands are drawn with (core/palette.py): a value put in and a placeholder not
filled in are among the pairs the contrast test checks (WCAG AA, light and dark), and stand out
from the code around them."""

from __future__ import annotations

import pytest

from runbook_viewer.core.palette import DARK, LIGHT, contrast


@pytest.mark.parametrize("pal", [LIGHT, DARK], ids=["light", "dark"])
def test_command_marks_are_checked_and_stand_out(pal):
    pairs = {what: (fg, bg, minimum) for what, fg, bg, minimum in pal.pairs()}
    for what, fg, bg in (("incident value in a command on value", pal.value_fg, pal.value_bg),
                         ("placeholder not filled in on placeholder", pal.unfilled_fg,
                          pal.unfilled_bg)):
        assert pairs[what][:2] == (fg, bg)
        assert contrast(fg, bg) >= pairs[what][2] >= 4.5
    for colour in (pal.value_bg, pal.unfilled_bg):
        assert colour not in (pal.code_bg, pal.bg, pal.current_bg)
        assert contrast(colour, pal.code_bg) > 1.1  # a visible patch on the code background
