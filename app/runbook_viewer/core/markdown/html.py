"""Block tokens → HTML for QTextBrowser (HTML 4 / CSS 2 subset), one handler per node type.

Headings carry ``id`` and ``<a name>`` targets (QTextBrowser scrolls to names), old anchors as
extra names; checklist items are clickable glyphs (``<a href="check:ID">``) drawn from a state
map with the current item highlighted; a label paragraph becomes a banner; the metadata lines
one muted line; code is highlighted by Pygments with inline styles; raw HTML is made safe.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from functools import cache

from markdown_it.tree import SyntaxTreeNode

from ..commands import block_key, is_verify_command
from ..palette import STATE_GLYPH
from ..parser import LABEL_RE, TASK_RE, find_label
from .engine import Document, Slugger
from .html_commands import block_body, copy_line
from .html_inline import Context, inline_html
from .safe import sanitize

META_LINE_RE = re.compile(r"^\s*(Last Updated|Version|Owner|Severity|Status)\s*:", re.IGNORECASE)
TABLE_OPEN = '<table class="md" border="1" cellspacing="0" cellpadding="4">'
NOTE = "  ·  governance requirement: do not bypass; stop and escalate if it cannot be met"


def _plain(node: SyntaxTreeNode) -> str:
    out: list[str] = []
    for c in node.walk():
        if c.type in ("text", "code_inline", "text_special"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def render_children(node: SyntaxTreeNode, ctx: Context) -> str:
    return "".join(render(c, ctx) for c in node.children)


def render(node: SyntaxTreeNode, ctx: Context) -> str:
    handler = BLOCKS.get(node.type)
    return handler(node, ctx) if handler is not None else render_children(node, ctx)


def paragraph(node: SyntaxTreeNode, ctx: Context) -> str:
    inline = node.children[0] if node.children else None
    if inline is None:
        return ""
    text = _plain(inline)
    lines = [x for x in text.splitlines() if x.strip()]
    if not ctx.meta_done and lines and all(META_LINE_RE.match(x) for x in lines):
        ctx.meta_done = True
        return '<p class="meta">' + html.escape("  ·  ".join(x.strip() for x in lines)) + "</p>"
    if text.lstrip().startswith(("🔵", "🔴")):
        label = find_label(text)
        if label is not None:
            return banner(label.value, text, ctx)
    body = inline_html(inline, ctx)
    return body if node.hidden else f"<p>{body}</p>"


def banner(label: str, text: str, ctx: Context) -> str:
    rest = LABEL_RE.sub("", " ".join(text.split()), count=1).strip().lstrip("—-–: ").strip()
    constitutional = label == "constitutional"
    bg, color, border = ctx.pal.banner[label]
    head = "■ CONSTITUTIONAL" if constitutional else "● OPERATIONAL"
    note = (f'<span style="color:{ctx.pal.banner_note};">{NOTE}</span>'
            if constitutional else "")
    return (f'<table class="label label-{label}" width="100%" cellpadding="6" cellspacing="0" '
            f'border="{1 if constitutional else 0}" style="border-color:{border};"><tr>'
            f'<td bgcolor="{bg}" style="color:{color};"><b>{head}</b>'
            f"{' — ' + html.escape(rest) if rest else ''}{note}</td></tr></table>")


def heading(node: SyntaxTreeNode, ctx: Context) -> str:
    line = node.map[0] + 1 if node.map else 0
    sec = ctx.sections_by_line.get(line)
    inline = node.children[0]
    if sec is not None:
        anchor = sec.anchor
    else:
        if ctx.slugs is None:
            ctx.slugs = Slugger()
        anchor = ctx.slugs.slug(_plain(inline).replace("\n", " "))
    names = "".join(f'<a name="{html.escape(a)}"></a>' for a in (anchor,
                    *ctx.aliases.get(anchor, ())))
    return (f'<{node.tag} id="{html.escape(anchor)}">{names}{inline_html(inline, ctx)}'
            f"</{node.tag}>\n")


def _task_of(item: SyntaxTreeNode, ctx: Context):
    """(ChecklistItem or None, checked, prefix length) when ``item`` is a task list item."""
    first = item.children[0] if item.children else None
    if first is None or first.type != "paragraph" or not first.children:
        return None
    content = first.children[0].content
    m = TASK_RE.match(content.split("\n", 1)[0])
    if m is None:
        return None
    line = item.map[0] + 1 if item.map else 0
    task = ctx.items_by_line.get(line)
    prefix = len(content.split("\n", 1)[0]) - len(m.group(2))
    return task, m.group(1).lower() == "x", prefix


def list_block(node: SyntaxTreeNode, ctx: Context) -> str:
    tag = "ol" if node.type == "ordered_list" else "ul"
    attrs = ""
    start = node.attrs.get("start")
    if tag == "ol" and start not in (None, 1):
        attrs = f' start="{int(start)}"'
    inner = "".join(list_item(c, ctx) for c in node.children)
    if tag == "ul" and 'class="task' in inner:
        attrs += ' style="list-style-type:none; margin-left:0px;"'
    return f"<{tag}{attrs}>\n{inner}</{tag}>\n"


def list_item(node: SyntaxTreeNode, ctx: Context) -> str:
    task = _task_of(node, ctx)
    if task is None:
        return f"<li>{_verify_or_children(node, ctx)}</li>\n"
    spans, ctx.spans = ctx.spans, True  # the item's code spans are its commands
    try:
        return _task_item(node, ctx, task)
    finally:
        ctx.spans = spans


def _verify_or_children(node: SyntaxTreeNode, ctx: Context) -> str:
    """A list item's blocks; a ``Command to verify:`` line's code spans are commands."""
    first = node.children[0] if node.children else None
    if not ctx.commands or first is None or first.type != "paragraph" or \
            not first.children or not is_verify_command(first.children[0].content):
        return render_children(node, ctx)
    spans, ctx.spans = ctx.spans, True
    try:
        head = render(first, ctx)
    finally:
        ctx.spans = spans
    return head + "".join(render(c, ctx) for c in node.children[1:])


def _task_item(node: SyntaxTreeNode, ctx: Context, task) -> str:
    item, checked, prefix = task
    item_id = item.id if item is not None else f"item-{ctx.tasks_seen}"
    ctx.tasks_seen += 1
    state = ctx.states.get(item_id) or ("done" if checked else "pending")
    pal = ctx.pal
    glyph, word = STATE_GLYPH.get(state, STATE_GLYPH["pending"])
    color = pal.state.get(state, pal.state["pending"])
    style = f"color:{color}; text-decoration:none; font-weight:bold; font-size:large;"
    box = (f'<a href="check:{item_id}" style="{style}">{glyph}</a>' if ctx.interactive
           else f'<span style="{style}">{glyph}</span>')
    lead = ""
    li_style = ""
    if item_id == ctx.current:
        li_style = f' style="background-color:{pal.current_bg}; color:{pal.current_fg};"'
        lead = f'<span style="color:{pal.current_marker}; font-weight:bold;">▶\u00a0</span>'
    tag = f'<span style="color:{color}; font-size:small;"> [{word}]</span>' if word else ""
    first, *rest = node.children
    text = inline_html(first.children[0], ctx, skip=prefix)
    head = f'{lead}<a name="item-{item_id}"></a>{box}\u00a0{text}{tag}'
    head = head if first.hidden else f"<p>{head}</p>"
    more = "".join(render(c, ctx) for c in rest)
    return f'<li class="task task-{state}"{li_style}>{head}{more}</li>\n'


def blockquote(node: SyntaxTreeNode, ctx: Context) -> str:
    return f"<blockquote>{render_children(node, ctx)}</blockquote>\n"


@cache
def _formatter(style: str):
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(noclasses=True, style=style, nowrap=True)


@cache
def _lexer(lang: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlighted(code: str, lang: str, ctx: Context) -> str | None:
    """Pygments HTML with inline styles for a known language, else None."""
    lexer = _lexer(lang.lower()) if lang else None
    if lexer is None:
        return None
    from pygments import highlight

    return highlight(code, lexer, _formatter(ctx.pal.pygments))


def code_html(code: str, lang: str, ctx: Context, body: str | None = None) -> str:
    """A code block: Pygments with inline styles for a known language, else plain text."""
    if body is None:
        body = highlighted(code, lang, ctx) or html.escape(code, quote=False)
    body = body.rstrip("\n")
    return (f'<div class="codehilite"><pre style="background-color:{ctx.pal.code_bg};">'
            f"<code>{body}</code></pre></div>\n")


def fence(node: SyntaxTreeNode, ctx: Context) -> str:
    info = node.info.strip() if node.type == "fence" else ""
    lang = info.split(maxsplit=1)[0] if info else ""
    cmd = ctx.commands.get(block_key(node.map[0] + 1)) if ctx.commands and node.map else None
    if cmd is None:
        return code_html(node.content, lang, ctx)
    body = block_body(cmd, ctx, lambda text: highlighted(text, lang, ctx))
    return copy_line(cmd, ctx) + code_html(node.content, lang, ctx, body)


def table(node: SyntaxTreeNode, ctx: Context) -> str:
    return f"{TABLE_OPEN}\n{render_children(node, ctx)}</table>\n"


def cell(node: SyntaxTreeNode, ctx: Context) -> str:
    align = str(node.attrs.get("style", "")).replace("text-align:", "")
    attr = f' align="{align}"' if align in ("left", "right", "center") else ""
    inner = inline_html(node.children[0], ctx) if node.children else ""
    return f"<{node.tag}{attr}>{inner}</{node.tag}>"


def tag_block(tag: str) -> Callable[[SyntaxTreeNode, Context], str]:
    def render_tag(node: SyntaxTreeNode, ctx: Context) -> str:
        return f"<{tag}>{render_children(node, ctx)}</{tag}>\n"

    return render_tag


def html_block(node: SyntaxTreeNode, ctx: Context) -> str:
    safe = sanitize(node.content, ctx.base, ctx.root, ctx.dark).strip()
    return f"<p>{safe}</p>\n" if safe else ""


def hr(node: SyntaxTreeNode, ctx: Context) -> str:
    return "<hr />\n"


BLOCKS: dict[str, Callable[[SyntaxTreeNode, Context], str]] = {
    "paragraph": paragraph,
    "heading": heading,
    "bullet_list": list_block,
    "ordered_list": list_block,
    "list_item": list_item,
    "blockquote": blockquote,
    "fence": fence,
    "code_block": fence,
    "table": table,
    "thead": tag_block("thead"),
    "tbody": tag_block("tbody"),
    "tr": tag_block("tr"),
    "th": cell,
    "td": cell,
    "html_block": html_block,
    "hr": hr,
    "inline": lambda node, ctx: inline_html(node, ctx),
}


def render_nodes(nodes: Iterable[SyntaxTreeNode], ctx: Context) -> str:
    return "".join(render(n, ctx) for n in nodes)


def render_document(doc: Document, ctx: Context,
                    tokens: tuple[int, int] | None = None) -> str:
    """The whole document, or the top-level blocks of ``tokens`` (a [start, end) slice: a
    part of a very large page); a degraded one (see :mod:`.engine`) as its text (the caller
    shows the notice: ``doc.degraded``)."""
    if doc.degraded:
        text = "\n".join(doc.plain_lines())
        return f"<pre>{html.escape(text, quote=False)}</pre>"
    if tokens is not None:
        return render_children(SyntaxTreeNode(doc.tokens[tokens[0]:tokens[1]]), ctx)
    return render_children(doc.tree(), ctx)
