"""`runbook-viewer runs …`: work a checklist from a terminal, export, import elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import rv

from runbook_viewer.core.checklist import ChecklistStore

RUNBOOK = """\
# Certificate renewal

Version: 3.0

## Procedure

### Step 1: Check expiry

- [ ] openssl x509 -enddate
- [ ] Note the serial

### Step 2: Rotate the key

🔴 **CONSTITUTIONAL** — FR33

- [ ] Start the key ceremony
"""


@pytest.fixture
def lib(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "certs.md").write_text(RUNBOOK, encoding="utf-8")
    return folder




def start(capsys, lib, *extra):
    code, out, _ = rv(capsys, "runs", "start", "certs.md", "--library", lib, "--operator", "jd",
                      *extra)
    assert code == 0
    return out.split()[2]


def test_start_tick_and_list(capsys, lib):
    code, _, err = rv(capsys, "runs", "start", "certs.md", "--library", lib)
    assert code == 1 and "--operator" in err  # nobody to record yet
    run_id = start(capsys, lib, "--incident", "INC-5")
    code, out, _ = rv(capsys, "runs", "tick", run_id[:6], "next", "--library", lib)
    assert code == 0 and out.startswith("SAVED Done: Step 1: Check expiry › openssl x509")
    assert "1/3 resolved; holding at Step 1: Check expiry, item 2 of 2" in out
    code, _, err = rv(capsys, "runs", "tick", run_id[:6], "next", "--state", "skipped",
                      "--library", lib)
    assert code == 1 and "needs a reason" in err
    code, out, _ = rv(capsys, "runs", "tick", run_id, "next", "--state", "skipped", "--reason",
                      "serial unknown", "--library", lib, "--operator", "ak")
    assert code == 0 and "reason: serial unknown" in out and "(" in out and "ak)" in out
    code, out, _ = rv(capsys, "runs", "list", "--json")
    [row] = json.loads(out)
    assert (row["run_id"], row["resolved"], row["total"], row["incident"], row["operator"]) == (
        run_id, 2, 3, "INC-5", "jd")
    code, out, _ = rv(capsys, "runs", "list")
    assert out.startswith(run_id[:8]) and "2/3" in out and "INC-5" in out


def test_constitutional_skip_needs_confirm_on_the_command_line(capsys, lib):
    run_id = start(capsys, lib)
    store = ChecklistStore()
    red = store.outline(run_id).items[-1].id
    store.close()
    args = ("runs", "tick", run_id, red[:5], "--state", "skipped", "--library", lib)
    code, _, err = rv(capsys, *args)
    assert code == 1 and "needs a reason" in err
    code, _, err = rv(capsys, *args, "--reason", "ceremony postponed")
    assert code == 1 and "explicit confirmation" in err
    code, out, _ = rv(capsys, *args, "--reason", "ceremony postponed", "--confirm")
    assert code == 0 and "■ constitutional, confirmed" in out


def test_show_export_import_close(capsys, lib, tmp_path, monkeypatch):
    run_id = start(capsys, lib, "--title", "renewal drill")
    rv(capsys, "runs", "tick", run_id, "next", "--library", lib)
    code, out, _ = rv(capsys, "runs", "note", run_id, "step-1-check-expiry", "expires Friday")
    assert code == 0 and "Note on Step 1: Check expiry: expires Friday" in out
    code, out, _ = rv(capsys, "runs", "show", run_id[:4], "--library", lib)
    assert code == 0 and out.startswith("# Checklist run: renewal drill")
    assert "- [x] openssl x509 -enddate — **done**" in out and "jd: expires Friday" in out
    md, js = tmp_path / "run.md", tmp_path / "run.json"
    assert rv(capsys, "runs", "export", run_id, "--format", "md", "-o", md)[0] == 0
    assert rv(capsys, "runs", "export", run_id, "--format", "json", "-o", js)[0] == 0
    assert md.read_text(encoding="utf-8").startswith("# Checklist run: renewal drill")
    assert rv(capsys, "runs", "close", run_id, "--reason", "drill over")[0] == 0
    code, _, err = rv(capsys, "runs", "tick", run_id, "next", "--library", lib)
    assert code == 1 and "closed" in err
    code, out, _ = rv(capsys, "runs", "list")
    assert "No open checklist runs" in out
    assert "closed" in rv(capsys, "runs", "list", "--all")[1]

    monkeypatch.setenv("RUNBOOK_VIEWER_HOME", str(tmp_path / "other-machine"))
    code, out, _ = rv(capsys, "runs", "import", js)
    assert code == 0 and "imported: 3 new event(s), 0 already present" in out
    code, out, _ = rv(capsys, "runs", "import", js)
    assert code == 0 and "0 new event(s), 3 already present" in out
    code, out, _ = rv(capsys, "runs", "list", "--json")
    [row] = json.loads(out)
    assert row["run_id"] == run_id and row["resolved"] == 1 and row["open"]
    code, out, _ = rv(capsys, "runs", "show", run_id, "--json")
    assert json.loads(out)["run"]["title"] == "renewal drill"


def test_errors_are_one_line_and_exit_1(capsys, lib, tmp_path):
    for argv, message in [
        (("runs", "show", "nope"), "No checklist run 'nope'"),
        (("runs", "import", tmp_path / "missing.json"), "Cannot read"),
        (("runs", "start", "missing.md", "--library", lib, "--operator", "x"), "no runbook"),
    ]:
        code, _, err = rv(capsys, *argv)
        assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    run_id = start(capsys, lib)
    code, _, err = rv(capsys, "runs", "tick", run_id, "zzzz", "--library", lib)
    assert code == 1 and "No item 'zzzz'" in err


def test_operator_is_remembered(capsys):
    assert "No operator" in rv(capsys, "runs", "operator")[1]
    assert rv(capsys, "runs", "operator", "Dana K")[0] == 0
    assert rv(capsys, "runs", "operator")[1].strip() == "Dana K"


def test_corrupt_database_message_on_the_command_line(capsys, isolated_home):
    db = isolated_home / "state" / "checklists.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"not a database at all" * 100)
    code, out, err = rv(capsys, "runs", "list")
    assert code == 0 and "moved aside" in err and "No open checklist runs" in out


def test_entry_point_runs_as_a_process():
    proc = subprocess.run([sys.executable, "-m", "runbook_viewer", "runs", "list"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "No open checklist runs" in proc.stdout
