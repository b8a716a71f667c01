"""Real processes: a ticker killed with SIGKILL loses nothing it reported saved; two app
instances writing the same run at once lose no update; instances racing to create the DB."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys

import pytest

from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

ITEMS = 30
RUNBOOK = "# Long drill\n\n## Procedure\n\n" + "".join(
    f"### Step {s}: Phase {s}\n\n" + "".join(f"- [ ] Action {s}.{i}\n" for i in range(1, 7))
    + "\n" for s in range(1, ITEMS // 6 + 1))

WORKER = """\
import sys
import time
from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library

mode, lib_dir, db = sys.argv[1:4]
rb = load_library(lib_dir).get("drill.md")
store = ChecklistStore(db)
if store.recovery_notice:
    print("NOTICE", store.recovery_notice, flush=True)
if mode == "start":
    print("RUN", store.start_run(rb, operator=sys.argv[4]).run_id, flush=True)
    sys.exit(0)
if mode == "tick-forever":
    run_id = store.start_run(rb, operator="killme").run_id
    print("RUN", run_id, flush=True)
    n = 0
    while True:
        item = rb.items[n % len(rb.items)]
        state = ("done", "na", "pending")[n // len(rb.items) % 3]
        ev = store.set_item(run_id, item, state, operator="killme")
        print("SAVED", item.id, state, ev.uid, flush=True)
        n += 1
run_id, name, count = sys.argv[4], sys.argv[5], int(sys.argv[6])
print("READY", flush=True)
sys.stdin.readline()
for n in range(count):
    store.set_item(run_id, rb.items[n % len(rb.items)], ("done", "na")[n % 2], operator=name)
    time.sleep(0.002)  # an operator between ticks, so the two instances interleave
print("DONE", count, flush=True)
"""


@pytest.fixture
def setup(tmp_path):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "drill.md").write_text(RUNBOOK, encoding="utf-8")
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    rb = load_library(lib_dir).get("drill.md")
    assert len(rb.items) == ITEMS
    return lib_dir, tmp_path / "state" / "checklists.sqlite3", script, rb


def spawn(script, *args, stdin=None):
    return subprocess.Popen([sys.executable, str(script), *map(str, args)], stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.mark.parametrize("kill_after", [1, 23, 180])
def test_every_tick_reported_saved_survives_sigkill(setup, kill_after):
    lib_dir, db, script, rb = setup
    proc = spawn(script, "tick-forever", lib_dir, db)
    reported: list[tuple[str, str, str]] = []
    run_id = None
    try:
        for line in proc.stdout:
            word, *rest = line.split()
            if word == "RUN":
                run_id = rest[0]
            elif word == "SAVED":
                reported.append((rest[0], rest[1], rest[2]))
                if len(reported) == kill_after:
                    os.kill(proc.pid, signal.SIGKILL)  # right after the save, mid-stream
                    break
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert run_id and len(reported) == kill_after

    store = ChecklistStore(db)  # "restart the app"
    assert store.recovery_notice is None
    sets = [e for e in store.timeline(run_id) if e.kind == "set"]
    # every reported save is there, in order; at most a few more landed before the kill
    assert [(e.item_id, e.state, e.uid) for e in sets[:kill_after]] == reported
    state = store.run_state(run_id, rb)
    for item_id, item_state, _uid in reported[-ITEMS:]:
        later = [e for e in sets[kill_after:] if e.item_id == item_id]
        assert state.by_id[item_id].state == (later[-1].state if later else item_state)
    store.close()


def test_two_app_instances_ticking_at_once_lose_no_update(setup):
    lib_dir, db, script, rb = setup
    store = ChecklistStore(db)
    run = store.start_run(rb, operator="lead")
    count = 150
    procs = [spawn(script, "tick", lib_dir, db, run.run_id, name, count, stdin=subprocess.PIPE)
             for name in ("alpha", "bravo")]
    for p in procs:
        assert p.stdout.readline().strip() == "READY"
    for p in procs:  # release both at once
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == f"DONE {count}"
    timeline = store.timeline(run.run_id)
    assert len(timeline) == 1 + 2 * count
    for name in ("alpha", "bravo"):
        mine = [e for e in timeline if e.operator == name]
        assert [(e.item_id, e.state) for e in mine] == [
            (rb.items[n % ITEMS].id, ("done", "na")[n % 2]) for n in range(count)]
    ops = [e.operator for e in timeline[1:]]
    switches = sum(1 for a, b in itertools.pairwise(ops) if a != b)
    assert switches >= 2, "the two writers never interleaved"
    store.close()


def test_instances_racing_to_create_the_database(setup):
    lib_dir, db, script, _rb = setup
    procs = [spawn(script, "start", lib_dir, db, f"op{n}") for n in range(4)]
    ids = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "NOTICE" not in out
        ids += [line.split()[1] for line in out.splitlines() if line.startswith("RUN")]
    store = ChecklistStore(db)
    assert store.recovery_notice is None
    assert sorted(r.run_id for r in store.runs()) == sorted(ids) and len(ids) == 4
    store.close()
