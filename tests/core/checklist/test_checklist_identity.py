"""A runbook edited after a run started: ticks stay on their items when a step heading is
renamed or an item moves (matched by text), really removed items are orphans, and `runs list`
agrees with the window (both derive over the runbook as it is now)."""

from __future__ import annotations

import json

import pytest

from runbook_viewer import cli
from runbook_viewer.core.checklist import ChecklistStore
from runbook_viewer.core.library import load_library

BEFORE = """\
# Cache flush

## Procedure

### Step 1: Prepare

- [ ] Announce the flush
- [ ] Restart

### Step 2: b

- [ ] Drain the queue
- [ ] Flush redis
- [ ] Restart
"""


def load(folder, text):
    folder.mkdir(exist_ok=True)
    (folder / "cache.md").write_text(text, encoding="utf-8")
    return load_library(folder).get("cache.md")


@pytest.fixture
def started(tmp_path):
    """A run with every item of Step 2 done, and the library folder to edit."""
    folder = tmp_path / "lib"
    rb = load(folder, BEFORE)
    store = ChecklistStore()
    run = store.start_run(rb, operator="jd")
    for item in rb.items_in("step-2-b"):
        store.set_item(run.run_id, item, "done", operator="jd")
    yield store, run, folder
    store.close()


def states(store, run, rb):
    st = store.run_state(run.run_id, rb)
    return {i.text: i.state for i in st.items if i.step_anchor != "step-1-prepare"}, st


def test_renaming_the_step_heading_keeps_every_tick(started):
    store, run, folder = started
    rb = load(folder, BEFORE.replace("### Step 2: b", "### Step 2: Drain and flush"))
    assert {i.id for i in rb.items_in("step-2-drain-and-flush")}.isdisjoint(
        e.item_id for e in store.timeline(run.run_id))  # the ids did change
    by_text, st = states(store, run, rb)
    assert by_text == {"Drain the queue": "done", "Flush redis": "done", "Restart": "done"}
    assert st.orphans == [] and (st.resolved, st.total) == (3, 5)
    restart_1 = rb.items_in("step-1-prepare")[1]
    assert st.by_id[restart_1.id].state == "pending"  # the other "Restart" is another item


def test_a_tick_after_the_rename_wins_over_the_one_before(started):
    store, run, folder = started
    rb = load(folder, BEFORE.replace("### Step 2: b", "### Step 2: Drain and flush"))
    flush = next(i for i in rb.items if i.text == "Flush redis")
    store.set_item(run.run_id, flush, "pending", operator="jd")
    assert states(store, run, rb)[0]["Flush redis"] == "pending"
    store.set_item(run.run_id, flush, "na", operator="jd")
    assert states(store, run, rb)[0]["Flush redis"] == "na"


def test_an_item_moved_to_another_step_keeps_its_tick(started):
    store, run, folder = started
    moved = BEFORE.replace("- [ ] Flush redis\n", "").replace(
        "- [ ] Announce the flush\n", "- [ ] Announce the flush\n- [ ] Flush redis\n")
    rb = load(folder, moved)
    st = store.run_state(run.run_id, rb)
    flush = next(i for i in st.items if i.text == "Flush redis")
    assert flush.step_anchor == "step-1-prepare" and flush.state == "done"
    assert st.orphans == []


def test_removed_and_rewritten_items_are_orphans_never_dropped(started):
    store, run, folder = started
    rb = load(folder, BEFORE.replace("- [ ] Drain the queue\n", "").replace(
        "Flush redis", "Flush redis and memcached"))
    by_text, st = states(store, run, rb)
    assert by_text == {"Flush redis and memcached": "pending", "Restart": "done"}
    assert sorted((o.text, o.state) for o in st.orphans) == [("Drain the queue", "done"),
                                                             ("Flush redis", "done")]


def test_a_removed_step_does_not_hand_its_ticks_to_an_older_item(started):
    store, run, folder = started
    rb = load(folder, BEFORE.split("### Step 2")[0])
    st = store.run_state(run.run_id, rb)
    assert [i.state for i in st.items] == ["pending", "pending"]
    assert sorted(o.text for o in st.orphans) == ["Drain the queue", "Flush redis", "Restart"]


def test_duplicates_in_a_renamed_step_pair_up_in_order(tmp_path):
    text = "# D\n\n## Procedure\n\n### Step 1: Old\n\n- [ ] Check\n- [ ] Check\n- [ ] Check\n"
    folder = tmp_path / "lib"
    rb = load(folder, text)
    with ChecklistStore() as store:
        run = store.start_run(rb, operator="jd")
        store.set_item(run.run_id, rb.items[1], "done", operator="jd")
        new = load(folder, text.replace("Step 1: Old", "Step 1: New"))
        assert [i.state for i in store.run_state(run.run_id, new).items] == [
            "pending", "done", "pending"]


def test_runs_list_and_the_window_agree(started, capsys):
    store, run, folder = started
    rb = load(folder, BEFORE.replace("### Step 2: b", "### Step 2: Drain and flush")
              + "\n### Step 3: New\n\n- [ ] Added later\n")
    window = store.run_state(run.run_id, rb)  # what the checklist panel shows
    assert cli.main(["runs", "list", "--json", "--library", str(folder)]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert (row["resolved"], row["total"], row["complete"]) == (
        window.resolved, window.total, window.complete) == (3, 6, False)
    assert cli.main(["runs", "list", "--library", str(folder)]) == 0
    assert "3/6 " in capsys.readouterr().out
