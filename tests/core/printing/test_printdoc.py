"""Print documents as HTML (no Qt): what a blank checklist, a run, a runbook and the binder
contain, and that nothing relies on colour."""

from __future__ import annotations

import html
import re

import pytest
from helpers.print_fixtures import token, write_library

from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library
from runbook_viewer.core.printing.checklist import blank_checklist_document, run_document, units
from runbook_viewer.core.printing.document import (
    library_document,
    monochrome,
    runbook_document,
    short_hash,
)


@pytest.fixture
def lib(tmp_path):
    return load_library(write_library(tmp_path / "lib"))


def text_of(markup: str) -> str:
    markup = re.sub(r"<style>.*?</style>", " ", markup, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def assert_black_on_white(markup: str) -> None:
    assert "🔴" not in markup and "🔵" not in markup
    assert "bgcolor" not in markup
    colours = set(re.findall(r"(?<![-\w])color\s*:\s*(#[0-9a-fA-F]{3,8})", markup))
    assert colours <= {"#000000"}, colours
    backgrounds = set(re.findall(r"background(?:-color)?\s*:\s*(#[0-9a-fA-F]{3,8})", markup))
    assert backgrounds <= {"#ffffff"}, backgrounds


def test_blank_checklist_has_every_item_with_box_and_write_in_fields(lib):
    rb = lib.get("widget.md")
    doc = blank_checklist_document(rb)
    text = text_of(doc.html)
    squashed = re.sub(r"\s+", "", text)
    for item in rb.items:
        assert re.sub(r"\s+", "", item.text) in squashed, item.text
    tokens = [token(s, n) for s, count in ((1, 5), (2, 4), (3, 5), (4, 4), (5, 5), (6, 4))
              for n in range(1, count + 1)]
    assert all(t in text for t in tokens)
    boxes = doc.html.count('<span style="font-size:15pt;">☐</span>')
    # one box per item plus one "verified" box per step's verification block
    assert boxes == len(rb.items) + len(rb.steps)
    assert doc.html.count("<th>Item</th>") >= len(rb.steps)
    assert text.count("Initials") >= len(rb.steps)
    for field in ("Incident / ticket", "Operator", "Started at", "Completed at", "Signature"):
        assert field in text


def test_blank_checklist_keeps_only_what_is_needed_to_execute(lib):
    text = text_of(blank_checklist_document(lib.get("widget.md")).html)
    assert "PREQ01" in text and "PREQ02" in text  # prerequisites
    assert "ESCROW1" in text and "Constitutional on-call" in text  # escalation table
    assert "EXPECT3" in text and "archonctl verify --step 3" in text  # verification
    assert "CODEWORD6" in text and "DECISION5" in text  # commands and decisions in steps
    for left_out in ("PURPOSEWORD", "TRIGGERWORD", "ROLLBACKWORD"):
        assert left_out not in text


def test_labels_are_text_and_symbol_not_colour(lib):
    doc = blank_checklist_document(lib.get("widget.md"))
    text = text_of(doc.html)
    assert "■ CONSTITUTIONAL" in text and "● OPERATIONAL" in text
    assert "FR17, ADR-6" in text and "check — FR1, ADR-1" in text
    # constitutional boxes are heavy (border 3), operational ones thin and dashed
    assert re.search(r'border="3"[^>]*border-style:solid[^>]*><tr><td><b>■ CONSTITUTIONAL',
                     doc.html)
    assert re.search(r'border="1"[^>]*border-style:dashed[^>]*><tr><td><b>● OPERATIONAL',
                     doc.html)
    assert_black_on_white(doc.html)
    assert_black_on_white(runbook_document(lib.get("widget.md")).html)


def test_header_carries_title_version_date_and_short_hash(lib):
    rb = lib.get("widget.md")
    doc = blank_checklist_document(rb)
    assert doc.header.title == "Widget Failover"
    assert doc.header.kind == "Blank checklist"
    right = doc.header.right()
    assert "Version 2.3" in right and "2026-11-20" in right
    assert short_hash(rb.content_hash) in right and len(short_hash(rb.content_hash)) == 12
    text = text_of(doc.html)
    assert f"Content sha256 {short_hash(rb.content_hash)}" in text


def test_every_step_starts_a_keep_together_group(lib):
    rb = lib.get("widget.md")
    doc = blank_checklist_document(rb)
    chosen = units(rb)
    assert [s.title for s in chosen] == ["Prerequisites", *[s.title for s in rb.steps],
                                         "Escalation"]
    assert len(doc.keep) == len(chosen)
    for name in doc.keep:
        assert f'<a name="{name}"></a>' in doc.html
    read = runbook_document(rb)
    step_anchors = {s.anchor for s in rb.steps}
    # Step 1 stays glued to the "Procedure" heading right above it; every other step starts one
    assert step_anchors - set(read.keep) == {rb.steps[0].anchor}
    assert all(f'name="{a}"' in read.html for a in read.keep)


def test_runbook_document_is_the_runbook_as_read(lib):
    rb = lib.get("widget.md")
    doc = runbook_document(rb)
    text = text_of(doc.html)
    for word in ("PURPOSEWORD", "TRIGGERWORD", "ROLLBACKWORD", "K404", "ESCROW2"):
        assert word in text
    assert "■ CONSTITUTIONAL" in text and "check:" not in doc.html  # not interactive
    assert doc.header.kind == "Runbook"


def test_monochrome_rewrites_colours_and_badges():
    out = monochrome('<span style="color:#b71c1c; background-color:#fdecea;">🔴 CONSTITUTIONAL'
                     '</span><td bgcolor="#e8f0fe">🔵</td>')
    assert "■ CONSTITUTIONAL" in out and "●" in out
    assert_black_on_white(out)


def test_library_binder_has_contents_with_page_numbers_and_unique_anchors(lib):
    doc = library_document(lib)
    text = text_of(doc.html)
    assert doc.header.title == "Ops Binder" and "Version 7.1" in doc.header.right()
    assert "Contents" in text
    titles = [rb.title for rb in lib.runbooks]
    positions = [text.index(t) for t in titles]
    assert positions[0] == min(positions)  # the landing page comes first
    assert len(doc.parts) == len(lib.runbooks) == len(doc.toc_anchors)
    numbered = text_of(doc.with_page_numbers(dict.fromkeys(doc.toc_anchors, 97)))
    assert numbered.count(" 97 ") == len(lib.runbooks)
    names = re.findall(r'<a name="([^"]+)"', doc.html)
    assert len(names) == len(set(names))
    assert set(doc.keep) <= set(names)
    assert doc.html.count("page-break-before:always") == len(lib.runbooks)
    assert {h.path for _a, h in doc.parts} == {rb.path for rb in lib.runbooks}


def test_blank_checklist_of_runbook_without_items_says_so(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "notes.md").write_text("# Notes\n\nJust prose.\n")
    doc = blank_checklist_document(load_library(root).get("notes.md"))
    assert "no steps or checklist items" in text_of(doc.html)


def make_run(lib_root, edit: bool):
    lib = load_library(lib_root)
    rb = lib.get("widget.md")
    store = ChecklistStore()
    store.set_operator("JD")
    run = store.start_run(rb, incident="INC-4711", title="Failover drill")
    by_token = {t: i for i in rb.items for t in re.findall(r"K\d{3}|PREQ\d\d|K2C1", i.text)}
    store.set_item(run.run_id, by_token["K101"], "done")
    store.set_item(run.run_id, by_token["K102"], "na", reason="NAREASON single site")
    store.set_item(run.run_id, by_token["K103"], "skipped", reason="SKIPREASON done by storage")
    store.set_item(run.run_id, by_token["K2C1"], "done", operator="AK")
    store.set_item(run.run_id, by_token["PREQ01"], "done")
    store.add_note(run.run_id, rb.steps[0].anchor, "NOTEWORD clock offset 80 ms accepted")
    if edit:
        path = lib_root / "widget.md"
        path.write_text(path.read_text().replace("- [ ] Shell on PREQ01 app host\n", ""))
        rb = load_library(lib_root).get("widget.md")
    return rb, store, run


def test_run_document_reads_as_the_record(tmp_path):
    root = write_library(tmp_path / "lib")
    rb, store, run = make_run(root, edit=False)
    doc = run_document(rb, store.run_state(run.run_id, rb), store.timeline(run.run_id))
    text = text_of(doc.html)
    for expected in ("INC-4711", "Failover drill", "JD", "AK", "NAREASON single site",
                     "SKIPREASON done by storage", "NOTEWORD clock offset", "still open",
                     "Skip reason", "Timeline", "Run started (incident INC-4711)"):
        assert expected in text, expected
    assert text.count("☑ DONE") == 3 and "SKIPPED" in text and "N/A" in text
    assert "RUNBOOK CHANGED" not in text and "no longer in the runbook" not in text
    assert doc.header.kind == "Run record" and run.short_id in doc.header.path
    assert_black_on_white(doc.html)


def test_run_document_shows_changed_runbook_and_orphans(tmp_path):
    root = write_library(tmp_path / "lib")
    rb, store, run = make_run(root, edit=True)
    state = store.run_state(run.run_id, rb)
    assert state.changed_since_start and len(state.orphans) == 1
    text = text_of(run_document(rb, state).html)
    assert "RUNBOOK CHANGED SINCE THIS RUN STARTED" in text
    assert short_hash(run.content_hash) in text and short_hash(rb.content_hash) in text
    assert "Items no longer in the runbook (1)" in text
    orphans = text[text.index("Items no longer"):]
    assert "PREQ01" in orphans[:600]


def test_bundled_startup_blank_checklist_lists_every_item(bundled_library):
    lib = load_library(bundled_library)
    rb = lib.get("startup.md")
    assert rb is not None and rb.steps
    doc = blank_checklist_document(rb)
    text = text_of(doc.html)
    squashed = re.sub(r"\s+", "", text)
    for item in rb.items:
        assert re.sub(r"\s+", "", item.text) in squashed, item.text
    assert doc.html.count('<span style="font-size:15pt;">☐</span>') >= len(rb.items)
    assert_black_on_white(doc.html)
