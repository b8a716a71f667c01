"""The "What's happening?" panel driven with pytest-qt: from a symptom to the step to perform in at
most two actions, constitutional rows distinct, filtering, related runbooks, breadcrumbs."""

from __future__ import annotations

import re

import pytest
from helpers import scenario_fixtures as fixtures
from PySide6.QtCore import Qt

from runbook_viewer.core.library import load_library
from runbook_viewer.core.scenarios import ALERT_RE, best_match, build_scenarios, filter_scenarios
from runbook_viewer.ui.scenario_delegate import ID_ROLE, KIND_ROLE, LABEL_ROLE
from runbook_viewer.ui.scenario_panel import TITLE


@pytest.fixture
def lib_dir(tmp_path):
    root = fixtures.write_scenario_library(tmp_path / "lib")
    halt = root / "halt.md"
    padding = "\n\n".join(f"Background paragraph {n} about halts." for n in range(80))
    halt.write_text(halt.read_text().replace("- [ ] Run `archonctl halt status`\n",
                                             f"- [ ] Run `archonctl halt status`\n\n{padding}\n"))
    return root


@pytest.fixture
def window(make_window, lib_dir):
    return make_window(lib_dir)


@pytest.fixture
def panel(window):
    return window.features["scenario_panel"]


def leaves(panel):
    return panel._leaves()


def leaf_titled(panel, fragment):
    found = [ix for ix in leaves(panel) if fragment in panel.scenario_at(ix).title]
    assert len(found) == 1, fragment
    return found[0]


def heading_is_near_top(window, heading: str) -> bool:
    """The view is scrolled to the heading: it is at the top of the viewport, or visible with
    the view scrolled as far as it goes (a step near the end of a runbook)."""
    cursor = window.view.document().find(heading)
    if cursor.isNull():
        return False
    top = window.view.cursorRect(cursor).top()
    bar = window.view.verticalScrollBar()
    height = window.view.viewport().height()
    return 0 <= top < height // 3 or (bar.value() == bar.maximum() and 0 <= top < height)


def current_anchor(window) -> str:
    return window.history.current.anchor if window.history.current else ""


# -- the two-action flow -----------------------------------------------------------------------
def test_panel_is_the_first_tab_with_the_filter_focused(window, panel):
    tabs = window.side_tabs
    assert tabs.tabText(0) == ("Triage" if tabs.short else TITLE)  # narrow: the short title
    assert tabs.titles[panel] == (TITLE, "Triage")
    assert window.side_tabs.currentWidget() is panel
    assert window.focusWidget() in (None, panel.filter_edit)


def test_type_a_symptom_then_enter_opens_the_step(window, panel, qtbot):
    qtbot.keyClicks(panel.filter_edit, "fork suspected")  # action 1
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)  # action 2
    assert window.current_path == "halt.md"
    assert current_anchor(window) == "step-3-recover-from-the-fork"
    qtbot.waitUntil(lambda: window.view.verticalScrollBar().value() > 0)
    assert heading_is_near_top(window, "Step 3: Recover from the fork")
    crumbs = window.breadcrumbs.text()
    assert "fork suspected" in crumbs and "Halt Procedures" in crumbs
    assert "Step 3: Recover from the fork" in crumbs


def test_one_click_on_a_symptom_opens_the_step(window, panel, qtbot):
    index = leaf_titled(panel, "ChainBroken")
    panel.view.scrollTo(index)
    rect = panel.view.visualRect(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_path == "halt.md"
    assert current_anchor(window) == "step-2-contain-the-break"
    qtbot.waitUntil(lambda: heading_is_near_top(window, "Step 2: Contain the break"))
    assert "Step 2: Contain the break" in window.breadcrumbs.text()


def test_enter_opens_the_best_match_not_just_the_most_severe_row(window, panel, qtbot):
    qtbot.keyClicks(panel.filter_edit, "database")
    first = panel.scenario_at(leaves(panel)[0])
    assert "database" not in first.title.lower()  # listed first: most severe
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert (window.current_path, current_anchor(window)) == ("db.md", "step-2-free-disk-space")


def test_arrow_keys_in_the_filter_pick_another_match(window, panel, qtbot):
    qtbot.keyClicks(panel.filter_edit, "halt")
    matches = [panel.scenario_at(ix) for ix in leaves(panel)]
    assert len(matches) >= 3
    start = matches.index(panel.scenario_at(panel.view.currentIndex()))
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Down)
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    chosen = matches[min(start + 1, len(matches) - 1)]
    assert (window.current_path, current_anchor(window)) == (chosen.path, chosen.anchor)
    assert panel.current_scenario is chosen


def test_enter_in_the_list_opens_the_current_scenario(window, panel, qtbot):
    index = leaf_titled(panel, "DbDown")
    panel.view.setCurrentIndex(index)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert (window.current_path, current_anchor(window)) == ("db.md",
                                                             "step-1-restart-the-database")


# -- presentation ------------------------------------------------------------------------------
def test_severity_groups_most_severe_first_with_counts(panel):
    proxy = panel.proxy
    tops = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert [t.split(" ")[0] for t in tops] == ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]
    for r, text in enumerate(tops):
        count = int(re.search(r"\((\d+)\)$", text).group(1))
        assert count == proxy.leaves(proxy.index(r, 0)) > 0
    high = proxy.index(1, 0)
    cats = [proxy.index(r, 0, high).data() for r in range(proxy.rowCount(high))]
    assert cats[0].startswith("■ Constitutional") and cats[1].startswith("● Operational")


def test_constitutional_rows_are_distinct_in_text_weight_and_colour(panel):
    seen = set()
    for ix in leaves(panel):
        sc = panel.scenario_at(ix)
        text = ix.data(Qt.ItemDataRole.DisplayRole)
        font = ix.data(Qt.ItemDataRole.FontRole)
        if sc.constitutional:
            seen.add("c")
            assert "■ CONSTITUTIONAL" in text and ix.data(LABEL_ROLE) == "constitutional"
            assert font is not None and font.bold()
            colour = ix.data(Qt.ItemDataRole.ForegroundRole).color()
            assert colour.red() > 2 * max(colour.green(), colour.blue())
        else:
            seen.add("o")
            assert "● OPERATIONAL" in text and ix.data(LABEL_ROLE) == "operational"
            assert font is None or not font.bold()
    assert seen == {"c", "o"}


def test_filter_narrows_counts_and_says_when_nothing_matches(panel, qtbot):
    total = len(leaves(panel))
    qtbot.keyClicks(panel.filter_edit, "database")
    shown = [panel.scenario_at(ix) for ix in leaves(panel)]
    assert 0 < len(shown) < total
    assert all("database" in s.haystack for s in shown)
    assert f"{len(shown)} of {total}" in panel.status.text()
    panel.filter_edit.clear()
    qtbot.keyClicks(panel.filter_edit, "zebra unicorn")
    assert leaves(panel) == [] and "No scenario matches" in panel.status.text()
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Escape)
    assert panel.filter_edit.text() == "" and len(leaves(panel)) == total


def test_proxy_model_is_a_valid_item_model(panel, qtmodeltester):
    qtmodeltester.check(panel.proxy)
    panel.set_filter("halt")
    qtmodeltester.check(panel.proxy)
    qtmodeltester.check(panel.model)


def test_group_rows_are_not_scenarios(panel, qtbot):
    top = panel.proxy.index(0, 0)
    assert top.data(KIND_ROLE) == "severity" and panel.scenario_at(top) is None
    panel._activated(top)
    assert not panel.view.isExpanded(top)
    panel._activated(top)
    assert panel.view.isExpanded(top)


# -- related runbooks and breadcrumbs ----------------------------------------------------------
def test_related_list_moves_along_the_incident(window, panel, qtbot):
    window.open_runbook("halt.md")
    texts = [panel.related_list.item(n).text() for n in range(panel.related_list.count())]
    titles = [t.split("\n")[0] for t in texts]
    assert titles[0].startswith("Next in this incident")
    assert titles[1:] == ["→ Recovery", "→ Incident Review", "→ Database Operations"]
    assert texts[1].endswith("from Step 3: Recover from the fork")
    recovery = panel.related_list.item(1)
    rect = panel.related_list.visualItemRect(recovery)
    qtbot.mouseClick(panel.related_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert window.current_path == "recovery.md"
    assert current_anchor(window) == "step-1-restore-the-checkpoint"
    assert "Related to Recovery" in panel.related_title.text()
    texts = [panel.related_list.item(n).text() for n in range(panel.related_list.count())]
    assert texts[0] == "Runbooks that send you here"
    assert texts[1].startswith("← Halt Procedures")


def test_breadcrumb_parts_are_links(window, panel):
    panel.open_scenario(panel.scenario_at(leaf_titled(panel, "fork suspected")))
    hrefs = re.findall(r'href="([^"]+)"', window.breadcrumbs.text())
    assert hrefs == ["halt.md#step-3-recover-from-the-fork", "halt.md",
                     "halt.md#step-3-recover-from-the-fork"]
    window.open_runbook("db.md")
    window.breadcrumbs.linkActivated.emit("halt.md")
    assert window.current_path == "halt.md"
    # without a chosen scenario the trail starts at the library's front page
    panel.current_scenario = None
    window.open_runbook("db.md", "step-2-free-disk-space")
    assert re.findall(r">([^<]+)</a>", window.breadcrumbs.text()) == [
        "Ops Index", "Database Operations", "Step 2: Free disk space"]


def test_no_library_gives_a_message_not_an_empty_panel(make_window, tmp_path):
    w = make_window(tmp_path / "missing")
    panel = w.features["scenario_panel"]
    assert "No library" in panel.status.text()
    assert panel.proxy.rowCount() == 0


# -- real libraries ----------------------------------------------------------------------------
def test_bundled_library_symptom_to_step(qtbot, make_window, bundled_library):
    window = make_window(bundled_library)
    panel = window.features["scenario_panel"]
    scenarios = build_scenarios(load_library(bundled_library))
    assert scenarios[0].severity == "CRITICAL" and scenarios[0].constitutional
    first = next(s for s in scenarios if ALERT_RE.search(s.title))
    alert = ALERT_RE.search(first.title).group(0)
    expected = best_match(filter_scenarios(scenarios, alert), alert)
    qtbot.keyClicks(panel.filter_edit, alert)
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert (window.current_path, current_anchor(window)) == (expected.path, expected.anchor)
    step = window.library.get(expected.path).section(expected.anchor)
    qtbot.waitUntil(lambda: heading_is_near_top(window, step.title))
    assert step.title in window.breadcrumbs.text()


def test_bundled_library_fork_leads_to_the_fork_step(qtbot, make_window, bundled_library):
    window = make_window(bundled_library)
    panel = window.features["scenario_panel"]
    qtbot.keyClicks(panel.filter_edit, "fork")
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert "fork" in panel.current_scenario.title.lower()
    assert window.current_path == panel.current_scenario.path


@pytest.mark.corpus
def test_corpus_alert_name_to_diagnosis(qtbot, make_window, corpus_library):
    window = make_window(corpus_library)
    panel = window.features["scenario_panel"]
    qtbot.keyClicks(panel.filter_edit, "KubePodCrashLooping")
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert window.current_path == "kubernetes/KubePodCrashLooping.md"
    assert current_anchor(window) == "diagnosis"
    folder = panel.proxy.index(0, 0, panel.proxy.index(0, 0))
    assert folder.data(KIND_ROLE) == "category" and folder.data().startswith("kubernetes")
    assert panel.proxy.index(0, 0, folder).data(ID_ROLE)
    # breadcrumb links are relative to the runbook's folder and lead back to the same place
    hrefs = re.findall(r'href="([^"]+)"', window.breadcrumbs.text())
    assert hrefs[1] == "KubePodCrashLooping.md"
    window.open_runbook("node/NodeRAIDDegraded.md")
    assert "KubePodCrashLooping" not in window.breadcrumbs.text()  # describes the page shown
    hrefs = re.findall(r'href="([^"]+)"', window.breadcrumbs.text())
    window.breadcrumbs.linkActivated.emit(hrefs[-1])
    assert window.current_path == "node/NodeRAIDDegraded.md"
