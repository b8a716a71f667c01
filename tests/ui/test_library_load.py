"""The window loads a library on a thread: it shows how far it is, answers meanwhile, and is
given the library (with everything the panels need worked out) on the UI thread."""

from __future__ import annotations

import time

from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication

from runbook_viewer.core import loading
from runbook_viewer.ui.main_window import MainWindow

TEXT = ("# Alert {n}\n\n## Trigger Conditions\n\n- **HIGH** — alert{n} fires → "
        "[Step 1](#step-1-a)\n\n## Procedure\n\n### Step 1: A\n\n- [ ] check svc{n}\n")


def test_the_library_loads_on_a_thread_with_progress_and_the_window_answers(
        qtbot, make_window, tmp_path, monkeypatch):
    root = tmp_path / "lib"
    root.mkdir()
    for n in range(400):
        (root / f"alert{n:03d}.md").write_text(TEXT.format(n=n), encoding="utf-8")
    monkeypatch.setattr(loading, "PROGRESS_EVERY", 20)
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 10**9)  # this thread's own parse
    real_load = loading.load_all

    def slow_load_all(*args):  # each file a little slower, so the load takes a while
        progress = args[3]

        def report(done, total):
            time.sleep(0.003)
            progress(done, total)
        return real_load(*args[:3], report, *args[4:])

    monkeypatch.setattr(loading, "load_all", slow_load_all)
    import runbook_viewer.core.library as library_module
    monkeypatch.setattr(library_module, "load_all", slow_load_all)
    shown: list[tuple[int, bool]] = []
    real_show = MainWindow.show_load_progress

    def record(self, done, total):
        shown.append((done, QThread.currentThread() is QApplication.instance().thread()))
        real_show(self, done, total)

    monkeypatch.setattr(MainWindow, "show_load_progress", record)
    given: list[bool] = []
    real_set = MainWindow.set_library

    def set_library(self, *args, **kwargs):
        given.append(QThread.currentThread() is QApplication.instance().thread())
        real_set(self, *args, **kwargs)

    monkeypatch.setattr(MainWindow, "set_library", set_library)
    window = make_window(root, deferred=True, show=False)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    with qtbot.waitSignal(window.libraryReady, timeout=60000):
        window.show()
        qtbot.waitUntil(lambda: bool(shown), timeout=20000)
        text = window.loading_label.text()
    timer.stop()
    assert "of 400 files read" in text  # the page says how far the load is
    assert shown and all(on_ui for _done, on_ui in shown)  # drawn by the UI thread
    assert [d for d, _ui in shown] == sorted(d for d, _ui in shown)
    assert len(ticks) >= 10  # the event loop kept running while the files were read
    assert given == [True]  # handed over on the UI thread
    assert len(window.library.runbooks) == 400 and window.features
    assert "scenarios" in window.library.derived  # worked out on the loading thread
    window.close()


def test_closing_the_window_during_the_load_stops_it(qtbot, make_window, tmp_path, monkeypatch):
    root = tmp_path / "lib"
    root.mkdir()
    for n in range(200):
        (root / f"a{n}.md").write_text(TEXT.format(n=n), encoding="utf-8")
    monkeypatch.setattr(loading, "PROGRESS_EVERY", 1)
    window = make_window(root, deferred=True, show=False)
    ready = []
    window.libraryReady.connect(lambda: ready.append(True))
    window.show()
    qtbot.waitUntil(lambda: hasattr(window, "_loader"), timeout=20000)
    window.close()
    assert not window._loader.qthread.isRunning()
    qtbot.wait(200)
    assert not ready and window.library is None
