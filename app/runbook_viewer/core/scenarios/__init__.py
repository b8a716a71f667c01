"""Scenarios: "what is happening?" → the runbook and the step to start at (no Qt).

- :mod:`.model` — the :class:`Scenario` record and what every source shares (labels,
  severities, the first actionable step, resolving a written link to its target);
- :mod:`.sources` — the landing page's quick reference and the fallback for foreign libraries;
- :mod:`.build` — the list: sources merged (one entry per symptom), sorted, filtered, grouped;
- :mod:`.wayfinding` — where next from a runbook (related runbooks, backlinks) and breadcrumbs.
"""

from .build import (
    ALERT_RE,
    best_match,
    build_scenarios,
    filter_scenarios,
    find_scenario,
    grouped,
    match_strength,
    matches,
    similar,
    similarity,
    trigger_scenarios,
)
from .model import SEVERITY_RESPONSE, UNSPECIFIED, Scenario
from .sources import fallback_scenarios, first_sentence, index_scenarios, split_row

__all__ = ["ALERT_RE", "SEVERITY_RESPONSE", "UNSPECIFIED", "Scenario",
           "best_match", "build_scenarios", "fallback_scenarios", "filter_scenarios",
           "find_scenario", "first_sentence", "grouped", "index_scenarios", "match_strength",
           "matches", "similar", "similarity", "split_row", "trigger_scenarios"]
