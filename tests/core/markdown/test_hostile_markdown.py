"""The hostile inputs of issue 13, each re-run against the markdown-it engine: the file loads,
renders degraded or as text with a notice, and costs a moment — never a traceback, a hang or a
library that does not open. (The real times are in ``benchmarks/render.py``; the limits here
only catch a runaway.)"""

from __future__ import annotations

import time

import pytest

from runbook_viewer.core.library import load_library
from runbook_viewer.core.markdown import bounds
from runbook_viewer.core.markdown.engine import parse
from runbook_viewer.core.markdown.text import runbook_to_text
from runbook_viewer.core.printing.checklist import blank_checklist_document
from runbook_viewer.core.printing.document import library_document, runbook_document
from runbook_viewer.core.render import render_runbook
from runbook_viewer.core.search import SearchEngine

RUNAWAY_S = 5.0  # far above the real cost (tens of ms); a return of the old 22-124 s fails

CASES = {
    "dashes-500-on-one-line": "- " * 500 + "x\n",  # was RecursionError in render
    "tab-list-1900-deep": "".join("\t" * n + "- level\n" for n in range(1900)),  # 124 s
    "brackets-20kb": "[" * 20_000 + "\n",  # 22 s self-test
    "div-10000": "<div>" * 10_000 + "\n",  # 22 s self-test
    "quotes-10000-deep": ">" * 10_000 + " deep\n",
}
NOTICE = {
    "dashes-500-on-one-line": "shown as plain text",
    "tab-list-1900-deep": "shown as plain text",
    "brackets-20kb": "open no link",
    "quotes-10000-deep": "shown as plain text",
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_hostile_file_opens_with_a_notice_in_a_moment(tmp_path, name):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "hostile.md").write_text(CASES[name], encoding="utf-8")
    (lib_dir / "fine.md").write_text("# Fine\n\n## Step 1: go\n\n- [ ] do it\n", encoding="utf-8")
    start = time.perf_counter()
    lib = load_library(lib_dir)
    rb = lib.get("hostile.md")
    page = render_runbook(rb, library=lib)
    text = runbook_to_text(rb, width=80)
    printed = runbook_document(rb).html + blank_checklist_document(rb).html
    library_document(lib)
    took = time.perf_counter() - start
    assert took < RUNAWAY_S, f"{name}: {took:.1f} s"
    assert rb.load_error is None and page.startswith("<html>") and printed
    notice = NOTICE.get(name)
    if notice:  # the degraded ones say so, once, in the page, in `show` and in `check`
        assert page.count(notice) == 1 and notice in text
        assert any(p.code == "degraded" and notice in p.message for p in rb.problems)
    else:  # <div> × 10,000 is ordinary HTML: the tags are dropped, nothing is left
        assert "<div" not in page.split("<body>", 1)[1]
    fine = lib.get("fine.md")
    assert fine is not None and len(fine.items) == 1  # the library is still there


def test_a_deep_prefix_is_not_parsed_at_all():
    """The 1,900-deep list: the engine is never run on it (no tokens), the page is the text
    with the indentation shortened to a count."""
    doc = parse(CASES["tab-list-1900-deep"])
    assert doc.tokens == [] and "1,900" not in (doc.degraded or "")
    assert doc.degraded and "line 81" in doc.degraded  # the first line past the limit
    shown = doc.plain_lines()
    assert len(shown) == 1900 and max(len(line) for line in shown) < 120
    assert shown[1899].endswith("[… 1835 more characters of indentation] - level")


def test_real_nesting_and_thematic_breaks_are_not_caught_by_the_prefix_guard():
    nested = "".join("  " * n + "- level\n" for n in range(15))
    rules = "-" * 200 + "\n\n" + "* " * 30 + "\n\ntext\n" + "=" * 300 + "\n"
    quoted = "> " * 12 + "deep quote\n"
    for text in (nested, rules, quoted):
        doc = parse(text)
        assert doc.degraded is None and doc.tokens, text[:40]
    assert bounds.prefix_depth("\t\t- - > 1. x") == 6


def test_link_brackets_are_bounded_but_real_links_still_work():
    text = "[" * 20_000 + "\n\n" + "".join(f"- [link {n}](other.md#s{n})\n" for n in range(50))
    doc = parse(text)
    assert doc.notices and "open no link" in doc.notices[0]
    links = [t for t in doc.tokens if t.type == "inline" for t in t.children or ()
             if t.type == "link_open"]
    assert len(links) == 0  # the budget is per file: once spent, brackets are text
    ok = parse("".join(f"- [link {n}](other.md#s{n})\n- [ ] item {n}\n- [x] [draft] {n}\n"
                       for n in range(3000)))
    assert ok.notices == []  # links are free; task items and `[draft]` cost a short look
    assert sum(1 for t in ok.tokens if t.type == "inline" for c in t.children or ()
               if c.type == "link_open") == 3000


def test_hostile_files_do_not_take_search_away(tmp_path):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    for name, text in CASES.items():
        (lib_dir / f"{name}.md").write_text(text, encoding="utf-8")
    (lib_dir / "fine.md").write_text("# Fine\n\n## Step 1: go\n\n- [ ] restart quokkad\n",
                                     encoding="utf-8")
    engine = SearchEngine(load_library(lib_dir), index_path=tmp_path / "index.sqlite3")
    engine.ensure_index()
    assert [h.path for h in engine.search("quokkad")] == ["fine.md"]
    engine.close()


def test_an_empty_file_says_so_instead_of_an_empty_page(tmp_path):
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "front.md").write_text("---\nweight: 2\n---\n", encoding="utf-8")
    lib = load_library(tmp_path)
    for path in ("empty.md", "front.md"):
        rb = lib.get(path)
        assert "has no text to show" in render_runbook(rb)
        assert "has no text to show" in runbook_to_text(rb)


def test_a_degraded_note_fragment_says_so():
    from runbook_viewer.core.render import markdown_to_html

    assert "shown as plain text" in markdown_to_html("> " * 200 + "x")


def test_long_runs_of_blanks_print_in_linear_time():
    """Printing made colours black with a pattern that backtracked over every run of blanks
    (a 1,900-deep tab list took 5 s to turn into a print document)."""
    from runbook_viewer.core.printing.document import monochrome

    blanks = "```\n" + ("\t" * 6000 + "x\n") * 300 + "```\n"
    start = time.perf_counter()
    out = monochrome(f'<td bgcolor="#fff">{blanks}</td>')
    assert time.perf_counter() - start < RUNAWAY_S
    assert "bgcolor" not in out and out.count("\t") == 1_800_000
