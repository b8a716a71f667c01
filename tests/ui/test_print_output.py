"""Where a PDF goes: a full disk, /dev/full, a pseudo-file, standard output. Every failure is
reported with exit 1 and leaves neither a truncated PDF nor a temporary file; `-o -` writes
the PDF itself to standard output. Runs the real CLI in subprocesses (a file-size limit stands
in for a full disk)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runbook_viewer.core.safe_write import pdf_problem

APP_DIR = Path(__file__).resolve().parents[2] / "app"
RUNBOOK = "# Widget\n\n## Procedure\n\n" + "".join(
    f"### Step {n}: Phase {n}\n\n" + "".join(f"- [ ] Action {n}.{i} with some words\n"
                                            for i in range(12)) + "\n" for n in range(1, 9))

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX devices and rlimits")


@pytest.fixture
def lib_dir(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "widget.md").write_text(RUNBOOK, encoding="utf-8")
    return root


def rv(*args, cwd, limit_bytes=None):
    def full_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(APP_DIR)}
    return subprocess.run([sys.executable, "-m", "runbook_viewer", *args], capture_output=True,
                          env=env, cwd=cwd, timeout=120,
                          preexec_fn=full_disk if limit_bytes else None)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_full_disk_is_reported_and_the_old_file_kept(lib_dir, tmp_path):
    out = tmp_path / "widget.pdf"
    out.write_bytes(b"%PDF- the previous print")
    result = rv("print", "widget.md", "--library", str(lib_dir), "-o", str(out), cwd=tmp_path,
                limit_bytes=8000)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "cannot write" in err and "nothing was written" in err and "Traceback" not in err
    assert out.read_bytes() == b"%PDF- the previous print"
    assert leftovers(tmp_path) == []


def test_dev_full_is_reported(lib_dir, tmp_path):
    result = rv("print", "widget.md", "--library", str(lib_dir), "-o", "/dev/full",
                cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 1 and "No space left" in err and "page(s)" not in err
    assert Path("/dev/full").exists() and not Path("/dev/full").is_file()


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="no /proc")
def test_a_pseudo_file_is_refused(lib_dir, tmp_path):
    before = Path("/proc/version").read_text()
    result = rv("print", "widget.md", "--library", str(lib_dir), "-o", "/proc/version",
                cwd=tmp_path)
    assert result.returncode == 1 and b"cannot write /proc/version" in result.stderr
    assert Path("/proc/version").read_text() == before


def test_dash_writes_the_pdf_to_standard_output(lib_dir, tmp_path):
    result = rv("print", "widget.md", "--library", str(lib_dir), "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    pdf = tmp_path / "from-stdout.pdf"
    pdf.write_bytes(result.stdout)
    assert pdf_problem(pdf) is None
    assert b"page(s)" in result.stderr and b"page(s)" not in result.stdout
    assert not (tmp_path / "-").exists()


def test_a_good_print_is_complete_and_leaves_no_temporary_file(lib_dir, tmp_path):
    out = tmp_path / "widget.pdf"
    result = rv("print", "widget.md", "--library", str(lib_dir), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0 and pdf_problem(out) is None
    assert leftovers(tmp_path) == []


def test_every_truncation_of_a_pdf_is_detected(lib_dir, tmp_path):
    out = tmp_path / "widget.pdf"
    assert rv("print", "widget.md", "--library", str(lib_dir), "-o", str(out),
              cwd=tmp_path).returncode == 0
    data = out.read_bytes()
    cut = tmp_path / "cut.pdf"
    for size in (0, 5, 100, len(data) // 3, len(data) // 2, len(data) - 300, len(data) - 7):
        cut.write_bytes(data[:size])
        assert pdf_problem(cut) is not None, size


def test_run_export_to_dash_and_dev_full(tmp_path, isolated_home):
    from runbook_viewer.core.checklist import ChecklistStore
    from runbook_viewer.core.library import load_library

    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "widget.md").write_text(RUNBOOK, encoding="utf-8")
    with ChecklistStore() as store:
        run = store.start_run(load_library(lib).get("widget.md"), operator="jd")
    ok = rv("runs", "export", run.run_id[:8], "--format", "json", "-o", "-", cwd=tmp_path)
    assert ok.returncode == 0 and run.run_id.encode() in ok.stdout
    assert not (tmp_path / "-").exists()
    full = rv("runs", "export", run.run_id[:8], "-o", "/dev/full", cwd=tmp_path)
    assert full.returncode == 1 and b"No space left" in full.stderr
