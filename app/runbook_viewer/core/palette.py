"""Every colour the viewer draws, in one place, for a light and a dark background.

Core rendering, the widgets and the contrast test read their colours from here; no other module
holds a colour literal. Each entry is a ``"#rrggbb"`` string.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: label glyphs that every font has (colour emoji fonts are often missing on a bare system);
#: the shape differs too, so the labels stay distinct in black and white
GLYPH = {"constitutional": "■", "operational": "●"}
EMOJI = {"🔴": "constitutional", "🔵": "operational"}

#: glyph and word for each checklist item state
STATE_GLYPH = {"pending": ("☐", ""), "done": ("☑", "done"), "na": ("⊘", "n/a"),
               "skipped": ("⤼", "skipped")}


@dataclass(frozen=True)
class Palette:
    dark: bool
    fg: str
    bg: str
    muted: str
    code_bg: str
    link: str
    border: str
    pygments: str  # Pygments style name for code blocks
    mark: str  # search-term highlight background
    mark_fg: str
    warning: str
    ok: str
    current_bg: str  # the checklist item the operator is holding at
    current_fg: str
    current_marker: str
    #: checklist item state -> glyph colour
    state: dict[str, str] = field(default_factory=dict)
    #: label -> colour of the glyph / text
    label: dict[str, str] = field(default_factory=dict)
    #: label -> (background, foreground) of a badge
    badge: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: label -> (background, foreground, border) of a label banner
    banner: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    banner_note: str = ""
    notice_bg: str = ""
    notice_fg: str = ""
    find_all_bg: str = ""
    find_current_bg: str = ""
    find_fg: str = ""
    tree_error: str = ""
    #: severity -> background tint of its triage header
    severity: dict[str, str] = field(default_factory=dict)
    #: commands: an incident value put in (text on background), a placeholder not filled yet
    value_fg: str = ""
    value_bg: str = ""
    unfilled_fg: str = ""
    unfilled_bg: str = ""


LIGHT = Palette(
    dark=False, fg="#1a1a1a", bg="#ffffff", muted="#555555", code_bg="#f5f5f5", link="#0b57d0",
    border="#cccccc", pygments="default", mark="#ffe066", mark_fg="#000000", warning="#b00020",
    ok="#1b5e20", current_bg="#fff3b0", current_fg="#000000", current_marker="#b00020",
    state={"pending": "#333333", "done": "#1b5e20", "na": "#555555", "skipped": "#8a4b00"},
    label={"constitutional": "#b71c1c", "operational": "#0d47a1"},
    badge={"constitutional": ("#b71c1c", "#ffffff"), "operational": ("#0d47a1", "#ffffff")},
    banner={"constitutional": ("#fdecea", "#b71c1c", "#b71c1c"),
            "operational": ("#e8f0fe", "#0d47a1", "#0d47a1")},
    banner_note="#5f0000", notice_bg="#fff4ce", notice_fg="#3b2e00",
    find_all_bg="#ffe066", find_current_bg="#ff9632", find_fg="#000000", tree_error="#b00020",
    severity={"CRITICAL": "#f8d7da", "HIGH": "#ffe5cc", "MEDIUM": "#fff6c7", "LOW": "#e3f1e4",
              "INFO": "#ececec"},
    value_fg="#0b3d14", value_bg="#d4f2da", unfilled_fg="#5a2a00", unfilled_bg="#ffe0c2",
)

DARK = Palette(
    dark=True, fg="#e6e6e6", bg="#1e1f22", muted="#a0a0a0", code_bg="#2b2d31", link="#8ab4f8",
    border="#555555", pygments="monokai", mark="#806600", mark_fg="#e6e6e6", warning="#b00020",
    ok="#1b5e20", current_bg="#fff3b0", current_fg="#000000", current_marker="#b00020",
    state={"pending": "#e0e0e0", "done": "#81c784", "na": "#bdbdbd", "skipped": "#ffb74d"},
    label={"constitutional": "#ff8a80", "operational": "#8ab4f8"},
    badge={"constitutional": ("#b71c1c", "#ffffff"), "operational": ("#0d47a1", "#ffffff")},
    banner={"constitutional": ("#fdecea", "#b71c1c", "#b71c1c"),
            "operational": ("#e8f0fe", "#0d47a1", "#0d47a1")},
    banner_note="#5f0000", notice_bg="#fff4ce", notice_fg="#3b2e00",
    find_all_bg="#ffe066", find_current_bg="#ff9632", find_fg="#000000", tree_error="#b00020",
    severity={"CRITICAL": "#5c1a1f", "HIGH": "#5a3412", "MEDIUM": "#4d4412", "LOW": "#1f3d22",
              "INFO": "#333333"},
    value_fg="#d4f2da", value_bg="#1f4a2a", unfilled_fg="#ffe0c2", unfilled_bg="#5a3412",
)

#: paper: black on white, whatever the screen's theme
PRINT_FG = "#000000"
PRINT_BG = "#ffffff"


def palette(dark: bool = False) -> Palette:
    return DARK if dark else LIGHT
