"""Bounds on hostile markdown, so no file costs more than a moment to show (no Qt, no I/O).

Three guards, each measured against what real runbooks do (the GitLab and prometheus-operator
corpora, 531 files: at most 111 ``[`` in a file, nesting under 12 levels):

- **nesting by prefix** — a line whose prefix opens more than :data:`PREFIX_LIMIT` containers
  (``>`` quotes, ``- `` / ``1. `` list markers, two columns of indentation each) is no runbook's:
  the file is shown as plain text without being parsed at all (a 1,900-deep tab-indented list
  or 10,000 ``>`` would otherwise cost the parser time in proportion to the whole prefix);
  nesting the parser does follow is capped by ``MAX_NESTING`` in :mod:`.engine`;
- **link brackets** — every ``[`` that opens no link costs the parser a look ahead for its
  ``]`` (a long one when there is none nearby); once a file has spent :data:`LINK_BUDGET` on
  them, the rest are read as the text they are (the file still renders, with a notice).
  Links that open are never counted;
- **plain-text view** — a degraded file is shown as its lines, with any indentation or quote
  prefix longer than :data:`SHOWN_PREFIX` characters shortened to a count, so the page stays
  readable and cheap to lay out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: containers a line's prefix may open before the file is shown as text unparsed
PREFIX_LIMIT = 80
#: what ``[`` that open no link may cost in one file before the rest are read as text: one
#: unit for a bracket closed within NEAR characters (``- [ ]`` items, ``[WIP]``: a short
#: look), FAR_COST for one that is not (the parser scans far ahead for its ``]``) — about
#: 2,000 unclosed brackets or 20,000 closed ones, well under a second either way
LINK_BUDGET = 20_000
FAR_COST = 10
NEAR = 200
LINK_ATTEMPTS = LINK_BUDGET // FAR_COST
#: characters of a degraded line's indentation / quote prefix shown as they are
SHOWN_PREFIX = 64

# a cheap first pass in C over the whole text: lines starting with a long run of the
# characters a container prefix is made of; only those lines are measured exactly
_CANDIDATE_RE = re.compile(rf"^[ \t>*+\-0-9.)]{{{PREFIX_LIMIT},}}", re.M)
_PREFIX_PART_RE = re.compile(r">|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])|\t| {2}| ")
_LONG_PREFIX_RE = re.compile(rf"^([ \t>]{{{SHOWN_PREFIX}}})([ \t>]+)")
_BUDGET = "runbook_viewer_link_attempts"
_EXHAUSTED = "runbook_viewer_links_bounded"


def prefix_depth(line: str) -> int:
    """How many containers the start of ``line`` can open: quotes, list markers, and
    indentation (a tab or two spaces per level)."""
    depth = 0
    pos = 0
    for m in _PREFIX_PART_RE.finditer(line):
        if m.start() != pos:
            break
        pos = m.end()
        if m.group() != " ":
            depth += 1
    return depth


def too_deep(text: str) -> str | None:
    """Why ``text`` is shown as plain text without parsing it, or None (see module doc)."""
    for m in _CANDIDATE_RE.finditer(text):
        end = text.find("\n", m.start())
        line = text[m.start():end if end >= 0 else len(text)]
        if prefix_depth(line) > PREFIX_LIMIT:
            number = text.count("\n", 0, m.start()) + 1
            return (f"line {number} opens more than {PREFIX_LIMIT} nested lists or quotes "
                    "(no runbook does); the file is shown as plain text")
    return None


def shown_lines(lines: list[str]) -> list[str]:
    """A degraded file's lines as shown: long indentation / quote prefixes shortened."""

    def shorten(m: re.Match) -> str:
        rest = m.group(2)
        return f"{m.group(1)}[… {len(rest)} more characters of indentation] "

    return [_LONG_PREFIX_RE.sub(shorten, line) if len(line) > SHOWN_PREFIX else line
            for line in lines]


def bounded_link_rule(rule: Callable, image: bool) -> Callable:
    """The inline ``link`` / ``image`` rule of markdown-it, giving up on brackets once a file
    has had :data:`LINK_ATTEMPTS` of them that opened nothing (they are then plain text)."""
    opener = "![" if image else "["

    def guarded(state, silent: bool) -> bool:
        if not state.src.startswith(opener, state.pos):
            return False
        env = state.env
        left = env.get(_BUDGET, LINK_BUDGET)
        if left <= 0:
            env[_EXHAUSTED] = True
            return False
        if rule(state, silent):
            return True  # a link: never counted
        near = state.src.find("]", state.pos, min(state.posMax, state.pos + NEAR)) != -1
        env[_BUDGET] = left - (1 if near else FAR_COST)
        return False

    return guarded


def links_bounded(env: dict) -> str | None:
    """The notice when a parse gave up on link brackets (see :func:`bounded_link_rule`)."""
    if env.get(_EXHAUSTED):
        return (f"this file has thousands of '[' that open no link (more than "
                f"{LINK_ATTEMPTS:,} never closed); after those, brackets are shown as written "
                "and links in the rest may not work")
    return None
