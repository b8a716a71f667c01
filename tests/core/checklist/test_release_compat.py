"""A checklist database and exports written by release 0.1 (commit 6b1d0cf) open in this code
with every tick, skip and n/a on the same items.

``tests/fixtures/release-0.1/`` holds what that release wrote: the state database (two runs, with
done / skipped / n/a items and a note), the JSON exports of both runs, and the two runbooks as
they were then. ``expected.json`` records, per run, the items that were not pending (by step title
and item text) and the progress the release showed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.checklist.exchange import import_run
from runbook_viewer.core.library import load_library

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "release-0.1"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _resolved_items(store: ChecklistStore, run_id: str, library) -> tuple[list[dict], object]:
    run = store.get_run(run_id)
    rb = library.get(run.runbook_path)
    assert rb is not None
    state = store.run_state(run_id, rb)
    titles = {s.anchor: s.title for s in rb.sections}
    items = [{"step": titles.get(i.section_anchor, ""), "text": _norm(i.text),
              "state": state.states.get(i.id, "pending")} for i in rb.items]
    return [x for x in items if x["state"] != "pending"], state


def _expected_items(run_id: str) -> list[dict]:
    return [{**x, "text": _norm(x["text"])} for x in EXPECTED[run_id]["items"]]


@pytest.fixture
def library():
    return load_library(FIXTURE / "library")


def test_release_database_shows_every_tick_on_the_same_items(tmp_path, library):
    db = tmp_path / "checklists.sqlite3"
    shutil.copy(FIXTURE / "checklists.sqlite3", db)
    with ChecklistStore(db) as store:
        assert {r.run_id for r in store.runs()} == set(EXPECTED)
        for run_id, exp in EXPECTED.items():
            items, state = _resolved_items(store, run_id, library)
            assert items == _expected_items(run_id)
            assert (state.resolved, state.total) == (exp["resolved"], exp["total"])
            assert str(state.holding) == exp["holding"]
            assert not state.orphans


@pytest.mark.parametrize("export", ["run-startup.json", "run-epic3.json"])
def test_release_export_imports_with_every_tick(tmp_path, library, export):
    with ChecklistStore(tmp_path / "fresh.sqlite3") as store:
        result = import_run(store, FIXTURE / export)
        run_id = json.loads((FIXTURE / export).read_text(encoding="utf-8"))["run"]["run_id"]
        assert result.created and result.run.run_id == run_id
        items, _ = _resolved_items(store, run_id, library)
        assert items == _expected_items(run_id)
