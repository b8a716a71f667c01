"""RunReport: the one summary of a run that the panel, the export and the print read."""

from __future__ import annotations

import re

import pytest
from helpers.print_fixtures import write_library

from runbook_viewer.core.checklist import ChecklistStore, RunReport, export_markdown
from runbook_viewer.core.library import load_library
from runbook_viewer.core.printing.checklist import run_document


@pytest.fixture
def worked(tmp_path):
    root = write_library(tmp_path / "lib")
    rb = load_library(root).get("widget.md")
    store = ChecklistStore()
    store.set_operator("JD")
    run = store.start_run(rb, incident="INC-9")
    items = rb.items
    store.set_item(run.run_id, items[1], "done")
    store.set_item(run.run_id, items[2], "na", reason="not here")
    store.set_item(run.run_id, items[3], "skipped", reason="later", operator="AK")
    store.add_note(run.run_id, rb.steps[0].anchor, "on the first step")
    store.add_note(run.run_id, "not-a-step", "somewhere else")
    store.set_value(run.run_id, "namespace", "payments")
    yield rb, store, run
    store.close()


def test_report_counts_steps_and_notes(worked):
    rb, store, run = worked
    state = store.run_state(run.run_id, rb)
    report = RunReport.of(state)
    assert (report.done, report.not_applicable, report.skipped) == (1, 1, 1)
    assert report.total == len(rb.items) and report.resolved == 3
    assert report.pending == report.total - 3 and not report.complete
    assert [s.anchor for s in report.steps] == [s.anchor for s in state.steps]
    assert [i.item_id for s in report.steps for i in s.items] == [i.id for i in rb.items]
    for step in report.steps:  # each step's own items, counted as its progress says
        assert step.total == len(step.items)
        assert step.resolved == sum(1 for i in step.items if i.resolved)
    first = report.step(rb.steps[0].anchor)
    assert first is not None and [n.text for n in first.notes] == ["on the first step"]
    assert list(report.loose_notes) == ["not-a-step"]
    assert [(v.name, v.value) for v in report.values] == [("namespace", "payments")]
    assert report.current_item == rb.items[0].id and report.is_open
    assert report.holding is not None and report.holding.item_id == rb.items[0].id


def test_report_of_an_empty_checklist_is_not_complete(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "prose.md").write_text("# Prose\n\nNo items.\n")
    rb = load_library(root).get("prose.md")
    with ChecklistStore() as store:
        store.set_operator("JD")
        run = store.start_run(rb)
        report = RunReport.of(store.run_state(run.run_id, rb))
    assert report.total == 0 and not report.complete and report.steps == []


def test_export_and_print_say_the_report_counts(worked):
    rb, store, run = worked
    report = RunReport.of(store.run_state(run.run_id, rb))
    text = export_markdown(store, run.run_id, rb)
    progress = re.search(r"\| Progress \| (\d+) of (\d+) items resolved — (\d+) done, "
                         r"(\d+) not applicable, (\d+) skipped", text)
    assert progress is not None
    want = (report.resolved, report.total, report.done, report.not_applicable, report.skipped)
    assert tuple(map(int, progress.groups())) == want
    html = run_document(rb, report, store.timeline(run.run_id)).html
    status = re.search(r"(\d+) of (\d+) resolved \((\d+) done, (\d+) n/a, (\d+) skipped, "
                       r"(\d+) pending\)", html)
    assert status is not None
    assert tuple(map(int, status.groups())) == (*want, report.pending)
    steps_md = re.findall(r"^### (.+) \((\d+)/(\d+)\)$", text, re.M)
    assert [(t, int(a), int(b)) for t, a, b in steps_md] == [
        (s.title, s.resolved, s.total) for s in report.steps]
