"""Issue 14 §8: on a machine without a colour-emoji font (fonts-dejavu-core only, as the set-up
installs) no text the window shows needs a glyph the installed fonts lack — labels are ■/●
badges, other emoji a glyph DejaVu has, or nothing."""

from __future__ import annotations

from functools import lru_cache

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontDatabase, QRawFont, QTextDocument

from runbook_viewer.core.glyphs import REPLACE, font_safe, has_glyph
from runbook_viewer.ui.scenario_delegate import DETAIL_ROLE, TITLE_ROLE
from runbook_viewer.ui.search_panel import hit_html

EMOJI_RUNBOOK = """\
# 🔥 Hot path runbook

Last Updated: 2026-11-27

## Trigger Conditions

- HIGH — 🚨 the zanzibar queue overflows ([Step 1](#step-1-drain-the-queue-now))

## Procedure

### Step 1: Drain the queue ✅ now

🔴 **CONSTITUTIONAL** — FR1

- [ ] ⚠️ Stop the zanzibar writers 👷 before draining
- [ ] Check the 📊 dashboard

```bash
echo "code keeps its text 🔥"
```
"""


@lru_cache(maxsize=1)
def installed_fonts() -> list[QRawFont]:
    fonts = []
    for family in QFontDatabase.families():
        raw = QRawFont.fromFont(QFont(family))
        if raw.isValid():
            fonts.append(raw)
    return fonts


def missing_glyphs(text: str) -> list[str]:
    fonts = installed_fonts()
    return sorted({f"U+{ord(ch):04X} {ch}" for ch in text if ord(ch) > 0x2000 and
                   not ch.isspace() and ch not in "\u2060\u2028\u2029" and
                   not any(f.supportsCharacter(ord(ch)) for f in fonts)})


@pytest.fixture
def lib_dir(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "index.md").write_text("# Index\n\n- [Hot](hot.md)\n")
    (root / "hot.md").write_text(EMOJI_RUNBOOK)
    return root


def test_fonts_of_this_machine_have_every_glyph_font_safe_keeps():
    if not any("DejaVu" in f for f in QFontDatabase.families()):
        pytest.skip("fonts-dejavu-core is not installed (scripts/bootstrap.sh installs it)")
    kept = font_safe("".join(chr(cp) for cp in range(0x2190, 0x2C00)) +
                     "".join(chr(cp) for cp in range(0x1F000, 0x1FB00)) + "".join(REPLACE))
    assert missing_glyphs(kept) == []
    # the emoji that prompted the table really are missing here (they would be boxes)
    assert len(missing_glyphs("✅❌⌛⛔⭐🔥🔴")) == 7
    assert all(not has_glyph(ch) for ch in "✅❌⌛⛔⭐🔥🔴")


def model_texts(model) -> list[str]:
    out, stack = [], [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, TITLE_ROLE,
                         DETAIL_ROLE):
                out.append(str(index.data(role) or ""))
            stack.append(index)
    return out


def test_every_text_on_screen_has_its_glyphs(qtbot, make_window, lib_dir):
    w = make_window(lib_dir)
    w.open_runbook("hot.md")
    tree = [w.tree.topLevelItem(n) for n in range(w.tree.topLevelItemCount())]
    tree += [item.child(k) for item in tree for k in range(item.childCount())]
    assert any("■" in item.text(0) for item in tree)  # labels as badges in the tree
    texts = [t for item in tree for t in (item.text(0), item.toolTip(0))]
    texts += model_texts(w.features["scenario_panel"].model)
    texts += [w.breadcrumbs.text(), w.windowTitle()]
    related = w.features["scenario_panel"].related_list
    texts += [related.item(n).text() for n in range(related.count())]
    body = w.view.toPlainText()
    code = 'echo "code keeps its text 🔥"'
    assert code in body  # code is shown exactly as written
    texts.append(body.replace(code, ""))
    search = w.features["search_panel"]
    search.focus_field("zanzibar")
    qtbot.waitUntil(lambda: search.list.count() > 0, timeout=10000)
    for hit in search.hits:
        doc = QTextDocument()
        doc.setHtml(hit_html(hit))
        texts.append(doc.toPlainText())
    # the constitutional confirmation and the reason dialog
    panel = w.features["checklist_panel"]
    asked = []
    panel.ask_text = lambda title, label, text="": asked.append(label) or "JD"
    panel.ask_reason = lambda title, label: asked.append(label) or "no writers running"
    panel.ask_confirm = lambda title, text: asked.append(text) or True
    rb = w.library.get("hot.md")
    assert panel.set_state(rb.items[0].id, "skipped")
    texts += asked
    texts += [panel.info.text(), panel.holding.text(), panel.slim.text()]
    assert asked[-1].startswith("■ CONSTITUTIONAL item")
    problems = {t: missing_glyphs(t) for t in texts if missing_glyphs(t)}
    assert not problems, problems


def test_command_line_output_has_no_emoji(capsys, lib_dir):
    from runbook_viewer.cli import main

    for argv in (["search", "zanzibar"], ["scenarios"], ["list"], ["show", "hot.md"]):
        main([*argv, "--library", str(lib_dir)])
        out = capsys.readouterr().out
        body = out.replace('echo "code keeps its text 🔥"', "")
        assert not [ch for ch in body if not has_glyph(ch)], (argv, out)
        assert "🔴" not in out
