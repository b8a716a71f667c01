"""Rendering extensions, each testable with plain markdown.markdown()."""

from __future__ import annotations

import re
from pathlib import Path

import markdown

from runbook_viewer.core.mdext import (
    HeadingAnchorExtension,
    LabelBadgeExtension,
    OfflineExtension,
    TaskListExtension,
)
from runbook_viewer.core.model import Runbook
from runbook_viewer.core.parser import parse_runbook
from runbook_viewer.core.render import highlight_terms, render_runbook


def test_heading_anchor_extension_gives_named_targets():
    out = markdown.markdown("# Title\n\n## Step 1: Do it\n\n## Step 1: Do it\n",
                            extensions=[HeadingAnchorExtension()])
    assert '<h2 id="step-1-do-it"><a name="step-1-do-it"></a>Step 1: Do it</h2>' in out
    assert 'id="step-1-do-it_1"' in out


def test_task_list_extension_draws_state_and_current():
    ext = TaskListExtension(item_ids=["a1", "b2", "c3"], states={"a1": "done", "c3": "skipped"},
                            current="b2")
    out = markdown.markdown("- [ ] first\n- [ ] second\n- [x] third\n- plain\n",
                            extensions=[ext])
    assert 'href="check:a1"' in out and "☑" in out
    assert 'href="check:b2"' in out and "▶" in out
    assert "[skipped]" in out
    assert "plain" in out and out.count("check:") == 3
    assert "[ ]" not in out


def test_task_list_non_interactive_has_no_links():
    out = markdown.markdown("- [ ] first\n", extensions=[
        TaskListExtension(item_ids=["a"], interactive=False)])
    assert "check:" not in out and "☐" in out


def test_label_badges_banner_and_inline():
    out = markdown.markdown("🔴 **CONSTITUTIONAL** — FR18, ADR-6\n\n#### 🔵 Operational check\n",
                            extensions=[LabelBadgeExtension()])
    assert "<table" in out and "CONSTITUTIONAL" in out and "FR18, ADR-6" in out
    assert "do not bypass" in out
    assert "OPERATIONAL" in out and "background-color:#0d47a1" in out


def test_offline_extension_never_loads_remote():
    src = ('![diagram](https://evil.example/x.png)\n\n<img src="http://x/y.png" alt="y">\n\n'
           '<script>alert(1)</script>\n\n<iframe src="https://x"></iframe>\n\n'
           '![local](img/ok.png)\n\n[link](https://example.org)\n')
    out = markdown.markdown(src, extensions=[OfflineExtension()])
    assert "<script" not in out and "<iframe" not in out
    assert not re.search(r"<img[^>]+src=\"https?:", out)
    assert "image not loaded (offline)" in out and "https://evil.example/x.png" in out
    assert '<img alt="local" src="img/ok.png"' in out
    assert 'href="https://example.org"' in out  # shown as a link, opened only by the user


def test_render_runbook_full_document_with_code_and_tables():
    text = ("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```bash\nsystemctl restart x\n```\n\n"
            "- [ ] item\n")
    rb = parse_runbook(Runbook("t.md", Path("t.md"), ""), text)
    html = render_runbook(rb, states={rb.items[0].id: "done"})
    assert "<table" in html and "<td>1</td>" in html
    assert 'style="color:' in html  # pygments inline styles, no stylesheet classes
    assert "systemctl" in html
    assert f"check:{rb.items[0].id}" in html and "☑" in html


def test_render_unreadable_file_says_why():
    rb = Runbook("b.md", Path("b.md"), "b", load_error="file is binary, not markdown text")
    html = render_runbook(rb)
    assert "cannot be shown" in html and "binary" in html


def test_highlight_terms_only_in_text():
    body = '<a href="redis.md">Redis down</a> and redis'
    out = highlight_terms(body, ["redis"])
    assert 'href="redis.md"' in out
    assert out.count("background-color") == 2


def test_metadata_lines_become_one_muted_line():
    from runbook_viewer.core.mdext import MetadataExtension

    out = markdown.markdown("# T\n\nLast Updated: 2026-11-20\nVersion: 1.2\nOwner: SRE\n\nBody\n",
                            extensions=[MetadataExtension()])
    assert '<p class="meta"' in out
    assert "Last Updated: 2026-11-20  ·  Version: 1.2  ·  Owner: SRE" in out
    assert "<p>Body</p>" in out


def test_emoji_label_with_bold_word_is_not_doubled():
    out = markdown.markdown("Legend: 🔴 **CONSTITUTIONAL** steps", extensions=[
        LabelBadgeExtension()])
    assert out.count("CONSTITUTIONAL") == 1 and "■" in out


def test_checkboxes_stay_readable_on_a_dark_background():
    light = markdown.markdown("- [ ] a\n", extensions=[TaskListExtension(item_ids=["a"])])
    dark = markdown.markdown("- [ ] a\n", extensions=[TaskListExtension(item_ids=["a"],
                                                                        dark=True)])
    assert "color:#333333" in light and "color:#e0e0e0" in dark
