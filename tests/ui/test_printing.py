"""Printing for real: PDFs written by Qt, read back with pdftotext (poppler-utils)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import print_fixtures as fixtures

from runbook_viewer.cli import main
from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library
from runbook_viewer.core.printing.checklist import blank_checklist_document, run_document
from runbook_viewer.core.printing.document import library_document, runbook_document, short_hash
from runbook_viewer.qtprint.layout import group_spans, layout_pages, pdf_printer, write_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed; scripts/bootstrap.sh installs it")

STEP_TOKENS = {1: 5, 2: 4, 3: 5, 4: 4, 5: 5, 6: 4}  # step -> items (tokens K<step><nn>)


@pytest.fixture(autouse=True)
def _app(qapp):
    """A QApplication exists before any printing (the CLI would otherwise make a GUI one)."""
    return qapp


@pytest.fixture
def lib_dir(tmp_path):
    return fixtures.write_library(tmp_path / "lib")


@pytest.fixture
def lib(lib_dir):
    return load_library(lib_dir)


def pdf_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_of(pages: list[str], needle: str) -> int:
    hits = [n for n, text in enumerate(pages) if needle in text]
    assert hits, f"{needle!r} is on no page"
    return hits[0]


def media_box(path: Path) -> tuple[float, float]:
    m = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", path.read_bytes())
    assert m, "no MediaBox"
    return float(m.group(1)), float(m.group(2))


def assert_every_page_framed(pages: list[str], title: str, *extra: str) -> None:
    total = len(pages)
    for n, text in enumerate(pages, 1):
        assert title in text, f"page {n} has no header"
        assert f"Page {n} of {total}" in text, f"page {n} has no 'Page {n} of {total}'"
        assert "Printed " in text and "(local time)" in text
        for word in extra:
            assert word in text, f"page {n} lacks {word!r}"


@pytest.mark.parametrize(("size", "box"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_blank_checklist_pdf(lib, tmp_path, size, box):
    rb = lib.get("widget.md")
    out = tmp_path / f"blank-{size}.pdf"
    count = write_pdf(blank_checklist_document(rb), out, page_size=size)
    pages = pdf_pages(out)
    assert len(pages) == count and 2 <= count <= 6
    assert_every_page_framed(pages, "Widget Failover", "Version 2.3", "2026-11-20",
                             short_hash(rb.content_hash), "BLANK CHECKLIST")
    text = "\n".join(pages)
    for step, count_items in STEP_TOKENS.items():
        for n in range(1, count_items + 1):
            assert fixtures.token(step, n) in text
    assert "■ CONSTITUTIONAL" in text and "● OPERATIONAL" in text
    assert "Initials" in text and "Time" in text and "☐" in text
    assert b"/FontFile" in out.read_bytes()  # text is real text, with an embedded font
    width, height = media_box(out)
    assert abs(width - box[0]) < 2 and abs(height - box[1]) < 2


def step_span(pages: list[str], step: int) -> tuple[int, int]:
    last = fixtures.token(step, STEP_TOKENS[step])
    return page_of(pages, f"Step {step}:"), max(page_of(pages, last),
                                                page_of(pages, f"EXPECT{step}"))


def test_steps_are_not_split_across_pages(lib, tmp_path):
    rb = lib.get("widget.md")
    kept = tmp_path / "kept.pdf"
    write_pdf(blank_checklist_document(rb), kept)
    pages = pdf_pages(kept)
    for step in STEP_TOKENS:
        first, last = step_span(pages, step)
        assert first == last, f"step {step} runs from page {first + 1} to {last + 1}"
    # the same document without keep-together does split at least one step: the check bites
    loose_doc = blank_checklist_document(rb)
    loose_doc.keep = []
    loose = tmp_path / "loose.pdf"
    write_pdf(loose_doc, loose)
    loose_pages = pdf_pages(loose)
    assert any(step_span(loose_pages, s)[0] != step_span(loose_pages, s)[1]
               for s in STEP_TOKENS)


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_no_step_that_fits_on_a_page_is_split_in_the_bundled_startup(bundled_library, tmp_path,
                                                                       size):
    rb = load_library(bundled_library).get("startup.md")
    for doc in (blank_checklist_document(rb), runbook_document(rb)):
        pages = layout_pages(doc, pdf_printer(tmp_path / "unused.pdf", size))
        spans = group_spans(pages, doc.keep)
        assert len(spans) == len(doc.keep) and pages.count >= 3
        fits = [s for s in spans if s[3] <= pages.page_height * 0.98]
        assert fits
        for name, first, last, _height in fits:
            assert first == last, f"{name} runs from page {first} to {last} ({size})"
        assert pages.moved >= 1  # without moving steps, some would have been split


def make_run(lib_dir: Path, edit: bool):
    rb = load_library(lib_dir).get("widget.md")
    store = ChecklistStore()
    store.set_operator("JD")
    run = store.start_run(rb, incident="INC-4711")
    by_token = {t: i for i in rb.items for t in re.findall(r"K\d{3}|PREQ\d\d", i.text)}
    store.set_item(run.run_id, by_token["K101"], "done")
    store.set_item(run.run_id, by_token["K102"], "skipped", reason="SKIPREASON by storage")
    store.set_item(run.run_id, by_token["K103"], "na", operator="AK", reason="NAREASON")
    store.set_item(run.run_id, by_token["PREQ01"], "done")
    store.add_note(run.run_id, rb.steps[0].anchor, "NOTEWORD offset accepted")
    if edit:
        path = lib_dir / "widget.md"
        path.write_text(path.read_text().replace("- [ ] Shell on PREQ01 app host\n", ""))
        rb = load_library(lib_dir).get("widget.md")
    return rb, store, run


def test_run_pdf_shows_states_operator_reasons_notes_and_change(lib_dir, tmp_path):
    rb, store, run = make_run(lib_dir, edit=True)
    out = tmp_path / "run.pdf"
    doc = run_document(rb, store.run_state(run.run_id, rb), store.timeline(run.run_id))
    write_pdf(doc, out, page_size="Letter")
    pages = pdf_pages(out)
    assert_every_page_framed(pages, "Widget Failover", "RUN RECORD", run.short_id, "INC-4711")
    text = "\n".join(pages)
    for expected in ("DONE", "SKIPPED", "N/A", "SKIPREASON by storage", "NAREASON",
                     "NOTEWORD offset accepted", "INC-4711", "JD", "AK",
                     "RUNBOOK CHANGED SINCE THIS RUN STARTED", "Items no longer in the runbook",
                     "Timeline", "pending"):
        assert expected in text, expected
    first = pages[0]
    assert "RUNBOOK CHANGED" in first and "PREQ01" in first  # notice and orphan on page 1


def test_library_pdf_contents_page_numbers_are_right(lib, tmp_path):
    out = tmp_path / "binder.pdf"
    write_pdf(library_document(lib), out)
    pages = pdf_pages(out)
    assert "Contents" in pages[0] and "Page 1 of" in pages[0]
    ordered = [lib.landing] + [rb for rb in lib.runbooks if rb is not lib.landing]
    for n, rb in enumerate(ordered, 1):
        row = next(line for line in pages[0].splitlines() if re.match(rf"\s*{n}\.\s", line))
        number = int(row.split()[-1])
        target = pages[number - 1]
        assert f"{n}. RUNBOOK · {rb.path}" in target
        assert target.lstrip().startswith(rb.title)  # the header names this runbook
    assert_every_page_framed(pages, "", "RUNBOOK LIBRARY")


def test_bundled_startup_prints(bundled_library, tmp_path):
    rb = load_library(bundled_library).get("startup.md")
    assert rb is not None
    for name, doc in (("blank", blank_checklist_document(rb)), ("read", runbook_document(rb))):
        out = tmp_path / f"startup-{name}.pdf"
        count = write_pdf(doc, out)
        pages = pdf_pages(out)
        assert 3 <= count <= 25 and len(pages) == count
        assert_every_page_framed(pages, rb.title, short_hash(rb.content_hash))
        text = "\n".join(pages)
        for step in rb.steps:
            assert f"Step {step.step_number}:" in text


def test_unwritable_output_is_a_clear_error(lib, tmp_path):
    from runbook_viewer.qtprint.layout import PrintError

    with pytest.raises(PrintError, match="does not exist"):
        write_pdf(runbook_document(lib.get("short.md")), tmp_path / "no" / "such" / "x.pdf")
    with pytest.raises(PrintError, match="is a folder"):
        write_pdf(runbook_document(lib.get("short.md")), tmp_path)


# -- the window's Print menu ---------------------------------------------------------------
@pytest.fixture
def window(make_window, lib_dir):
    return make_window(lib_dir, show=False, runbook="widget.md")


def test_print_menu_actions_and_run_enabled_only_with_a_run(window, tmp_path):
    feature = window.features["printing"]
    texts = [a.text() for a in feature.menu.actions()]
    for wanted in ("Print runbook…", "Print blank checklist…", "Print current run…",
                   "Print whole library…", "Export PDF…", "Print preview…"):
        assert wanted in texts
    feature.update_actions()
    assert not feature.print_actions["run"].isEnabled()
    assert feature.print_actions["blank"].isEnabled()
    panel = window.features["checklist_panel"]
    rb = window.library.get("widget.md")
    panel.run = panel.store.start_run(rb, operator="QX", incident="INC-9")
    panel.store.set_item(panel.run.run_id, rb.items[0], "done", operator="QX")
    feature.update_actions()
    assert feature.print_actions["run"].isEnabled()
    out = feature.export_pdf("run", str(tmp_path / "run.pdf"))
    text = "\n".join(pdf_pages(out))
    assert "INC-9" in text and "QX" in text and "DONE" in text


def test_export_print_and_preview_from_the_window(window, tmp_path):
    feature = window.features["printing"]
    feature.ask_save_path = lambda suggested: str(tmp_path / "blank")  # no ".pdf": added
    out = feature.export_pdf("blank")
    assert out == tmp_path / "blank.pdf" and "K101" in "\n".join(pdf_pages(out))

    def to_file(printer):
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        return True

    feature.ask_print = to_file
    assert feature.print_dialog("library") >= 3
    assert "Contents" in pdf_pages(tmp_path / "printed.pdf")[0]
    shown = []
    feature.show_preview = shown.append
    dialog = feature.preview("runbook")
    assert shown == [dialog]
    dialog.paintRequested.emit(pdf_printer(tmp_path / "preview.pdf"))
    assert "PURPOSEWORD" in "\n".join(pdf_pages(tmp_path / "preview.pdf"))


# -- the command line ------------------------------------------------------------------------
def test_cli_prints_blank_run_and_library(lib_dir, tmp_path, capsys):
    out = tmp_path / "blank.pdf"
    assert main(["print", "widget.md", "--blank", "--library", str(lib_dir), "-o",
                 str(out), "--page-size", "Letter"]) == 0
    assert "K404" in "\n".join(pdf_pages(out))
    assert abs(media_box(out)[0] - 612) < 2
    _rb, _store, run = make_run(lib_dir, edit=False)
    out = tmp_path / "run.pdf"
    assert main(["print", "--run", run.run_id[:8], "--library", str(lib_dir), "-o",
                 str(out)]) == 0
    text = "\n".join(pdf_pages(out))
    assert "SKIPREASON by storage" in text and "RUNBOOK CHANGED" not in text
    out = tmp_path / "all.pdf"
    assert main(["print", "--all", "--library", str(lib_dir), "-o", str(out)]) == 0
    assert "Short Procedure" in pdf_pages(out)[0]
    assert "page(s)" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["nosuch.md"], "no runbook 'nosuch.md'"),
    (["--run", "feedface"], "No checklist run"),
    ([], "say what to print"),
])
def test_cli_errors_are_one_line(lib_dir, tmp_path, capsys, args, message):
    code = main(["print", *args, "--library", str(lib_dir), "-o", str(tmp_path / "x.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_cli_unwritable_output(lib_dir, tmp_path, capsys, where):
    target = tmp_path / "nowhere" / "x.pdf" if where == "missing-folder" else tmp_path
    code = main(["print", "widget.md", "--library", str(lib_dir), "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and "cannot write" in err and len(err.strip().splitlines()) == 1


def _many_steps(tmp_path: Path, steps: int) -> Path:
    lines = ["# Many steps", "", "## Procedure", ""]
    for n in range(1, steps + 1):
        lines += [f"### Step {n}: turn valve V{n:04d}", "", "🔵 **OPERATIONAL**", ""]
        lines += [f"- [ ] Check gauge G{n:04d}{k} reads green" for k in range(n % 4 + 1)]
        lines += [""]
    lib_dir = tmp_path / "many"
    lib_dir.mkdir()
    (lib_dir / "many.md").write_text("\n".join(lines), encoding="utf-8")
    return lib_dir


def test_a_long_checklist_is_paged_in_pieces_with_every_step_whole_and_printed_once(tmp_path):
    """Pages are laid out piece by piece (linear time); each piece starts with a step moved to
    a new page, so nothing is split, lost or printed twice at the seams."""
    rb = load_library(_many_steps(tmp_path, 300)).get("many.md")
    doc = blank_checklist_document(rb)
    pages = layout_pages(doc, pdf_printer(tmp_path / "unused.pdf", "A4"))
    assert len(pages.docs) > 10 and pages.moved == len(pages.docs) - 1
    spans = group_spans(pages, doc.keep)
    assert len(spans) == len(doc.keep) == 300
    assert all(first == last for _name, first, last, _h in spans)
    assert [first for _n, first, _l, _h in spans] == sorted(first for _n, first, _l, _h in spans)
    out = tmp_path / "many.pdf"
    count = write_pdf(doc, out)
    text = "\n".join(pdf := pdf_pages(out))
    assert count == pages.count == len(pdf)
    assert_every_page_framed(pdf, "Many steps")
    for n in range(1, 301):
        assert text.count(f"V{n:04d}") == 1, n  # every step once: none lost, none doubled
