"""Runbook markdown → HTML for QTextBrowser (and for print documents).

QTextBrowser understands a subset of HTML 4 and CSS 2: tables, inline styles, ``<a name>``
targets, ``<pre>``. Everything here stays inside that subset. Code is highlighted by Pygments with
inline styles (no stylesheet classes), so it survives printing and copying.
"""

from __future__ import annotations

import html
import re

import markdown
from markdown.extensions.codehilite import CodeHiliteExtension

from . import fonts
from .mdext import (
    HeadingAnchorExtension,
    LabelBadgeExtension,
    MetadataExtension,
    OfflineExtension,
    TaskListExtension,
)
from .model import Runbook
from .palette import palette
from .parser import strip_front_matter


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


def _extensions(rb: Runbook | None, states, current, interactive, dark) -> list:
    anchors = [s.anchor for s in rb.sections] if rb is not None else []
    return [
        "tables", "fenced_code", "sane_lists",
        CodeHiliteExtension(
            noclasses=True, pygments_style=palette(dark).pygments, guess_lang=False),
        HeadingAnchorExtension(anchors=anchors),
        TaskListExtension(item_ids=[i.id for i in rb.items] if rb else [],
                          states=states or {}, current=current or "",
                          interactive=interactive, dark=dark),
        LabelBadgeExtension(dark=dark),
        MetadataExtension(),
        OfflineExtension(dark=dark),
    ]


def markdown_to_html(text: str, rb: Runbook | None = None, *, states=None, current=None,
                     interactive: bool = True, dark: bool = False) -> str:
    md = markdown.Markdown(extensions=_extensions(rb, states, current, interactive, dark))
    body = md.convert(text)
    body = body.replace("\n</code></pre>", "</code></pre>")
    body = body.replace("<table>", '<table class="md" border="1" cellspacing="0" '
                        'cellpadding="4">')
    return body


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
                   terms: list[str] | None = None, banner: str | None = None) -> str:
    """A complete HTML document for one runbook."""
    if rb.load_error:
        body = (f"<h1>{html.escape(rb.title)}</h1>"
                f'<p class="warning"><b>This file cannot be shown:</b> '
                f"{html.escape(rb.load_error)}</p>"
                f'<p class="meta">{html.escape(str(rb.abs_path))}</p>')
    else:
        text = strip_front_matter(rb.text)
        body = markdown_to_html(text, rb, states=states, current=current,
                                interactive=interactive, dark=dark)
        if rb.front_matter.get("title") and not any(s.level == 1 for s in rb.sections):
            body = f"<h1>{html.escape(rb.title)}</h1>\n" + body
        if terms:
            body = highlight_terms(body, terms, dark)
    notices = "".join(
        f'<p class="warning">⚠ {html.escape(p.message)}'
        f"{' (line ' + str(p.line) + ')' if p.line else ''}</p>"
        for p in rb.problems if p.code in ("encoding", "unclosed-fence"))
    top = f'<p class="warning"><b>{html.escape(banner)}</b></p>' if banner else ""
    return (f"<html><head><meta charset='utf-8'><style>{stylesheet(dark)}</style></head>"
            f"<body>{top}{notices}{body}</body></html>")


def render_message(title: str, message: str, dark: bool = False) -> str:
    """A page that says clearly what went wrong (never an empty screen)."""
    return (f"<html><head><style>{stylesheet(dark)}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>")
