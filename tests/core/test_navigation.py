from __future__ import annotations

from runbook_viewer.core.library import load_library
from runbook_viewer.core.navigation import History, Place, resolve_link


def make_lib(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.md").write_text("# I\n\n[a](sub/a.md#x)\n")
    (tmp_path / "sub" / "a.md").write_text("# A\n\n## X\n")
    (tmp_path / "notes.txt").write_text("text")
    return load_library(tmp_path)


def test_resolve_link_kinds(tmp_path):
    lib = make_lib(tmp_path)
    assert resolve_link(lib, "index.md", "sub/a.md#x").path == "sub/a.md"
    assert resolve_link(lib, "index.md", "sub/a.md#x").anchor == "x"
    assert resolve_link(lib, "sub/a.md", "../index.md").path == "index.md"
    assert resolve_link(lib, "sub/a.md", "#x") .kind == "runbook"
    assert resolve_link(lib, "index.md", "https://example.org").kind == "external"
    assert resolve_link(lib, "index.md", "../../etc/passwd").kind == "outside"
    assert resolve_link(lib, "sub/a.md", "../../../etc/passwd").kind == "outside"
    assert resolve_link(lib, "index.md", "missing.md").kind == "missing"
    assert resolve_link(lib, "index.md", "notes.txt").kind == "not-markdown"
    assert resolve_link(lib, "index.md", "check:abc").anchor == "abc"
    assert resolve_link(lib, "index.md", "sub/a").path == "sub/a.md"


def test_history_back_forward():
    h = History()
    h.visit(Place("a.md"))
    h.visit(Place("b.md"), current_scroll=40)  # left a.md scrolled to 40
    h.visit(Place("c.md"), current_scroll=70)  # left b.md scrolled to 70
    back = h.back(current_scroll=5)
    assert (back.path, back.scroll) == ("b.md", 70)
    back = h.back(current_scroll=75)
    assert (back.path, back.scroll) == ("a.md", 40)
    fwd = h.forward()
    assert (fwd.path, fwd.scroll) == ("b.md", 75)
    h.visit(Place("d.md"))
    assert not h.can_forward()
    h.visit(Place("d.md"))  # same place twice does not grow history
    assert [p.path for p in h.back_stack] == ["a.md", "b.md"]
