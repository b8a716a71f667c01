"""`runbook-viewer search`: JSON schema, human output, exit codes, clear errors."""

from __future__ import annotations

import json

import pytest
from helpers.search_fixtures import write_search_library

from runbook_viewer.cli import main
from runbook_viewer.core.search import index as index_mod


@pytest.fixture
def lib_dir(tmp_path):
    return write_search_library(tmp_path / "lib")


def run(capsys, *argv):
    code = main(["search", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_an_array_best_first_with_the_documented_fields(lib_dir, capsys):
    code, out, err = run(capsys, "--library", str(lib_dir), "--json", "redis", "connection",
                         "refused")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list) and data
    for row in data:
        assert {"path", "title", "section", "anchor", "score", "snippet"} <= set(row)
        assert isinstance(row["score"], float)
        assert "\\" not in row["path"] and not row["path"].startswith("/")
    assert data[0]["path"] == "redis.md"
    assert data[0]["anchor"] == "step-2-fail-over-the-master"
    assert data[0]["section"] == "Procedure › Step 2: Fail over the master"
    scores = [row["score"] for row in data]
    assert scores == sorted(scores, reverse=True)


def test_json_paths_in_subfolders_use_slashes(lib_dir, capsys):
    code, out, _ = run(capsys, "--library", str(lib_dir), "--json", "KubePodCrashLooping")
    assert code == 0
    assert json.loads(out)[0]["path"] == "kube/KubePodCrashLooping.md"


def test_limit(lib_dir, capsys):
    code, out, _ = run(capsys, "--library", str(lib_dir), "--json", "--limit", "1", "agents")
    assert code == 0 and len(json.loads(out)) == 1
    code, _, err = run_raises(capsys, "--library", str(lib_dir), "--limit", "0", "agents")
    assert code == 2 and "at least 1" in err


def run_raises(capsys, *argv):
    with pytest.raises(SystemExit) as exc:
        main(["search", *argv])
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_human_output_numbers_hits_with_path_anchor_and_snippet(lib_dir, capsys):
    code, out, _ = run(capsys, "--library", str(lib_dir), "heartbeats", "missing")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("1. Agent Fleet › Procedure › Step 2: Triage missing heartbeats")
    assert lines[1].strip() == "agents.md#step-2-triage-missing-heartbeats"
    assert "[" in lines[2] and "]" in lines[2]
    assert "Did you mean" not in out


def test_did_you_mean_for_a_typo(lib_dir, capsys):
    code, out, _ = run(capsys, "--library", str(lib_dir), "hearbeat")
    assert code == 0
    assert out.splitlines()[0] == "Did you mean: heartbeat"
    assert "agents.md#step-2-triage-missing-heartbeats" in out


def test_nothing_found_exits_1_with_a_message(lib_dir, capsys):
    code, out, err = run(capsys, "--library", str(lib_dir), "zqxwvy")
    assert code == 1 and out == "" and "No section matches 'zqxwvy'" in err
    code, out, _ = run(capsys, "--library", str(lib_dir), "--json", "zqxwvy")
    assert code == 1 and json.loads(out) == []


def test_bad_library_is_a_clear_one_line_error(tmp_path, capsys):
    code, out, err = run(capsys, "--library", str(tmp_path / "missing"), "redis")
    assert code == 1 and out == ""
    assert err.strip().startswith("runbook-viewer:") and "does not exist" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    a_file = tmp_path / "file.md"
    a_file.write_text("# x\n")
    code, _, err = run(capsys, "--library", str(a_file), "redis")
    assert code == 1 and "not a folder" in err


def test_blank_query_is_refused(lib_dir, capsys):
    code, _, err = run(capsys, "--library", str(lib_dir), "  ")
    assert code == 1 and "empty" in err


def test_missing_fts5_is_reported_not_a_traceback(lib_dir, capsys, monkeypatch):
    monkeypatch.setattr(index_mod, "fts5_available", lambda: False)
    code, out, err = run(capsys, "--library", str(lib_dir), "redis")
    assert code == 1 and out == ""
    assert "FTS5" in err and "Traceback" not in err


def test_empty_library_says_so(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "--library", str(empty), "redis")
    assert code == 1 and "no runbooks" in err
