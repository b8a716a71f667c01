"""Heading anchors: GitHub's (what links written for GitHub use) and the viewer's old ones.

GitHub (github-slugger, the same rule cmark-gfm's HTML gets on github.com): the heading's text,
lowercased; every character that is not a letter, a digit, a mark, ``-``, ``_`` or a space is
dropped; each space becomes ``-``; a repeated slug gets ``-1``, ``-2``… Nothing else changes
(``a — b`` gives ``a--b``; an emoji at the start leaves a leading ``-``).

Before release 0.2 the viewer used Python-Markdown's toc slug (ASCII only, runs of spaces and
dashes folded, duplicates ``_1``); :func:`legacy_anchor` recomputes it so stored runs, bookmarks
and links written against the old viewer still resolve (see ``Runbook.anchor_aliases``).
"""

from __future__ import annotations

import re
import unicodedata

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
