"""Raw HTML and images made safe for an offline viewer (no Qt).

Raw HTML in a runbook never runs and never loads anything: comments and active elements
(script, style, iframe, object, form…) are dropped with their content; a few harmless inline
tags are kept without attributes (``<br>``, ``<b>``, ``<kbd>``…); ``<a name>`` targets and
``<a href>`` links are kept (a click goes through the viewer's link handling); ``<img>`` becomes
a local image or a labelled placeholder; every other tag is dropped and its text shown.

Images: a path inside the library is shown from disk; a remote address is never fetched — a
placeholder names it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..links import is_remote
from ..palette import palette

KEEP_TAGS = frozenset({"b", "strong", "i", "em", "u", "s", "del", "ins", "strike", "code", "kbd",
                       "samp", "var", "sub", "sup", "small", "big", "mark", "abbr", "cite",
                       "q", "tt", "br", "span"})
ACTIVE_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "applet", "form",
                         "video", "audio", "source", "link", "meta", "base", "input",
                         "button", "select", "textarea", "template", "noscript", "svg",
                         "math", "frame", "frameset", "title", "head"})
#: other HTML elements: the tag is dropped, its text shown (``<div align=center>``); a tag-like
#: word that is no HTML element (``<pod-name>``) is shown as written
LAYOUT_TAGS = frozenset({
    "div", "p", "details", "summary", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "hr", "center", "font", "section", "article", "header", "footer", "nav", "aside", "main",
    "figure", "figcaption", "caption", "colgroup", "col", "picture", "html", "body", "label",
    "address", "time", "wbr", "nobr", "dfn", "bdi", "bdo", "ruby", "rt", "rp", "data", "meter",
    "progress", "output", "fieldset", "legend", "option", "optgroup", "area", "map", "track",
    "canvas", "dialog", "menu", "img", "a"})
_ACTIVE_BLOCK_RE = re.compile(
    r"<(script|style|iframe|object|embed|applet|form|video|audio|template|noscript|svg|math|"
    r"select|textarea|title|head)\b.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)|<![^>]*>|<\?.*?(?:\?>|\Z)", re.DOTALL)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)(/?)>")
_ATTR_RE = re.compile(r"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def _attrs(raw: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(next(g for g in m.groups()[1:] if g is not None))
            for m in _ATTR_RE.finditer(raw)}


def image_html(src: str, alt: str, base: Path | None, root: Path | None,
               dark: bool = False) -> str:
    """``<img>`` for a picture inside the library; a labelled placeholder for anything else."""
    reason = _image_problem(src, base, root)
    if reason is None:
        return f'<img src="{html.escape(src)}" alt="{html.escape(alt)}" />'
    label = alt or "image"
    return (f'<span style="color:{palette(dark).muted};">[image not loaded ({reason}): '
            f"{html.escape(label)} — {html.escape(src)}]</span>")


def _image_problem(src: str, base: Path | None, root: Path | None) -> str | None:
    if not src or is_remote(src):
        return "offline"
    if base is None or root is None:
        return None if ".." not in src.split("/") else "outside the library"
    from ..library import resolve_inside

    local = resolve_inside(root, base / src.split("#", 1)[0].split("?", 1)[0])
    if local is None:
        return "outside the library"
    return None if local.is_file() else "missing"


def sanitize(raw: str, base: Path | None = None, root: Path | None = None,
             dark: bool = False) -> str:
    """Raw HTML from a runbook → HTML that cannot run or load anything (see module doc)."""
    raw = _COMMENT_RE.sub("", _ACTIVE_BLOCK_RE.sub("", raw))
    out: list[str] = []
    pos = 0
    for m in _TAG_RE.finditer(raw):
        out.append(html.escape(html.unescape(raw[pos:m.start()]), quote=False))
        pos = m.end()
        out.append(_tag(m, base, root, dark))
    out.append(html.escape(html.unescape(raw[pos:]), quote=False))
    return "".join(out)


def _tag(m: re.Match, base: Path | None, root: Path | None, dark: bool) -> str:
    closing, name = m.group(1), m.group(2).lower()
    if name in ACTIVE_TAGS:
        return ""
    if name == "img" and not closing:
        attrs = _attrs(m.group(3))
        return image_html(attrs.get("src", ""), attrs.get("alt", ""), base, root, dark)
    if name == "a":
        if closing:
            return "</a>"
        attrs = _attrs(m.group(3))
        kept = [f'{k}="{html.escape(attrs[k])}"' for k in ("href", "name") if attrs.get(k)]
        if "id" in attrs and "name" not in attrs:
            kept.append(f'name="{html.escape(attrs["id"])}"')
        return f"<a {' '.join(kept)}>" if kept else "<a>"
    if name in KEEP_TAGS:
        return f"</{name}>" if closing else (f"<{name} />" if name == "br" else f"<{name}>")
    if name in LAYOUT_TAGS:
        return ""
    return html.escape(m.group(0), quote=False)
