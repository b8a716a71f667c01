"""Search in the window: one keystroke away, results as you type, Enter lands on the step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt


@pytest.fixture
def lib_dir(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "index.md").write_text("# Index\n\n- [Redis](redis.md)\n- [Certs](certs.md)\n")
    (root / "redis.md").write_text(
        "# Redis Recovery\n\n## Procedure\n\n### Step 1: Check the service\n\n🔵 **OPERATIONAL**"
        "\n\n- [ ] Run `systemctl status redis-server`\n\n### Step 2: Recover the master\n\n"
        "🔵 **OPERATIONAL**\n\n- [ ] When `redis-cli ping` returns Could not connect to Redis: "
        "connection refused, fail over with Sentinel\n")
    (root / "certs.md").write_text(
        "# Certificates\n\n## Procedure\n\n### Step 1: Renew\n\n🔵 **OPERATIONAL**\n\n"
        "- [ ] Renew when clients log x509: certificate has expired\n")
    return root


@pytest.fixture
def window(qtbot, make_window, lib_dir):
    w = make_window(lib_dir)
    panel = w.features["search_panel"]
    qtbot.waitUntil(lambda: "Type what you see" in panel.status.text(), timeout=10000)
    return w


def type_query(qtbot, panel, text):
    panel.field.clear()
    with qtbot.wait_signal(panel.searcher.worker.results, timeout=5000,
                           check_params_cb=lambda g, *_: g == panel.searcher.generation + 0):
        qtbot.keyClicks(panel.field, text)
    qtbot.waitUntil(lambda: panel.shown_generation == panel.searcher.generation, timeout=5000)


def test_ctrl_k_focuses_the_field(window, qtbot):
    panel = window.features["search_panel"]
    window.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.side_tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.field.hasFocus())


def test_results_as_you_type_and_enter_opens_the_step(window, qtbot):
    panel = window.features["search_panel"]
    panel.focus_field()
    type_query(qtbot, panel, "redis connection refused")
    assert panel.hits, panel.status.text()
    top = panel.hits[0]
    assert (top.path, top.anchor) == ("redis.md", "step-2-recover-the-master")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.current_path == "redis.md"
    assert window.current_terms  # matched words highlighted in the document
    assert "background-color" in window.view.toHtml()


def test_up_down_move_and_escape_returns_to_field(window, qtbot):
    panel = window.features["search_panel"]
    panel.focus_field()
    type_query(qtbot, panel, "redis")
    assert panel.list.count() >= 2
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.list.currentRow() == 1
    qtbot.keyClick(panel.field, Qt.Key.Key_Up)
    assert panel.list.currentRow() == 0
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: panel.field.hasFocus())


def test_typo_gets_did_you_mean(window, qtbot):
    panel = window.features["search_panel"]
    panel.focus_field()
    type_query(qtbot, panel, "certificat expird")
    type_query(qtbot, panel, "sentinal")
    assert "Did you mean" in panel.suggestion.text()


def test_typing_in_the_tree_starts_a_search(window, qtbot):
    panel = window.features["search_panel"]
    window.side_tabs.setCurrentWidget(window.tree)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, "x")
    assert panel.field.text() == "x"
    assert window.side_tabs.currentWidget() is panel


def test_stale_results_are_dropped(window, qtbot):
    panel = window.features["search_panel"]
    first = panel.searcher.query("redis")
    panel.searcher.query("certificate")
    panel.on_results(first, ["stale"], "", "")
    assert panel.hits != ["stale"]


def test_results_group_further_sections_under_their_runbook(window, qtbot):
    panel = window.features["search_panel"]
    panel.focus_field()
    type_query(qtbot, panel, "redis")
    paths = [h.path for h in panel.hits]
    assert paths and paths == sorted(paths, key=paths.index)  # each runbook's rows together
    assert "runbook(s)" in panel.status.text()
    html = [panel.list.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(len(paths))]
    firsts = {p: i for i, p in reversed(list(enumerate(paths)))}
    for i, p in enumerate(paths):
        assert ("↳" in html[i]) == (i != firsts[p])
