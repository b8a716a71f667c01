"""Rendering: the page QTextBrowser shows, from the runbook's tokens (and markdown fragments)."""

from __future__ import annotations

import re
from pathlib import Path

from runbook_viewer.core.model import Runbook
from runbook_viewer.core.parser import parse_runbook
from runbook_viewer.core.render import highlight_terms, markdown_to_html, render_runbook


def parse(text: str, path: str = "t.md") -> Runbook:
    return parse_runbook(Runbook(path, Path(path), ""), text)


def body(text: str, **kwargs) -> str:
    rb = parse(text)
    states = kwargs.pop("states", None)
    if states:
        states = {rb.items[n].id: s for n, s in states.items()}
    current = kwargs.pop("current", None)
    if current is not None:
        current = rb.items[current].id
    return render_runbook(rb, states=states, current=current, **kwargs)


def test_headings_get_github_anchors_and_named_targets():
    out = markdown_to_html("# Title\n\n## Step 1: Do it\n\n## Step 1: Do it\n")
    assert '<h2 id="step-1-do-it"><a name="step-1-do-it"></a>Step 1: Do it</h2>' in out
    assert 'id="step-1-do-it-1"' in out


def test_old_anchor_is_a_second_target_on_its_heading():
    rb = parse("# T\n\n## Setup\n\n## Setup\n\n#### 🔵 Operational check\n")
    out = render_runbook(rb)
    assert '<a name="setup-1"></a><a name="setup_1"></a>' in out
    assert '<a name="-operational-check"></a><a name="operational-check"></a>' in out


def test_task_list_draws_state_and_current():
    rb = parse("- [ ] first\n- [ ] second\n- [x] third\n- plain\n")
    ids = [i.id for i in rb.items]
    out = render_runbook(rb, states={ids[0]: "done", ids[2]: "skipped"}, current=ids[1])
    assert f'href="check:{ids[0]}"' in out and "☑" in out
    assert f'href="check:{ids[1]}"' in out and "▶" in out
    assert f'<a name="item-{ids[1]}">' in out
    assert "[skipped]" in out
    assert "plain" in out and out.count("check:") == 3
    assert "[ ]" not in out and "[x]" not in out


def test_task_list_non_interactive_has_no_links():
    out = body("- [ ] first\n", interactive=False)
    assert "check:" not in out and "☐" in out


def test_label_badges_banner_and_inline():
    out = markdown_to_html("🔴 **CONSTITUTIONAL** — FR18, ADR-6\n\n#### 🔵 Operational check\n")
    assert "<table" in out and "CONSTITUTIONAL" in out and "FR18, ADR-6" in out
    assert "do not bypass" in out
    assert "OPERATIONAL" in out and "background-color:#0d47a1" in out
    assert "🔴" not in out and "🔵" not in out  # glyphs, not colour emoji


def test_offline_never_loads_remote():
    src = ('![diagram](https://evil.example/x.png)\n\n<img src="http://x/y.png" alt="y">\n\n'
           '<script>alert(1)</script>\n\n<iframe src="https://x"></iframe>\n\n'
           '![local](img/ok.png)\n\n[link](https://example.org)\n\n'
           'text <b onclick="x()">bold</b> <style>p{}</style> run `kubectl get <pod>`\n')
    out = markdown_to_html(src)
    assert "<script" not in out and "<iframe" not in out and "<style" not in out
    assert "alert(1)" not in out and "onclick" not in out
    assert not re.search(r"<img[^>]+src=\"https?:", out)
    assert "image not loaded (offline)" in out and "https://evil.example/x.png" in out
    assert '<img src="img/ok.png" alt="local" />' in out
    assert 'href="https://example.org"' in out  # shown as a link, opened only by the user
    assert "<b>bold</b>" in out and "&lt;pod&gt;" in out


def test_raw_html_that_is_no_tag_shows_as_text():
    out = markdown_to_html("Replace <cluster-name> and <your_user> before running.\n")
    assert "&lt;cluster-name&gt;" in out and "&lt;your_user&gt;" in out


def test_render_runbook_full_document_with_code_and_tables():
    text = ("# T\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n```bash\nsystemctl restart x\n```\n\n"
            "- [ ] item\n")
    rb = parse(text)
    html = render_runbook(rb, states={rb.items[0].id: "done"})
    assert "<table" in html and "<td>1</td>" in html and '<td align="right">2</td>' in html
    assert 'style="color:' in html  # pygments inline styles, no stylesheet classes
    assert "systemctl" in html
    assert f"check:{rb.items[0].id}" in html and "☑" in html


def test_fenced_command_inside_a_list_item_stays_code():
    out = markdown_to_html("1. Restart:\n\n   ```shell\n   kubectl -n <ns> delete pod x\n   ```\n"
                           "2. Check\n")
    assert out.count("<li>") == 2 and "<pre" in out and "```" not in out
    assert "&lt;ns&gt;" in out


def test_render_unreadable_file_says_why():
    rb = Runbook("b.md", Path("b.md"), "b", load_error="file is binary, not markdown text")
    html = render_runbook(rb)
    assert "cannot be shown" in html and "binary" in html


def test_highlight_terms_only_in_text():
    html = '<a href="redis.md">Redis down</a> and redis'
    out = highlight_terms(html, ["redis"])
    assert 'href="redis.md"' in out
    assert out.count("background-color") == 2


def test_metadata_lines_become_one_muted_line():
    out = markdown_to_html("# T\n\nLast Updated: 2026-11-20\nVersion: 1.2\nOwner: SRE\n\nBody\n")
    assert '<p class="meta"' in out
    assert "Last Updated: 2026-11-20  ·  Version: 1.2  ·  Owner: SRE" in out
    assert "<p>Body</p>" in out


def test_emoji_label_with_bold_word_is_not_doubled():
    out = markdown_to_html("Legend: 🔴 **CONSTITUTIONAL** steps")
    assert out.count("CONSTITUTIONAL") == 1 and "■" in out


def test_checkboxes_stay_readable_on_a_dark_background():
    light = body("- [ ] a\n")
    dark = body("- [ ] a\n", dark=True)
    assert "color:#333333" in light and "color:#e0e0e0" in dark


def test_external_links_are_marked():
    out = markdown_to_html("[docs](https://example.org) and [local](other.md#x)\n")
    assert '<a href="https://example.org">docs</a><span' in out and "&#8599;" in out
    assert out.count("&#8599;") == 1  # the local link is not marked
