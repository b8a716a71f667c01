"""A library of thousands of runbooks: the tree's folders are made when opened (the rows of a
20,000-file library took half a second of the window's start), and nothing is harder to reach."""

from __future__ import annotations

import pytest

from runbook_viewer.ui.library_tree import EXPAND_ALL_UP_TO, PATH_ROLE


@pytest.fixture
def window(make_window, tmp_path):
    for team in range(4):
        folder = tmp_path / f"team-{team}"
        (folder / "deep").mkdir(parents=True)
        (folder / "_index.md").write_text(f"---\ntitle: Team {team}\n---\n")
        for n in range(EXPAND_ALL_UP_TO // 4 + 5):
            (folder / f"alert-{n:02d}.md").write_text(f"# Team {team} alert {n}\n\nText.\n")
        (folder / "deep" / "hidden.md").write_text(f"# Deep one of team {team}\n\nText.\n")
    return make_window(tmp_path)


def _folders(tree):
    return {tree.topLevelItem(n).text(0): tree.topLevelItem(n)
            for n in range(tree.topLevelItemCount())}


def test_folders_are_filled_when_opened_with_every_runbook(window):
    tree = window.tree
    folders = _folders(tree)
    node = folders["Team 2  (21)"]
    assert node.childCount() == 0 and not node.isExpanded()
    assert tree.itemsExpandable() and node.childIndicatorPolicy().name == "ShowIndicator"
    node.setExpanded(True)  # what a click on the arrow or the Right key does
    paths = [node.child(n).data(0, PATH_ROLE) for n in range(node.childCount())]
    assert paths[:2] == ["team-2/alert-00.md", "team-2/alert-01.md"]
    assert len([p for p in paths if p]) == 20  # the runbooks; then the "deep" sub-folder
    assert node.child(node.childCount() - 1).text(0).startswith("deep")
    assert folders["Team 1  (21)"].childCount() == 0  # the others wait


def test_opening_a_runbook_in_an_unopened_folder_selects_it(window):
    tree = window.tree
    window.open_runbook("team-3/deep/hidden.md")
    item = tree.currentItem()
    assert item is not None and item.data(0, PATH_ROLE) == "team-3/deep/hidden.md"
    assert item.parent().isExpanded() and item.parent().parent().isExpanded()
    assert _folders(tree)["Team 0  (21)"].childCount() == 0  # only its own folders were made
