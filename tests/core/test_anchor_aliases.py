"""Anchors written before 0.2 (Python-Markdown slugs) keep working: links, stored notes."""

from __future__ import annotations

from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library
from runbook_viewer.core.navigation import resolve_link
from runbook_viewer.core.render import render_runbook

TEXT = ("# Ops\n\n## Setup\n\nFirst.\n\n## Setup\n\n- [ ] second setup item\n\n"
        "### 🔴 Constitutional check — FR2\n\n- [ ] verify the chain\n")


def test_old_anchor_link_leads_to_the_same_heading(tmp_path):
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\n[old](a.md#setup_1)\n", encoding="utf-8")
    lib = load_library(tmp_path)
    rb = lib.get("a.md")
    target = resolve_link(lib, "b.md", "a.md#setup_1")
    assert (target.kind, target.path) == ("runbook", "a.md")
    assert rb.section(target.anchor).anchor == "setup-1"
    assert rb.section("constitutional-check-fr2").anchor == "-constitutional-check--fr2"
    page = render_runbook(rb, library=lib)
    assert '<a name="setup_1"></a>' in page  # the view scrolls to the old name too


def test_a_note_stored_under_an_old_step_anchor_shows_on_the_step(tmp_path):
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    rb = load_library(tmp_path).get("a.md")
    with ChecklistStore(tmp_path / "c.sqlite3") as store:
        run = store.start_run(rb, operator="JD")
        store.add_note(run.run_id, "setup_1", "written by release 0.1", operator="JD")
        state = store.run_state(run.run_id, rb)
        assert [n.text for n in state.notes["setup-1"]] == ["written by release 0.1"]
        assert "setup_1" not in state.notes
