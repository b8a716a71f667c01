"""Parser: titles, metadata, sections, steps, items with stable ids, labels, links, triggers."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbook_viewer.core.model import Label, Runbook
from runbook_viewer.core.parser import parse_runbook

SAMPLE = """\
# Halt and Fork

Last Updated: 2026-11-20
Version: 1.2
Owner: Platform SRE

## Trigger Conditions

- **CRITICAL** — `ArchonHaltActive` fires → [Step 1](#step-1-confirm-the-halt)
- **MEDIUM** — heartbeats missing → [Step 2](#step-2-check-both-sides)

## Procedure

### Step 1: Confirm the halt

🔴 **CONSTITUTIONAL** — FR18, ADR-6

- [ ] Run `archonctl halt status`
- [x] Record both channels

### Step 2: Check both sides

#### 🔵 Operational check

- [ ] Ping the API

```bash
- [ ] not an item, this is code
# not a heading
```

#### 🔴 Constitutional check — FR2

- [ ] Verify the chain

## References

- [Recovery](recovery.md#step-1-x) and <https://example.org/doc>
"""


def parse(text: str, path: str = "a.md") -> Runbook:
    return parse_runbook(Runbook(path, Path(path), ""), text)


def test_title_and_metadata():
    rb = parse(SAMPLE)
    assert rb.title == "Halt and Fork"
    assert rb.metadata == {"Last Updated": "2026-11-20", "Version": "1.2",
                           "Owner": "Platform SRE"}


def test_sections_steps_and_anchors_are_githubs():
    rb = parse(SAMPLE)
    assert [s.step_number for s in rb.steps] == [1, 2]
    assert rb.steps[0].anchor == "step-1-confirm-the-halt"
    # GitHub: lowercase, punctuation dropped, each space a dash (the emoji leaves one)
    assert [s.anchor for s in rb.sections] == [
        "halt-and-fork", "trigger-conditions", "procedure", "step-1-confirm-the-halt",
        "step-2-check-both-sides", "-operational-check", "-constitutional-check--fr2",
        "references"]
    # code fence contents are not headings
    assert rb.section("not-a-heading") is None


def test_old_anchors_still_resolve():
    """Anchors of release 0.1 (Python-Markdown slugs, duplicates `_1`) lead to the same
    sections: stored runs, bookmarks and links written for the old viewer keep working."""
    rb = parse(SAMPLE + "\n## References\n\nagain\n")
    assert rb.anchor_aliases["operational-check"] == "-operational-check"
    assert rb.anchor_aliases["constitutional-check-fr2"] == "-constitutional-check--fr2"
    assert rb.anchor_aliases["references_1"] == "references-1"
    assert rb.section("constitutional-check-fr2").title == "🔴 Constitutional check — FR2"
    assert rb.section("references_1").line > rb.section("references").line
    assert rb.step_of("operational-check").anchor == "step-2-check-both-sides"
    assert "step-1-confirm-the-halt" not in rb.anchor_aliases  # same in both: no alias


def test_github_duplicate_anchors():
    rb = parse("# A\n\n## Setup\n\n## Setup\n\n## Setup\n\n## Setup 1\n")
    assert [s.anchor for s in rb.sections] == ["a", "setup", "setup-1", "setup-2", "setup-1-1"]


def test_items_labels_and_groups():
    rb = parse(SAMPLE)
    texts = [i.text for i in rb.items]
    assert texts == ["Run archonctl halt status", "Record both channels", "Ping the API",
                     "Verify the chain"]
    assert [i.checked for i in rb.items] == [False, True, False, False]
    assert rb.items[0].label is Label.CONSTITUTIONAL
    assert rb.items[0].section_anchor == "step-1-confirm-the-halt"
    assert rb.items[2].label is Label.OPERATIONAL
    assert rb.items[3].label is Label.CONSTITUTIONAL
    assert rb.items[3].section_anchor == "step-2-check-both-sides"
    assert rb.steps[0].label is Label.CONSTITUTIONAL
    assert rb.steps[0].citations == ("FR18", "ADR-6")
    assert rb.labels == {Label.CONSTITUTIONAL, Label.OPERATIONAL}


def test_item_ids_are_unique_and_stable_across_unrelated_edits():
    rb = parse(SAMPLE)
    ids = [i.id for i in rb.items]
    assert len(set(ids)) == len(ids)
    # insert a new step before, renumber, add prose and another item elsewhere
    edited = SAMPLE.replace("### Step 1: Confirm the halt",
                            "### Step 1: New first step\n\n🔵 **OPERATIONAL**\n\n- [ ] New\n\n"
                            "### Step 2: Confirm the halt\n\nSome new prose.")
    edited = edited.replace("### Step 2: Check both sides", "### Step 3: Check both sides")
    rb2 = parse(edited)
    by_text = {i.text: i.id for i in rb2.items}
    for item in rb.items:
        assert by_text[item.text] == item.id
    # editing the item's own text does change its id
    rb3 = parse(SAMPLE.replace("Ping the API", "Ping the API twice"))
    assert rb.items[2].id not in {i.id for i in rb3.items}


def test_duplicate_items_in_one_step_get_distinct_ids():
    rb = parse("# T\n\n## Procedure\n\n### Step 1: A\n\n- [ ] same\n- [ ] same\n")
    assert len({i.id for i in rb.items}) == 2


def test_triggers_and_links():
    rb = parse(SAMPLE)
    assert [(t.severity, t.target) for t in rb.triggers] == [
        ("CRITICAL", "#step-1-confirm-the-halt"), ("MEDIUM", "#step-2-check-both-sides")]
    assert rb.severity == "CRITICAL"
    targets = [link.target for link in rb.links]
    assert "recovery.md#step-1-x" in targets
    assert "https://example.org/doc" in targets


def test_front_matter_title_and_fallbacks():
    rb = parse("---\ntitle: From Front Matter\nweight: 10\n---\n\nBody only.\n", "x/y.md")
    assert rb.title == "From Front Matter"
    assert rb.front_matter["weight"] == "10"
    assert parse("no heading here\n", "ops/disk-full.md").title == "Disk full"


@pytest.mark.parametrize("text", ["", "```\nunclosed", "# \n", "#####", "- [ ]", "\x00\x01",
                                  "### Step x: y\n- [ ] a", "[broken](", "---\ntitle: x"])
def test_malformed_input_never_raises(text):
    rb = parse(text)
    assert rb.title


def test_unclosed_fence_is_a_warning_with_line():
    rb = parse("# T\n\ntext\n\n```bash\necho\n")
    codes = [(p.code, p.line) for p in rb.problems]
    assert codes == [("unclosed-fence", 6)]


def test_code_blocks_and_item_commands():
    rb = parse("# T\n\n## Procedure\n\n### Step 1: Restart\n\n"
               "- [ ] Stop it with `systemctl stop x` then:\n\n"
               "  ```bash\n  systemctl start x\n  ```\n\n"
               "- [ ] Check\n\n```\noutside any item\n```\n\n    indented\n")
    assert rb.items[0].commands == ("systemctl stop x", "systemctl start x")
    assert rb.items[1].commands == ()
    blocks = [(b.line, b.end_line, b.lang, b.text, b.section_anchor, b.item_id, b.fenced)
              for b in rb.code_blocks]
    assert blocks == [
        (9, 11, "bash", "systemctl start x\n", "step-1-restart", rb.items[0].id, True),
        (15, 17, "", "outside any item\n", "step-1-restart", None, True),
        (19, 19, "", "indented\n", "step-1-restart", None, False)]
    assert all(b.closed for b in rb.code_blocks)


def test_fenced_command_in_a_list_item_is_code_not_an_item():
    rb = parse("## Steps\n\n1. Run:\n   ```\n   - [ ] not an item\n   ```\n")
    assert rb.items == [] and rb.code_blocks[0].text == "- [ ] not an item\n"


def test_placeholders_in_code_survive_in_item_text():
    text = ("# T\n\n## Procedure\n\n### Step 1: Do it\n\n🔵 **OPERATIONAL**\n\n"
            "- [ ] Restart it: `archonctl agents restart <agent-id>` (<b>now</b>)\n")
    rb = parse(text)
    # an HTML tag outside code goes; the <placeholder> is part of the command the operator runs
    assert rb.items[0].text == "Restart it: archonctl agents restart <agent-id> (now)"
