"""Checklist store semantics: runs, item states, reasons, 🔴 confirmation, notes, progress,
placekeeping, reset/close, a runbook edited mid-run, append-only events."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from itertools import count

import pytest

from runbook_viewer.core import paths
from runbook_viewer.core.checklist import (
    AmbiguousRunId,
    ChecklistStore,
    ConfirmationRequired,
    InvalidState,
    OperatorRequired,
    ReasonRequired,
    RunClosed,
    RunNotFound,
    requirements,
)
from runbook_viewer.core.library import load_library
from runbook_viewer.core.model import Label

RUNBOOK = """\
# Redis failover

Last Updated: 2026-11-01
Version: 1.2
Owner: SRE

## Prerequisites

- [ ] Shell on redis-01

## Procedure

### Step 1: Check the master

🔵 **OPERATIONAL**

- [ ] Ask sentinel for the master
- [ ] Ping the master

### Step 2: Verify the halt channel

🔴 **CONSTITUTIONAL** — FR18

- [ ] Read archon:halt on the new master
- [ ] Compare with halt_state

### Step 3: Close out

- [ ] Unsilence alerts
"""

# the same runbook edited: "Ping the master" removed, a new item added to step 1
EDITED = RUNBOOK.replace("- [ ] Ping the master\n", "- [ ] Check the replication offset\n")


def load(tmp_path, text=RUNBOOK, name="redis.md"):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir(exist_ok=True)
    (lib_dir / name).write_text(text, encoding="utf-8")
    return load_library(lib_dir).get(name)


def ticking_clock():
    """A clock one second per call, so timestamps differ and order is checkable."""
    seconds = count()

    def now() -> str:
        s = next(seconds)
        return f"2026-11-27T03:{s // 60:02d}:{s % 60:02d}.000000Z"

    return now


@pytest.fixture
def rb(tmp_path):
    return load(tmp_path)


@pytest.fixture
def store():
    s = ChecklistStore(clock=ticking_clock())
    s.set_operator("jd")
    yield s
    s.close()


def items_by_text(rb):
    return {i.text: i for i in rb.items}


def test_store_lives_in_the_state_dir_and_starts_clean(isolated_home):
    s = ChecklistStore()
    assert s.path == paths.checklist_db()
    assert str(s.path).startswith(str(isolated_home))
    assert s.persistent and s.recovery_notice is None
    assert s.runs() == [] and s.get_operator() is None
    with closing(sqlite3.connect(s.path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    s.close()


def test_start_run_records_runbook_identity(store, rb):
    run = store.start_run(rb, incident=" INC-42 ", title="Failover at 3am")
    assert run.runbook_path == "redis.md" and run.runbook_title == "Redis failover"
    assert run.content_hash == rb.content_hash and run.runbook_version == "1.2"
    assert run.incident == "INC-42" and run.operator == "jd" and run.is_open
    assert run.library_root == str(rb.abs_path.parent)
    assert store.get_run(run.run_id) == run
    [start] = store.timeline(run.run_id)
    assert start.kind == "start" and start.payload["incident"] == "INC-42"


def test_several_runs_open_at_once_and_the_newest_is_active(store, rb):
    first = store.start_run(rb, incident="INC-1")
    second = store.start_run(rb, incident="INC-2")
    assert [r.run_id for r in store.open_runs("redis.md")] == [second.run_id, first.run_id]
    assert store.active_run("redis.md").run_id == second.run_id
    assert store.active_run("other.md") is None
    store.set_item(first.run_id, rb.items[0], "done")
    assert store.run_state(second.run_id, rb).resolved == 0


def test_every_state_change_records_time_and_operator(store, rb):
    run = store.start_run(rb)
    item = rb.items[1]
    ev = store.set_item(run.run_id, item, "done")
    later = store.set_item(run.run_id, item, "na", operator="ak")
    state = store.run_state(run.run_id, rb).by_id[item.id]
    assert (state.state, state.operator, state.ts) == ("na", "ak", later.ts)
    assert ev.ts < later.ts and ev.operator == "jd"
    store.set_item(run.run_id, item, "pending")
    assert store.run_state(run.run_id, rb).by_id[item.id].state == "pending"
    kinds = [(e.kind, e.state, e.operator) for e in store.timeline(run.run_id)]
    assert kinds[1:] == [("set", "done", "jd"), ("set", "na", "ak"), ("set", "pending", "jd")]


def test_skip_needs_a_reason_and_nothing_is_written_without_one(store, rb):
    run = store.start_run(rb)
    with pytest.raises(ReasonRequired):
        store.set_item(run.run_id, rb.items[1], "skipped")
    with pytest.raises(ReasonRequired):
        store.set_item(run.run_id, rb.items[1], "skipped", reason="   ")
    assert len(store.timeline(run.run_id)) == 1
    store.set_item(run.run_id, rb.items[1], "skipped", reason="sentinel down")
    st = store.run_state(run.run_id, rb).by_id[rb.items[1].id]
    assert (st.state, st.reason) == ("skipped", "sentinel down")


def test_constitutional_items_need_reason_and_confirmation(store, rb):
    run = store.start_run(rb)
    red = items_by_text(rb)["Read archon:halt on the new master"]
    assert red.label is Label.CONSTITUTIONAL
    for state in ("skipped", "na"):
        with pytest.raises(ReasonRequired):
            store.set_item(run.run_id, red, state, confirm_constitutional=True)
        with pytest.raises(ConfirmationRequired):
            store.set_item(run.run_id, red, state, reason="redis gone")
    assert len(store.timeline(run.run_id)) == 1
    ev = store.set_item(run.run_id, red, "skipped", reason="redis gone",
                        confirm_constitutional=True)
    assert ev.payload["confirmed_constitutional"] is True
    assert "confirmed" in ev.describe()
    store.set_item(run.run_id, red, "done")  # doing it needs nothing special
    # an operational item is skipped with a reason only
    blue = items_by_text(rb)["Ping the master"]
    store.set_item(run.run_id, blue, "skipped", reason="no route")


def test_requirements_tell_the_ui_what_to_ask_first(rb):
    red = items_by_text(rb)["Read archon:halt on the new master"]
    blue = items_by_text(rb)["Ping the master"]
    assert requirements(red, "skipped") == requirements(red, "na") == (True, True)
    assert requirements(red, "done") == requirements(blue, "na") == (False, False)
    assert requirements(blue, "skipped") == (True, False)


def test_ensure_run_continues_the_open_run_or_starts_one(store, rb):
    first = store.ensure_run(rb)
    assert store.ensure_run(rb).run_id == first.run_id
    store.close_run(first.run_id)
    second = store.ensure_run(rb)
    assert second.run_id != first.run_id and second.is_open


def test_unknown_state_and_missing_operator_are_refused(rb):
    s = ChecklistStore()
    with pytest.raises(OperatorRequired):
        s.start_run(rb)
    run = s.start_run(rb, operator="kp")
    with pytest.raises(InvalidState):
        s.set_item(run.run_id, rb.items[0], "finished", operator="kp")
    with pytest.raises(OperatorRequired):
        s.set_item(run.run_id, rb.items[0], "done")
    with pytest.raises(OperatorRequired):
        s.set_operator("  ")
    assert s.set_operator("  Kim  P ") == "Kim P"
    s.close()
    reopened = ChecklistStore()
    assert reopened.get_operator() == "Kim P"
    reopened.set_item(run.run_id, rb.items[0], "done")
    assert reopened.run_state(run.run_id, rb).items[0].operator == "Kim P"
    reopened.close()


def test_progress_placekeeping_and_complete(store, rb):
    run = store.start_run(rb)
    state = store.run_state(run.run_id, rb)
    assert state.current_item == rb.items[0].id and not state.complete
    assert [(s.title, s.total) for s in state.steps] == [
        ("Prerequisites", 1), ("Step 1: Check the master", 2),
        ("Step 2: Verify the halt channel", 2), ("Step 3: Close out", 1)]
    store.set_item(run.run_id, rb.items[0], "done")
    store.set_item(run.run_id, rb.items[2], "na")  # out of order: item 2 of step 1
    state = store.run_state(run.run_id, rb)
    assert state.current_item == rb.items[1].id
    assert str(state.holding) == "holding at Step 1: Check the master, item 1 of 2"
    assert str(state.step(rb.items[1].section_anchor)) == "1/2"
    for item in rb.items[1:]:
        store.set_item(run.run_id, item, "done")
    state = store.run_state(run.run_id, rb)
    assert state.complete and state.current_item is None and state.holding is None
    assert all(s.complete for s in state.steps)
    store.set_item(run.run_id, rb.items[-1], "pending")
    state = store.run_state(run.run_id, rb)
    assert not state.complete and state.current_item == rb.items[-1].id


def test_notes_attach_to_steps_and_survive_reset(store, rb):
    run = store.start_run(rb)
    step = rb.items[1].section_anchor
    store.add_note(run.run_id, step, "sentinel answered after 40 s")
    store.add_note(run.run_id, step, "second note", operator="ak")
    with pytest.raises(Exception, match="needs some text"):
        store.add_note(run.run_id, step, "  ")
    store.set_item(run.run_id, rb.items[0], "done")
    reset = store.reset_run(run.run_id, reason="wrong host")
    state = store.run_state(run.run_id, rb)
    assert [(n.text, n.operator) for n in state.notes[step]] == [
        ("sentinel answered after 40 s", "jd"), ("second note", "ak")]
    assert state.resolved == 0 and state.last_reset == reset.ts
    kinds = [e.kind for e in store.timeline(run.run_id)]
    assert kinds == ["start", "note", "note", "set", "reset"]  # history kept
    assert "Step 1: Check the master" in store.timeline(run.run_id)[1].describe()


def test_closed_runs_refuse_changes_until_reopened(store, rb):
    run = store.start_run(rb)
    store.close_run(run.run_id, reason="resolved")
    assert store.open_runs() == [] and [r.run_id for r in store.past_runs()] == [run.run_id]
    assert not store.run_state(run.run_id, rb).is_open
    with pytest.raises(RunClosed):
        store.set_item(run.run_id, rb.items[0], "done")
    with pytest.raises(RunClosed):
        store.add_note(run.run_id, "prerequisites", "late")
    store.reopen_run(run.run_id)
    store.set_item(run.run_id, rb.items[0], "done")
    assert store.get_run(run.run_id).is_open


def test_runbook_changed_mid_run_keeps_ticks_by_id_and_lists_orphans(store, tmp_path):
    rb = load(tmp_path)
    run = store.start_run(rb)
    old = items_by_text(rb)
    store.set_item(run.run_id, old["Ask sentinel for the master"], "done")
    store.set_item(run.run_id, old["Ping the master"], "skipped", reason="no route")
    edited = load(tmp_path, EDITED)
    assert edited.content_hash != rb.content_hash
    state = store.run_state(run.run_id, edited)
    assert state.changed_since_start
    new = {i.text: i for i in state.items}
    assert new["Ask sentinel for the master"].state == "done"  # same stable id
    assert new["Check the replication offset"].state == "pending"
    assert "Ping the master" not in new
    [orphan] = state.orphans
    assert (orphan.text, orphan.state, orphan.reason) == ("Ping the master", "skipped",
                                                         "no route")
    # without the current runbook: the snapshot taken at start, nothing changed, no orphans
    snap = store.run_state(run.run_id)
    assert not snap.changed_since_start and snap.orphans == []
    assert [i.text for i in snap.items] == [i.text for i in rb.items]
    assert not store.run_state(run.run_id, rb).changed_since_start


def test_ticks_by_id_use_the_start_snapshot(store, rb):
    run = store.start_run(rb)
    red = items_by_text(rb)["Compare with halt_state"]
    with pytest.raises(ConfirmationRequired):
        store.set_item(run.run_id, red.id, "skipped", reason="x")
    store.set_item(run.run_id, red.id, "done")
    assert store.run_state(run.run_id).by_id[red.id].state == "done"
    with pytest.raises(Exception, match="not in this run"):
        store.set_item(run.run_id, "0123456789ab", "done")


def test_run_id_prefixes(store, rb):
    run = store.start_run(rb)
    assert store.resolve_run(run.run_id[:6]).run_id == run.run_id
    assert store.resolve_run(run.run_id.upper()).run_id == run.run_id
    with pytest.raises(RunNotFound):
        store.resolve_run("ffffffffffff-nope")
    with pytest.raises(RunNotFound, match="No run id given"):
        store.resolve_run("  ")
    twin = store.get_run(run.run_id)
    for suffix in ("1", "2"):
        store.merge_run(replace(twin, run_id="abcd0000-0000-4000-8000-00000000000" + suffix), [])
    with pytest.raises(AmbiguousRunId):
        store.resolve_run("abcd")


def test_a_run_is_resolved_once_and_then_handed_on(store, rb, monkeypatch):
    run = store.start_run(rb)
    with pytest.raises(RunNotFound):  # the other methods never take a prefix
        store.run_state(run.run_id[:6])
    with pytest.raises(RunNotFound):
        store.get_run(run.run_id[:6])
    resolved = store.resolve_run(run.run_id[:6])
    looked_up: list[str] = []
    real = store.get_run
    monkeypatch.setattr(store, "get_run", lambda run_id: looked_up.append(run_id) or real(run_id))
    store.set_item(resolved, rb.items[0], "done")
    store.add_note(resolved, rb.items[0].section_anchor, "a note")
    assert store.run_state(resolved, rb).by_id[rb.items[0].id].state == "done"
    assert len(store.timeline(resolved)) == 3
    store.close_run(resolved)
    assert looked_up == []  # handed a Run: no method looked it up again
    assert store.run_state(run.run_id).closed_at is not None  # a full id is looked up
    assert looked_up == [run.run_id]


def test_events_table_refuses_update_and_delete(store, rb):
    run = store.start_run(rb)
    store.set_item(run.run_id, rb.items[0], "done")
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE events SET state = 'pending'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events")
    conn.close()
    assert store.run_state(run.run_id, rb).items[0].state == "done"


def test_state_survives_reopening_the_store(rb):
    s = ChecklistStore()
    run = s.start_run(rb, operator="jd", incident="INC-9")
    for item in rb.items[:3]:
        s.set_item(run.run_id, item, "done", operator="jd")
    s.close()
    again = ChecklistStore()
    state = again.run_state(again.active_run("redis.md").run_id, rb)
    assert state.resolved == 3 and state.current_item == rb.items[3].id
    assert str(state.holding) == "holding at Step 2: Verify the halt channel, item 1 of 2"
    again.close()


def test_bundled_runbooks_can_be_worked_to_completion(bundled_library, store):
    lib = load_library(bundled_library)
    worked = [rb for rb in lib.runbooks if rb.items and not rb.load_error]
    assert len(worked) >= 10, [rb.path for rb in worked]  # the bundled runbooks have checklists
    for rb in worked:
        assert len({i.id for i in rb.items}) == len(rb.items), rb.path
        run = store.start_run(rb)
        for item in rb.items:
            if item.label is Label.CONSTITUTIONAL:
                store.set_item(run.run_id, item, "na", reason="drill",
                               confirm_constitutional=True)
            else:
                store.set_item(run.run_id, item, "done")
        state = store.run_state(run.run_id, rb)
        assert state.complete and state.resolved == len(rb.items), rb.path
