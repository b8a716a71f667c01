"""`runbook-viewer --self-test [--library DIR]`: prove this installation works, end to end.

Starts the real main window (offscreen when there is no display), loads the library, runs a
search, opens the top result, ticks a checklist item in a throwaway state folder, prints a blank
checklist to a temporary PDF and checks that the PDF really embeds a font (with no fonts
installed Qt writes a PDF without any text). Prints one line per stage with its time and
``SELFTEST OK``, exit 0; otherwise the stage that failed and why, exit 1 — never a traceback.

Nothing the operator owns is touched: unless RUNBOOK_VIEWER_HOME is set, all state, cache and
settings go to a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .core import paths
from .qtenv import has_display, missing_library, qt_import_problem

OK_LINE = "SELFTEST OK"
FAILED_PREFIX = "SELFTEST FAILED"
STAGE_WIDTH = 10
READY_TIMEOUT_S = 60
# Qt messages that never explain a failure: the offscreen platform's missing window-manager
# hints, and the no-locale notice (cli.main selects C.UTF-8 first; this covers callers that
# start the self-test another way).
HARMLESS_QT = ("propagateSizeHints", 'Detected locale "C"', "Qt depends on a UTF-8 locale")


class StageFailed(Exception):
    """A stage found something wrong; the message says what, in plain words."""


class SelfTest:
    def __init__(self, library_dir: str | None, out=None):
        self.library_dir = library_dir
        self.out = out or sys.stdout
        self.stage = "start"
        self.timings: list[tuple[str, float]] = []
        self.qt_messages: list[str] = []
        # set by the stages, in order (Any: the Qt objects are imported only in a stage)
        self.app: Any = None
        self.window: Any = None
        self.rb: Any = None
        self.hit: Any = None
        self.ready = False
        self.previous_handler: Any = None
        self.handler_installed = False
        self.work = Path(tempfile.mkdtemp(prefix="rv-selftest-"))

    # -- plumbing ------------------------------------------------------------------------
    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def run_stage(self, name: str, body: Callable[[], str]) -> None:
        self.stage = name
        start = time.perf_counter()
        detail = body()
        took = time.perf_counter() - start
        self.timings.append((name, took))
        self.say(f"  {name:<{STAGE_WIDTH}} {took:6.2f} s  {detail}")

    def _qt_message(self, mode, _context, message: str) -> None:
        from PySide6.QtCore import QtMsgType

        self.qt_messages.append(message)
        if mode == QtMsgType.QtFatalMsg:  # Qt aborts after this returns: say why first
            print(f"{FAILED_PREFIX} at stage '{self.stage}': Qt: {message}", file=sys.stderr,
                  flush=True)

    def pump(self, seconds: float = 0.0) -> None:
        from PySide6.QtWidgets import QApplication

        end = time.perf_counter() + seconds
        while True:
            QApplication.processEvents()
            if time.perf_counter() >= end:
                break
            time.sleep(0.01)

    # -- stages --------------------------------------------------------------------------
    def start_window(self) -> str:
        from PySide6.QtCore import qInstallMessageHandler

        self.previous_handler = qInstallMessageHandler(self._qt_message)
        self.handler_installed = True
        from .ui.app import build_window, make_app

        self.app = make_app()
        icon = self.app.windowIcon()
        if icon.isNull() or icon.pixmap(64, 64).isNull():
            raise StageFailed("the application icon did not load (SVG icon engine missing?)")
        # the same fast start as the app: the window first, the library after its first frame
        self.window = build_window(self.library_dir, deferred=True)
        self.ready = False
        self.window.libraryReady.connect(lambda: setattr(self, "ready", True))
        self.window.show()
        self.pump()
        if not self.window.isVisible():
            raise StageFailed("the main window did not show")
        return f"shown on the {self.app.platformName()} platform, icon ok"

    def load_library(self) -> str:
        deadline = time.perf_counter() + READY_TIMEOUT_S
        while not self.ready and time.perf_counter() < deadline:
            self.pump(0.01)
        if not self.ready:
            raise StageFailed(f"the library was not on screen after {READY_TIMEOUT_S} s")
        if self.window.library is None:
            lines = self.window.view.toPlainText().strip().splitlines()
            raise StageFailed(f"the library did not open: {' — '.join(lines)[:300]}")
        lib = self.window.library
        if not lib.runbooks:
            raise StageFailed(f"no runbooks (.md files) in {lib.root}")
        shown = self.window.view.toPlainText().strip()
        if not shown:
            raise StageFailed("the window shows an empty page for the library")
        about = self.window.about_text()
        if __version__ not in about:
            raise StageFailed("the About box does not show the app's version")
        errors = [p for p in lib.problems if p.level == "error"]
        landing = lib.landing
        version = f", library version {landing.version or '—'} of " \
                  f"{landing.last_updated or '—'}" if landing is not None else ""
        return (f"{len(lib.runbooks)} runbooks from {lib.root}{version}"
                + (f", {len(errors)} with errors" if errors else "")
                + f"; title {self.window.windowTitle()!r}")

    def search(self) -> str:
        """Type a query into the window's search field; wait for the worker's answer."""
        panel = self.feature("search_panel")
        if panel.searcher is None:
            raise StageFailed(panel.status.text() or "search is unavailable")
        query = query_for(self.window.library)
        panel.field.setText(query)
        asked = panel.searcher.generation
        deadline = time.perf_counter() + READY_TIMEOUT_S
        while panel.shown_generation < asked and time.perf_counter() < deadline:
            self.pump(0.005)
        if panel.shown_generation < asked:
            raise StageFailed(f"no answer to the search {query!r} after {READY_TIMEOUT_S} s")
        if not panel.hits:
            raise StageFailed(f"the search for {query!r} found nothing "
                              f"({panel.status.text()})")
        self.hit = panel.hits[0]
        stats = panel.searcher.worker.engine.stats
        source = "prebuilt index" if stats is not None and stats.readonly else \
            f"index built in the cache, {stats.sections if stats else '?'} sections"
        return (f"{query!r}: {len(panel.hits)} results, top {self.hit.path} › "
                f"{self.hit.section} ({source})")

    def open_result(self) -> str:
        hit = self.hit
        self.feature("search_panel").open_current()  # what Enter in the field does
        self.pump()
        rb = self.window.library.get(hit.path)
        if self.window.current_path != hit.path or rb is None:
            raise StageFailed(f"the window shows {self.window.current_path}, not {hit.path}")
        text = self.window.view.toPlainText()
        if rb.title not in text:
            raise StageFailed(f"{hit.path} opened but its title {rb.title!r} is not on screen")
        self.rb = rb
        return f"{hit.path}#{hit.anchor}, {len(text)} characters on screen"

    def feature(self, name: str):
        found = (getattr(self.window, "features", None) or {}).get(name)
        if found is None:
            raise StageFailed(f"the window has no {name.replace('_', ' ')}")
        return found

    def tick(self) -> str:
        from .core.checklist import DONE, ChecklistStore

        lib = self.window.library
        rb = self.rb if self.rb is not None and self.rb.items else \
            next((r for r in lib.runbooks if r.items), None)
        if rb is None:
            return "skipped: no runbook in this library has checklist items"
        self.rb = rb
        panel = self.feature("checklist_panel")
        self.window.open_runbook(rb.path)
        store = panel.store
        if not store.persistent:
            raise StageFailed(f"checklist state cannot be saved: {store.recovery_notice}")
        store.set_operator("self-test")  # remembered operator: no "who are you?" dialog
        item = rb.items[0]
        self.window.follow_link(f"check:{item.id}")  # a click on the item's box
        self.pump()
        run = panel.run
        if run is None:
            raise StageFailed(f"clicking {item.text[:50]!r} started no checklist run")
        with ChecklistStore(paths.checklist_db()) as again:  # durable: a fresh reader sees it
            state = again.run_state(run, rb).states.get(item.id)
        if state != DONE:
            raise StageFailed(f"the tick was not saved (state read back: {state!r})")
        return f"{rb.path}: {item.text[:50]!r} done in run {run.run_id[:8]}, read back from disk"

    def print_pdf(self) -> str:
        """Print > Export PDF > Blank checklist, as the menu does, for the runbook on screen."""
        printing = self.feature("printing")
        rb = self.window.library.get(self.window.current_path)
        out = self.work / "blank-checklist.pdf"
        written = printing.export_pdf("blank", str(out))
        if written is None:
            said = self.window.statusBar().currentMessage()
            raise StageFailed(f"printing to PDF failed: {said or 'no PDF written'}")
        data = out.read_bytes() if out.is_file() else b""
        if not data.startswith(b"%PDF"):
            raise StageFailed(f"no PDF was written to {out}")
        if b"/FontFile" not in data:
            raise StageFailed("the PDF embeds no font, so it has no readable text: install "
                              "fonts (Debian: apt install fontconfig fonts-dejavu-core)")
        pages = len(re.findall(rb"/Type\s*/Page\b", data))
        return f"blank checklist of {rb.path}: {len(data) // 1024} KiB PDF, " \
               f"{pages} page(s), fonts embedded"

    # -- driver --------------------------------------------------------------------------
    def run(self) -> int:
        started = time.perf_counter()
        frozen = " (bundle)" if paths.is_frozen() else ""
        self.say(f"runbook-viewer {__version__}{frozen} self-test, Python "
                 f"{sys.version.split()[0]}")
        try:
            self.run_stage("window", self.start_window)
            self.run_stage("library", self.load_library)
            self.run_stage("search", self.search)
            self.run_stage("open", self.open_result)
            self.run_stage("checklist", self.tick)
            self.run_stage("print", self.print_pdf)
        except StageFailed as exc:
            return self.fail(str(exc))
        except BrokenPipeError:  # `--self-test | head`: the reader left; cli.main handles it
            raise
        except ImportError as exc:  # Qt cannot load a system library: name the package
            return self.fail(qt_import_problem(exc) if missing_library(exc) else
                             f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # never a traceback: say where and what
            return self.fail(f"{type(exc).__name__}: {exc}")
        finally:
            self.close()
        self.say(f"{OK_LINE} in {time.perf_counter() - started:.2f} s")
        return 0

    def fail(self, reason: str) -> int:
        print(f"{FAILED_PREFIX} at stage '{self.stage}': {reason}", file=sys.stderr, flush=True)
        noteworthy = [m for m in self.qt_messages if not any(h in m for h in HARMLESS_QT)]
        for message in noteworthy[-5:]:
            print(f"  Qt said: {message}", file=sys.stderr)
        return 1

    def close(self) -> None:
        if self.window is not None:
            with contextlib.suppress(Exception):
                self.window.close()
                self.pump()
                self.window.deleteLater()
                self.pump()
        if self.handler_installed:
            from PySide6.QtCore import qInstallMessageHandler

            qInstallMessageHandler(self.previous_handler)
        shutil.rmtree(self.work, ignore_errors=True)


def query_for(library) -> str:
    """A query the library must answer: the words of its first trigger condition (else the
    first runbook's title)."""
    for rb in library.runbooks:
        for trigger in rb.triggers:
            text = re.split(r"→|->", trigger.text)[0]
            words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_]+", text) if len(w) > 3]
            if words:
                return " ".join(words[:4])
    return library.runbooks[0].title


def run_self_test(library_dir: str | None = None) -> int:
    """Run the self-test; returns the process exit code (0 ok, 1 failed)."""
    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    own_home = not os.environ.get(paths.HOME_ENV)
    home = tempfile.mkdtemp(prefix="rv-selftest-home-") if own_home else None
    if home:
        os.environ[paths.HOME_ENV] = home
    try:
        return SelfTest(library_dir).run()
    finally:
        if home:
            os.environ.pop(paths.HOME_ENV, None)
            shutil.rmtree(home, ignore_errors=True)
