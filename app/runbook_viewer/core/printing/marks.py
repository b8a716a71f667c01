"""Print HTML without anchors: the places the page layout needs, as invisible marks (no Qt).

Qt's HTML import costs time in the square of the number of distinct anchor names (``<a name>``
and ``id``): 8,000 headings took 1.4 s, 100,000 would take minutes. A print document needs only
a few of them — where each keep-together group starts (a step), where each runbook of a binder
starts (its contents page number) — and none as a link target. :func:`mark_anchors` removes
every anchor and puts each wanted one on the first character that follows it as a tooltip
(``<span title="rv-mark:NAME">``), which Qt keeps as a character format in linear time and never
prints. The layout finds them again with :func:`mark_names`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

MARK_PREFIX = "rv-mark:"
_SEP = " "

_TAG_RE = re.compile(r"<(?:a|h[1-6])\b[^>]*>")
_NAME_ATTR_RE = re.compile(r'\s(?:name|id)="([^"]*)"')
_EMPTY_A_RE = re.compile(r"<a\s*></a>")
# a sentinel \x01NAME\x02 (neither reaches the HTML otherwise: the engine turns control
# characters into U+FFFD or escapes them), then any tags, blanks or further sentinels, then
# the first character of text
_SENTINEL_RE = re.compile(r"\x01([^\x01\x02]*)\x02")
_PLACE_RE = re.compile(
    r"\x01[^\x01\x02]*\x02(?:<[^>]*>|\s|\x01[^\x01\x02]*\x02)*?([^<&\s\x01\x02]|&#?\w+;)")


def mark_anchors(html: str, names: Iterable[str]) -> str:
    """``html`` with no anchor left, each of ``names`` marked on the character after it."""
    wanted = names if isinstance(names, (set, frozenset)) else set(names)

    def tag(m: re.Match) -> str:
        found = [n for n in _NAME_ATTR_RE.findall(m.group()) if n in wanted]
        stripped = _NAME_ATTR_RE.sub("", m.group())
        return stripped + "".join(f"\x01{n}\x02" for n in dict.fromkeys(found))

    html = _TAG_RE.sub(tag, html)

    def place(m: re.Match) -> str:
        text = m.group()
        title = _SEP.join(dict.fromkeys(_SENTINEL_RE.findall(text)))
        before = _SENTINEL_RE.sub("", text[:m.start(1) - m.start()])
        return f'{before}<span title="{MARK_PREFIX}{title}">{m.group(1)}</span>'

    html = _SENTINEL_RE.sub("", _PLACE_RE.sub(place, html))
    return _EMPTY_A_RE.sub("", html)


def mark_names(tooltip: str) -> list[str]:
    """The anchor names a character's tooltip marks (none for an ordinary tooltip)."""
    if not tooltip.startswith(MARK_PREFIX):
        return []
    return tooltip[len(MARK_PREFIX):].split(_SEP)


# -- groups --------------------------------------------------------------------------------------
_BODY_RE = re.compile(r"<body[^>]*>", re.IGNORECASE)
_CONTAINER_RE = re.compile(
    r"<(/?)(h[1-6]|p|div|table|thead|tbody|tr|td|th|ul|ol|li|blockquote|pre)\b[^>]*>"
    r"|<a name=\"([^\"]*)\"|\sid=\"([^\"]*)\"")
_STARTERS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p"})


def split_groups(html: str, names: Iterable[str]) -> tuple[str, list[str], str]:
    """(head, segments, tail) of a print document: the body cut before each element at the top
    level that holds one of ``names`` (a heading or paragraph: where a keep-together group or a
    binder's chapter starts). Segment 0 is what comes before the first such element; the
    segments joined are the body unchanged. An anchor nested deeper (in a list or a table) is
    no cut: its group stays with the one before."""
    wanted = set(names)
    m = _BODY_RE.search(html)
    start = m.end() if m else 0
    end = html.rfind("</body>")
    end = end if end >= start else len(html)
    body = html[start:end]
    cuts: list[int] = []
    depth, top_start, top_tag = 0, 0, ""
    for t in _CONTAINER_RE.finditer(body):
        closing, tag, name = t.group(1), t.group(2), t.group(3) or t.group(4)
        if tag:
            if closing:
                depth = max(0, depth - 1)
            else:
                if depth == 0:
                    top_start, top_tag = t.start(), tag.lower()
                depth += 1
        elif name in wanted and depth == 1 and top_tag in _STARTERS and \
                (not cuts or cuts[-1] != top_start) and top_start > 0:
            cuts.append(top_start)
    bounds = [0, *cuts, len(body)]
    return html[:start], [body[a:b] for a, b in itertools.pairwise(bounds)], \
        html[end:]
