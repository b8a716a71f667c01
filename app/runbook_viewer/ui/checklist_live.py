"""Keeping the checklist panel true to the database while the window is open.

* Another window on the same state folder (or a `runs import`) commits a tick: the panel polls
  ``store.changed()`` (SQLite's ``data_version``) every :data:`POLL_MS` and redraws, so both
  windows show each other's ticks live; a click made on a stale view is refused by the store
  (``set_item(expected=…)``), never written over the other's change.
* The database's files deleted or replaced, or the file found damaged: the store re-persists or
  recovers, and its notice is shown here (``store.on_notice``).
* Nothing can be saved (read-only state folder): the panel says so, and never "Saved ✓".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from ..core.checklist import ChecklistError, format_ts
from ..core.textsafe import safe_html

if TYPE_CHECKING:
    from .checklist_panel import ChecklistPanel

POLL_MS = 1000


def watch(panel: ChecklistPanel) -> QTimer:
    """Start watching the panel's store; returns the timer (owned by the panel)."""
    store, window = panel.store, panel.host

    def notice(text: str) -> None:
        window.notice.show_notice(text)
        QTimer.singleShot(0, panel.reload)

    store.on_notice = notice
    timer = QTimer(panel)
    timer.setInterval(POLL_MS)
    timer.timeout.connect(lambda: poll(panel))
    timer.start()
    return timer


def poll(panel: ChecklistPanel) -> None:
    """Redraw when another window or process changed the database."""
    try:
        changed = panel.store.changed()
    except ChecklistError:
        return
    if changed and panel.host.current_path:
        panel.reload()


def saved_label(store, ts: str) -> str:
    if store.persistent:
        return f"Saved ✓ {format_ts(ts)}"
    return f"⚠ NOT saved — kept in this window only ({format_ts(ts)})"


def unsaved_line(store, pal) -> list[str]:
    """The panel's line when nothing can be saved, naming why and where (else none)."""
    if store.persistent:
        return []
    return [f"<b style='color:{pal.warning}'>⚠ Nothing can be saved: "
            f"{safe_html(store.writable_reason or '')}. Ticks are kept in this window only.</b>"]
