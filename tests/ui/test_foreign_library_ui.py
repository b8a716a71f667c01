"""A Hugo-style foreign library in the window: folders in the tree, the generated overview,
images from inside the library shown offline."""

from __future__ import annotations

import pytest

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf0000000301010018dd8db00000000049454e44"
                    "ae426082")


@pytest.fixture
def window(make_window, tmp_path):
    files = {
        "_index.md": "---\nbookHidden: true\n---\n",
        "node/_index.md": "---\ntitle: node\nweight: 10\n---\n",
        "general/_index.md": "---\ntitle: general\nweight: 1\n---\n",
        "node/NodeDown.md": "---\ntitle: Node Down\n---\n\n# NodeDown\n\n![arch](../img/a.png)"
                            "\n\n![web](https://example.org/x.png)\n",
        "general/NodeDown.md": "---\ntitle: Node Down\n---\n\n# NodeDown\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(PNG)
    return make_window(tmp_path)


def _top(tree) -> list[str]:
    return [tree.topLevelItem(n).text(0) for n in range(tree.topLevelItemCount())]


def test_tree_shows_collapsible_folders_and_tells_same_names_apart(window):
    tree = window.tree
    assert _top(tree)[1:] == ["general  (1)", "node  (1)"]
    node = tree.topLevelItem(2)
    assert node.child(0).text(0) == "Node Down — node/"
    assert tree.topLevelItem(1).child(0).text(0) == "Node Down — general/"
    tree.collapseAll()
    window.open_runbook("node/NodeDown.md")
    assert node.isExpanded()  # opening a runbook opens its folder
    window.tree._activated(node)
    assert window.current_path == "node/_index.md"


def test_front_matter_only_landing_page_is_a_generated_overview(window):
    assert window.current_path == "_index.md"
    text = window.view.toPlainText()
    assert "2 runbooks in 2 folders" in text and "Folders" in text


def test_images_from_the_library_load_and_remote_ones_never(window, qtbot):
    window.open_runbook("node/NodeDown.md")
    qtbot.wait(50)
    assert window.view.blocked_resources == []
    assert "image not loaded (offline): web" in window.view.toPlainText()
    assert window.view.document().toHtml().count("<img") == 1
