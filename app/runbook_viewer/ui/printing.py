"""The Print menu: runbook, blank checklist, current run, whole library — print, preview, PDF.

Documents come from core (:mod:`runbook_viewer.core.printing`); pages are laid out and painted
by :mod:`runbook_viewer.qtprint` (QtPrintSupport only; no WebEngine, no network, no browser).
Dialogs go through small ``ask_*`` / ``show_*`` methods so tests can answer them without a
screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolButton

from ..core.printing.checklist import blank_checklist_document, run_document
from ..core.printing.document import PrintDocument, library_document, runbook_document
from ..qtprint.layout import PrintError, configure_printer, paint, write_pdf

if TYPE_CHECKING:
    from .host import Host

KINDS = {  # kind -> menu text
    "runbook": "Runbook",
    "blank": "Blank checklist",
    "run": "Current run",
    "library": "Whole library",
}
LETTER_TERRITORIES = {"UnitedStates", "Canada", "Mexico", "Philippines", "Chile", "Colombia",
                      "Venezuela", "Guatemala", "CostaRica", "Panama", "DominicanRepublic",
                      "PuertoRico", "ElSalvador"}


def default_page_size() -> str:
    """US Letter where it is the norm (by locale), else A4."""
    territory = QLocale().territory()
    return "Letter" if getattr(territory, "name", str(territory)) in LETTER_TERRITORIES else "A4"


class PrintFeature(QObject):
    def __init__(self, window: Host):
        super().__init__(window.window())
        self.host = window
        self.menu = QMenu("Print or e&xport", window.window())
        menus = getattr(window, "menus", None)
        if menus:  # File ▸ Print… (Ctrl+P) and File ▸ Print or export ▸ …
            menus["file"].insertMenu(window.file_print_separator, self.menu)
            window.print_action.triggered.connect(lambda: self.print_dialog("runbook"))
            window.print_action.setEnabled(True)
        else:
            window.menuBar().addMenu(self.menu)
        self.menu.aboutToShow.connect(self.update_actions)
        self.print_actions: dict[str, QAction] = {}
        self.pdf_actions: dict[str, QAction] = {}
        self.preview_actions: dict[str, QAction] = {}
        for kind, text in KINDS.items():
            self.print_actions[kind] = self._add(self.menu, f"Print {text.lower()}…",
                                                 lambda _=False, k=kind: self.print_dialog(k))
        if not menus:  # else Ctrl+P is File ▸ Print… (one action per shortcut)
            self.print_actions["runbook"].setShortcut(
                QKeySequence(QKeySequence.StandardKey.Print))
        self.menu.addSeparator()
        self.pdf_menu = self.menu.addMenu("Export PDF…")
        self.preview_menu = self.menu.addMenu("Print preview…")
        for kind, text in KINDS.items():
            self.pdf_actions[kind] = self._add(self.pdf_menu, f"{text}…",
                                               lambda _=False, k=kind: self.export_pdf(k))
            self.preview_actions[kind] = self._add(self.preview_menu, f"{text}…",
                                                   lambda _=False, k=kind: self.preview(k))
        self.pdf_menu.aboutToShow.connect(self.update_actions)
        self.preview_menu.aboutToShow.connect(self.update_actions)
        button = QToolButton()
        button.setText("Print")
        button.setToolTip("Print or export to PDF: runbook, blank checklist, run, library")
        button.setAccessibleName("Print or export")
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tool_button = button
        if getattr(window, "toolbar", None) is not None:
            window.toolbar.addWidget(button)
        self.preview_dialog: QPrintPreviewDialog | None = None
        self.update_actions()

    def _add(self, menu: QMenu, text: str, slot) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        return action

    # -- what can be printed -------------------------------------------------------------
    def runbook(self):
        lib, path = self.host.library, self.host.current_path
        return lib.get(path) if lib is not None and path else None

    def checklist(self):
        features = getattr(self.host, "features", {}) or {}
        return features.get("checklist_panel")

    def current_run(self):
        """The run open in the checklist panel for the runbook on screen, or None."""
        panel, rb = self.checklist(), self.runbook()
        run = getattr(panel, "run", None) if panel is not None else None
        if run is None or rb is None or run.runbook_path != rb.path:
            return None
        return run

    def available(self, kind: str) -> bool:
        if kind == "library":
            return self.host.library is not None and bool(self.host.library.runbooks)
        rb = self.runbook()
        if rb is None or rb.load_error:
            return False
        return self.current_run() is not None if kind == "run" else True

    def update_actions(self) -> None:
        for actions in (self.print_actions, self.pdf_actions, self.preview_actions):
            for kind, action in actions.items():
                action.setEnabled(self.available(kind))
        if getattr(self.host, "print_action", None) is not None:
            self.host.print_action.setEnabled(self.available("runbook"))

    def document(self, kind: str) -> PrintDocument:
        if kind == "library":
            if self.host.library is None:
                raise PrintError("no library is open")
            return library_document(self.host.library)
        rb = self.runbook()
        if rb is None:
            raise PrintError("no runbook is open")
        if kind == "runbook":
            return runbook_document(rb)
        if kind == "blank":
            return blank_checklist_document(rb)
        run, panel = self.current_run(), self.checklist()
        if run is None or panel is None:
            raise PrintError("no checklist run is open for this runbook")
        store = panel.store
        return run_document(rb, store.run_state(run, rb), store.timeline(run))

    # -- dialogs (overridable in tests) --------------------------------------------------
    def ask_save_path(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.host.window(), "Export PDF", suggested,
                                              "PDF files (*.pdf)")
        return path or None

    def ask_print(self, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, self.host.window())
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def show_preview(self, dialog: QPrintPreviewDialog) -> None:
        dialog.open()

    def tell(self, message: str) -> None:
        self.host.statusBar().showMessage(message, 15000)

    def fail(self, message: str) -> None:
        self.host.statusBar().showMessage(message, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, "Printing failed", message,
                          parent=self.host.window())
        box.open()

    # -- actions -------------------------------------------------------------------------
    def _suggested_name(self, kind: str) -> str:
        rb = self.runbook()
        stem = "runbook-library" if kind == "library" or rb is None else \
            Path(rb.path).stem + {"runbook": "", "blank": "-checklist", "run": "-run"}[kind]
        if kind == "run" and self.current_run() is not None:
            stem += f"-{self.current_run().short_id}"
        folder = Path.home() if Path.home().is_dir() else Path.cwd()
        return str(folder / f"{stem}.pdf")

    def _busy(self, work):
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        finally:
            QGuiApplication.restoreOverrideCursor()

    def export_pdf(self, kind: str, path: str | None = None) -> Path | None:
        path = path or self.ask_save_path(self._suggested_name(kind))
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            pages = self._busy(lambda: write_pdf(self.document(kind), path,
                                                 page_size=default_page_size()))
        except (PrintError, OSError) as exc:
            self.fail(f"Could not export the PDF: {exc}")
            return None
        self.tell(f"Saved {pages} page(s) to {path}")
        return Path(path)

    def _printer(self, kind: str) -> tuple[QPrinter, PrintDocument]:
        pdoc = self.document(kind)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        configure_printer(printer, default_page_size(), pdoc.title)
        return printer, pdoc

    def print_dialog(self, kind: str) -> int:
        try:
            printer, pdoc = self._printer(kind)
            if not self.ask_print(printer):
                return 0
            pages = self._busy(lambda: paint(pdoc, printer))
        except (PrintError, OSError) as exc:
            self.fail(f"Could not print: {exc}")
            return 0
        self.tell(f"Sent {pages} page(s) to {printer.printerName() or printer.outputFileName()}")
        return pages

    def preview(self, kind: str) -> QPrintPreviewDialog | None:
        try:
            printer, pdoc = self._printer(kind)
        except (PrintError, OSError) as exc:
            self.fail(f"Could not prepare the preview: {exc}")
            return None
        dialog = QPrintPreviewDialog(printer, self.host.window())
        dialog.setWindowTitle(f"Print preview — {pdoc.title}")

        def render(target: QPrinter) -> None:
            try:
                paint(pdoc, target)
            except PrintError as exc:
                self.fail(f"Could not render the preview: {exc}")

        dialog.paintRequested.connect(render)
        self.preview_dialog = dialog
        self.show_preview(dialog)
        return dialog


def attach(window: Host) -> PrintFeature:
    return PrintFeature(window)
