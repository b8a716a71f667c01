"""Boilerplate ("stock phrases"): sentences repeated across many runbooks of a library.

Templates leave the same sentences in every runbook — "If you cannot resolve the issue,
escalate…", "Service degradation or unavailability.", a list of links every service page
carries. Such a sentence matches a query word as well as a real answer would, in ninety
runbooks at once. At index time every body line is cut into sentences; a sentence (at least
:data:`MIN_WORDS` words, compared by its folded words) found in at least
:data:`MIN_RUNBOOKS` runbooks and :data:`MIN_SHARE` of them is stock. Stock sentences are kept
out of the body column and stored in a column of their own that weighs little
(:data:`.ranking.STOCK_WEIGHT`) and does not count towards a query's coverage: still found
when nothing else matches, never deciding a ranking.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .analyzer import words

SENTENCE_RE = re.compile(r"(?<=[.!?;:])\s+(?=\S)")
MIN_WORDS = 3
MIN_RUNBOOKS = 4
MIN_SHARE = 0.04


def sentences(line: str) -> list[str]:
    return [s for s in SENTENCE_RE.split(line) if s.strip()]


def key(sentence: str) -> str:
    return " ".join(words(sentence))


def keys_of(text: str) -> set[str]:
    found: set[str] = set()
    for line in text.splitlines():
        for s in sentences(line):
            k = key(s)
            if k.count(" ") + 1 >= MIN_WORDS:
                found.add(k)
    return found


def common_keys(texts_by_runbook: Iterable[str], runbooks: int) -> set[str]:
    """The stock sentences of a library, from each runbook's text (one string per runbook)."""
    counts: Counter[str] = Counter()
    for text in texts_by_runbook:
        counts.update(keys_of(text))
    need = max(MIN_RUNBOOKS, MIN_SHARE * runbooks)
    return {k for k, n in counts.items() if n >= need}


def split(text: str, stock: set[str]) -> tuple[str, str]:
    """(text without its stock sentences, the stock sentences)."""
    if not stock:
        return text, ""
    kept: list[str] = []
    out: list[str] = []
    for line in text.splitlines():
        keep: list[str] = []
        for s in sentences(line):
            (out if key(s) in stock else keep).append(s)
        if keep or not line.strip():
            kept.append(" ".join(keep))
    return "\n".join(kept).strip(), "\n".join(out)
