"""The colours commands are drawn with (core/palette.py) meet WCAG AA in light and dark: values
put in, placeholders not filled in, the copy links."""

from __future__ import annotations

import pytest

from runbook_viewer.core.palette import DARK, LIGHT


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[n:n + 2], 16) / 255 for n in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_the_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("pal", [LIGHT, DARK], ids=["light", "dark"])
def test_command_colours_meet_wcag_aa(pal):
    pairs = {
        "value put in": (pal.value_fg, pal.value_bg),
        "placeholder not filled in": (pal.unfilled_fg, pal.unfilled_bg),
        "copy link on the page": (pal.link, pal.bg),
        "what a session copy leaves out": (pal.muted, pal.bg),
    }
    low = {what: round(contrast(fg, bg), 2) for what, (fg, bg) in pairs.items()
           if contrast(fg, bg) < 4.5}
    assert low == {}
    # the marks differ from plain code, so a value is seen as put in, not as written
    for colour in (pal.value_bg, pal.unfilled_bg):
        assert colour not in (pal.code_bg, pal.bg, pal.current_bg)
