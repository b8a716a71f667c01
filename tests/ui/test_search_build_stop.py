"""Closing the window while the search index is being built: the build stops at its next
file (no ten-second hang, no thread destroyed while running) and the next open builds it."""

from __future__ import annotations

import time

from runbook_viewer.core.library import load_library
from runbook_viewer.core.search import SearchEngine
from runbook_viewer.ui.search_worker import SearchThread


def _library(root, files: int):
    root.mkdir()
    for n in range(files):
        (root / f"rb-{n:04d}.md").write_text(
            f"# Service {n} down\n\n## Procedure\n\n### Step 1: Check svc{n}\n\n"
            f"🔵 **OPERATIONAL**\n\n- [ ] Run `systemctl status svc{n}`\n")
    return load_library(root)


def test_stop_during_a_build_returns_at_once_and_keeps_nothing_half_made(qtbot, tmp_path,
                                                                         monkeypatch):
    from runbook_viewer.core.search import writer

    library = _library(tmp_path / "lib", 400)
    real = writer.IndexWriter._documents

    def slow(self, rb):  # at least 2 s of building: the stop always lands in the middle
        time.sleep(0.005)
        return real(self, rb)

    monkeypatch.setattr(writer.IndexWriter, "_documents", slow)
    engine = SearchEngine(library)
    thread = SearchThread(engine)
    seen: list[int] = []
    ready: list[str] = []
    thread.worker.indexReady.connect(ready.append)
    thread.worker.indexProgress.connect(lambda done, _total: seen.append(done))
    thread.build()
    qtbot.waitUntil(lambda: len(seen) > 0, timeout=20000)
    start = time.perf_counter()
    thread.stop()
    took = time.perf_counter() - start
    assert not thread.qthread.isRunning()
    assert took < 5, f"stop waited {took:.1f} s for the build"
    qtbot.wait(50)
    assert ready == []  # stopped, not "could not be built"
    assert max(seen) < 400
    engine.close()
    monkeypatch.setattr(writer.IndexWriter, "_documents", real)

    again = SearchEngine(library)  # the next open: a full, working index
    stats = again.ensure_index()
    assert stats.rebuilt and stats.sections == 400
    assert [h.path for h in again.search("svc123", limit=1)] == ["rb-0123.md"]
    again.close()
