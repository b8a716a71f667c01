"""Export a run as Markdown / JSON, import it on another machine, merge it back."""

from __future__ import annotations

import dataclasses
import json

import pytest

from runbook_viewer.core.checklist import (
    ChecklistStore,
    ExchangeError,
    export_json,
    export_markdown,
    export_run,
    import_run,
)
from runbook_viewer.core.checklist.exchange import FORMAT_VERSION
from runbook_viewer.core.library import load_library

RUNBOOK = """\
# Redis failover

Version: 1.2

## Procedure

### Step 1: Check the master

- [ ] Ask sentinel for the master
- [ ] Ping the master

### Step 2: Verify the halt channel

🔴 **CONSTITUTIONAL** — FR18

- [ ] Read archon:halt on the new master
- [ ] Compare with halt_state
"""


def load(tmp_path, text=RUNBOOK):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir(exist_ok=True)
    (lib_dir / "redis.md").write_text(text, encoding="utf-8")
    return load_library(lib_dir).get("redis.md")


@pytest.fixture
def rb(tmp_path):
    return load(tmp_path)


@pytest.fixture
def worked(tmp_path, rb):
    """A store (machine A) with a run: a tick, a skip, a confirmed 🔴 skip, a note."""
    store = ChecklistStore(tmp_path / "a.sqlite3")
    run = store.start_run(rb, operator="jd", incident="INC-77", title="redis | failover")
    store.set_item(run.run_id, rb.items[0], "done", operator="jd")
    store.set_item(run.run_id, rb.items[1], "skipped", operator="jd", reason="no | route")
    store.set_item(run.run_id, rb.items[2], "skipped", operator="ak", reason="channel 2 gone",
                   confirm_constitutional=True)
    store.add_note(run.run_id, rb.items[0].section_anchor, "master is redis-02", operator="ak")
    yield store, run
    store.close()


def summary(store, run_id, rb=None):
    st = store.run_state(run_id, rb)
    return ([(i.item_id, i.state, i.ts, i.operator, i.reason) for i in st.items],
            {a: [(n.text, n.ts, n.operator) for n in ns] for a, ns in st.notes.items()},
            [(e.uid, e.kind, e.ts) for e in store.timeline(run_id)], st.closed_at)


def test_json_round_trip_to_another_machine(tmp_path, worked, rb):
    a, run = worked
    path = export_run(a, run.run_id, tmp_path / "handover.json", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    # a run without incident values or copied commands stays readable by release 0.1
    assert data["format_version"] == 1 < FORMAT_VERSION and len(data["events"]) == 5
    b = ChecklistStore(tmp_path / "b.sqlite3")
    result = import_run(b, path)
    assert result.created and (result.added, result.already) == (5, 0)
    # the same run, except where its library was on machine A: B never opens files
    # because an imported file says where they are
    assert b.get_run(run.run_id) == dataclasses.replace(a.get_run(run.run_id),
                                                        library_root="")
    assert summary(b, run.run_id, rb) == summary(a, run.run_id, rb)
    # the snapshot travelled too: state without the runbook file on machine B
    assert summary(b, run.run_id) == summary(a, run.run_id)
    b.close()


def test_import_is_idempotent(tmp_path, worked):
    a, run = worked
    path = export_run(a, run.run_id, tmp_path / "x.json", "json")
    b = ChecklistStore(tmp_path / "b.sqlite3")
    import_run(b, path)
    again = import_run(b, path)
    assert not again.created and (again.added, again.already) == (0, 5)
    assert len(b.timeline(run.run_id)) == 5
    assert (import_run(a, path).added, len(a.timeline(run.run_id))) == (0, 5)
    b.close()


def test_handover_and_back_merges_new_events(tmp_path, worked, rb):
    a, run = worked
    b = ChecklistStore(tmp_path / "b.sqlite3")
    import_run(b, export_run(a, run.run_id, tmp_path / "to-b.json", "json"))
    b.set_item(run.run_id, rb.items[1], "done", operator="night-shift")
    b.set_item(run.run_id, rb.items[3], "done", operator="night-shift")
    b.close_run(run.run_id, operator="night-shift")
    back = import_run(a, export_run(b, run.run_id, tmp_path / "to-a.json", "json"))
    assert not back.created and (back.added, back.already) == (3, 5)
    assert summary(a, run.run_id, rb) == summary(b, run.run_id, rb)
    state = a.run_state(run.run_id, rb)
    assert not state.is_open and a.get_run(run.run_id).closed_at == state.closed_at
    assert state.by_id[rb.items[1].id].operator == "night-shift"
    assert state.complete
    b.close()


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01garbage", "not JSON"),
    (b'{"format": "something-else"}', "not a Runbook Viewer checklist run export"),
    (json.dumps({"format": "runbook-viewer/checklist-run", "format_version": 99}).encode(),
     "newer Runbook Viewer"),
])
def test_bad_files_are_refused_clearly(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    store = ChecklistStore(tmp_path / "s.sqlite3")
    with pytest.raises(ExchangeError, match=message):
        import_run(store, bad)
    with pytest.raises(ExchangeError, match="Cannot read"):
        import_run(store, tmp_path / "missing.json")
    assert store.runs() == []
    store.close()


def test_damaged_event_rejects_the_whole_file(tmp_path, worked):
    a, run = worked
    data = json.loads(export_json(a, run.run_id))
    data["events"][2]["state"] = "exploded"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    b = ChecklistStore(tmp_path / "b.sqlite3")
    with pytest.raises(ExchangeError, match="event 3"):
        import_run(b, bad)
    assert b.runs() == []
    b.close()


def test_markdown_is_a_readable_incident_record(worked, rb):
    a, run = worked
    md = export_markdown(a, run.run_id, rb)
    assert md.startswith("# Checklist run: INC-77 — redis | failover\n")
    assert "| Title | redis \\| failover |" in md  # a pipe in a table cell is escaped
    for expected in ("| Runbook | Redis failover (`redis.md`) |", "| Incident | INC-77 |",
                     f"1.2 · sha256 `{rb.content_hash[:16]}`", "| Operators | jd, ak |",
                     "3 of 4 items resolved — 1 done, 0 not applicable, 2 skipped",
                     "no (run still open)",
                     "### Step 1: Check the master (2/2)",
                     "- [~] Ping the master — **skipped**", "reason: no | route",
                     "- [~] 🔴 Read archon:halt on the new master", "ak: master is redis-02",
                     "Holding at Step 2: Verify the halt channel, item 2 of 2."):
        assert expected in md, expected
    timeline = md.split("## Timeline", 1)[1].strip().splitlines()[2:]
    assert len(timeline) == 5
    assert "Run started (incident INC-77)" in timeline[0]
    assert "no \\| route" in timeline[2]  # table cells escape pipes
    assert "■ constitutional, confirmed" in timeline[3] and "| ak |" in timeline[3]
    assert "Note on Step 1: Check the master" in timeline[4]


def test_markdown_flags_a_changed_runbook_and_its_orphans(tmp_path, worked):
    a, run = worked
    edited = load(tmp_path, RUNBOOK.replace("- [ ] Ping the master\n", ""))
    md = export_markdown(a, run.run_id, edited)
    assert "The runbook changed after this run started" in md
    orphans = md.split("## Items no longer in the runbook", 1)[1].split("## Timeline")[0]
    assert "Ping the master — skipped" in orphans
    assert "changed after" not in export_markdown(a, run.run_id)


def test_export_writes_atomically(tmp_path, worked):
    a, run = worked
    out = tmp_path / "usb"
    out.mkdir()
    (out / "run.md").write_text("old", encoding="utf-8")
    export_run(a, run.run_id, out / "run.md", "md")
    assert sorted(p.name for p in out.iterdir()) == ["run.md"]  # no temp file left behind
    assert (out / "run.md").read_text(encoding="utf-8").startswith("# Checklist run")
    with pytest.raises(ExchangeError, match="Cannot write"):
        export_run(a, run.run_id, tmp_path / "no-such-dir" / "x.json", "json")
    with pytest.raises(ExchangeError, match="format"):
        export_run(a, run.run_id, out / "x.pdf", "pdf")
