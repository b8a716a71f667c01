"""The database's files deleted or replaced under a running app, then SIGKILL: every tick that
was reported saved is in the file at the path afterwards. (Each write is checkpointed into the
main file; a changed file identity is detected and everything re-persisted.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and unlink-while-open")

RUNBOOK = "# Drill\n\n## Procedure\n\n### Step 1: Act\n\n" + "".join(
    f"- [ ] Action {i}\n" for i in range(1, 21))
APP_DIR = Path(__file__).resolve().parents[3] / "app"

WORKER = """\
import sys
from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library

lib_dir, db, before, after = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rb = load_library(lib_dir).get("drill.md")
store = ChecklistStore(db)
store.on_notice = lambda text: print("NOTICE", text.replace("\\n", " "), flush=True)
run = store.start_run(rb, operator="jd")
print("RUN", run.run_id, flush=True)
for n in range(before):
    print("SAVED", store.set_item(run.run_id, rb.items[n], "done", operator="jd").uid, flush=True)
print("READY", flush=True)
sys.stdin.readline()  # the files are deleted now
for n in range(before, before + after):
    print("SAVED", store.set_item(run.run_id, rb.items[n], "na", operator="jd").uid, flush=True)
print("WAITING", flush=True)
sys.stdin.readline()  # SIGKILL arrives here
"""


@pytest.fixture
def setup(tmp_path):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "drill.md").write_text(RUNBOOK, encoding="utf-8")
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    return lib_dir, tmp_path / "state" / "checklists.sqlite3", script


def side(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def replace_database(db: Path) -> None:
    """Another program moves the database away and leaves an empty one in its place."""
    os.replace(db, db.with_name("elsewhere.sqlite3"))
    for suffix in ("-wal", "-shm"):
        if side(db, suffix).exists():
            os.replace(side(db, suffix), db.with_name("elsewhere.sqlite3" + suffix))
    ChecklistStore(db).close()


ACTIONS = {
    "wal deleted": lambda db: side(db, "-wal").unlink(),
    "wal and shm deleted": lambda db: (side(db, "-wal").unlink(), side(db, "-shm").unlink()),
    "database deleted": lambda db: [p.unlink() for p in (db, side(db, "-wal"), side(db, "-shm"))
                                    if p.exists()],
    "database replaced": replace_database,
}


CASES = [(action, 10) for action in ACTIONS] + [
    # no write after the deletion: the per-write checkpoint already put everything in the main
    # file (a deleted database file needs a write or the window's timer: see the next test)
    ("wal deleted", 0), ("wal and shm deleted", 0)]


@pytest.mark.parametrize(("action", "after"), CASES)
def test_files_deleted_while_open_then_sigkill_lose_nothing_reported_saved(setup, action,
                                                                           after):
    lib_dir, db, script = setup
    proc = subprocess.Popen([sys.executable, str(script), str(lib_dir), str(db), "10",
                             str(after)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(APP_DIR)})
    saved, notices, run_id = [], [], None
    try:
        for line in proc.stdout:
            word, _, rest = line.strip().partition(" ")
            if word == "RUN":
                run_id = rest
            elif word == "SAVED":
                saved.append(rest)
            elif word == "NOTICE":
                notices.append(rest)
            elif word == "READY":
                ACTIONS[action](db)
                proc.stdin.write("go\n")
                proc.stdin.flush()
            elif word == "WAITING":
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=30)
        err = proc.stderr.read()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    assert proc.returncode == -signal.SIGKILL, err
    assert len(saved) == 10 + after, err
    if after:  # the writer noticed, and said what it did
        assert notices and "changed on disk" in notices[0]

    rb = load_library(lib_dir).get("drill.md")
    with ChecklistStore(db) as store:  # "restart the app"
        uids = {e.uid for e in store.timeline(run_id)}
        assert set(saved) <= uids
        state = store.run_state(run_id, rb)
        assert state.resolved == 10 + after


@pytest.mark.parametrize("action", ["wal deleted", "database deleted", "database replaced"])
def test_the_window_timer_notices_deleted_files_without_a_write(tmp_path, action):
    """check_health() (the window calls it every second) re-persists at once."""
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "drill.md").write_text(RUNBOOK, encoding="utf-8")
    rb = load_library(lib_dir).get("drill.md")
    db = tmp_path / "c.sqlite3"
    store = ChecklistStore(db)
    run = store.start_run(rb, operator="jd")
    store.set_item(run.run_id, rb.items[0], "done", operator="jd")
    assert store.check_health() is None
    ACTIONS[action](db)
    notice = store.check_health()
    assert notice and "changed on disk" in notice and str(db) in notice
    with ChecklistStore(db) as other:  # before any further write: already in the file
        assert other.run_state(run.run_id, rb).resolved == 1
    assert store.check_health() is None  # healthy again: a new -wal is watched
    store.set_item(run.run_id, rb.items[1], "done", operator="jd")
    with ChecklistStore(db) as other:
        assert other.run_state(run.run_id, rb).resolved == 2
    store.close()
