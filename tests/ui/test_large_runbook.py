"""A very large runbook in the window: shown part by part (the page Qt lays out stays small),
and every way to a place — a heading link, a search hit, a checklist item, the part bar —
opens the part that holds it."""

from __future__ import annotations

import pytest

from runbook_viewer.core.page_parts import PART_ANCHORS

STEPS = 3 * PART_ANCHORS


@pytest.fixture
def window(make_window, tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    lines = ["# Huge", "", "## Procedure", ""]
    for n in range(1, STEPS + 1):
        lines += [f"### Step {n}: open valve V{n}", ""]
        if n % 50 == 0:
            lines += [f"- [ ] confirm gauge G{n}", ""]
    (root / "huge.md").write_text("\n".join(lines), encoding="utf-8")
    (root / "index.md").write_text(f"# Index\n\n- [last step](huge.md#step-{STEPS}-open-valve-"
                                   f"v{STEPS})\n", encoding="utf-8")
    return make_window(root)


def test_a_huge_runbook_opens_in_parts_and_links_reach_any_part(window):
    window.open_runbook("huge.md")
    text = window.view.toPlainText()
    assert window.current_part == 1 and "Part 1 of" in text and "open valve V1\n" in text
    assert f"open valve V{STEPS}" not in text  # the page holds one part, not everything
    window.open_runbook("index.md")
    window.follow_link(f"huge.md#step-{STEPS}-open-valve-v{STEPS}")
    assert window.current_part > 1 and f"open valve V{STEPS}" in window.view.toPlainText()
    assert window.view.verticalScrollBar().value() > 0  # scrolled to the step


def test_the_part_bar_and_checklist_anchors_switch_parts(window):
    window.open_runbook("huge.md")
    window.follow_link("#rv-part-2")
    assert window.current_part == 2 and "Part 2 of" in window.view.toPlainText()
    rb = window.library.get("huge.md")
    last = rb.items[-1]
    window.view.scrollToAnchor(f"item-{last.id}")  # what the checklist panel does
    assert window.current_part > 2 and last.text in window.view.toPlainText()
    window.open_runbook("huge.md", rb.steps[0].anchor)  # same runbook, back to part 1
    assert window.current_part == 1
