"""Incident values and copied commands are events of the run: durable, derived in clock order,
exported, imported, printed and shown by `runs show` (issue 15)."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from runbook_viewer.core.checklist import (
    ChecklistError,
    ChecklistStore,
    ExchangeError,
    RunClosed,
    ValueNotAccepted,
    export_markdown,
    export_run,
    import_run,
)
from runbook_viewer.core.commands import commands_of
from runbook_viewer.core.library import load_library
from runbook_viewer.core.printing.checklist import run_document
from runbook_viewer.core.values import fill

RUNBOOK = """\
# Payments API restart

Version: 2.0

## Procedure

### Step 1: Find the pods

- [ ] List them with `kubectl -n <namespace> get pods -l app=<app>`

### Step 2: Restart

- [ ] Restart the deployment:

  ```console
  $ kubectl -n <namespace> rollout restart deploy/<app>
  deployment.apps/api restarted
  ```

**Verification:**

- Command to verify: `kubectl -n <namespace> rollout status deploy/<app>`
"""


@pytest.fixture
def rb(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "api.md").write_text(RUNBOOK, encoding="utf-8")
    return load_library(folder).get("api.md")


@pytest.fixture
def store(tmp_path):
    with ChecklistStore(tmp_path / "a.sqlite3") as s:
        s.set_operator("jd")
        yield s


def copy(store, run, rb, n, values=None):
    cmd = commands_of(rb)[n]
    state = store.run_state(run.run_id, rb)
    current = {k: v.value for k, v in state.values.items()} if values is None else values
    return store.record_copy(run.run_id, cmd, fill(cmd.text, cmd.placeholders, current), rb)


def test_values_are_events_latest_wins_and_survive_a_reset(store, rb):
    run = store.start_run(rb, incident="INC-9")
    store.set_value(run.run_id, "<namespace>", "payments")
    store.set_value(run.run_id, "app", "api", operator="ak")
    store.set_value(run.run_id, "{{ namespace }}", "payments-eu")
    store.reset_run(run.run_id)
    state = store.run_state(run.run_id, rb)
    assert {k: (v.value, v.operator) for k, v in state.values.items()} == {
        "namespace": ("payments-eu", "jd"), "app": ("api", "ak")}
    store.set_value(run.run_id, "app", None)  # cleared
    assert list(store.run_state(run.run_id, rb).values) == ["namespace"]
    kinds = [e.kind for e in store.timeline(run.run_id)]
    assert kinds.count("value") == 4
    assert store.timeline(run.run_id)[-1].describe() == "Incident value <app> cleared"


@pytest.mark.parametrize("value", ["a\nb", "x; reboot", "$(id)", "`id`", "a | b", "it's"])
def test_a_refused_value_writes_nothing(store, rb, value):
    run = store.start_run(rb)
    before = len(store.timeline(run.run_id))
    with pytest.raises(ValueNotAccepted, match="Not saved: the value for <namespace> is "
                       "refused"):
        store.set_value(run.run_id, "namespace", value)
    assert len(store.timeline(run.run_id)) == before
    assert store.run_state(run.run_id).values == {}


def test_names_are_checked_and_closed_runs_refuse(store, rb):
    run = store.start_run(rb)
    for bad in ("", "<>", "x" * 101, "a\x1bb"):
        with pytest.raises(ChecklistError):
            store.set_value(run.run_id, bad, "v")
    store.close_run(run.run_id)
    with pytest.raises(RunClosed):
        store.set_value(run.run_id, "namespace", "payments")


def test_a_copy_is_recorded_with_its_command_step_item_and_values(store, rb):
    run = store.start_run(rb, incident="INC-9")
    store.set_value(run.run_id, "namespace", "payments")
    ev = copy(store, run, rb, 1)  # the console block of Step 2
    assert ev.kind == "copy" and ev.operator == "jd" and ev.ts
    assert ev.item_id == rb.items[1].id and ev.step_anchor == "step-2-restart"
    assert ev.payload["command"] == "kubectl -n payments rollout restart deploy/<app>"
    assert ev.payload["unfilled"] == ["app"] and ev.payload["values"] == {
        "namespace": "payments"}
    assert ev.describe() == (
        "Copied command from Step 2: Restart › Restart the deployment:: kubectl -n payments "
        "rollout restart deploy/<app> — ⚠ copied with <app> not filled in")
    verify = copy(store, run, rb, 2, {"namespace": "payments", "app": "api v2"})
    assert verify.item_id is None and verify.step_anchor == "step-2-restart"
    assert verify.payload["command"] == ("kubectl -n payments rollout status deploy/'api v2'")
    assert "value of <app> quoted for the shell" in verify.describe()
    state = store.run_state(run.run_id, rb)
    assert [c.uid for c in state.copies] == [ev.uid, verify.uid]


def test_a_long_command_is_recorded_cut_with_its_length_and_hash(store, tmp_path):
    folder = tmp_path / "long"
    folder.mkdir()
    body = "\n".join(f"  echo line {n} " + "x" * 80 for n in range(200))
    (folder / "l.md").write_text(f"# L\n\n- [ ] Run\n\n  ```bash\n{body}\n  ```\n")
    rb = load_library(folder).get("l.md")
    run = store.start_run(rb)
    cmd = commands_of(rb)[0]
    ev = store.record_copy(run.run_id, cmd, fill(cmd.text, (), {}), rb)
    assert len(ev.payload["command"]) == 8000 and ev.payload["command_chars"] == len(cmd.text)
    assert len(ev.payload["command_sha256"]) == 64
    assert "(+" in ev.describe() and len(ev.describe()) < 300


def worked(store, rb):
    run = store.start_run(rb, incident="INC-9")
    store.set_value(run.run_id, "namespace", "payments")
    store.set_value(run.run_id, "app", "api")
    copy(store, run, rb, 0)
    return run


def test_values_and_copies_round_trip_through_export_and_import(store, rb, tmp_path):
    run = worked(store, rb)
    path = export_run(store, run.run_id, tmp_path / "handover.json", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format_version"] == 2
    assert [e["kind"] for e in data["events"]] == ["start", "value", "value", "copy"]
    with ChecklistStore(tmp_path / "b.sqlite3") as other:
        result = import_run(other, path)
        assert result.created and result.added == 4
        theirs = other.run_state(run.run_id, rb)
        assert {k: v.value for k, v in theirs.values.items()} == {"namespace": "payments",
                                                                   "app": "api"}
        assert theirs.copies[0].payload["command"] == "kubectl -n payments get pods -l app=api"
        assert import_run(other, path).added == 0  # idempotent


@pytest.mark.parametrize(("value", "message"), [
    ("a\nreboot", "line break"), ("x; reboot", "“;”"), ("$(id)", "“$(”"),
    (" padded ", "spaces around it"),
])
def test_an_import_with_a_refused_value_imports_nothing(store, rb, tmp_path, value, message):
    run = worked(store, rb)
    path = export_run(store, run.run_id, tmp_path / "handover.json", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["events"][1]["payload"]["value"] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    with ChecklistStore(tmp_path / "b.sqlite3") as other:
        with pytest.raises(ExchangeError, match=re.escape(message)):
            import_run(other, path)
        assert other.runs() == []


@pytest.mark.parametrize(("payload", "message"), [
    ({"value": "x"}, "without a valid placeholder name"),
    ({"name": "<a>", "value": "x"}, "without a valid placeholder name"),
    ({"name": "a", "value": 7}, "not text"),
])
def test_an_import_with_a_bad_value_event_is_refused(store, rb, tmp_path, payload, message):
    run = worked(store, rb)
    path = export_run(store, run.run_id, tmp_path / "handover.json", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["events"][1]["payload"] = payload
    path.write_text(json.dumps(data), encoding="utf-8")
    with ChecklistStore(tmp_path / "b.sqlite3") as other, pytest.raises(
            ExchangeError, match=message):
        import_run(other, path)


def test_a_copy_event_without_its_command_is_refused(store, rb, tmp_path):
    run = worked(store, rb)
    path = export_run(store, run.run_id, tmp_path / "handover.json", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["events"][3]["payload"]["command"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with ChecklistStore(tmp_path / "b.sqlite3") as other, pytest.raises(
            ExchangeError, match="without its text"):
        import_run(other, path)


def test_a_newer_format_is_refused_with_the_version(store, rb, tmp_path):
    run = worked(store, rb)
    path = export_run(store, run.run_id, tmp_path / "handover.json", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format_version"] = 3
    path.write_text(json.dumps(data), encoding="utf-8")
    with ChecklistStore(tmp_path / "b.sqlite3") as other, pytest.raises(
            ExchangeError, match="newer Runbook Viewer"):
        import_run(other, path)


def test_the_markdown_record_lists_values_and_copies(store, rb):
    run = worked(store, rb)
    text = export_markdown(store, run.run_id, rb)
    assert "## Incident values" in text
    assert re.search(r"\| `<namespace>` \| `payments` \| .* by jd \|", text)
    assert "Copied command from Step 1: Find the pods › List them with kubectl -n <namespace> " \
           "get pods -l app=<app>: kubectl -n payments get pods -l app=api" in text


def test_the_printed_run_has_values_in_its_commands(store, rb):
    run = worked(store, rb)
    state = store.run_state(run.run_id, rb)
    html = run_document(rb, state, store.timeline(run.run_id)).html
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "Incident values" in text and "<namespace>" in text
    assert "kubectl -n payments get pods -l app=api" in text
    assert "$ kubectl -n payments rollout restart deploy/api" in text
    assert "text-decoration:underline" in html and "Copied command" in text
    assert "copy:" not in html  # no links on paper


def test_values_and_copies_survive_damage_salvage(store, rb, tmp_path):
    """A damaged database is salvaged row by row: value and copy events are kept."""
    from runbook_viewer.core.checklist import salvage

    run = worked(store, rb)
    dump = salvage.read_file(store.path)
    kinds = sorted(e.kind for e in dump.events if e.run_id == run.run_id)
    assert kinds == ["copy", "start", "value", "value"] and dump.lost == 0
