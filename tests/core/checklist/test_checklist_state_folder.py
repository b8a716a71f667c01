"""A read-only or unusable state folder, from the command line: what can be read is shown,
every write is refused with a message naming why and where (never "Started"/"SAVED" for
something not kept), exit status 1, and the files are left as they were. Text an imported file
carries is never printed raw (terminal escapes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from runbook_viewer import cli
from runbook_viewer.core.checklist import ChecklistStore, export_json
from runbook_viewer.core.library import load_library

APP_DIR = Path(__file__).resolve().parents[3] / "app"
RUNBOOK = "# Drill\n\n## Procedure\n\n### Step 1: Act\n\n- [ ] Alpha\n- [ ] Bravo\n"


def rv(home: Path, *args, user=None):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(APP_DIR), "HOME": str(home.parent),
           "RUNBOOK_VIEWER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "runbook_viewer", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120, user=user,
                          group=user, cwd=str(home.parent))


@pytest.fixture
def read_only_home():
    """A state folder holding a run with one tick, then made read-only. As root (CI) the
    commands run as the unprivileged user nobody, for whom it really is read-only."""
    base = Path(tempfile.mkdtemp(prefix="rv-readonly-"))
    base.chmod(0o755)
    lib = base / "lib"
    lib.mkdir()
    (lib / "drill.md").write_text(RUNBOOK, encoding="utf-8")
    home = base / "home"
    db = home / "state" / "checklists.sqlite3"
    db.parent.mkdir(parents=True)
    rb = load_library(lib).get("drill.md")
    with ChecklistStore(db) as store:
        run = store.start_run(rb, operator="jd", incident="INC-RO")
        store.set_item(run.run_id, rb.items[0], "done", operator="jd")
    for folder in (base, lib, home, db.parent):
        folder.chmod(0o555)
    for f in (*lib.iterdir(), *db.parent.iterdir()):
        f.chmod(0o444)
    user = 65534 if os.geteuid() == 0 else None
    yield home, lib, run, db, user
    for folder in (base, lib, home, db.parent):
        folder.chmod(0o755)
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_read_only_state_folder_shows_runs_and_refuses_writes(read_only_home):
    home, lib, run, db, user = read_only_home
    before = {p.name: p.read_bytes() for p in db.parent.iterdir()}
    out = rv(home, "runs", "list", "--library", lib, user=user)
    assert out.returncode == 0, out.stderr
    assert run.run_id[:8] in out.stdout and "1/2" in out.stdout  # the existing run, as it is
    assert "can be read but not written" in out.stderr and str(db) in out.stderr
    for argv in (["runs", "start", "drill.md", "--operator", "x", "--library", lib],
                 ["runs", "tick", run.run_id[:8], "next", "--operator", "x", "--library", lib],
                 ["runs", "note", run.run_id[:8], "step-1-act", "hello", "--operator", "x"],
                 ["runs", "operator", "someone"]):
        out = rv(home, *argv, user=user)
        assert out.returncode == 1, (argv, out.stdout)
        assert "Not saved" in out.stderr and str(db) in out.stderr
        assert "Started" not in out.stdout and "SAVED" not in out.stdout
        assert "Traceback" not in out.stderr
    assert {p.name: p.read_bytes() for p in db.parent.iterdir()} == before


def test_a_file_where_the_home_folder_should_be(tmp_path):
    home = tmp_path / "home"
    home.write_text("not a folder", encoding="utf-8")
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "drill.md").write_text(RUNBOOK, encoding="utf-8")
    out = rv(home, "runs", "list")
    assert out.returncode == 0 and "No open checklist runs." in out.stdout
    assert "state folder cannot be created" in out.stderr and str(home) in out.stderr
    out = rv(home, "runs", "start", "drill.md", "--operator", "jd", "--library", lib)
    assert out.returncode == 1 and "Not saved" in out.stderr and "Started" not in out.stdout
    assert home.read_text(encoding="utf-8") == "not a folder"


HOSTILE = "evil\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eresu"


def test_terminal_escapes_from_an_import_are_never_printed_raw(tmp_path, capsys):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "drill.md").write_text(RUNBOOK, encoding="utf-8")
    rb = load_library(lib).get("drill.md")
    with ChecklistStore(tmp_path / "other.sqlite3") as other:
        run = other.start_run(rb, operator=HOSTILE, incident=HOSTILE)
        other.add_note(run.run_id, "step-1-act", f"look {HOSTILE}", operator=HOSTILE)
        export = tmp_path / "handover.json"
        export.write_text(export_json(other, run.run_id), encoding="utf-8")
    outputs = []
    for argv in (["runs", "import", export], ["runs", "list"], ["runs", "list", "--json"],
                 ["runs", "show", run.run_id[:8], "--library", lib],
                 ["runs", "show", run.run_id[:8], "--json"]):
        assert cli.main([str(a) for a in argv]) == 0
        outputs.append(capsys.readouterr())
    for captured in outputs:
        text = captured.out + captured.err
        assert not any(ch in text for ch in "\x1b\x07\x9b\u202e"), repr(text[:300])
    shown = json.loads(outputs[2].out)[0]
    assert shown["operator"] == HOSTILE  # the data is kept as it was; only display is cleaned
    for fmt in ("md", "json"):  # export files too: a reviewer may `cat` them
        out = tmp_path / f"record.{fmt}"
        assert cli.main(["runs", "export", run.run_id[:8], "--format", fmt, "-o", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\x07\x1b\x9b\u202e"), fmt
    assert json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))["run"][
        "operator"] == HOSTILE  # still the same JSON: the next import keeps the data
