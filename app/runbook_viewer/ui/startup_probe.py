"""Start-up timing for benchmarks/startup.py (inactive unless RUNBOOK_VIEWER_STARTUP_PROBE=1).

Prints ``STARTUP-PROBE <epoch seconds> shown`` when the window has painted its first frame
and the event loop is idle again (it would now react to input), then — for the app's main
window, which loads the library after that first frame — ``STARTUP-PROBE <epoch> ready`` when
the library's first runbook is painted and the loop is idle again, and quits. The benchmark
subtracts the moment it spawned the process, so interpreter start-up (and a one-file bundle's
unpacking) is included. The bare-PySide6 baseline uses this same probe. Only QtCore is
imported.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer

PREFIX = "STARTUP-PROBE"
TIMEOUT_MS = 30000  # report anyway (as a failure) rather than hang a benchmark


class _Probe(QObject):
    def __init__(self, app, window):
        super().__init__(window)
        self.app, self.window = app, window
        self.waiting = "shown"  # then "ready" (app window), then ""
        self.has_ready = hasattr(window, "libraryReady")
        if self.has_ready:
            window.libraryReady.connect(self._library_ready)
        self.ready_seen = False
        window.installEventFilter(self)
        QTimer.singleShot(TIMEOUT_MS, self._timeout)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.waiting == "shown":
            self.waiting = "shown-pending"
            QTimer.singleShot(0, self._shown)
        elif event.type() == QEvent.Type.Paint and self.waiting == "ready" and self.ready_seen:
            self.waiting = "ready-pending"
            QTimer.singleShot(0, self._ready)
        return False

    def _say(self, what: str) -> None:
        print(f"{PREFIX} {time.time():.6f} {what}", flush=True)

    def _shown(self) -> None:
        self._say("shown")
        if not self.has_ready:
            self._finish()
            return
        self.waiting = "ready"
        if self.ready_seen:  # the library came before this idle moment
            self.window.update()

    def _library_ready(self) -> None:
        self.ready_seen = True
        self.window.update()  # make sure the window paints its new content

    def _ready(self) -> None:
        self._say("ready")
        self._finish()

    def _finish(self) -> None:
        self.waiting = ""
        self.app.quit()

    def _timeout(self) -> None:
        if self.waiting:
            self._say("TIMEOUT")
            self.app.quit()


def install(app, window) -> None:
    """Call before ``window.show()``; quits ``app`` once the figures are printed."""
    window._startup_probe = _Probe(app, window)
