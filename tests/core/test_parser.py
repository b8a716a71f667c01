"""Parser: titles, metadata, sections, steps, items with stable ids, labels, links, triggers."""

from __future__ import annotations

from pathlib import Path

import markdown
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


def test_sections_steps_and_anchors_match_python_markdown():
    rb = parse(SAMPLE)
    assert [s.step_number for s in rb.steps] == [1, 2]
    assert rb.steps[0].anchor == "step-1-confirm-the-halt"
    # the anchors are exactly those Python-Markdown's toc extension produces
    md = markdown.Markdown(extensions=["toc", "fenced_code"])
    md.convert(SAMPLE)
    toc_ids = []

    def walk(tokens):
        for t in tokens:
            toc_ids.append(t["id"])
            walk(t["children"])

    walk(md.toc_tokens)
    assert toc_ids == [s.anchor for s in rb.sections]
    # code fence contents are not headings
    assert "not-a-heading" not in toc_ids


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


def test_placeholders_in_code_survive_in_item_text():
    text = ("# T\n\n## Procedure\n\n### Step 1: Do it\n\n🔵 **OPERATIONAL**\n\n"
            "- [ ] Restart it: `archonctl agents restart <agent-id>` (<b>now</b>)\n")
    rb = parse_runbook(Runbook("t.md", Path("t.md"), "t"), text)
    # an HTML tag outside code goes; the <placeholder> is part of the command the operator runs
    assert rb.items[0].text == "Restart it: archonctl agents restart <agent-id> (now)"
