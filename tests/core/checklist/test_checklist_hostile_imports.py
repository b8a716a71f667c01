"""Hostile or damaged handover files: every one is refused with a sentence naming the problem,
nothing is written, and the store keeps working (`runs list`, `runs tick`). Each case is one
found by the adversarial pass of issue 13."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from runbook_viewer import cli
from runbook_viewer.core.checklist import (
    ChecklistStore,
    ExchangeError,
    export_json,
    import_run,
    importcheck,
)
from runbook_viewer.core.library import load_library

RUNBOOK = "# Drill\n\n## Procedure\n\n### Step 1: Look\n\n- [ ] df -h\n- [ ] du -sh /var\n"


@pytest.fixture
def lib(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "drill.md").write_text(RUNBOOK, encoding="utf-8")
    return folder


@pytest.fixture
def export(tmp_path, lib):
    """A valid export (machine A) as a dict, and machine B's empty store."""
    rb = load_library(lib).get("drill.md")
    with ChecklistStore(tmp_path / "a.sqlite3") as a:
        run = a.start_run(rb, operator="jd", incident="INC-9")
        a.set_item(run.run_id, rb.items[0], "done", operator="jd")
        data = json.loads(export_json(a, run.run_id))
    return data


@pytest.fixture
def store():
    with ChecklistStore() as s:
        yield s


def refused(store, tmp_path, content, message):
    path = tmp_path / "handover.json"
    path.write_bytes(content if isinstance(content, bytes) else
                     json.dumps(content).encode("utf-8"))
    with pytest.raises(ExchangeError, match=message):
        import_run(store, path)
    assert store.runs() == []  # nothing was written
    with closing(sqlite3.connect(store.path)) as raw:
        assert raw.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_a_snapshot_of_the_wrong_shape_is_refused(store, tmp_path, export):
    export["run"]["snapshot"] = {"steps": [None, 3, "x"]}
    refused(store, tmp_path, export, "snapshot step 1 is not an object")


def test_deep_nesting_is_refused_without_recursion_error(store, tmp_path):
    refused(store, tmp_path, b"[" * 100_000, "nested too deeply|not JSON")
    refused(store, tmp_path, b'{"a":' * 5000 + b"1" + b"}" * 5000, "nested")


def test_a_lone_surrogate_is_refused(store, tmp_path, export):
    text = json.dumps(export).replace('"operator": "jd"', '"operator": "j\\ud800d"', 1)
    refused(store, tmp_path, text.encode("utf-8"), "not valid Unicode")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_at_once(store):
    with pytest.raises(ExchangeError, match="is a device"):
        import_run(store, "/dev/zero")


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_blocking(store, tmp_path):
    fifo = tmp_path / "handover.json"
    os.mkfifo(fifo)

    def expired(signum, frame):
        raise TimeoutError("import blocked on a FIFO")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    try:
        with pytest.raises(ExchangeError, match="named pipe"):
            import_run(store, fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_file_over_the_size_limit_is_refused(store, tmp_path, export, monkeypatch):
    monkeypatch.setattr(importcheck, "MAX_IMPORT_BYTES", 1000)
    refused(store, tmp_path, json.dumps(export).encode() + b" " * 2000, "too large")


def test_duplicate_uids_in_the_file_are_refused(store, tmp_path, export):
    export["events"].append(dict(export["events"][1]))
    refused(store, tmp_path, export, "events 2 and 3 have the same uid")


def test_an_event_uid_of_another_run_is_refused(store, tmp_path, export, lib):
    rb = load_library(lib).get("drill.md")
    mine = store.start_run(rb, operator="me")
    theirs = export["events"][1]["uid"]
    export["events"][1]["uid"] = store.timeline(mine.run_id)[0].uid
    path = tmp_path / "x.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    with pytest.raises(ExchangeError, match="already belongs to another run"):
        import_run(store, path)
    assert [r.run_id for r in store.runs()] == [mine.run_id]
    export["events"][1]["uid"] = theirs
    path.write_text(json.dumps(export), encoding="utf-8")
    assert import_run(store, path).added == 2  # the honest file imports


def test_an_edited_event_with_a_known_uid_is_refused(store, tmp_path, export):
    path = tmp_path / "x.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    import_run(store, path)
    export["events"][1]["state"] = "na"
    path.write_text(json.dumps(export), encoding="utf-8")
    with pytest.raises(ExchangeError, match="differs from the event"):
        import_run(store, path)
    assert store.timeline(export["run"]["run_id"])[1].state == "done"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("runbook_path", "../../etc/passwd.md", "library-relative"),
    ("runbook_path", "/etc/x.md", "library-relative"),
    ("runbook_path", "passwd", "library-relative"),
    ("operator", "x" * 1000, "longer than 100"),
    ("operator", 7, "not text"),
    ("started_at", "yesterday", "not a timestamp"),
    ("run_id", "not-a-uuid", "not a UUID"),
])
def test_bad_run_fields_are_refused(store, tmp_path, export, field, value, message):
    export["run"][field] = value
    refused(store, tmp_path, export, message)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("payload", [1, 2], "payload is not an object"),
    ("payload", {"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}, "nested too deeply"),
    ("uid", "a b\x1b[2J", "invalid uid"),
    ("hlc", "tomorrow", "invalid clock value"),
    ("kind", "launch-missiles", "unknown kind"),
    ("note", "n" * 20_000, "longer than"),
])
def test_bad_event_fields_are_refused(store, tmp_path, export, field, value, message):
    export["events"][1][field] = value
    refused(store, tmp_path, export, message)


def test_an_imported_run_never_opens_files_where_the_file_says(capsys, tmp_path, export, lib):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "drill.md").write_text("# SECRET outside the library\n\n- [ ] df -h\n",
                                      encoding="utf-8")
    export["run"]["library_root"] = str(outside)
    path = tmp_path / "x.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    assert cli.main(["runs", "import", str(path)]) == 0
    run_id = export["run"]["run_id"]
    assert cli.main(["runs", "show", run_id[:8]]) == 0
    assert "SECRET" not in capsys.readouterr().out
    assert cli.main(["runs", "show", run_id[:8], "--library", str(lib)]) == 0
    assert "df -h" in capsys.readouterr().out


def test_a_store_that_already_holds_a_bad_snapshot_keeps_working(capsys, lib):
    """A database written by release 0.1, which imported such a file: list, show and tick."""
    rb = load_library(lib).get("drill.md")
    with ChecklistStore() as s:
        run = s.start_run(rb, operator="jd")
        path = s.path
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("UPDATE runs SET snapshot = ? WHERE run_id = ?",
                    ('{"steps": [null, 3, "x", {"items": [null, {"id": 5}]}]}', run.run_id))
        raw.commit()
    for argv in (["runs", "list"], ["runs", "show", run.run_id[:8]],
                 ["runs", "tick", run.run_id[:8], "next", "--library", str(lib),
                  "--operator", "jd"]):
        code = cli.main(argv)
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "Traceback" not in out + err


@pytest.mark.parametrize("content", [b"[" * 100_000, b"\x00" * 10])
def test_the_cli_refuses_with_one_line_and_exit_1(capsys, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert cli.main(["runs", "import", str(path)]) == 1
    _out, err = capsys.readouterr()
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert cli.main(["runs", "list"]) == 0
