"""Scenario triage: "what is happening?" → the runbook and the step (no Qt).

The scenario list is built from the library itself, never from a second source of truth:

1. the landing page's "Quick reference by scenario" section — markdown tables (or bullet lists)
   whose rows carry a symptom, a severity, a 🔴/🔵 type and a link to ``runbook#step``
   (:mod:`.sources`);
2. every runbook's Trigger Conditions bullets (``- **SEVERITY** — symptom → [Step N](#…)``);
3. the severity a runbook declares (front matter / ``Severity:`` line) where a bullet has none.

Duplicates (same target, similar text, compatible severity) are merged, the index entry winning
and the trigger's words kept searchable. A foreign library with neither gets one scenario per
alert runbook (:func:`.sources.fallback_scenarios`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ..model import Library
from .model import (
    Scenario,
    clean_symptom,
    declared_severity,
    first_actionable,
    is_template,
    make_scenario,
    norm,
)
from .sources import (
    fallback_scenarios,
    index_scenarios,
)

ALERT_RE = re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b")
STOPWORDS = frozenset({"the", "and", "for", "are", "with", "from", "that", "this", "when", "has",
                       "have", "not", "any", "fires", "fire", "shows", "show", "returns",
                       "return", "into", "than", "more", "less", "after", "its"})


# -- public API ------------------------------------------------------------------------------
def build_scenarios(lib: Library) -> list[Scenario]:
    """Every scenario of the library, most severe first, constitutional before operational
    (worked out once per library: the panel, overviews and the CLI share it)."""
    return list(lib.derive("scenarios", _build_scenarios))


def _build_scenarios(lib: Library) -> list[Scenario]:
    found = index_scenarios(lib)
    found = _merge(found, trigger_scenarios(lib))
    if not found:
        found = fallback_scenarios(lib)
    order = {id(s): n for n, s in enumerate(found)}
    return sorted(found, key=lambda s: (s.rank, 0 if s.constitutional else 1,
                                        s.category if s.label is None else "", order[id(s)]))


def matches(scenario: Scenario, query: str) -> bool:
    """Filter-as-you-type: every word of ``query`` occurs in the scenario (case-insensitive)."""
    hay = scenario.haystack
    return all(word in hay for word in query.lower().split())


def match_strength(scenario: Scenario, query: str) -> int:
    """2 when every word is in the symptom itself (title, merged texts, description), 1 when some
    only match the runbook, step or labels, 0 when a word is missing."""
    if not matches(scenario, query):
        return 0
    own = " ".join((scenario.title, scenario.description, *scenario.aliases)).lower()
    own += " " + re.sub(r"[^\w\s]", "", own)
    return 2 if all(word in own for word in query.lower().split()) else 1


def best_match(scenarios: list[Scenario], query: str) -> Scenario | None:
    """What Enter opens: the most severe scenario whose own text has every word, else the most
    severe that matches at all (``scenarios`` are in display order)."""
    if not query.strip() or not scenarios:
        return scenarios[0] if scenarios else None
    strengths = [(match_strength(s, query), -n) for n, s in enumerate(scenarios)]
    best = max(range(len(scenarios)), key=lambda n: strengths[n])
    return scenarios[best] if strengths[best][0] else None


def filter_scenarios(scenarios: list[Scenario], query: str) -> list[Scenario]:
    return [s for s in scenarios if matches(s, query)] if query.strip() else list(scenarios)


def grouped(scenarios: list[Scenario]) -> list[tuple[str, list[tuple[str, list[Scenario]]]]]:
    """[(severity, [(category, [scenario…])…])…] in display order (input already sorted)."""
    out: list[tuple[str, list[tuple[str, list[Scenario]]]]] = []
    for s in scenarios:
        if not out or out[-1][0] != s.severity_text:
            out.append((s.severity_text, []))
        cats = out[-1][1]
        if not cats or cats[-1][0] != s.category:
            cats.append((s.category, []))
        cats[-1][1].append(s)
    return out


def find_scenario(scenarios: list[Scenario], scenario_id: str) -> Scenario | None:
    return next((s for s in scenarios if s.id == scenario_id), None)


# -- trigger conditions ----------------------------------------------------------------------
def trigger_scenarios(lib: Library) -> list[Scenario]:
    out: list[Scenario] = []
    for rb in lib.runbooks:
        if rb.load_error or rb.is_landing or is_template(rb):
            continue
        declared = declared_severity(rb)
        for trig in rb.triggers:
            title = clean_symptom(trig.text)
            if not title or title.lower().startswith("when to execute"):
                continue
            target = trig.target or f"#{first_actionable(rb)}"
            sc = make_scenario(lib, rb, title, trig.severity or declared, trig.label, target,
                       "trigger", trig.line)
            if sc is not None:
                out.append(sc)
    return out


# -- de-duplication --------------------------------------------------------------------------
def _tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]{3,}", text.lower()) if w not in STOPWORDS}


def similarity(a: str, b: str) -> float:
    """1.0 for the same text or a shared alert name, else the share of common words."""
    if norm(a) == norm(b):
        return 1.0
    if set(ALERT_RE.findall(a)) & set(ALERT_RE.findall(b)):
        return 1.0
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def similar(a: str, b: str) -> bool:
    """Two symptom texts describe the same thing (shared alert name or most words)."""
    return similarity(a, b) >= 0.6


def _merge(primary: list[Scenario], extra: list[Scenario]) -> list[Scenario]:
    """``primary`` (index entries) + the entries of ``extra`` (triggers) that do not duplicate
    one. A trigger duplicates an index entry with the same target and a compatible severity when
    their texts are similar — or when it is the only trigger at that target and severity (the
    index names the same entry point in its own words). Lookups by target: linear in the
    number of scenarios (a 20,000-file library has as many)."""
    out = list(primary)
    merged: set[int] = set()
    # indexes by entry point, so each trigger looks only at its own peers (linear, not n²)
    at: dict[tuple[str, str], list[int]] = {}
    for n, p in enumerate(out):
        at.setdefault((p.path, p.anchor), []).append(n)
    siblings = Counter((t.path, t.anchor, t.severity) for t in extra)
    for sc in extra:
        here = at.setdefault((sc.path, sc.anchor), [])
        if any(out[n].source == sc.source and norm(out[n].title) == norm(sc.title)
               for n in here):
            continue  # the same bullet twice
        peers = [n for n in here if out[n].source != sc.source and n not in merged
                 and (out[n].severity is None or sc.severity is None
                      or out[n].severity == sc.severity)]
        best = max(peers, key=lambda n: similarity(out[n].title, sc.title), default=None)
        if best is None or (similarity(out[best].title, sc.title) < 0.6
                            and siblings[(sc.path, sc.anchor, sc.severity)] > 1):
            here.append(len(out))
            out.append(sc)
            continue
        p = out[best]
        merged.add(best)
        out[best] = replace(p, severity=p.severity or sc.severity, label=p.label or sc.label,
                            aliases=(*p.aliases, sc.title))
    return out
