"""Runbook → HTML for QTextBrowser (and for print documents), from its parsed tokens.

QTextBrowser understands a subset of HTML 4 and CSS 2: tables, inline styles, ``<a name>``
targets, ``<pre>``. Everything here stays inside that subset. Code is highlighted by Pygments with
inline styles (no stylesheet classes), so it survives printing and copying.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from . import fonts
from .markdown.engine import Document, parse, parse_fragment
from .markdown.html import render_document
from .markdown.html_inline import Context
from .model import Library, Runbook
from .page_parts import part_bar, split_parts
from .palette import palette

EMPTY_NOTICE = "This file has no text to show (it is empty or holds only front matter)."


def stylesheet(dark: bool = False, zoom_pt: float | None = None) -> str:
    c = palette(dark)
    size = f"font-size:{zoom_pt}pt;" if zoom_pt else ""
    return f"""
body {{ color:{c.fg}; background-color:{c.bg}; {size} }}
h1 {{ font-size:x-large; margin-top:4px; }}
h2 {{ font-size:large; margin-top:18px; border-bottom:1px solid {c.border}; }}
h3 {{ font-size:medium; margin-top:14px; }}
h4 {{ font-size:medium; margin-top:8px; }}
a {{ color:{c.link}; }}
code {{ font-family:{fonts.MONO}; background-color:{c.code_bg}; }}
pre {{ font-family:{fonts.MONO}; background-color:{c.code_bg};
       padding:6px; white-space:pre-wrap; }}
table.md {{ border-collapse:collapse; }}
table.md th {{ background-color:{c.code_bg}; padding:3px; }}
table.md td {{ padding:3px; }}
.meta {{ color:{c.muted}; }}
.warning {{ color:{c.warning}; }}
"""


def context(rb: Runbook | None = None, *, states: dict[str, str] | None = None,
            current: str | None = None, interactive: bool = True, dark: bool = False,
            root: Path | None = None, values: dict[str, str] | None = None) -> Context:
    """What the renderer needs to draw ``rb``: item states, anchors, where images may load,
    its commands (copy links when ``interactive``) and the run's incident ``values``."""
    ctx = Context(dark=dark, interactive=interactive, states=states or {}, current=current or "",
                  root=root, values=dict(values or {}), copy_links=interactive)
    if rb is not None:
        from .commands import by_key

        ctx.commands = by_key(rb)
        ctx.base = rb.abs_path.parent if rb.abs_path is not None else None
        ctx.items_by_line = {i.line: i for i in rb.items}
        ctx.sections_by_line = {s.line: s for s in rb.sections}
        for old, new in rb.anchor_aliases.items():
            ctx.aliases.setdefault(new, []).append(old)
    return ctx


_REPARSED: dict[tuple[str, str], Document] = {}  # the last pages parsed again (see below)


def document_of(rb: Runbook) -> Document:
    """The runbook's tokens, as parsed when the library was read (parsed again, the same way,
    only when a very large library did not keep them: see ``library.KEEP_TOKENS_BYTES``; the
    last two parsed again are kept, so moving between the parts of a page does not parse it
    each time)."""
    if rb.doc is not None:
        return rb.doc
    key = (rb.path, rb.content_hash)
    doc = _REPARSED.get(key)
    if doc is None:
        doc = parse(rb.text)
        while len(_REPARSED) >= 2:
            _REPARSED.pop(next(iter(_REPARSED)))
        _REPARSED[key] = doc
    return doc


def runbook_html(rb: Runbook, *, states=None, current=None, interactive: bool = True,
                 dark: bool = False, root: Path | None = None,
                 values: dict[str, str] | None = None, part: int | None = None) -> str:
    """The body HTML of a runbook, from the tokens it was parsed into: all of it, or — with
    ``part`` (1-based) and a runbook too large to show whole — that part with its bar (see
    :mod:`.page_parts`)."""
    ctx = context(rb, states=states, current=current, interactive=interactive, dark=dark,
                  root=root, values=values)
    doc = document_of(rb)
    parts = split_parts(doc) if part is not None and not doc.degraded else []
    if len(parts) > 1:
        shown = parts[min(max(part or 1, 1), len(parts)) - 1]
        body = (part_bar(rb, parts, shown) + render_document(doc, ctx, shown.tokens)
                + part_bar(rb, parts, shown, top=False))
        first = shown.number == 1
    else:
        body, first = render_document(doc, ctx), True
    if first and rb.front_matter.get("title") and not any(s.level == 1 for s in rb.sections):
        body = f'<h1 class="rv-title">{html.escape(rb.title)}</h1>\n' + body
    return body


def markdown_to_html(text: str, *, interactive: bool = True, dark: bool = False) -> str:
    """HTML for a piece of markdown that is not a runbook file (a note, a fragment)."""
    ctx = context(None, interactive=interactive, dark=dark)
    doc = parse_fragment(text)
    body = render_document(doc, ctx)
    return f'<p class="warning">⚠ {html.escape(doc.degraded)}</p>{body}' if doc.degraded \
        else body


def highlight_terms(body: str, terms: list[str], dark: bool = False) -> str:
    """Mark search terms in text nodes only (never inside tags), case-insensitively."""
    terms = [t for t in terms if len(t) >= 2]
    if not terms:
        return body
    pal = palette(dark)
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(t) for t in
                         sorted(terms, key=len, reverse=True)) + r")", re.IGNORECASE)
    parts = re.split(r"(<[^>]+>)", body)
    for n, part in enumerate(parts):
        if part and not part.startswith("<"):
            parts[n] = pattern.sub(
                lambda m: f'<span style="background-color:{pal.mark}; color:{pal.mark_fg};">'
                f"{m.group(1)}</span>", part)
    return "".join(parts)


def render_runbook(rb: Runbook, *, states: dict[str, str] | None = None,
                   current: str | None = None, interactive: bool = True, dark: bool = False,
                   terms: list[str] | None = None, banner: str | None = None,
                   root: Path | None = None, library: Library | None = None,
                   values: dict[str, str] | None = None, part: int | None = None) -> str:
    """A complete HTML document for one runbook (what the window shows). With the
    ``library``: images load only from inside it, and a landing page with no content of its
    own (only front matter) shows a generated overview of its folder. ``values``: the run's
    incident values, shown in the commands. With ``part``: a runbook too large to lay out
    whole shows that part (see :mod:`.page_parts`)."""
    if library is not None:
        root = root or library.root
    if rb.load_error:
        body = (f"<h1>{html.escape(rb.title)}</h1>"
                f'<p class="warning"><b>This file cannot be shown:</b> '
                f"{html.escape(rb.load_error)}</p>"
                f'<p class="meta">{html.escape(str(rb.abs_path))}</p>')
    else:
        from .folders import is_blank_landing

        if library is not None and is_blank_landing(rb):
            from .overview import overview_body

            body = overview_body(library, rb, dark)
        else:
            body = runbook_html(rb, states=states, current=current, interactive=interactive,
                                dark=dark, root=root, values=values, part=part)
        if not body.strip():  # never a silently empty screen
            body = (f"<h1>{html.escape(rb.title)}</h1>"
                    f'<p class="meta">{EMPTY_NOTICE}</p>')
        if terms:
            body = highlight_terms(body, terms, dark)
    notices = "".join(
        f'<p class="warning">⚠ {html.escape(p.message)}'
        f"{' (line ' + str(p.line) + ')' if p.line else ''}</p>"
        for p in rb.problems if p.code in ("encoding", "unclosed-fence", "degraded"))
    top = f'<p class="warning"><b>{html.escape(banner)}</b></p>' if banner else ""
    return (f"<html><head><meta charset='utf-8'><style>{stylesheet(dark)}</style></head>"
            f"<body>{top}{notices}{body}</body></html>")


def render_message(title: str, message: str, dark: bool = False) -> str:
    """A page that says clearly what went wrong (never an empty screen)."""
    return (f"<html><head><style>{stylesheet(dark)}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>")
