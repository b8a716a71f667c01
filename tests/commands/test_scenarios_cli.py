"""`runbook-viewer scenarios`: the triage list in a terminal (run in-process through cli.main)."""

from __future__ import annotations

import json

import pytest
from helpers.scenario_fixtures import write_foreign_library, write_scenario_library

from runbook_viewer.cli import main
from runbook_viewer.core.model import SEVERITIES


@pytest.fixture
def lib_dir(tmp_path):
    return write_scenario_library(tmp_path / "lib")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_grouped_by_severity_with_labels_and_targets(capsys, lib_dir):
    code, out, err = run(capsys, "scenarios", "--library", str(lib_dir))
    assert code == 0 and err == ""
    headers = [line.split(" ")[0] for line in out.splitlines() if line[:1].isalpha()
               and line.split(" ")[0] in SEVERITIES]
    assert headers == ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]
    assert "■ CONSTITUTIONAL · HaltActive fires; API answers 503" in out  # no emoji font needed
    assert "● OPERATIONAL · DbDown; pg_isready says no response" in out
    assert "→ halt.md#step-1-confirm-the-halt  (Step 1: Confirm the halt)" in out
    # the row whose step is gone is shown, with a warning, pointing at the runbook
    assert "→ halt.md  ⚠ step not found" in out
    lines = out.splitlines()
    critical = lines.index(next(x for x in lines if x.startswith("CRITICAL")))
    high = lines.index(next(x for x in lines if x.startswith("HIGH")))
    assert any("HaltActive" in x for x in lines[critical:high])


def test_filter_words(capsys, lib_dir):
    code, out, _ = run(capsys, "scenarios", "--library", str(lib_dir), "disk", "filling")
    assert code == 0
    assert "LOW — next business day (1)" in out and "db.md#step-2-free-disk-space" in out
    assert "CRITICAL" not in out and "1 of " in out


def test_json(capsys, lib_dir):
    code, out, _ = run(capsys, "scenarios", "--library", str(lib_dir), "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["severity"] == "CRITICAL" and rows[0]["label"] == "constitutional"
    assert rows[0]["target"] == "halt.md#step-1-confirm-the-halt"
    ranks = [SEVERITIES.index(r["severity"]) for r in rows]
    assert ranks == sorted(ranks)
    assert {r["source"] for r in rows} == {"index", "trigger"}


def test_global_library_option_works_too(capsys, lib_dir):
    code, out, _ = run(capsys, "--library", str(lib_dir), "scenarios", "--json", "drill")
    assert code == 0 and [r["severity"] for r in json.loads(out)] == ["INFO"]


def test_no_match_and_missing_library_are_clear_errors(capsys, lib_dir, tmp_path):
    code, out, err = run(capsys, "scenarios", "--library", str(lib_dir), "zebra")
    assert code == 1 and out == ""
    assert "no scenario matches 'zebra'" in err and "Traceback" not in err
    code, _out, err = run(capsys, "scenarios", "--library", str(tmp_path / "nope"))
    assert code == 1 and "does not exist" in err


def test_library_without_runbooks(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    code, _out, err = run(capsys, "scenarios", "--library", str(tmp_path / "empty"))
    assert code == 1 and "declares no scenarios" in err


def test_foreign_library_groups_by_folder(capsys, tmp_path):
    root = write_foreign_library(tmp_path / "foreign")
    code, out, _ = run(capsys, "scenarios", "--library", str(root))
    assert code == 0
    assert out.startswith("CRITICAL")
    assert "UNSPECIFIED — severity not stated by the runbooks (3)" in out
    assert "  db\n" in out and "  web\n" in out
    assert "The web tier returns 5xx." in out
    assert "→ db/DbPrimaryDown.md#diagnosis  (Diagnosis)" in out
