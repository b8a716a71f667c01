"""Symptom search over runbook sections (SQLite FTS5; no Qt).

``SearchEngine`` is the interface (see :mod:`.engine`); the rest are its parts: :mod:`.analyzer`
(words, identifier splitting, synonyms), :mod:`.documents` (runbook → section documents),
:mod:`.index` (the SQLite database), :mod:`.vocab` (completions, typo corrections),
:mod:`.query` (query → FTS5 expressions), :mod:`.ranking` (the score's constants),
:mod:`.operations` (triage severities, non-production marks), :mod:`.stock` (boilerplate),
:mod:`.writer` (building the index), :mod:`.freshness` (up to date without parsing),
:mod:`.snippets`, :mod:`.baselines` and :mod:`.evaluate` (recall@3 and MRR against plain
baselines).
"""

from .engine import Hit, SearchEngine, SearchError, group_hits
from .index import IndexBuildStopped, SearchUnavailable, fts5_available

__all__ = ["Hit", "IndexBuildStopped", "SearchEngine", "SearchError", "SearchUnavailable",
           "fts5_available", "group_hits"]
