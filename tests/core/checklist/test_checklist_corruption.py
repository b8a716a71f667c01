"""A seeded corpus of damaged checklist databases. For every one, opened as the app opens it:

* nothing raises — list, show, tick all work (never "stuck", never memory-only);
* what cannot be read is moved aside with its -wal/-shm (byte for byte what was there), the
  operator is told what was kept and where the old file is, and the readable runs and events
  are salvaged into the new database — nothing is invented;
* a second start is clean;
* when no notice was given, nothing was lost.

The corpus: 0 bytes, truncations, random byte runs (30 seeds), whole random pages, bit flips,
a damaged header, JSON columns that are not JSON or not UTF-8, and a damaged -wal."""

from __future__ import annotations

import random
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library

RUNS = 5
RUNBOOK = "# Drill\n\n## Procedure\n\n" + "".join(
    f"### Step {s}: Phase {s}\n\n" + "".join(f"- [ ] Action {s}.{i} on host-{i}\n"
                                            for i in range(1, 7)) + "\n" for s in range(1, 5))


def _build(folder: Path) -> Path:
    lib = folder / "lib"
    lib.mkdir()
    (lib / "drill.md").write_text(RUNBOOK, encoding="utf-8")
    rb = load_library(lib).get("drill.md")
    db = folder / "good.sqlite3"
    with ChecklistStore(db) as store:
        for n in range(RUNS):
            run = store.start_run(rb, operator=f"op{n}", incident=f"INC-{n}")
            for k, item in enumerate(rb.items):
                store.set_item(run.run_id, item, ("done", "na", "skipped")[k % 3],
                               operator=f"op{n}", reason="r" if k % 3 == 2 else None)
            store.add_note(run.run_id, rb.items[0].section_anchor, f"note {n}", f"op{n}")
    return db


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("corpus")
    db = _build(folder)
    return db, snapshot(db)


def snapshot(db: Path) -> dict:
    """{run id: {event uid: (kind, item, state)}} read straight from a healthy file."""
    with closing(sqlite3.connect(db)) as conn:
        out: dict = {r[0]: {} for r in conn.execute("SELECT run_id FROM runs")}
        for run_id, uid, kind, item, state in conn.execute(
                "SELECT run_id, uid, kind, item_id, state FROM events"):
            out[run_id][uid] = (kind, item, state)
    return out


def _chunk(data: bytearray, r: random.Random) -> None:
    at, n = r.randrange(len(data)), r.randint(1, 512)
    data[at:at + n] = r.randbytes(min(n, len(data) - at))


def _page(data: bytearray, r: random.Random) -> None:
    page = r.randrange(1, len(data) // 4096)
    data[page * 4096:(page + 1) * 4096] = r.randbytes(4096)


def _flips(data: bytearray, r: random.Random) -> None:
    for _ in range(20):
        at = r.randrange(len(data))
        data[at] ^= 1 << r.randrange(8)


def _replace_inside_json(data: bytearray, r: random.Random, garbage: bytes) -> None:
    spots = [i for i in range(len(data)) if data.startswith(b'"step_title"', i)]
    at = r.choice(spots)
    data[at:at + len(garbage)] = garbage


CORPUS = (
    [("zero bytes", 0, lambda d, r: d.clear())]
    + [("truncated", s, lambda d, r: d.__delitem__(slice(r.randrange(100, len(d)), None)))
       for s in range(5)]
    + [("random bytes", s, _chunk) for s in range(30)]
    + [("random page", s, _page) for s in range(10)]
    + [("bit flips", s, _flips) for s in range(10)]
    + [("header", 0, lambda d, r: d.__setitem__(slice(0, 100), r.randbytes(100)))]
    + [("json not json", s, lambda d, r: _replace_inside_json(d, r, b"}}}{{{")) for s in range(3)]
    + [("json not utf-8", s, lambda d, r: _replace_inside_json(d, r, b"\xff\xfe\xfd"))
       for s in range(3)]
)


def walk(store: ChecklistStore, rb) -> dict:
    """Everything the CLI and the window do with the store; returns what it shows."""
    seen = {}
    for run in store.runs():
        store.run_state(run.run_id, rb)
        seen[run.run_id] = {e.uid: (e.kind, e.item_id, e.state)
                            for e in store.timeline(run.run_id)}
    open_runs = [r for r in store.open_runs() if r.run_id in seen]
    if open_runs:  # a tick still works
        store.set_item(open_runs[0].run_id, rb.items[0], "pending", operator="after")
    return seen


@pytest.mark.parametrize(("kind", "seed", "damage"), CORPUS,
                         ids=[f"{k}-{s}" for k, s, _ in CORPUS])
def test_corrupted_database_is_detected_salvaged_and_never_stuck(tmp_path, good, kind, seed,
                                                                   damage):
    source, original = good
    rb = load_library(source.parent / "lib").get("drill.md")
    db = tmp_path / "state" / "checklists.sqlite3"
    db.parent.mkdir()
    data = bytearray(source.read_bytes())
    damage(data, random.Random(f"{kind}-{seed}"))
    db.write_bytes(bytes(data))

    store = ChecklistStore(db)
    heard: list[str] = [store.recovery_notice] if store.recovery_notice else []
    store.on_notice = heard.append
    seen = walk(store, rb)
    assert store.persistent, heard
    moved = store.moved_to
    store.close()

    if heard:
        assert moved is not None and moved.read_bytes() == bytes(data)  # kept as it was
        assert str(moved) in heard[0] and ("kept" in heard[0] or "nothing" in heard[0])
    for run_id, events in seen.items():  # nothing invented: every run and event was there
        assert run_id in original
        before = {uid: v for uid, v in events.items() if uid in original[run_id]}
        assert before == {uid: original[run_id][uid] for uid in before}
    if not heard:
        assert {r: set(e) for r, e in seen.items()} == {r: set(e) for r, e in original.items()}

    again = ChecklistStore(db)  # "restart": clean, and the salvage is all there
    assert again.recovery_notice is None and again.persistent
    assert set(walk(again, rb)) == set(seen)
    again.close()


def test_the_salvage_keeps_nearly_everything_a_small_damage_leaves(tmp_path, good):
    """Across the 30 random-byte seeds, the runs and events salvaged (figures)."""
    source, original = good
    total_events = sum(len(e) for e in original.values())
    kept_runs = kept_events = 0
    for seed in range(30):
        db = tmp_path / f"s{seed}" / "c.sqlite3"
        db.parent.mkdir()
        data = bytearray(source.read_bytes())
        _chunk(data, random.Random(f"random bytes-{seed}"))
        db.write_bytes(bytes(data))
        with ChecklistStore(db) as store:
            runs = store.runs()
            kept_runs += len(runs)
            kept_events += sum(len(store.timeline(r.run_id)) for r in runs)
    assert kept_runs >= 0.9 * 30 * RUNS
    assert kept_events >= 0.9 * 30 * total_events


def test_a_damaged_wal_loses_no_tick_that_was_reported_saved(tmp_path, good):
    """Each write is checkpointed into the main file: garbage in the -wal afterwards costs
    nothing (SQLite ignores -wal frames whose checksums fail)."""
    source, original = good
    rb = load_library(source.parent / "lib").get("drill.md")
    live = tmp_path / "live.sqlite3"
    shutil.copy(source, live)
    store = ChecklistStore(live)
    run_id = next(iter(original))
    store.set_item(run_id, rb.items[1], "pending", operator="last")
    copy = tmp_path / "copy"
    copy.mkdir()
    for side in ("", "-wal", "-shm"):
        if Path(f"{live}{side}").exists():
            shutil.copy(f"{live}{side}", copy / f"c.sqlite3{side}")
    store.close()
    wal = copy / "c.sqlite3-wal"
    data = bytearray(wal.read_bytes())
    data[32:] = random.Random(1).randbytes(len(data) - 32)
    wal.write_bytes(bytes(data))
    with ChecklistStore(copy / "c.sqlite3") as reopened:
        state = reopened.run_state(run_id, rb)
        assert state.by_id[rb.items[1].id].state == "pending"
        assert state.by_id[rb.items[1].id].operator == "last"


def test_a_truncated_file_keeps_the_runs_it_still_holds(tmp_path, good):
    """SQLite refuses every read of a file shorter than its header says; the salvage reads a
    copy padded to that size, so the pages that survived still count."""
    source, original = good
    db = tmp_path / "c.sqlite3"
    data = source.read_bytes()
    db.write_bytes(data[: len(data) * 2 // 3])
    with ChecklistStore(db) as store:
        assert store.moved_to is not None and "kept" in (store.recovery_notice or "")
        kept = {r.run_id for r in store.runs()}
    assert kept and kept <= set(original)
