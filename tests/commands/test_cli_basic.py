"""The CLI's list/show/--version and headless behaviour, run as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def rv(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "runbook_viewer", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_version():
    out = rv("--version")
    assert out.returncode == 0 and out.stdout.startswith("runbook-viewer ")


def test_no_display_says_how_to_run_headless():
    out = rv()
    assert out.returncode == 2
    assert "no display" in out.stderr
    # started as `python -m runbook_viewer`, so that is what it tells the user to type
    assert "-m runbook_viewer search" in out.stderr
    assert "Traceback" not in out.stderr


def test_list_json_and_show(tmp_path):
    (tmp_path / "index.md").write_text("# Index\n\nLast Updated: 2026-11-01\n\n[a](a.md)\n")
    (tmp_path / "a.md").write_text("# Alpha\n\n## Procedure\n\n### Step 1: Go\n\n"
                                   "🔴 **CONSTITUTIONAL** — FR1\n\n- [ ] do `it`\n")
    out = rv("list", "--library", str(tmp_path), "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["path"] for r in rows] == ["index.md", "a.md"]
    assert rows[1]["labels"] == ["constitutional"] and rows[0]["last_updated"] == "2026-11-01"
    show = rv("show", "a.md", "--library", str(tmp_path))
    assert show.returncode == 0
    assert "ALPHA" in show.stdout and "[ ] do `it`" in show.stdout
    assert "CONSTITUTIONAL" in show.stdout


def test_bad_library_and_missing_runbook_are_clear(tmp_path):
    out = rv("list", "--library", str(tmp_path / "nope"))
    assert out.returncode == 1 and "does not exist" in out.stderr
    assert "Traceback" not in out.stderr
    (tmp_path / "a.md").write_text("# A\n")
    out = rv("show", "zzz.md", "--library", str(tmp_path))
    assert out.returncode == 1 and "no runbook" in out.stderr
    out = rv("show", "../../etc/passwd", "--library", str(tmp_path))
    assert out.returncode == 1 and "root:" not in out.stdout


def test_show_binary_file_says_why(tmp_path):
    (tmp_path / "bin.md").write_bytes(b"\x00\x01\x02binary")
    out = rv("show", "bin.md", "--library", str(tmp_path))
    assert out.returncode == 1 and "binary" in out.stdout
