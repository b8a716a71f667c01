"""Loading a library of real size: worker processes parse exactly what this process would, a
broken worker costs nothing, progress is reported, a load can be stopped, and the file limit
is said — on the command line and in the notice the window shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbook_viewer.cli import main
from runbook_viewer.core import library as library_module
from runbook_viewer.core import loading
from runbook_viewer.core.library import load_library, load_notice

TEXT = """---
title: Alert {n}
weight: {w}
---

# Alert {n}

## Trigger Conditions

- **CRITICAL** — alert{n} fires → [Step 1](#step-1-look)

## Procedure

### Step 1: Look

- [ ] Check `svc{n}` — see [next](alert{m}.md)
"""


@pytest.fixture
def many(tmp_path: Path) -> Path:
    root = tmp_path / "many"
    for n in range(60):
        folder = root / f"team{n % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"alert{n}.md").write_text(TEXT.format(n=n, w=n % 5, m=n + 3),
                                             encoding="utf-8")
    (root / "team0" / "bad.md").write_bytes(b"# Bad \xff\n")
    return root


def test_worker_processes_parse_exactly_what_this_process_would(many, monkeypatch):
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(loading, "CHUNK", 7)
    monkeypatch.setattr(loading, "workers", lambda: 2)
    used = []
    real = loading._in_workers
    monkeypatch.setattr(loading, "_in_workers",
                        lambda *a: used.append(a[2]) or real(*a))
    parallel = load_library(many, use_cache=False)
    assert used == [2]
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 10**9)
    sequential = load_library(many, use_cache=False)
    assert parallel.runbooks == sequential.runbooks  # every field of every model, in order
    assert [p.code for p in parallel.get("team0/bad.md").problems][:1] == ["encoding"]


def test_a_worker_that_breaks_down_costs_nothing(many, monkeypatch):
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(loading, "workers", lambda: 2)

    def broken(root, paths, count):
        def stream():
            for path in paths[:5]:
                yield library_module.load_runbook(root, path)
            raise RuntimeError("a worker was killed")
        return stream()

    monkeypatch.setattr(loading, "_in_workers", broken)
    lib = load_library(many, use_cache=False)
    assert len(lib.runbooks) == 61 and all(rb.items for rb in lib.runbooks if rb.title
                                           .startswith("Alert"))
    monkeypatch.setattr(loading, "_in_workers", lambda *a: None)  # cannot start at all
    assert len(load_library(many, use_cache=False).runbooks) == 61


def test_progress_is_reported_and_a_load_can_be_stopped(many, monkeypatch):
    monkeypatch.setattr(loading, "PROGRESS_EVERY", 10)
    seen: list[tuple[int, int]] = []
    load_library(many, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (61, 61) and [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert len(seen) >= 6

    def stop(done, total):
        if done >= 20:
            raise loading.LoadCancelled

    with pytest.raises(loading.LoadCancelled):
        load_library(many, progress=stop)


def test_the_file_limit_is_said_on_the_command_line_and_in_the_notice(many, monkeypatch,
                                                                       capsys):
    monkeypatch.setattr(library_module, "MAX_FILES", 25)
    lib = load_library(many)
    assert len(lib.runbooks) == 25
    notice = load_notice(lib)
    assert notice and "only the first 25" in notice and "more than 25" in notice
    assert main(["list", "--library", str(many)]) == 0
    assert "only the first 25" in capsys.readouterr().err


def test_a_worker_leaves_when_the_app_that_started_it_is_gone(tmp_path):
    """A crashed app must not leave parse workers behind (they wait for work for ever)."""
    import subprocess
    import sys
    import time

    script = tmp_path / "crash.py"
    script.write_text(
        "import os, sys\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "import multiprocessing\n"
        "from runbook_viewer.core.loading import _watch_parent\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('spawn'),\n"
        "                               initializer=_watch_parent, initargs=(os.getpid(),))\n"
        "    print(pool.submit(os.getpid).result(), flush=True)\n"
        "    os._exit(9)  # the app dies without shutting its pool down\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60)
    worker = int(out.stdout.split()[0])
    deadline = time.time() + 15
    while time.time() < deadline and Path(f"/proc/{worker}").exists():
        status = Path(f"/proc/{worker}/status").read_text() if Path(
            f"/proc/{worker}/status").exists() else ""
        if "State:\tZ" in status:
            break
        time.sleep(0.2)
    status = Path(f"/proc/{worker}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()
