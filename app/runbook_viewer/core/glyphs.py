"""Emoji → glyphs every installed font has (no empty boxes on a machine without colour emoji).

A bare Debian with ``fonts-dejavu-core`` (what the set-up installs) has no colour-emoji font: an
emoji in a runbook, a label or a snippet is drawn as an empty box. :func:`font_safe` replaces the
labels with their badge shapes (🔴 → ■, 🔵 → ●), other common emoji with a DejaVu glyph of the
same meaning (✅ → ✔, ❌ → ✘, ⛔ → ⊘ …), and drops every other pictograph DejaVu lacks — never a
box. Used by the widgets and by the command line's text output.

The ranges below were measured on DejaVu Sans, Sans Mono and Serif (regular and bold: the
``fonts-dejavu-core`` package); ``tests/ui/test_no_empty_boxes.py`` re-checks them against the
fonts installed.
"""

from __future__ import annotations

import re

#: label glyphs that every font has (colour emoji fonts are often missing on a bare system);
#: the shape differs too, so the labels stay distinct in black and white
GLYPH = {"constitutional": "■", "operational": "●"}
EMOJI = {"🔴": "constitutional", "🔵": "operational"}

#: emoji with a meaning an operator needs → a glyph DejaVu has ("" = drop it)
REPLACE: dict[str, str] = {
    **{emoji: GLYPH[label] for emoji, label in EMOJI.items()},
    "🟥": "■", "🟧": "■", "🟨": "■", "🟩": "■", "🟦": "■", "🟪": "■", "⬛": "■", "⬜": "□",
    "🟠": "●", "🟡": "●", "🟢": "●", "🟣": "●", "⚫": "●", "⚪": "○", "🔶": "◆", "🔷": "◆",
    "✅": "✔", "❌": "✘", "❎": "✘",
    "⛔": "⊘", "🚫": "⊘", "🛑": "⊘", "🚨": "⚠", "❗": "!", "❕": "!", "❓": "?",
    "❔": "?", "⭐": "★", "🌟": "★", "➕": "+", "➖": "−", "➗": "÷",
    "⏱": "", "⏲": "", "⌛": "", "⏳": "", "⌚": "", "⏰": "",
    "⬆": "↑", "⬇": "↓", "⬅": "←", "➡": "→", "🔁": "↻", "🔄": "↻", "🔃": "↻",
    "📌": "•", "👉": "→", "👈": "←", "👆": "↑", "👇": "↓",
}

#: code points DejaVu (core) has no glyph for, in the symbol blocks (U+2190…U+2BFF, emoji)
_MISSING = (
    (0x2316, 0x2317), (0x231A, 0x231B), (0x2322, 0x2323), (0x2329, 0x232A), (0x232D, 0x2334),
    (0x237B, 0x237C), (0x237E, 0x237F), (0x2384, 0x2386), (0x238C, 0x2393), (0x2396, 0x239A),
    (0x23AF, 0x23B6), (0x23B8, 0x23CD), (0x23D0, 0x23E2), (0x23E4, 0x23E4), (0x23E6, 0x23E7),
    (0x23E9, 0x2421), (0x2424, 0x245F), (0x246A, 0x24FF), (0x269D, 0x269D), (0x26B9, 0x26BF),
    (0x26C4, 0x26E1), (0x26E3, 0x2700), (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728),
    (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x275F, 0x2760),
    (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x27C0, 0x27C1), (0x27C3, 0x27C4),
    (0x27C7, 0x27DB),
    (0x27DD, 0x27DF), (0x27E1, 0x27E5), (0x27EC, 0x27EF), (0x2980, 0x2982), (0x2985, 0x2986),
    (0x2989, 0x2996), (0x2999, 0x29CD), (0x29D6, 0x29EA), (0x29EC, 0x29F9), (0x29FC, 0x29FF),
    (0x2A03, 0x2A0B), (0x2A1D, 0x2A2E), (0x2A30, 0x2A69), (0x2A6C, 0x2A7C), (0x2AA1, 0x2AAD),
    (0x2ABB, 0x2AF8), (0x2AFB, 0x2AFF), (0x2B1B, 0x2B1E), (0x2B25, 0x2B52), (0x2B55, 0x2BFF),
    (0x3030, 0x3030), (0x303D, 0x303D),
    (0x1F000, 0x1FAFF),  # every pictograph, emoticon, flag and symbol block
)
#: invisible emoji joiners and modifiers: variation selectors, ZWJ, keycap, tags
_INVISIBLE = "\ufe0e\ufe0f\u200d\u20e3"
_TAGS = (0xE0020, 0xE007F)

_REPLACE_RE = re.compile("|".join(re.escape(k) for k in sorted(REPLACE, key=len, reverse=True)))
_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in (*_MISSING, _TAGS))
_DROP_RE = re.compile(f"[{_CLASS}]+( ?)")


def _drop(m: re.Match) -> str:
    """A dropped pictograph takes one following space with it when it starts a word
    ("🔥 Hot" → "Hot", "very 🔥 hot" → "very hot")."""
    start = m.start()
    starts_word = start == 0 or m.string[start - 1].isspace()
    return "" if starts_word else m.group(1)


def has_glyph(ch: str) -> bool:
    """False for a character DejaVu has no glyph for (within the emoji blocks)."""
    cp = ord(ch)
    return not any(lo <= cp <= hi for lo, hi in _MISSING)


def font_safe(text: str) -> str:
    """``text`` with every emoji replaced by a glyph the installed fonts have, or dropped."""
    if not text or text.isascii():
        return text
    text = _REPLACE_RE.sub(lambda m: REPLACE[m.group(0)], text)
    for ch in _INVISIBLE:
        text = text.replace(ch, "")
    return _DROP_RE.sub(_drop, text)


def label_text(label: str) -> str:
    """'constitutional' → '■ CONSTITUTIONAL' (the badge's words, for plain text)."""
    return f"{GLYPH[label]} {label.upper()}"
