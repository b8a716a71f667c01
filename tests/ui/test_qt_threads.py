"""Guard for the PySide6 pin: Python code on a worker thread while the GUI thread calls
processEvents() must not corrupt reference counts (PySide6 6.12.0 aborts with none_dealloc)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import threading
from PySide6.QtWidgets import QApplication
app = QApplication([])
done = []
def work():
    x = 0
    for _ in range(2_000_000):
        y = None
        x += 1
    done.append(x)
threading.Thread(target=work).start()
while not done:
    app.processEvents()
print("survived", done[0])
"""


def test_worker_thread_and_process_events_coexist():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "survived 2000000" in out.stdout


def test_void_qt_calls_keep_none_refcount(qapp):
    """PySide6 6.12.0 drops a reference to None on every void method call (Python 3.11 then
    aborts after ~10,000 calls). The pin below 6.12 keeps this balanced."""
    import gc
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.setEnabled(True)
    gc.collect()
    assert abs(sys.getrefcount(None) - before) < 50
