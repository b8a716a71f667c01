"""Inline tokens → HTML for QTextBrowser, one handler per token type, plus the label marks.

🔵/🔴 labels never rely on a colour-emoji font: "🔴 CONSTITUTIONAL" becomes a badge
"■ CONSTITUTIONAL", a lone emoji its coloured glyph (■ / ●).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from ..links import is_remote
from ..palette import EMOJI, GLYPH, Palette, palette
from ..parser import LABEL_RE, find_label
from .safe import image_html, sanitize


@dataclass
class Context:
    """What every handler may need: the runbook's state and where the file lives."""

    dark: bool = False
    interactive: bool = True
    states: dict[str, str] = field(default_factory=dict)
    current: str = ""
    base: Path | None = None  # folder of the file (relative images)
    root: Path | None = None  # the library (images must stay inside it)
    items_by_line: dict = field(default_factory=dict)  # list item line -> ChecklistItem
    sections_by_line: dict = field(default_factory=dict)  # heading line -> Section
    aliases: dict[str, list[str]] = field(default_factory=dict)  # anchor -> old anchors
    meta_done: bool = False
    tasks_seen: int = 0
    slugs: Any = None  # anchors.Slugger for fragments without a runbook
    #: the runbook's commands by key (core.commands): blocks and item code spans drawn as
    #: commands (values in, placeholders marked, a copy link when ``copy_links``)
    commands: dict = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # incident values: name -> value
    copy_links: bool = False
    spans: bool = False  # code spans here are commands (in a checklist item)
    inline_line: int = 0  # the line of the inline being drawn (code span keys)

    @property
    def pal(self) -> Palette:
        return palette(self.dark)


def badge_html(label: str, dark: bool = False) -> str:
    bg, fg = palette(dark).badge[label]
    return (f'<span style="background-color:{bg}; color:{fg}; font-weight:bold;">'
            f"&nbsp;{GLYPH[label]} {label.upper()}&nbsp;</span>")


def glyph_html(label: str, dark: bool = False) -> str:
    return (f'<span style="color:{palette(dark).label[label]}; font-weight:bold;">'
            f"{GLYPH[label]}</span>")


def label_marks(escaped: str, dark: bool) -> str:
    """Escaped text with its 🔵/🔴 labels drawn as badges (emoji + word) or glyphs."""
    if "🔴" not in escaped and "🔵" not in escaped:
        return escaped

    def mark(m) -> str:
        label = find_label(m.group(0))
        value = label.value if label else EMOJI[m.group(1)]
        if m.group(2):
            return badge_html(value, dark)
        return glyph_html(EMOJI[m.group(1)], dark) + m.group(0)[len(m.group(1)):]

    return LABEL_RE.sub(mark, escaped)


def text(node: SyntaxTreeNode, ctx: Context) -> str:
    return label_marks(html.escape(node.content, quote=False), ctx.dark)


def code_inline(node: SyntaxTreeNode, ctx: Context) -> str:
    if ctx.spans and ctx.commands:
        from ..commands import inline_key

        cmd = ctx.commands.get(inline_key(ctx.inline_line, node.content))
        if cmd is not None:
            from .html_commands import span_html

            return span_html(cmd, node.content, ctx)
    return f"<code>{html.escape(node.content, quote=False)}</code>"


def softbreak(node: SyntaxTreeNode, ctx: Context) -> str:
    return "\n"


def hardbreak(node: SyntaxTreeNode, ctx: Context) -> str:
    return "<br />\n"


def wrap(tag: str) -> Callable[[SyntaxTreeNode, Context], str]:
    def render(node: SyntaxTreeNode, ctx: Context) -> str:
        return f"<{tag}>{children(node, ctx)}</{tag}>"

    return render


def link(node: SyntaxTreeNode, ctx: Context) -> str:
    href = str(node.attrs.get("href", ""))
    inner = children(node, ctx)
    mark = ""
    if is_remote(href) and not href.lower().startswith("mailto:"):
        mark = f'<span style="color:{ctx.pal.muted};">&#8599;</span>'  # ↗ leaves the viewer
    return f'<a href="{html.escape(href)}">{inner}</a>{mark}'


def image(node: SyntaxTreeNode, ctx: Context) -> str:
    alt = "".join(c.content for c in node.children if c.type in ("text", "code_inline"))
    return image_html(str(node.attrs.get("src", "")), alt, ctx.base, ctx.root, ctx.dark)


def html_inline(node: SyntaxTreeNode, ctx: Context) -> str:
    return sanitize(node.content, ctx.base, ctx.root, ctx.dark)


INLINE: dict[str, Callable[[SyntaxTreeNode, Context], str]] = {
    "text": text,
    "text_special": text,
    "code_inline": code_inline,
    "softbreak": softbreak,
    "hardbreak": hardbreak,
    "em": wrap("em"),
    "strong": wrap("strong"),
    "s": wrap("s"),
    "link": link,
    "image": image,
    "html_inline": html_inline,
}


def children(node: SyntaxTreeNode, ctx: Context) -> str:
    return "".join(render_inline(c, ctx) for c in node.children)


def render_inline(node: SyntaxTreeNode, ctx: Context) -> str:
    handler = INLINE.get(node.type)
    if handler is None:
        return children(node, ctx)
    return handler(node, ctx)


def inline_html(inline: SyntaxTreeNode, ctx: Context, skip: int = 0) -> str:
    """An ``inline`` node's HTML; ``skip`` characters of leading text are left out (the
    ``[ ]`` of a task item)."""
    if inline.type == "inline":
        ctx.inline_line = inline.map[0] + 1 if inline.map else 0
    out: list[str] = []
    for child in inline.children:
        if skip and child.type == "text":
            content = child.content
            if len(content) <= skip:
                skip -= len(content)
                continue
            out.append(label_marks(html.escape(content[skip:], quote=False), ctx.dark))
            skip = 0
            continue
        skip = 0
        out.append(render_inline(child, ctx))
    return "".join(out)
