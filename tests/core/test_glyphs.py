"""font_safe(): labels become badge shapes, other emoji a DejaVu glyph or nothing (no boxes)."""

from __future__ import annotations

import pytest

from runbook_viewer.core.glyphs import font_safe, has_glyph, label_text


@pytest.mark.parametrize(("text", "expected"), [
    ("🔴 **CONSTITUTIONAL** — FR22", "■ **CONSTITUTIONAL** — FR22"),
    ("🔵 OPERATIONAL", "● OPERATIONAL"),
    ("✅ Done", "✔ Done"),
    ("❌ Failed", "✘ Failed"),
    ("⚠️ Careful", "⚠ Careful"),  # the variation selector goes, the DejaVu glyph stays
    ("🔥 Hot path", "Hot path"),  # no DejaVu glyph: dropped with its space
    ("the 🔥 hot path", "the hot path"),
    ("👩‍💻 on call", "on call"),  # ZWJ sequence
    ("🇩🇪 Berlin", "Berlin"),  # flag
    ("⛔ Stop", "⊘ Stop"),
    ("plain ascii", "plain ascii"),
    ("Straße → café ≥ 12 — ok", "Straße → café ≥ 12 — ok"),  # ordinary text untouched
])
def test_font_safe(text, expected):
    assert font_safe(text) == expected


def test_output_never_holds_a_character_without_a_glyph():
    samples = "".join(chr(cp) for cp in range(0x2300, 0x2C00)) + \
        "".join(chr(cp) for cp in range(0x1F000, 0x1FB00, 7))
    out = font_safe(samples)
    assert all(has_glyph(ch) for ch in out)
    assert "\ufe0f" not in font_safe("✔️") and font_safe("✔️") == "✔"


def test_label_text():
    assert label_text("constitutional") == "■ CONSTITUTIONAL"
    assert label_text("operational") == "● OPERATIONAL"
