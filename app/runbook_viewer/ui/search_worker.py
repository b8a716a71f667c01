"""Runs the search engine off the UI thread; stale queries are skipped and their results dropped.

The UI sends (generation, text); the worker answers (generation, hits, suggestion, error). Only
the newest generation is ever run or shown, so typing fast never queues work behind the field.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..core.search import IndexBuildStopped, SearchEngine


class SearchWorker(QObject):
    indexProgress = Signal(int, int)
    indexReady = Signal(str)  # "" when ready, else an error message
    results = Signal(int, list, str, str)  # generation, hits, suggestion, error

    def __init__(self, engine: SearchEngine):
        super().__init__()
        self.engine = engine
        self.latest = 0
        self.lock = threading.Lock()
        self.stopping = False  # set from the UI thread when the window closes

    def _progress(self, done: int, total: int) -> None:
        if self.stopping:
            raise IndexBuildStopped
        self.indexProgress.emit(done, total)

    @Slot()
    def build_index(self) -> None:
        try:
            self.engine.ensure_index(self._progress)
        except IndexBuildStopped:
            return  # closing: the next open builds it
        except Exception as exc:
            self.indexReady.emit(f"the search index could not be built: {exc}")
            return
        self.indexReady.emit("")

    @Slot(int, str)
    def run_query(self, generation: int, text: str) -> None:
        with self.lock:
            if generation != self.latest:
                return  # a newer keystroke is already waiting: skip this one
        try:
            hits = self.engine.search(text, limit=30)
            suggestion = self.engine.suggest(text) if len(hits) < 3 else None
            error = ""
        except Exception as exc:
            hits, suggestion, error = [], None, str(exc)
        self.results.emit(generation, hits, suggestion or "", error)


class SearchThread(QObject):
    """Owns the worker's thread; `query(text)` returns the generation it was given."""

    requested = Signal(int, str)
    buildRequested = Signal()

    def __init__(self, engine: SearchEngine, parent=None):
        super().__init__(parent)
        self.qthread = QThread()
        self.qthread.setObjectName("search")
        self.worker = SearchWorker(engine)
        self.worker.moveToThread(self.qthread)
        self.requested.connect(self.worker.run_query)
        self.buildRequested.connect(self.worker.build_index)
        self.qthread.start()
        self.generation = 0

    def build(self) -> None:
        self.buildRequested.emit()

    def query(self, text: str) -> int:
        self.generation += 1
        with self.worker.lock:
            self.worker.latest = self.generation
        self.requested.emit(self.generation, text)
        return self.generation

    def stop(self) -> None:
        self.worker.stopping = True  # a build in progress stops at its next file
        if self.qthread.isRunning():
            self.qthread.quit()
            self.qthread.wait(10000)
