"""The checklist panel, the Markdown export and the printed run read one RunReport: for the
same run they give the same counts, overall and per step."""

from __future__ import annotations

import re

from helpers.print_fixtures import write_library

from runbook_viewer.core.checklist import RunReport, export_markdown
from runbook_viewer.core.printing.checklist import run_document
from runbook_viewer.ui.app import build_window


def test_panel_export_and_print_agree_on_counts(qtbot, tmp_path):
    w = build_window(str(write_library(tmp_path / "lib")))
    qtbot.add_widget(w)
    w.show()
    w.open_runbook("widget.md")
    panel = w.features["checklist_panel"]
    store, rb = panel.store, w.library.get("widget.md")
    store.set_operator("JD")
    run = store.start_run(rb, incident="INC-7")
    for item, state in zip(rb.items[:6], ("done", "done", "na", "skipped", "done", "na"),
                           strict=True):
        store.set_item(run.run_id, item, state, reason="why" if state == "skipped" else None)
    store.add_note(run.run_id, rb.steps[1].anchor, "a note")
    panel.reload()
    report = RunReport.of(store.run_state(run.run_id, rb))
    assert (report.done, report.not_applicable, report.skipped) == (3, 2, 1)

    info = re.search(r"(\d+) of (\d+) items resolved", panel.info.text())
    assert info is not None and tuple(map(int, info.groups())) == (report.resolved, report.total)
    rows = [panel.steps.item(i).text() for i in range(panel.steps.count())]
    panel_steps = [tuple(map(int, re.search(r"— (\d+)/(\d+)", r).groups())) for r in rows]
    assert panel_steps == [(s.resolved, s.total) for s in report.steps]
    assert sum("1 note(s)" in r for r in rows) == 1

    text = export_markdown(store, run.run_id, rb)
    progress = re.search(r"(\d+) of (\d+) items resolved — (\d+) done, (\d+) not applicable, "
                         r"(\d+) skipped", text)
    assert progress is not None
    assert tuple(map(int, progress.groups())) == (
        report.resolved, report.total, report.done, report.not_applicable, report.skipped)
    export_steps = [tuple(map(int, m)) for m in re.findall(r"^### .+ \((\d+)/(\d+)\)$", text,
                                                           re.M)]
    assert export_steps == panel_steps

    html = run_document(rb, store.run_state(run.run_id, rb)).html
    status = re.search(r"(\d+) of (\d+) resolved \((\d+) done, (\d+) n/a, (\d+) skipped", html)
    assert status is not None
    assert tuple(map(int, status.groups())) == tuple(map(int, progress.groups()))
    print_steps = [tuple(map(int, m)) for m in re.findall(r"\((\d+)/(\d+) resolved\)", html)]
    assert print_steps == panel_steps
