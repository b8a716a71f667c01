"""The one markdown engine: markdown-it-py, CommonMark + GFM tables and strikethrough.

:func:`parse` turns a file's text into a :class:`Document` — one token stream — from which the
library model (:mod:`.build`), the page (:mod:`.html`), print documents and terminal text
(:mod:`.text`) are all made. It never raises on text: NUL bytes become U+FFFD (CommonMark), an
unclosed fence runs to the end of its container, and nesting deeper than :data:`MAX_NESTING`
marks the document *degraded* (shown as plain text with a notice) instead of recursing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from . import bounds

#: token nesting the parser follows (lists take two levels each, a quote one); real runbooks
#: stay under 20, a hostile 10,000-deep file stops here and renders as text
MAX_NESTING = 60
_FRONT_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*)$")
_FENCE_LINE_RE = re.compile(r"^[\s>]*(`{3,}|~{3,})\s*$")


def _identity(url: str) -> str:
    return url


def _any_link(url: str) -> bool:
    return True


@cache
def engine() -> MarkdownIt:
    """The configured parser (built once). Raw HTML is tokenized as GitHub does (so the block
    structure matches) and made safe by the renderers; links keep their target as written, and
    every scheme parses as a link (the viewer never follows one itself: lint and the link
    handler judge ``file:`` or ``javascript:`` targets)."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    for rule in list(md.inline.ruler.get_all_rules()):
        if rule in ("link", "image"):
            fn = md.inline.ruler.__rules__[md.inline.ruler.__find__(rule)].fn
            md.inline.ruler.at(rule, bounds.bounded_link_rule(fn, image=rule == "image"))
    md.normalizeLink = _identity  # type: ignore[method-assign]
    md.normalizeLinkText = _identity  # type: ignore[method-assign,assignment]
    md.validateLink = _any_link  # type: ignore[method-assign]
    return md


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """YAML (---) or TOML (+++) front matter: simple `key: value` / `key = value` pairs, and the
    index of the first line after it (0 when there is none)."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, 0
    fence = lines[0].strip()
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() == fence:
            data: dict[str, str] = {}
            for raw in lines[1:end]:
                m = _FRONT_RE.match(raw)
                if m:
                    data[m.group(1).lower()] = m.group(2).strip().strip("'\"")
            return data, end + 1
    return {}, 0


@dataclass
class Document:
    """One parsed file: its tokens and what the renderers need besides them."""

    tokens: list[Token]
    lines: list[str]  # the source lines as parsed (shortcodes resolved, front matter blanked)
    front_matter: dict[str, str] = field(default_factory=dict)
    body_start: int = 0  # 0-based index of the first line after the front matter
    references: dict = field(default_factory=dict)  # reference definitions (label -> href…)
    degraded: str | None = None  # why the document is shown as plain text, if it is
    notices: list[str] = field(default_factory=list)  # parts shown degraded (still rendered)
    parts: Any = field(default=None, repr=False)  # how the window shows it (core.page_parts)

    def tree(self) -> SyntaxTreeNode:
        return SyntaxTreeNode(self.tokens)

    def plain_lines(self) -> list[str]:
        """The body lines as a degraded document shows them (see :mod:`.bounds`)."""
        return bounds.shown_lines(self.lines[self.body_start:])

    def source(self, first: int, last: int) -> str:
        """Lines ``first``..``last`` (1-based, inclusive) as parsed."""
        return "\n".join(self.lines[max(first - 1, 0):max(last, 0)])


def parse(text: str) -> Document:
    """Parse ``text`` once; line numbers in every token are those of the file."""
    text = rewrite_shortcodes(text)
    lines = text.splitlines()
    front, start = split_front_matter(lines)
    if start:
        text = "\n" * start + "\n".join(lines[start:])
    deep = bounds.too_deep(text)
    if deep:  # hostile nesting: not parsed at all (see .bounds)
        return Document([], lines, front, start, degraded=deep)
    env: dict = {}
    tokens = engine().parse(text, env)
    doc = Document(tokens, lines, front, start, env.get("references") or {})
    if any(t.level >= MAX_NESTING - 2 for t in tokens):
        doc.degraded = (f"this file nests lists or quotes more than {MAX_NESTING // 3} levels "
                        "deep; it is shown as plain text")
    notice = bounds.links_bounded(env)
    if notice:
        doc.notices.append(notice)
    return doc


def parse_fragment(text: str) -> Document:
    """Parse a piece of markdown that is not a file (no front matter, no shortcodes)."""
    deep = bounds.too_deep(text)
    if deep:
        return Document([], text.splitlines(), degraded=deep)
    env: dict = {}
    tokens = engine().parse(text, env)
    doc = Document(tokens, text.splitlines(), references=env.get("references") or {})
    if any(t.level >= MAX_NESTING - 2 for t in tokens):
        doc.degraded = "this text nests lists or quotes too deep; it is shown as plain text"
    return doc


def fence_closed(doc: Document, token: Token) -> bool:
    """Whether a fence token ends with its closing fence (else it ran to the end of its
    container: the rest of the file, list item or quote renders as code)."""
    if token.map is None or token.map[1] - 1 <= token.map[0]:
        return False
    last = doc.lines[token.map[1] - 1] if token.map[1] - 1 < len(doc.lines) else ""
    m = _FENCE_LINE_RE.match(last)
    return m is not None and m.group(1)[0] == token.markup[0] \
        and len(m.group(1)) >= len(token.markup)


def plain(children: list[Token] | None, breaks: str = " ") -> str:
    """The text content of inline tokens: text and code as written, markup and HTML dropped."""
    out: list[str] = []
    for t in children or ():
        if t.type in ("text", "code_inline", "text_special"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            out.append(breaks)
        elif t.type == "image":
            out.append(plain(t.children, breaks))
    return "".join(out)


def first_line_children(children: list[Token] | None) -> list[Token]:
    """The inline tokens of the first source line (up to the first line break)."""
    out: list[Token] = []
    for t in children or ():
        if t.type in ("softbreak", "hardbreak"):
            break
        out.append(t)
    return out


# -- Hugo shortcodes ------------------------------------------------------------------------------
# Hugo shortcodes, so a Hugo library reads as its site shows it (no Qt, no I/O).
#
# - ``{{< ref "x.md" >}}`` / ``{{< relref "x.md#a" >}}`` (also ``{{% … %}}``) become the path they
#   name, so ``[see]({{< ref "x.md" >}})`` is an ordinary link that resolves in the library;
# - any other shortcode shows its inner text: ``{{< hint info >}}Careful{{< /hint >}}`` →
#   ``Careful``; a shortcode with no inner text (``{{< toc >}}``) disappears;
# - an escaped shortcode ``{{</* x */>}}`` shows as written, ``{{< x >}}``.
#
# Replacements never add or remove a line, so every line number stays that of the file.

_REF_RE = re.compile(
    r"\{\{([<%])\s*(?:rel)?ref\s+(?:\"([^\"\n]*)\"|'([^'\n]*)'|([^\s>%}]+))\s*[>%]\}\}")
_ESCAPED_RE = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}")
_SHORTCODE_RE = re.compile(
    r"\{\{[<%]-?\s*/?\s*[A-Za-z][\w./-]*(?:[^{}\n]|\{[^{}\n]*\})*?-?[>%]\}\}")
_ANY_RE = re.compile(r"\{\{[<%]")


def has_shortcodes(text: str) -> bool:
    return bool(_ANY_RE.search(text))


def _ref(m: re.Match) -> str:
    target = m.group(2) if m.group(2) is not None else (m.group(3) or m.group(4) or "")
    return target.replace(" ", "%20")


def rewrite_shortcodes(text: str) -> str:
    """``text`` with Hugo shortcodes resolved as described above (same lines)."""
    if not has_shortcodes(text):
        return text
    escaped: list[str] = []

    def keep(m: re.Match) -> str:
        escaped.append("{{" + m.group(1) + m.group(2) + m.group(3) + "}}")
        return f"\x1a{len(escaped) - 1}\x1a"

    text = _ESCAPED_RE.sub(keep, text)
    text = _REF_RE.sub(_ref, text)
    text = _SHORTCODE_RE.sub("", text)
    if escaped:
        text = re.sub("\x1a(\\d+)\x1a", lambda m: escaped[int(m.group(1))], text)
    return text


def strip_shortcodes(text: str) -> str:
    """Plain text without shortcode braces: refs become their path, others their inner text
    (for search snippets and any other text shown outside the rendered page)."""
    return rewrite_shortcodes(text)


# -- heading anchors ------------------------------------------------------------------------------
# Heading anchors: GitHub's (what links written for GitHub use) and the viewer's old ones.
#
# GitHub (github-slugger, the same rule cmark-gfm's HTML gets on github.com): the heading's text,
# lowercased; every character that is not a letter, a digit, a mark, ``-``, ``_`` or a space is
# dropped; each space becomes ``-``; a repeated slug gets ``-1``, ``-2``… Nothing else changes
# (``a — b`` gives ``a--b``; an emoji at the start leaves a leading ``-``).
#
# Before release 0.2 the viewer used Python-Markdown's toc slug (ASCII only, runs of spaces and
# dashes folded, duplicates ``_1``); :func:`legacy_anchor` recomputes it so stored runs, bookmarks
# and links written against the old viewer still resolve (see ``Runbook.anchor_aliases``).

_KEEP_CATEGORIES = ("L", "N", "M")
_LEGACY_DROP_RE = re.compile(r"[^\w\s-]")
_LEGACY_FOLD_RE = re.compile(r"[-\s]+")


def _keep(ch: str) -> bool:
    return ch in "-_ " or unicodedata.category(ch)[0] in _KEEP_CATEGORIES


def github_slug(text: str) -> str:
    """The slug GitHub gives a heading whose text content is ``text`` (no de-duplication)."""
    lowered = text.strip().lower()
    return "".join(ch for ch in lowered if _keep(ch)).replace(" ", "-")


class Slugger:
    """GitHub's de-duplication: the second ``Setup`` is ``setup-1``, the third ``setup-2``."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = github_slug(text) or "section"
        slug = base
        while slug in self.seen:
            self.seen[base] += 1
            slug = f"{base}-{self.seen[base]}"
        self.seen[slug] = 0
        return slug


def legacy_slug(title: str) -> str:
    """Python-Markdown's ``toc.slugify(title, "-")``, as the viewer used it before 0.2."""
    value = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    value = _LEGACY_DROP_RE.sub("", value).strip().lower()
    return _LEGACY_FOLD_RE.sub("-", value)


def legacy_anchor(title: str, used: set[str]) -> str:
    """The anchor the viewer gave a heading before 0.2 (duplicates ``_1``, ``_2``…)."""
    base = legacy_slug(title) or "section"
    anchor, n = base, 1
    while anchor in used:
        anchor = f"{base}_{n}"
        n += 1
    used.add(anchor)
    return anchor
