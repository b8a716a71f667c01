"""The ranking formula's constants and its pure parts (no I/O, no markdown: cheap to import).

A section's score is::

    bm25 × prior × coverage² × (1 + share in heading/triggers + share in title/names)
         × (1 + ½ share of neighbouring query words found together)

then results are re-ordered for diversity. Length needs no factor of its own: with function
words out of the query, coverage² already keeps a long section holding every word above a
short one holding half of them (a length factor was measured and changed nothing). Every
constant below is justified in docs/search.md ("Ranking") by the evaluation sets
(tests/core/search/search_eval_*.json), measured with ``benchmarks/search_constants.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

# ---- prior: what a section is worth when it matches as well as another (1.0 = a step) ----
PRIORS = {
    "trigger conditions": 0.7,
    "references": 0.6,
    "prerequisites": 0.8,
    "escalation": 0.85,
    "rollback": 0.85,
    "purpose": 0.9,
}
TOP_PRIOR = 0.85  # the text before the first H2 (title, metadata, intro)
LANDING_PRIOR = 0.75  # index.md / README.md: they point to the fix rather than hold it
# Operational sense: the severity production triage gives a section (its trigger conditions
# or the landing page's scenario table); a section nothing points to counts as MEDIUM.
SEVERITY_PRIOR = {"CRITICAL": 1.0, "HIGH": 0.96, "MEDIUM": 0.92, "LOW": 0.84, "INFO": 0.8}
UNRATED_PRIOR = SEVERITY_PRIOR["MEDIUM"]
NON_PRODUCTION_PRIOR = 0.7  # developer-environment / test runbooks a library marks so

# ---- matching ----
COVERAGE_POWER = 2.0  # a section matching only some of the query's words loses this steeply
SECTION_BOOST = 1.0  # × share of the query found in the section's heading/trigger conditions
RUNBOOK_BOOST = 1.0  # × share found in the runbook's title/identifier names
PROXIMITY_BOOST = 0.5  # × share of neighbouring query words found together (NEAR, 3 words)
STOCK_WEIGHT = 0.05  # bm25 weight of boilerplate sentences (repeated across many runbooks)

# ---- diversity: each further section of a runbook already shown is worth this much less ----
DIVERSITY = 0.5

def severity_prior(severity: str | None) -> float:
    return SEVERITY_PRIOR.get((severity or "").upper(), UNRATED_PRIOR)


def diversify(scored: Iterable[tuple[float, str, T]]) -> list[tuple[float, T]]:
    """Re-order (score, runbook, item) so the top names different runbooks: the n-th further
    section of a runbook counts ``score × DIVERSITY**n``. One runbook that is clearly the
    answer (its second section still beats the next runbook's best by 1/DIVERSITY) keeps its
    places. Returns (score after diversity, item), best first."""
    ranked = sorted(scored, key=lambda t: -t[0])
    seen: dict[str, int] = {}
    adjusted: list[tuple[float, int, float, T]] = []
    for n, (score, runbook, item) in enumerate(ranked):
        k = seen.get(runbook, 0)
        seen[runbook] = k + 1
        adjusted.append((score * DIVERSITY ** k, n, score, item))
    adjusted.sort(key=lambda t: (-t[0], t[1]))
    return [(adj, item) for adj, _n, _score, item in adjusted]


def idf(total: int, matching: int) -> float:
    """How telling a query word is: rare words count more towards coverage."""
    return math.log(1 + total / (1 + matching))
