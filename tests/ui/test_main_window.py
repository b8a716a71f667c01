"""The main window driven with pytest-qt: open, follow links, back, find, bad links."""

from __future__ import annotations

import pytest


@pytest.fixture
def lib_dir(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "index.md").write_text(
        "# Ops Index\n\nLast Updated: 2026-11-01\nVersion: 2.0\n\n## Core\n\n"
        "- [Startup](startup.md)\n- [Recovery step 2](recovery.md#step-2-restore)\n"
        "- [Outside](../../etc/passwd)\n- [Web](https://example.org/wiki)\n"
        "- [Missing](missing.md)\n")
    (root / "startup.md").write_text(
        "# Startup\n\n## Procedure\n\n### Step 1: Start the database\n\n🔵 **OPERATIONAL**\n\n"
        "- [ ] Run `systemctl start postgresql`\n\nThe database must answer pg_isready.\n\n"
        "See [recovery](recovery.md).\n")
    body = "\n\n".join(f"Paragraph {n} about the database." for n in range(80))
    (root / "recovery.md").write_text(
        f"# Recovery\n\n## Procedure\n\n### Step 1: Assess\n\n{body}\n\n"
        "### Step 2: Restore\n\n🔴 **CONSTITUTIONAL** — FR22\n\n- [ ] Restore from checkpoint\n")
    return root


@pytest.fixture
def window(make_window, lib_dir):
    return make_window(lib_dir)


def test_opens_landing_page_first(window):
    assert window.current_path == "index.md"
    assert "Ops Index" in window.view.toPlainText()
    assert "Runbook Viewer" in window.windowTitle()


def test_tree_lists_index_first_then_groups(window):
    tree = window.tree
    top = [tree.topLevelItem(n).text(0) for n in range(tree.topLevelItemCount())]
    assert top[0].startswith("Ops Index")
    assert "Core" in top


def test_follow_link_anchor_and_back_forward(window, qtbot):
    window.follow_link("startup.md")
    assert window.current_path == "startup.md"
    assert "systemctl start postgresql" in window.view.toPlainText()
    window.follow_link("recovery.md#step-2-restore")
    assert window.current_path == "recovery.md"
    qtbot.waitUntil(lambda: window.view.verticalScrollBar().value() > 0)
    window.back_action.trigger()
    assert window.current_path == "startup.md"
    window.back_action.trigger()
    assert window.current_path == "index.md"
    assert window.forward_action.isEnabled()
    window.forward_action.trigger()
    assert window.current_path == "startup.md"


def test_clicking_a_rendered_link_navigates(window, qtbot):
    with qtbot.wait_signal(window.documentShown) as blocker:
        window.view.linkActivated.emit("startup.md")
    assert blocker.args == ["startup.md", ""]


def test_external_link_is_not_opened_but_offered_to_copy(window, qtbot):
    from PySide6.QtGui import QGuiApplication

    window.follow_link("https://example.org/wiki")
    assert window.current_path == "index.md"
    assert window.notice.isVisible()
    assert "not opened" in window.notice.text()
    window.notice.copy_button.click()
    assert QGuiApplication.clipboard().text() == "https://example.org/wiki"


def test_link_outside_library_and_missing_target(window):
    window.follow_link("../../etc/passwd")
    assert window.current_path == "index.md"
    assert "outside the runbook library" in window.notice.text()
    assert "root:" not in window.view.toPlainText()
    window.follow_link("missing.md")
    assert "not in the library" in window.notice.text()


def test_find_in_page_highlights_all_matches(window, qtbot):
    window.open_runbook("recovery.md")
    window.find_action.trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "database")
    assert len(window.find_bar.matches) == 80
    assert len(window.view.extraSelections()) == 80
    assert window.find_bar.count.text() == "1 of 80"
    qtbot.keyClick(window.find_bar.field, "\r")
    assert window.find_bar.count.text() == "2 of 80"
    window.find_bar.close_bar()
    assert window.view.extraSelections() == []


def test_zoom_and_settings_remembered(window, lib_dir, make_window):
    size = window.view.font().pointSizeF()
    window.zoom_in_action.trigger()
    assert window.view.font().pointSizeF() > size
    window.open_runbook("startup.md")
    window.close()
    again = make_window(lib_dir, show=False)
    assert again.current_path == "startup.md"
    assert again.zoom == 1


def test_missing_library_shows_message_not_empty_screen(make_window, tmp_path):
    w = make_window(tmp_path / "nope", show=False)
    assert "could not be opened" in w.view.toPlainText()
    assert "does not exist" in w.view.toPlainText()


def test_empty_library_says_so(make_window, tmp_path):
    w = make_window(tmp_path, show=False)
    assert "no runbooks" in w.view.toPlainText()


def test_bad_files_keep_the_app_running(make_window, tmp_path):
    (tmp_path / "index.md").write_text("# I\n\n[bin](bin.md) [huge](huge.md)\n")
    (tmp_path / "bin.md").write_bytes(b"\x00\x01binary")
    (tmp_path / "huge.md").write_bytes(b"# h\n" + b"y" * (21 * 1024 * 1024))
    (tmp_path / "latin.md").write_bytes("# R\xe9seau\n".encode("latin-1"))
    w = make_window(tmp_path, show=False)
    w.follow_link("bin.md")
    assert "cannot be shown" in w.view.toPlainText() and "binary" in w.notice.text()
    w.follow_link("huge.md")
    assert "limit" in w.view.toPlainText()
    w.open_runbook("latin.md")
    assert "not valid UTF-8" in w.view.toPlainText()


def test_corpus_renders(make_window, corpus_library):
    w = make_window(corpus_library, show=False)
    assert w.open_runbook("etcd/etcdInsufficientMembers.md")
    assert "Mitigation" in w.view.toPlainText()


def test_link_loop_is_just_navigation(make_window, tmp_path):
    (tmp_path / "a.md").write_text("# A\n\n[to b](b.md)\n")
    (tmp_path / "b.md").write_text("# B\n\n[to a](a.md)\n")
    w = make_window(tmp_path, show=False)
    w.open_runbook("a.md")
    for _ in range(50):
        w.follow_link("b.md" if w.current_path == "a.md" else "a.md")
    assert w.current_path == "a.md"
    assert len(w.history.back_stack) == 50


def test_dark_palette_follows_the_system(window, monkeypatch):
    from runbook_viewer.core.palette import DARK, LIGHT
    from runbook_viewer.ui import window_look

    window.open_runbook("startup.md")
    assert LIGHT.bg in window.view.toHtml() or "#ffffff" in window.view.toHtml()
    monkeypatch.setattr(window_look, "is_dark", lambda: True)
    window.rerender()
    assert DARK.bg in window.view.toHtml()
