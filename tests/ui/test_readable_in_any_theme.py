"""Issue 14 §7: every text/background pair the viewer draws meets WCAG AA, in light and dark —
measured on what Qt actually lays out (documents, list rows, labels), with the viewer's theme
and with a dark system palette (what a GTK dark theme gives the application)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication
from ui_helpers import drawn_pairs, failing_pairs

from runbook_viewer.core.library import load_library
from runbook_viewer.core.palette import DARK, LIGHT, contrast, palette
from runbook_viewer.core.render import render_runbook
from runbook_viewer.ui import theme
from runbook_viewer.ui.search_panel import hit_html

#: Adwaita-dark's colours, as the GTK platform theme hands them to Qt
GTK_DARK = {QPalette.ColorRole.Window: "#353535", QPalette.ColorRole.WindowText: "#eeeeec",
            QPalette.ColorRole.Base: "#2d2d2d", QPalette.ColorRole.AlternateBase: "#353535",
            QPalette.ColorRole.Text: "#eeeeec", QPalette.ColorRole.Button: "#353535",
            QPalette.ColorRole.ButtonText: "#eeeeec", QPalette.ColorRole.Highlight: "#15539e",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.PlaceholderText: "#919190"}


def rendered(rb, dark: bool) -> QTextDocument:
    """The runbook as the window draws it mid-run: done / n/a / skipped boxes, a current item,
    search terms highlighted, a banner."""
    states = {item.id: ("done", "na", "skipped", "pending")[n % 4]
              for n, item in enumerate(rb.items)}
    current = next((item.id for item in rb.items if states[item.id] == "pending"), None)
    doc = QTextDocument()
    doc.setHtml(render_runbook(rb, states=states, current=current, dark=dark,
                               terms=["redis", "halt", "chain", "check"],
                               banner="This runbook changed since the run started."))
    return doc


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_pair_drawn_in_every_bundled_runbook_meets_aa(bundled_library, dark):
    pal = palette(dark)
    failures = []
    library = load_library(bundled_library)
    for rb in library.runbooks:
        pairs = drawn_pairs(rendered(rb, dark), pal.fg, pal.bg)
        failures += [f"{rb.path}: {f}" for f in failing_pairs(pairs)]
    assert not failures, "\n".join(failures[:20])


def test_code_in_the_current_item_highlights_and_badges_are_measured(bundled_library):
    """The three pairs the issue saw unreadable are among those measured above."""
    rb = load_library(bundled_library).get("startup.md")
    pairs = drawn_pairs(rendered(rb, True), DARK.fg, DARK.bg)
    assert (DARK.current_fg, DARK.code_bg) in pairs  # `amtool` in the current item
    assert (DARK.mark_fg, DARK.mark) in pairs  # search highlight
    assert (DARK.badge["constitutional"][1], DARK.badge["constitutional"][0]) in pairs


@pytest.fixture
def dark_system(qapp):
    pal = QPalette(qapp.palette())
    for role, colour in GTK_DARK.items():
        pal.setColor(role, QColor(colour))
    theme.reset()
    qapp.setPalette(pal)
    return pal


def item_pairs(model, base: str) -> list[tuple[str, str, str]]:
    """(text, fg, bg) of every row of a QStandardItemModel with its own colours."""
    from PySide6.QtCore import QModelIndex, Qt

    out, stack = [], [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            fg, bg = index.data(Qt.ItemDataRole.ForegroundRole), \
                index.data(Qt.ItemDataRole.BackgroundRole)
            if fg is not None or bg is not None:
                out.append((index.data()[:30],
                            fg.color().name() if fg is not None else GTK_DARK[
                                QPalette.ColorRole.Text],
                            bg.color().name() if bg is not None else base))
            stack.append(index)
    return out


def test_dark_system_palette_everything_readable(qtbot, make_window, dark_system):
    w = make_window()
    assert w.dark  # the application's palette is what is drawn: dark
    base = GTK_DARK[QPalette.ColorRole.Base]
    # triage rows: severity tints, constitutional / operational rows
    scenarios = w.features["scenario_panel"]
    rows = item_pairs(scenarios.model, base)
    assert rows
    bad = [f"{t!r}: {fg} on {bg}" for t, fg, bg in rows if contrast(fg, bg) < 4.5]
    assert not bad, bad
    # search results: badges and highlights carry their background; the rest is the row's text
    w.open_runbook("startup.md", terms=["redis"])
    search = w.features["search_panel"]
    search.focus_field("redis sentinel")
    qtbot.waitUntil(lambda: search.list.count() > 0, timeout=10000)
    for hit in search.hits:
        doc = QTextDocument()
        doc.setHtml(hit_html(hit, w.dark))
        for text_colour, row_colour in ((GTK_DARK[QPalette.ColorRole.Text], base),
                                        ("#ffffff", GTK_DARK[QPalette.ColorRole.Highlight])):
            assert not failing_pairs(drawn_pairs(doc, text_colour, row_colour)), hit.path
    # the document: code in the current item, highlights, badges
    assert not failing_pairs(drawn_pairs(w.view.document(), DARK.fg, DARK.bg))
    # library tree: unreadable-file rows use the dark palette's error colour
    assert contrast(DARK.tree_error, base) >= 4.5
    assert contrast(DARK.label["constitutional"], GTK_DARK[QPalette.ColorRole.Window]) >= 4.5


def test_view_theme_is_applied_everywhere_and_persisted(qtbot, make_window):
    w = make_window()
    system_base = QApplication.palette().color(QPalette.ColorRole.Base).name()
    w.theme_actions["dark"].trigger()
    assert w.dark and theme.mode() == "dark"
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == DARK.bg
    assert f"background-color:{DARK.bg}" in w.view.toHtml().replace(" ", "") or \
        DARK.bg in w.view.toHtml()
    rows = item_pairs(w.features["scenario_panel"].model, DARK.bg)
    assert all(contrast(fg, bg) >= 4.5 for _t, fg, bg in rows)
    # the breadcrumbs above the page: links in the new theme's colour (a QLabel kept the light
    # theme's dark blue on the dark background after a switch: 2.4:1)
    w.open_runbook("backup.md")
    crumbs = w.breadcrumbs.text()
    assert crumbs.count("<a ") >= 2 and crumbs.count(f"color:{DARK.link};") == crumbs.count("<a ")
    assert contrast(DARK.link, QApplication.palette().color(QPalette.ColorRole.Window).name()) \
        >= 4.5
    w.close()
    again = make_window(show=False)  # the choice is remembered
    assert theme.mode() == "dark" and again.theme_actions["dark"].isChecked()
    again.theme_actions["light"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == LIGHT.bg
    assert not again.dark
    again.theme_actions["system"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == system_base
