"""File-level rules of `check`: unreadable and non-UTF-8 files, symlinks, empty libraries, and
the parser facts the rules rely on (field lines, label lines, verification blocks, code spans)."""

from __future__ import annotations

import os

import pytest
from helpers.check_fixtures import ALPHA, FILES, TODAY, line_of, write_library

from runbook_viewer.core.lint import check_folder
from runbook_viewer.core.model import Runbook
from runbook_viewer.core.parser import fence_blocks, fenced_lines, parse_runbook


def check(root, **kw):
    return check_folder(root, today=TODAY, **kw)


def parse(text: str, path: str = "x.md") -> Runbook:
    return parse_runbook(Runbook(path=path, abs_path=None, title=""), text)  # type: ignore[arg-type]


def test_binary_file_is_unreadable_error(tmp_path):
    write_library(tmp_path, dict(FILES, **{"index.md": FILES["index.md"]
                                          + "\n- [Blob](blob.md)\n"}))
    (tmp_path / "blob.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    report = check(tmp_path)
    assert [(p.code, p.path, p.line, p.level) for p in report.problems] == [
        ("unreadable", "blob.md", 1, "error")]
    assert "binary" in report.problems[0].message


def test_invalid_utf8_is_an_encoding_warning(tmp_path):
    write_library(tmp_path)
    beta = tmp_path / "beta.md"
    beta.write_bytes(beta.read_bytes().replace(b"Restart the cache.", b"Restart the cach\xe9."))
    report = check(tmp_path)
    assert [(p.code, p.path, p.level) for p in report.problems] == [
        ("encoding", "beta.md", "warning")]
    assert not report.failed() and report.failed(strict=True)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_out_of_the_library_is_reported(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("# Secret\n", encoding="utf-8")
    lib = write_library(tmp_path / "lib")
    (lib / "leak.md").symlink_to(outside)
    report = check(lib)
    assert [(p.code, p.path) for p in report.problems] == [("unreadable", "leak.md")]


def test_empty_library_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not markdown", encoding="utf-8")
    report = check(tmp_path)
    assert [p.code for p in report.problems] == ["unreadable"]
    assert report.failed() and report.files == 0


def test_link_to_existing_non_markdown_file_and_folder_is_fine(tmp_path):
    write_library(tmp_path)
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "probe.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    alpha = ALPHA.replace("- ADR-6: dual-channel halt",
                          "- [probe](scripts/probe.sh), [scripts](scripts/), "
                          "[missing](scripts/gone.sh), [web](https://example.com/x#y)")
    (tmp_path / "alpha.md").write_text(alpha, encoding="utf-8")
    report = check(tmp_path)
    assert [(p.code, p.line) for p in report.problems] == [
        ("broken-link", line_of(alpha, "[missing]"))]
    assert "scripts/gone.sh" in report.problems[0].message


def test_percent_encoded_and_same_file_anchor_links_resolve(tmp_path):
    files = dict(FILES)
    files["my notes.md"] = "# Notes\n\n## Part One\n\nSee [two](#part-two).\n\n## Part Two\n"
    files["index.md"] += "\n- [Notes](my%20notes.md#part-one)\n"
    report = check(write_library(tmp_path, files), profile="generic")
    assert report.problems == []


# --- parser facts the rules use -------------------------------------------------------------

def test_parser_records_metadata_lines():
    rb = parse(ALPHA)
    assert rb.metadata_lines == {"Last Updated": 3, "Version": 4, "Owner": 5}


def test_parser_records_label_lines_and_verification_blocks():
    rb = parse(ALPHA)
    step1, step2 = rb.steps
    assert step1.label_line == line_of(ALPHA, "🔴 **CONSTITUTIONAL** — FR18")
    assert step1.verification_line == line_of(ALPHA, "**Verification:**")
    assert step1.verification == {"Expected outcome": "both channels report the same reason",
                                  "Command to verify": "`archonctl halt status --json`"}
    assert step2.label is None and step2.verification["Command to verify"] == \
        "`archonctl chain verify`"
    group = rb.section("constitutional-check-fr2-adr-3")
    assert group is not None and group.label_line == group.line


def test_verification_inside_a_code_block_does_not_count():
    text = ("# T\n\n## Procedure\n\n### Step 1: Do it\n\n```text\n**Verification:**\n"
            "- Expected outcome: x\n```\n")
    assert parse(text).steps[0].verification_line == 0


def test_links_inside_code_spans_are_not_links_but_linked_code_is():
    rb = parse("# T\n\nUse `[a](gone.md)` syntax; see [`b`](b.md) and ``[c](c.md)``.\n")
    assert [(link.text, link.target) for link in rb.links] == [("b", "b.md")]


def test_fence_blocks_report_the_unclosed_opening_line():
    text = "# T\n\n```bash\nls\n```\n\ntext\n\n~~~sql\nSELECT 1;\n"
    assert fence_blocks(text) == [(3, 5), (9, None)]
    assert fenced_lines(text) == {3, 4, 5, 9, 10}


def test_a_crashing_rule_becomes_an_error_not_a_traceback(tmp_path, monkeypatch):
    from runbook_viewer.core.lint import runner

    def explode(ctx, rb):
        raise KeyError("boom")

    monkeypatch.setattr(runner, "CHECKS", (*runner.CHECKS, runner.Check(
        "runbook", frozenset({"step-items"}), explode)))
    report = check(write_library(tmp_path))
    assert {(p.path, p.code) for p in report.problems} == {
        ("alpha.md", "step-items"), ("beta.md", "step-items"), ("TEMPLATE.md", "step-items")}
    assert all("internal error in rule explode: KeyError" in p.message
               for p in report.problems)
