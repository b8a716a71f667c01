"""Every colour the viewer draws, in one place, for a light and a dark background.

Core rendering, the widgets and the contrast test read their colours from here; no other module
holds a colour literal. Each entry is a ``"#rrggbb"`` string. :meth:`Palette.pairs` lists every
text/background pair the viewer draws; each meets WCAG AA (4.5:1, 3:1 for large bold text) —
``tests/core/test_palette_contrast.py`` computes the ratios, and
``tests/ui/test_readable_in_any_theme.py`` measures the pairs in the rendered documents and
widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .glyphs import EMOJI, GLYPH  # noqa: F401 - re-exported; defined there (no dataclasses)

#: glyph and word for each checklist item state
STATE_GLYPH = {"pending": ("☐", ""), "done": ("☑", "done"), "na": ("⊘", "n/a"),
               "skipped": ("⤼", "skipped")}

AA_TEXT = 4.5  # WCAG 2 AA, normal text
AA_LARGE = 3.0  # WCAG 2 AA, large text (18 pt, or 14 pt bold)


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``"#rrggbb"``."""
    value = colour.lstrip("#")
    channels = [int(value[n:n + 2], 16) / 255 for n in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two ``"#rrggbb"`` colours (1.0 … 21.0)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class Palette:
    dark: bool
    fg: str
    bg: str
    muted: str
    code_bg: str
    link: str
    border: str
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
    #: severity -> background tint of its triage header (text: ``fg``)
    severity: dict[str, str] = field(default_factory=dict)
    #: the widgets' own colours when the viewer sets the theme (View ▸ Theme): window, base,
    #: button, highlight, highlighted text, placeholder, tooltip
    window: str = ""
    button: str = ""
    highlight: str = ""
    highlight_fg: str = ""
    placeholder: str = ""
    #: Pygments token type (dotted name under ``Token``) -> style ("italic #rrggbb", "#rrggbb")
    code: dict[str, str] = field(default_factory=dict)
    #: commands: an incident value put in (text on background), a placeholder not filled yet
    value_fg: str = ""
    value_bg: str = ""
    unfilled_fg: str = ""
    unfilled_bg: str = ""

    @property
    def pygments(self):
        """A Pygments style class made of :attr:`code` (code blocks, on ``code_bg``)."""
        return _pygments_style(self.dark)

    def code_colours(self) -> dict[str, str]:
        """token -> colour of every code token style."""
        return {token: spec.split()[-1] for token, spec in self.code.items()}

    def pairs(self) -> list[tuple[str, str, str, float]]:
        """(what, foreground, background, minimum ratio) for every pair the viewer draws."""
        out: list[tuple[str, str, str, float]] = []

        def add(what: str, fg: str, backgrounds: dict[str, str], minimum: float = AA_TEXT):
            for where, bg in backgrounds.items():
                out.append((f"{what} on {where}", fg, bg, minimum))

        page = {"page": self.bg}
        page_and_current = {"page": self.bg, "current item": self.current_bg}
        add("body text", self.fg, {**page, "table header": self.code_bg, **self._severities()})
        add("code", self.fg, {"code": self.code_bg})
        add("code in the current item", self.current_fg, {"code": self.code_bg})
        add("muted text", self.muted, {**page, "panel": self.window, "code": self.code_bg})
        add("link", self.link, {**page_and_current, "table header": self.code_bg})
        add("warning", self.warning, {**page, "panel": self.window})
        add("ok", self.ok, {**page, "panel": self.window})
        add("current item text", self.current_fg, {"current item": self.current_bg})
        add("current item marker", self.current_marker, {"current item": self.current_bg})
        for state, colour in self.state.items():
            add(f"{state} box", colour, page_and_current)
        for label, colour in self.label.items():
            add(f"{label} label", colour, {**page_and_current, "panel": self.window})
        for label, (bg, fg) in self.badge.items():
            add(f"{label} badge", fg, {"badge": bg})
        for label, (bg, fg, _border) in self.banner.items():
            add(f"{label} banner", fg, {"banner": bg})
        add("constitutional banner note", self.banner_note,
            {"banner": self.banner["constitutional"][0]})
        add("search highlight", self.mark_fg, {"highlight": self.mark})
        add("find highlight", self.find_fg, {"match": self.find_all_bg,
                                             "current match": self.find_current_bg})
        add("notice", self.notice_fg, {"notice": self.notice_bg})
        add("unreadable runbook", self.tree_error, page)
        add("widget text", self.fg, {"panel": self.window, "button": self.button})
        add("selected row", self.highlight_fg, {"selection": self.highlight})
        add("placeholder", self.placeholder, page)
        for token, colour in self.code_colours().items():
            add(f"code token {token}", colour, {"code": self.code_bg})
        add("incident value in a command", self.value_fg, {"value": self.value_bg})
        add("placeholder not filled in", self.unfilled_fg, {"placeholder": self.unfilled_bg})
        return out

    def _severities(self) -> dict[str, str]:
        return {f"{severity} row": tint for severity, tint in self.severity.items()}


LIGHT = Palette(
    dark=False, fg="#1a1a1a", bg="#ffffff", muted="#555555", code_bg="#f3f3f3", link="#0b57d0",
    border="#b0b0b0", mark="#ffe066", mark_fg="#000000", warning="#b00020",
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
    window="#efefef", button="#e6e6e6", highlight="#0b57d0", highlight_fg="#ffffff",
    placeholder="#595959",
    code={"Token": "#1a1a1a", "Comment": "italic #4f6352", "Keyword": "bold #0b3f8f",
          "Operator": "#3d3d3d", "Punctuation": "#3d3d3d", "Name.Builtin": "#1f5f7a",
          "Name.Function": "#1f4f99", "Name.Variable": "#7a3e00", "Name.Tag": "#0b3f8f",
          "Name.Attribute": "#7a3e00", "Name.Constant": "#7a3e00", "Literal.String": "#a31515",
          "Literal.Number": "#5b2d9e", "Generic.Inserted": "#1b5e20",
          "Generic.Deleted": "#a31515", "Generic.Heading": "bold #1a1a1a",
          "Generic.Subheading": "bold #5b2d9e", "Generic.Prompt": "bold #3d3d3d",
          "Generic.Output": "#3d3d3d", "Generic.Error": "#a31515", "Error": "#a31515"},
    value_fg="#0b3d14", value_bg="#c8efd1", unfilled_fg="#5a2a00", unfilled_bg="#ffe0c2",
)

DARK = Palette(
    dark=True, fg="#e6e6e6", bg="#1e1f22", muted="#a8a8a8", code_bg="#2b2d31", link="#8ab4f8",
    border="#5a5a5a", mark="#ffd54f", mark_fg="#000000", warning="#ff8a80",
    ok="#81c784", current_bg="#3d3300", current_fg="#ffffff", current_marker="#ffab91",
    state={"pending": "#e0e0e0", "done": "#81c784", "na": "#bdbdbd", "skipped": "#ffb74d"},
    label={"constitutional": "#ff8a80", "operational": "#8ab4f8"},
    badge={"constitutional": ("#b71c1c", "#ffffff"), "operational": ("#0d47a1", "#ffffff")},
    banner={"constitutional": ("#3b1416", "#ff8a80", "#ff8a80"),
            "operational": ("#14243d", "#8ab4f8", "#8ab4f8")},
    banner_note="#ffcdd2", notice_bg="#4a3c00", notice_fg="#fff4ce",
    find_all_bg="#ffe066", find_current_bg="#ff9632", find_fg="#000000", tree_error="#ff8a80",
    severity={"CRITICAL": "#5c1a1f", "HIGH": "#5a3412", "MEDIUM": "#4d4412", "LOW": "#1f3d22",
              "INFO": "#333333"},
    window="#2a2b2e", button="#34363a", highlight="#2f5fb3", highlight_fg="#ffffff",
    placeholder="#a8a8a8",
    code={"Token": "#e6e6e6", "Comment": "italic #a3adb8", "Keyword": "bold #82aaff",
          "Operator": "#d0d0d0", "Punctuation": "#d0d0d0", "Name.Builtin": "#89ddff",
          "Name.Function": "#82aaff", "Name.Variable": "#ffcb6b", "Name.Tag": "#82aaff",
          "Name.Attribute": "#ffcb6b", "Name.Constant": "#ffcb6b", "Literal.String": "#c3e88d",
          "Literal.Number": "#f78c6c", "Generic.Inserted": "#81c784",
          "Generic.Deleted": "#ff8a80", "Generic.Heading": "bold #e6e6e6",
          "Generic.Subheading": "bold #c792ea", "Generic.Prompt": "bold #d0d0d0",
          "Generic.Output": "#d0d0d0", "Generic.Error": "#ff8a80", "Error": "#ff8a80"},
    value_fg="#d4f2da", value_bg="#1f4a2a", unfilled_fg="#ffe0c2", unfilled_bg="#5a3412",
)

#: paper: black on white, whatever the screen's theme
PRINT_FG = "#000000"
PRINT_BG = "#ffffff"


def palette(dark: bool = False) -> Palette:
    return DARK if dark else LIGHT


@lru_cache(maxsize=2)
def _pygments_style(dark: bool):
    """Pygments style class from the palette (built on first use: Pygments is not imported
    before the first frame)."""
    from pygments import token as tokens
    from pygments.style import Style

    pal = palette(dark)
    styles = {}
    for name, spec in pal.code.items():
        tok = tokens.Token
        for part in name.split(".")[1:] if name.startswith("Token") else name.split("."):
            tok = getattr(tok, part)
        styles[tok] = spec
    return type("DarkCode" if dark else "LightCode", (Style,), {
        "name": "runbook-viewer-dark" if dark else "runbook-viewer-light",
        "background_color": pal.code_bg, "highlight_color": pal.mark, "styles": styles})
