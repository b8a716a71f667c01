"""Symptom search over runbook sections (SQLite FTS5; no Qt).

``SearchEngine`` is the interface (see :mod:`.engine`); the rest are its parts: :mod:`.analyzer`
(words, identifier splitting, synonyms), :mod:`.documents` (runbook → section documents),
:mod:`.index` (the SQLite database), :mod:`.vocab` (completions, typo corrections),
:mod:`.query` (query → FTS5 expressions), :mod:`.snippets` and :mod:`.evaluate` (recall@3
against a plain baseline).
"""

from .engine import Hit, SearchEngine, SearchError
from .index import SearchUnavailable, fts5_available

__all__ = ["Hit", "SearchEngine", "SearchError", "SearchUnavailable", "fts5_available"]
