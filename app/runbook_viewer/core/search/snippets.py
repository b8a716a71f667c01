"""Snippets with the matched words marked, built from FTS5 ``snippet()``/``highlight()`` output.

The index asks FTS5 to mark matches (``\\x01``…``\\x02``), so what is marked is exactly what
matched: stemmed forms ("heartbeats" for "heartbeat"), completed prefixes, synonyms. FTS5's
``snippet()`` picks the body fragment with the most matches (in C, fast); here the marks become
character spans over plain text, identifiers whose camel-case parts matched
(``KubePodCrashLooping`` for "crash") are marked too, the body fragment or the trigger
conditions — whichever shows more of the query — is chosen and cut to size. A
:class:`Snippet` can be rendered with any markers — ``[`` ``]`` for the terminal and JSON, HTML
tags in the UI.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .analyzer import fold

OPEN, CLOSE = "\x01", "\x02"
MARK_RE = re.compile("\x01(.*?)\x02", re.DOTALL)
# a word with a camel-case transition inside (KubePodCrashLooping, etcdNoLeader, CPUThrottling)
IDENT_RE = re.compile(r"(?<![^\W_])(?=[^\W_]*(?:[a-z0-9][A-Z]|[A-Z]{2}[a-z]))[^\W_]+")
WINDOW_CHARS = 200
LEAD = 40  # characters of context before the first matched word
MAX_SPANS = 60
ELLIPSIS = "…"

Matcher = Callable[[str], bool]  # does this word of the text match? (camel-case identifiers)


class Snippet:
    """Text with matched spans ([start, end) into ``text``)."""

    __slots__ = ("spans", "text")

    def __init__(self, text: str = "", spans: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.spans = spans if spans is not None else []

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Snippet) and (self.text, self.spans) == (other.text,
                                                                          other.spans)

    def __repr__(self) -> str:
        return f"Snippet({self.text!r}, {self.spans!r})"

    def marked(self, open_: str = "[", close: str = "]",
               escape: Callable[[str], str] | None = None) -> str:
        """The text with each span wrapped in ``open_``/``close`` (``escape`` applied to the
        text between, e.g. ``html.escape`` for rich text)."""
        esc = escape or (lambda s: s)
        out: list[str] = []
        pos = 0
        for start, end in self.spans:
            out.append(esc(self.text[pos:start]))
            out.append(open_ + esc(self.text[start:end]) + close)
            pos = end
        out.append(esc(self.text[pos:]))
        return "".join(out)

    @property
    def words(self) -> list[str]:
        return [self.text[s:e] for s, e in self.spans]


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text without the FTS5 marks, and the spans that were marked."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for m in MARK_RE.finditer(marked):
        before = marked[pos:m.start()].replace(OPEN, "").replace(CLOSE, "")
        out.append(before)
        length += len(before)
        inner = m.group(1)
        out.append(inner)
        spans.append((length, length + len(inner)))
        length += len(inner)
        pos = m.end()
    out.append(marked[pos:].replace(OPEN, "").replace(CLOSE, ""))
    return "".join(out), spans


def collapse(marked: str | None) -> str:
    """A multi-line column as one line: line breaks become " · "."""
    lines = [line.strip() for line in (marked or "").splitlines()]
    return " · ".join(line for line in lines if line.strip(OPEN + CLOSE))


def window(text: str, spans: list[tuple[int, int]], width: int = WINDOW_CHARS) -> tuple[int, int]:
    """Character range of about ``width`` holding the most distinct matched words."""
    if len(text) <= width:
        return 0, len(text)
    best_start, best = 0, 0
    keys = [fold(text[s:e]) for s, e in spans[:MAX_SPANS]]
    for i, (start, _end) in enumerate(spans[:MAX_SPANS]):
        inside = {keys[j] for j in range(i, len(keys)) if spans[j][1] <= start + width - LEAD}
        if len(inside) > best:
            best_start, best = start, len(inside)
    lo = max(0, best_start - LEAD) if best else 0
    if lo > 0:
        space = text.rfind(" ", 0, lo)
        lo = space + 1 if space > 0 else 0
    hi = min(len(text), lo + width)
    if hi < len(text):
        space = text.rfind(" ", lo, hi)
        hi = space if space > lo else hi
    return lo, hi


def cut(text: str, spans: list[tuple[int, int]], matcher: Matcher | None = None) -> Snippet:
    """The best window of ``text`` as a snippet, identifiers with matched parts marked too."""
    lo, hi = window(text, spans)
    prefix = ELLIPSIS + " " if lo > 0 else ""
    suffix = " " + ELLIPSIS if hi < len(text) else ""
    part = text[lo:hi]
    inner = [(s - lo, e - lo) for s, e in spans if s >= lo and e <= hi]
    if matcher is not None:
        inner = merge_spans(inner + [(m.start(), m.end()) for m in IDENT_RE.finditer(part)
                                     if matcher(m.group())])
    shift = len(prefix)
    return Snippet(prefix + part + suffix, [(s + shift, e + shift) for s, e in inner])


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def best_snippet(columns: list[str | None], matcher: Matcher | None = None,
                 key: Callable[[str], object] = fold) -> Snippet:
    """From highlighted columns (trigger conditions, body, …): the one with the most distinct
    matched words (``key`` says which are the same; the first column wins a tie), cut to a
    window around them."""
    best: tuple[int, str, list[tuple[int, int]]] | None = None
    for marked in columns:
        text, spans = unmark(collapse(marked))
        if not text:
            continue
        score = len({key(text[s:e]) for s, e in spans})
        if best is None or score > best[0]:
            best = (score, text, spans)
    if best is None:
        return Snippet()
    return cut(best[1], best[2], matcher)


def matched_terms(columns: list[str | None], matcher: Matcher | None = None,
                  limit: int = 12) -> list[str]:
    """Distinct matched words as written (first spelling wins), for highlighting elsewhere."""
    seen: dict[str, str] = {}
    for marked in columns:
        for m in MARK_RE.finditer(marked or ""):
            seen.setdefault(m.group(1).lower(), m.group(1))
        if matcher is not None and marked and len(marked) < 1000:
            for w in IDENT_RE.findall(marked):
                if matcher(w):
                    seen.setdefault(w.lower(), w)
    return list(seen.values())[:limit]
