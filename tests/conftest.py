"""Shared test set-up: no display needed, all state in a temp dir, paths to test data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "runbooks"
CORPUS = REPO.parent / "shared/corpora/prometheus-operator-runbooks/content/runbooks"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own RUNBOOK_VIEWER_HOME: state, cache and settings never leak."""
    home = tmp_path_factory.mktemp("rv-home")
    monkeypatch.setenv("RUNBOOK_VIEWER_HOME", str(home))
    return home


@pytest.fixture
def bundled_library() -> Path:
    """runbooks/: part of the repository, so a test that needs it fails (never skips) without it."""
    assert (BUNDLED / "index.md").is_file(), f"the bundled library is missing at {BUNDLED}"
    return BUNDLED


@pytest.fixture
def corpus_library() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"foreign corpus not present at {CORPUS} (../shared/corpora is read-only "
                    "test input that only exists beside the project checkout)")
    return CORPUS
