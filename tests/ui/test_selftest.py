"""`runbook-viewer --self-test` from source: every stage real, failures named, never a traceback.

The same self-test run from the PyInstaller bundle is in tests/packaging/test_bundle.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from runbook_viewer import selftest

REPO = Path(__file__).resolve().parents[2]
STAGES = ("window", "library", "search", "open", "checklist", "print")


def headless_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No display, no Qt platform chosen, the user's state folders pointed into tmp_path."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "RUNBOOK_VIEWER_HOME")}
    for kind in ("STATE", "CACHE", "CONFIG", "DATA"):
        env[f"XDG_{kind}_HOME"] = str(tmp_path / "xdg" / kind.lower())
    env["PYTHONPATH"] = str(REPO / "app")
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "runbook_viewer", *args], env=env,
                          capture_output=True, text=True, timeout=180, check=False)


def write_library(folder: Path, with_items: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    items = "- [ ] Stop the frobnicator service\n- [ ] Start it again\n" if with_items else \
        "Restart the frobnicator service and watch its log.\n"
    (folder / "frob.md").write_text(
        "# Frobnicator Recovery\n\nLast Updated: 2026-01-05\nVersion: 2.1\n\n"
        "## Procedure\n\n### Step 1: Restart the frobnicator\n\n" + items, encoding="utf-8")
    return folder


def test_self_test_from_source_passes_every_stage_headless(tmp_path):
    proc = run_cli(["--self-test"], headless_env(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1].startswith(selftest.OK_LINE)
    for stage in STAGES:
        assert any(line.split()[:1] == [stage] for line in lines), (stage, proc.stdout)
    assert "offscreen platform" in proc.stdout  # it chose offscreen itself: no display
    assert "fonts embedded" in proc.stdout
    assert "skipped" not in proc.stdout  # the bundled library has checklist items
    assert "Traceback" not in proc.stderr
    # nothing was written to the user's own state, cache or config folders
    assert not (tmp_path / "xdg").exists() or not any((tmp_path / "xdg").rglob("*.*"))


def test_self_test_with_a_user_library(tmp_path):
    lib = write_library(tmp_path / "lib")
    proc = run_cli(["--self-test", "--library", str(lib)], headless_env(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 runbooks from" in proc.stdout and str(lib) in proc.stdout
    assert "top frob.md" in proc.stdout
    assert "index built in the cache" in proc.stdout  # no prebuilt index for a user library
    assert "'Stop the frobnicator service' done" in proc.stdout


def test_self_test_library_without_checklist_items_still_passes(tmp_path):
    lib = write_library(tmp_path / "lib", with_items=False)
    proc = run_cli(["--self-test", "--library", str(lib)], headless_env(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "skipped: no runbook in this library has checklist items" in proc.stdout


@pytest.mark.parametrize(("make", "stage", "words"), [
    (lambda tmp: tmp / "missing", "library", "does not exist"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "library", "no runbooks"),
])
def test_self_test_failure_names_the_stage_without_traceback(tmp_path, make, stage, words):
    proc = run_cli(["--self-test", "--library", str(make(tmp_path))], headless_env(tmp_path))
    assert proc.returncode == 1
    assert f"{selftest.FAILED_PREFIX} at stage '{stage}'" in proc.stderr
    assert words in proc.stderr
    assert selftest.OK_LINE not in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_unexpected_error_in_a_stage_is_reported_not_raised(qapp, monkeypatch, capsys,
                                                            tmp_path):
    def broken(self):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(selftest.SelfTest, "print_pdf", broken)
    code = selftest.run_self_test(str(write_library(tmp_path / "lib")))
    out = capsys.readouterr()
    assert code == 1
    assert "SELFTEST FAILED at stage 'print': RuntimeError: printer on fire" in out.err
    assert "checklist" in out.out and selftest.OK_LINE not in out.out


def test_query_comes_from_the_first_trigger_condition(bundled_library):
    from runbook_viewer.core.library import load_library

    lib = load_library(bundled_library)
    first = next(t for rb in lib.runbooks for t in rb.triggers)
    query = selftest.query_for(lib)
    assert query and all(word in first.text for word in query.split())
    assert "→" not in query
