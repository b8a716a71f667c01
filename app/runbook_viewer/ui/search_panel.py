"""Symptom search in the window: a field one keystroke away, results as you type.

Ctrl+K / Ctrl+L focus the field; typing in the library tree starts a search. Up/Down move in the
results, Enter opens the runbook at that section with the matched words highlighted, Esc goes
back to the field. Queries run on a worker thread (search_worker); stale results are dropped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from ..core.glyphs import font_safe
from ..core.palette import GLYPH, palette
from ..core.search import SearchEngine, SearchUnavailable, group_hits
from .search_worker import SearchThread
from .theme import is_dark

if TYPE_CHECKING:
    from .host import Host

HIT_ROLE = Qt.ItemDataRole.UserRole
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
FURTHER_ROLE = Qt.ItemDataRole.UserRole + 2  # a further section of the runbook above


def _text(value: str) -> str:
    return html.escape(font_safe(value))


def hit_html(hit, dark: bool = False) -> str:
    """A result as rich text. Every coloured piece carries its own background (badges,
    highlights), so it reads on any row colour, selected or not; plain text takes the row's."""
    pal = palette(dark)
    badges = "".join(
        f'<span style="background-color:{pal.badge[x][0]}; color:{pal.badge[x][1]};">'
        f"&nbsp;{GLYPH[x]} {x.upper()}&nbsp;</span> " for x in hit.labels if x in GLYPH)
    sev = f"<b>{html.escape(hit.severity)}</b> · " if hit.severity else ""
    snippet = hit.snippet_marked(
        f'<span style="background-color:{pal.mark}; color:{pal.mark_fg};">', "</span>", _text)
    return (f"<b>{_text(hit.title)}</b> › {_text(hit.section)}<br>"
            f"<small>{sev}{badges}</small><br><small>{snippet}</small>")


def further_html(hit) -> str:
    """A further section of the runbook above it: one indented line."""
    return f"<small>&nbsp;&nbsp;&nbsp;&nbsp;↳ {_text(hit.section)}</small>"


class HtmlDelegate(QStyledItemDelegate):
    """Draws a result's rich text (title, section, badges, highlighted snippet)."""

    def _doc(self, option, index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(HTML_ROLE) or "")
        doc.setTextWidth(max(option.rect.width(), 200))
        return doc

    def paint(self, painter, option, index):
        from PySide6.QtGui import QAbstractTextDocumentLayout

        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.save()
        painter.translate(option.rect.topLeft())
        doc = self._doc(option, index)  # kept: the layout dies with its document
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index):
        doc = self._doc(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 4)


class SearchPanel(QWidget):
    focus_action: QAction  # Go ▸ Search (attach)

    def __init__(self, window: Host, engine: SearchEngine | None, error: str | None = None):
        super().__init__()
        self.host = window
        self.hits: list = []
        self.suggested = ""
        self.shown_generation = 0
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.suggestion = QLabel()
        self.suggestion.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion.linkActivated.connect(self._use_suggestion)
        self.list = QListWidget()
        self.list.setItemDelegate(HtmlDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self.open_item)
        self.list.itemClicked.connect(self.open_item)
        self.list.setAccessibleName("Search results")
        self.status.setAccessibleName("Search status")
        self.suggestion.setAccessibleName("Search suggestion")
        col.addWidget(self.status)
        col.addWidget(self.suggestion)
        col.addWidget(self.list, 1)

        self.field = QLineEdit()
        self.field.setPlaceholderText("Search symptoms, alerts, errors…  (Ctrl+K)")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(240)
        self.field.setAccessibleName("Search symptoms, alerts and errors")
        self.field.textChanged.connect(self.on_text)
        self.field.returnPressed.connect(self.open_current)
        self.field.installEventFilter(self)
        self.list.installEventFilter(self)
        self.searcher: SearchThread | None = None
        if engine is None:
            self.field.setEnabled(False)
            self.field.setPlaceholderText("Search unavailable")
            self.status.setText(error or "Search is unavailable.")
        else:
            self.searcher = SearchThread(engine, self)
            w = self.searcher.worker
            w.results.connect(self.on_results)
            w.indexProgress.connect(self.on_progress)
            w.indexReady.connect(self.on_index_ready)
            self.status.setText("Preparing the search index…")
            self.searcher.build()

    # -- field and keys ------------------------------------------------------------------
    def focus_field(self, text: str | None = None) -> None:
        self.host.side_tabs.setCurrentWidget(self)
        self.field.setFocus()
        if text is not None:
            self.field.setText(text)  # typing in the tree starts a new search
        else:
            self.field.selectAll()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if obj is self.field and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._move(1 if key == Qt.Key.Key_Down else -1)
            return True
        if obj is self.list and key == Qt.Key.Key_Escape:
            self.field.setFocus()
            return True
        if obj is self.field and key == Qt.Key.Key_Escape:
            self.field.clear()
            return True
        return False

    def _move(self, delta: int) -> None:
        n = self.list.count()
        if n == 0:
            return
        row = max(0, min(n - 1, self.list.currentRow() + delta))
        self.list.setCurrentRow(row)
        self.list.scrollToItem(self.list.item(row))

    # -- queries -------------------------------------------------------------------------
    def on_text(self, text: str) -> None:
        self.host.side_tabs.setCurrentWidget(self)
        if self.searcher is None:
            return
        if not text.strip():
            self.searcher.query("")  # bumps the generation: pending results are now stale
            self._show([], "", "")
            return
        self.searcher.query(text)

    def on_results(self, generation: int, hits: list, suggestion: str, error: str) -> None:
        if self.searcher is None or generation != self.searcher.generation:
            return  # stale: the field has changed since
        self.shown_generation = generation
        self._show(hits, suggestion, error)

    def retheme(self, dark: bool) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if not item.data(FURTHER_ROLE):
                item.setData(HTML_ROLE, hit_html(item.data(HIT_ROLE), dark))

    def _show(self, hits, suggestion: str, error: str) -> None:
        # one result per runbook (its best section, snippet and badges), its further
        # sections as indented lines under it — each still opens with Enter
        groups = group_hits(hits)
        self.hits = [h for best, more in groups for h in (best, *more)]
        self.list.clear()
        dark = is_dark()
        for best, more in groups:
            for hit in (best, *more):
                item = QListWidgetItem()
                item.setData(HIT_ROLE, hit)
                item.setData(HTML_ROLE, hit_html(hit, dark) if hit is best else further_html(hit))
                item.setData(FURTHER_ROLE, hit is not best)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, font_safe(
                    f"{hit.title}, {hit.section}: {hit.snippet_text}" if hit is best else
                    f"also in {hit.title}: {hit.section}"))
                item.setToolTip(f"{hit.path}#{hit.anchor}")
                self.list.addItem(item)
        if hits:
            self.list.setCurrentRow(0)
        text = self.field.text().strip()
        if error:
            self.status.setText(f"Search failed: {error}")
        elif text:
            self.status.setText(f"{len(groups)} runbook(s), {len(hits)} section(s)" if hits
                                else "No matching section.")
        self.suggested = suggestion
        self.suggestion.setText(f'Did you mean <a href="s">{html.escape(suggestion)}</a>?'
                                if suggestion else "")

    def _use_suggestion(self, _link: str) -> None:
        if self.suggested:
            self.field.setText(self.suggested)

    def on_progress(self, done: int, total: int) -> None:
        self.status.setText(f"Indexing the library for search… {done}/{total}")
        self.host.statusBar().showMessage(f"Indexing for search: {done}/{total}")

    def on_index_ready(self, error: str) -> None:
        if error:
            self.status.setText(error)
            self.host.notice.show_notice(f"Search: {error}")
            return
        self.host.statusBar().showMessage("Search ready", 3000)
        engine = self.searcher.worker.engine if self.searcher is not None else None
        stats = engine.stats if engine is not None else None
        notes = [n for n in (engine.notice if engine else None,
                             *(stats.problems if stats else [])) if n]
        if notes:  # a temporary index, a file searched as one document: say so, once
            self.host.notice.show_notice("Search: " + "; ".join(notes))
        if not self.field.text().strip():
            self.status.setText("Type what you see: an alert name, an error message, a symptom.")

    # -- opening -------------------------------------------------------------------------
    def open_current(self) -> None:
        item = self.list.currentItem() or (self.list.item(0) if self.list.count() else None)
        if item is not None:
            self.open_item(item)

    def open_item(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        if hit is not None:
            self.host.open_runbook(hit.path, hit.anchor, terms=hit.terms or None)

    def shutdown(self) -> None:
        if self.searcher is not None:
            self.searcher.stop()


def attach(window: Host) -> SearchPanel:
    engine, error = None, None
    if window.library is not None:
        try:
            engine = SearchEngine(window.library)
        except SearchUnavailable as exc:
            error = str(exc)
            window.notice.show_notice(f"Search is unavailable: {exc}")
    panel = SearchPanel(window, engine, error)
    window.add_side_tab(panel, "Search")
    window.toolbar.addSeparator()
    window.toolbar.addWidget(panel.field)
    action = QAction("&Search", window.window())
    action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+L")])
    action.triggered.connect(lambda: panel.focus_field())
    window.add_go_action(action)
    panel.focus_action = action
    window.themeChanged.connect(panel.retheme)
    window.tree.typedText.connect(panel.focus_field)
    window.on_close.append(panel.shutdown)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(panel.shutdown)
    return panel
