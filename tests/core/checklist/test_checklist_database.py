"""Opening the checklist database: corrupt files moved aside, migrations, locks, two writers."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from runbook_viewer.core import paths
from runbook_viewer.core.checklist import ChecklistStore, RunNotFound, SaveFailed, schema
from runbook_viewer.core.checklist import database as database_mod
from runbook_viewer.core.library import load_library

RUNBOOK = """\
# Disk full

## Procedure

### Step 1: Look

- [ ] df -h
- [ ] du -sh /var/log

### Step 2: Free space

- [ ] Rotate logs
- [ ] Remove old dumps
"""


@pytest.fixture
def rb(tmp_path):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "disk.md").write_text(RUNBOOK, encoding="utf-8")
    return load_library(lib_dir).get("disk.md")


def sqlite_with_rows(path):
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [(f"row {i}" * 20,) for i in range(3000)])
        conn.commit()
    return path.read_bytes()


def truncated(path):
    data = sqlite_with_rows(path)
    return data[: len(data) // 2]


def future_version(path):
    with closing(sqlite3.connect(path)) as conn:
        schema.apply(conn, 0)
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        conn.commit()
    return path.read_bytes()


DAMAGE = {
    "garbage bytes": (lambda p: os.urandom(20_000), "not a database"),
    "text file": (lambda p: b"this is not sqlite\n" * 100, "not a database"),
    "truncated": (truncated, "malformed"),
    "another program's database": (sqlite_with_rows, "some other program"),
    "schema from the future": (future_version, "newer version"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_unreadable_database_is_moved_aside_and_a_fresh_one_started(kind, rb):
    target = paths.checklist_db()
    make, reason = DAMAGE[kind]
    content = make(target)
    target.write_bytes(content)
    store = ChecklistStore()
    assert store.persistent and store.path == target
    assert store.moved_to is not None and store.moved_to.name.startswith(
        "checklists.sqlite3.corrupt-")
    assert store.moved_to.read_bytes() == content  # kept byte for byte, not discarded
    notice = store.recovery_notice or ""
    assert str(store.moved_to) in notice and "fresh" in notice and reason in notice
    run = store.start_run(rb, operator="jd")  # and the fresh one works
    store.set_item(run.run_id, rb.items[0], "done", operator="jd")
    store.close()
    again = ChecklistStore()
    assert again.recovery_notice is None and len(again.runs()) == 1
    again.close()


def test_side_files_move_with_the_database():
    target = paths.checklist_db()
    target.write_bytes(os.urandom(4096))
    wal = target.with_name(target.name + "-wal")
    wal.write_bytes(b"old wal")
    store = ChecklistStore()
    assert store.moved_to is not None
    assert (store.moved_to.parent / (store.moved_to.name + "-wal")).read_bytes() == b"old wal"
    store.close()


def test_two_corruptions_in_the_same_second_keep_both_files():
    target = paths.checklist_db()
    moved = []
    for n in range(2):
        target.write_bytes(b"junk %d" % n * 500)
        store = ChecklistStore()
        moved.append(store.moved_to)
        store.close()
        target.unlink()
        for side in ("-wal", "-shm"):
            target.with_name(target.name + side).unlink(missing_ok=True)
    assert moved[0] != moved[1] and all(p.exists() for p in moved)


def test_a_file_truncated_to_zero_bytes_is_reported_not_taken_for_a_new_database():
    """SQLite reads a 0-byte file as an empty database: "No open checklist runs." with no word
    of the runs that were there. Our database is never 0 bytes once created (WAL mode writes
    its header at once), so a 0-byte file was truncated: moved aside, and the operator told."""
    paths.checklist_db().write_bytes(b"")
    store = ChecklistStore()
    assert store.moved_to is not None and store.moved_to.stat().st_size == 0
    assert "0 bytes" in (store.recovery_notice or "") and str(store.moved_to) in \
        store.recovery_notice
    store.close()
    again = ChecklistStore()
    assert again.recovery_notice is None
    again.close()


def user_version(path):
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def test_older_schema_is_migrated_with_its_data(rb):
    target = paths.checklist_db()
    item = rb.items[0]
    with closing(sqlite3.connect(target, isolation_level=None)) as conn:
        schema.apply(conn, 0, 1)  # a database as version 1 left it: no settings table
        conn.execute("INSERT INTO runs (run_id, runbook_path, content_hash, operator, started_at,"
                     " snapshot) VALUES ('0b5c5f7e-0000-4000-8000-000000000001', 'disk.md', ?, "
                     "'old', '2026-11-01T00:00:00.000000Z', '{}')", (rb.content_hash,))
        conn.executemany(
            "INSERT INTO events (uid, run_id, ts, operator, kind, item_id, step_anchor, state) "
            "VALUES (?, '0b5c5f7e-0000-4000-8000-000000000001', ?, 'old', ?, ?, ?, ?)",
            [("u1", "2026-11-01T00:00:00.000000Z", "start", None, None, None),
             ("u2", "2026-11-01T00:00:05.000000Z", "set", item.id, item.section_anchor, "done")])
    assert user_version(target) == 1

    store = ChecklistStore()
    assert store.migrated_from == 1 and store.recovery_notice is None
    assert user_version(target) == schema.SCHEMA_VERSION
    state = store.run_state(store.resolve_run("0b5c5f7e"), rb)
    assert state.items[0].state == "done" and state.items[0].operator == "old"
    assert not state.changed_since_start
    store.set_operator("jd")  # the settings table came with v2
    assert store.get_operator() == "jd"
    store.close()


def test_current_schema_is_not_migrated_again():
    ChecklistStore().close()
    store = ChecklistStore()
    assert store.migrated_from is None
    store.close()


def test_a_locked_database_is_left_alone_and_nothing_is_claimed_saved(monkeypatch, rb):
    ChecklistStore().close()
    target = paths.checklist_db()
    before = target.read_bytes()
    monkeypatch.setattr(database_mod, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(target, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = ChecklistStore()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not store.persistent and store.moved_to is None
    assert "NOT saved" in (store.recovery_notice or "")
    assert target.read_bytes() == before
    assert not list(target.parent.glob("*.corrupt-*"))
    store.close()


def test_a_write_that_cannot_get_the_lock_raises_save_failed(monkeypatch, rb):
    monkeypatch.setattr(database_mod, "BUSY_TIMEOUT_MS", 200)
    store = ChecklistStore()
    run = store.start_run(rb, operator="jd")
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(SaveFailed, match="Not saved"):
            store.set_item(run.run_id, rb.items[0], "done", operator="jd")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.set_item(run.run_id, rb.items[0], "done", operator="jd")
    assert store.run_state(run.run_id, rb).resolved == 1
    store.close()


APP_DIR = Path(__file__).resolve().parents[3] / "app"

UNWRITABLE_SCRIPT = """
import sys
from runbook_viewer.core.checklist import ChecklistStore
store = ChecklistStore(sys.argv[1])
print(store.persistent, "NOT saved" in (store.recovery_notice or ""))
"""


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unwritable_state_folder_gives_an_in_memory_store(tmp_path, rb):
    """A read-only state folder: the store still opens (in memory) and says ticks are NOT
    saved. As root (CI) the check runs in a subprocess as the unprivileged user nobody."""
    import subprocess
    import sys
    import tempfile

    if os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            store = ChecklistStore(folder / "c.sqlite3")
        finally:
            folder.chmod(0o700)
        assert not store.persistent and "NOT saved" in store.recovery_notice
        run = store.start_run(rb, operator="jd")
        store.set_item(run.run_id, rb.items[0], "done", operator="jd")
        store.close()
        return
    base = Path(tempfile.mkdtemp(prefix="rv-ro-"))
    try:
        base.chmod(0o755)
        folder = base / "ro"
        folder.mkdir(mode=0o555)
        folder.chmod(0o555)  # owned by root: nobody cannot write here
        env = {"PATH": "/usr/bin:/bin", "HOME": str(base), "PYTHONPATH": str(APP_DIR)}
        out = subprocess.run([sys.executable, "-c", UNWRITABLE_SCRIPT,
                              str(folder / "c.sqlite3")], capture_output=True, text=True,
                             user=65534, group=65534, env=env, timeout=60, cwd=str(base))
        assert out.returncode == 0, out.stderr[-2000:]
        assert out.stdout.split() == ["False", "True"]
        assert not (folder / "c.sqlite3").exists()
    finally:
        import shutil

        shutil.rmtree(base, ignore_errors=True)


def test_two_connections_interleaved_lose_no_update(rb):
    one, two = ChecklistStore(), ChecklistStore()
    run = one.start_run(rb, operator="jd")
    for n in range(50):
        writer, name = (one, "one") if n % 2 == 0 else (two, "two")
        writer.set_item(run.run_id, rb.items[n % 4], "done" if n % 3 else "na", operator=name)
    two.add_note(run.run_id, rb.items[0].section_anchor, "from two", operator="two")
    for store in (one, two):
        timeline = store.timeline(run.run_id)
        assert len(timeline) == 52
        assert [e.operator for e in timeline[1:51]] == ["one", "two"] * 25
    last = {}
    for n in range(50):
        last[rb.items[n % 4].id] = "done" if n % 3 else "na"
    assert one.run_state(run.run_id, rb).states == last == two.run_state(run.run_id, rb).states
    one.close()
    two.close()


def test_state_path_that_cannot_exist_gives_an_in_memory_store(tmp_path, rb):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be", encoding="utf-8")
    store = ChecklistStore(blocker / "c.sqlite3")
    assert not store.persistent and store.path is None
    assert "NOT saved" in (store.recovery_notice or "")
    assert blocker.read_text(encoding="utf-8").startswith("a file")
    with pytest.raises(SaveFailed, match=r"Not saved: the checklist database .* cannot be used"):
        store.start_run(rb, operator="jd")
    store.close()
    window = ChecklistStore(blocker / "c.sqlite3", volatile_writes=True)  # the window's store
    run = window.start_run(rb, operator="jd")  # kept for this session, shown as NOT saved
    window.set_item(run.run_id, rb.items[0], "done", operator="jd")
    assert window.run_state(run.run_id, rb).resolved == 1 and not window.persistent
    window.close()


def test_database_broken_while_running_is_recovered_at_once_not_after_a_restart(rb):
    """The disk goes bad under a running app: the next read moves the file aside, salvages
    what it can, tells the operator (on_notice) and carries on — no "restart to recover"."""
    store = ChecklistStore()
    run = store.start_run(rb, operator="jd")
    store.close()  # checkpoint: every page is in the main file now
    store = ChecklistStore()
    heard: list[str] = []
    store.on_notice = heard.append
    target = paths.checklist_db()
    target.write_bytes(b"\x00" * 100 + os.urandom(target.stat().st_size))  # disk went bad
    assert store.runs() == []  # nothing of the garbage could be salvaged
    assert len(heard) == 1 and "moved aside" in heard[0] and store.moved_to is not None
    with pytest.raises(RunNotFound):
        store.set_item(run.run_id, rb.items[0], "done", operator="jd")
    again = store.start_run(rb, operator="jd")  # the store works on
    store.set_item(again.run_id, rb.items[0], "done", operator="jd")
    store.close()
    fresh = ChecklistStore()  # and a restart finds a healthy database
    assert fresh.recovery_notice is None and [r.run_id for r in fresh.runs()] == [again.run_id]
    fresh.close()
