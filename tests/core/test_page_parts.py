"""A runbook too large to lay out whole is shown in parts: cut between top-level blocks,
before headings, each part a slice of the one token stream; anchors find their part."""

from __future__ import annotations

import itertools
from pathlib import Path

from runbook_viewer.core.model import Runbook
from runbook_viewer.core.page_parts import PART_ANCHOR, PART_ANCHORS, part_for, split_parts
from runbook_viewer.core.parser import parse_runbook
from runbook_viewer.core.render import document_of, render_runbook


def big(steps: int) -> Runbook:
    lines = ["# Big", "", "## Procedure", ""]
    for n in range(1, steps + 1):
        lines += [f"### Step {n}: turn V{n}", ""]
        if n % 7 == 0:
            lines += ["- [ ] outer", "  - [ ] inner item", "", "```", "## not a heading", "```", ""]
    return parse_runbook(Runbook("big.md", Path("big.md"), ""), "\n".join(lines))


def test_a_small_runbook_is_one_part_and_renders_as_before():
    rb = big(20)
    assert len(split_parts(document_of(rb))) == 1
    assert render_runbook(rb, part=1) == render_runbook(rb)


def test_parts_cover_every_block_once_cut_before_headings():
    rb = big(3000)
    doc = document_of(rb)
    parts = split_parts(doc)
    assert len(parts) >= 3000 // PART_ANCHORS
    assert parts[0].tokens[0] == 0 and parts[-1].tokens[1] == len(doc.tokens)
    for a, b in itertools.pairwise(parts):
        assert a.tokens[1] == b.tokens[0]  # contiguous, nothing lost or doubled
        first = doc.tokens[b.tokens[0]]
        assert first.level == 0 and first.type == "heading_open"
        assert b.title.startswith("Step ") and b.first_line == first.map[0] + 1
    pages = [render_runbook(rb, part=p.number) for p in parts]
    for n in (1, 1500, 3000):  # every step on exactly one part's page
        assert sum(f">Step {n}: turn V{n}<" in page for page in pages) == 1
    assert all(page.count(f'href="#{PART_ANCHOR}') >= 2 for page in pages)
    assert "Part 2 of" in pages[1] and "Find (Ctrl+F) looks in this part" in pages[1]


def test_each_anchor_finds_its_part():
    rb = big(3000)
    doc = document_of(rb)
    parts = split_parts(doc)
    step = rb.steps[2500]
    part = part_for(rb, doc, step.anchor)
    assert part is not None and f'id="{step.anchor}"' in render_runbook(rb, part=part.number)
    item = rb.items[-1]
    part = part_for(rb, doc, f"item-{item.id}")
    assert part is parts[-1] and f'name="item-{item.id}"' in render_runbook(rb, part=part.number)
    assert part_for(rb, doc, f"{PART_ANCHOR}2") is parts[1]
    assert part_for(rb, doc, f"{PART_ANCHOR}999") is None and part_for(rb, doc, "nope") is None
