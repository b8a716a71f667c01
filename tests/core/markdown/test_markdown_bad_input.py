"""Bad input renders — page, terminal text and print — and never raises."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runbook_viewer.core.library import load_runbook
from runbook_viewer.core.markdown.text import runbook_to_text
from runbook_viewer.core.model import Runbook
from runbook_viewer.core.parser import parse_runbook
from runbook_viewer.core.printing.document import runbook_document
from runbook_viewer.core.render import render_runbook


def parse(text: str) -> Runbook:
    return parse_runbook(Runbook("x.md", Path("x.md"), ""), text)


def everything(rb: Runbook) -> tuple[str, str, str]:
    return render_runbook(rb), runbook_to_text(rb, width=60), runbook_document(rb).html


def test_unterminated_fence_is_code_to_the_end_with_a_notice():
    rb = parse("# T\n\n```bash\nrm -rf /tmp/x\n## not a heading\n- [ ] not an item\n")
    page, text, _ = everything(rb)
    assert [s.title for s in rb.sections] == ["T"] and rb.items == []
    assert [(p.code, p.line) for p in rb.problems] == [("unclosed-fence", 6)]
    assert "never closed" in page and "## not a heading" in page
    assert "    ## not a heading" in text
    assert not rb.code_blocks[0].closed


def test_unterminated_fence_in_a_list_item_ends_with_the_item():
    rb = parse("- step\n  ```\n  code\n- next step\n")
    assert "<li>" in render_runbook(rb) and render_runbook(rb).count("<li>") == 2
    assert rb.code_blocks[0].closed is False


def test_raw_html_blocks_never_run_or_load():
    rb = parse('<div onload="x()"><script src="https://evil/x.js"></script>\n'
               '<img src="https://evil/p.png" alt="tracker"><iframe src="https://e"></iframe>\n'
               "<style>body{display:none}</style></div>\n\n<!-- a comment -->\n\nafter\n")
    page, text, printed = everything(rb)
    for out in (page, printed):
        assert "<script" not in out and "<iframe" not in out and "onload" not in out
        assert "display:none" not in out and "a comment" not in out
        assert 'src="https://' not in out
    assert "image not loaded (offline): tracker" in page
    assert "after" in text and "<script" not in text


def _deep(kind: str, depth: int) -> str:
    if kind == "quotes":
        return ">" * depth + " deep\n"
    if kind == "list":
        return "- " * depth + "deep\n"
    return "".join("  " * n + "- level\n" for n in range(depth))


def test_ten_thousand_deep_nesting_renders_as_text_with_a_notice():
    for kind, depth in (("quotes", 10_000), ("list", 10_000), ("indented", 1_000)):
        start = time.perf_counter()
        rb = parse(_deep(kind, depth) + "\n# After\n")
        page, text, _printed = everything(rb)
        took = time.perf_counter() - start
        assert took < 10, f"{kind}: {took:.1f}s (a guard against runaway parsing; the " \
                          "benchmark measures the real time)"
        assert any(p.code == "degraded" for p in rb.problems), kind
        assert "shown as plain text" in page and ("deep" in page or "level" in page)
        assert "shown as plain text" in text


def test_moderate_nesting_is_not_degraded():
    rb = parse(_deep("indented", 12) + "\n" + _deep("quotes", 10))
    assert not any(p.code == "degraded" for p in rb.problems)
    assert render_runbook(rb).count("<blockquote>") == 10


def test_nul_bytes_and_control_characters():
    rb = parse("# T\x00itle\n\n- [ ] a\x00b\n\n\x01\x02 text\x0b\n")
    page, _text, _ = everything(rb)
    assert rb.title == "T\ufffditle" and rb.items  # NUL becomes U+FFFD (CommonMark)
    assert "\x00" not in page and "\ufffd" in page


def test_invalid_utf8_file_is_shown_with_a_notice(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(b"# Caf\xe9\n\n- [ ] r\xe9start \xff\xfe\n")
    rb = load_runbook(tmp_path, path)
    page, _text, _ = everything(rb)
    assert [p.code for p in rb.problems] == ["encoding"]
    assert "not valid UTF-8" in page and "\ufffd" in page and rb.items


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("#>-*+1.)[]()!`~|:<>/ \n\tax_\\{}%\x00🔴🔵")),
               max_size=300))
def test_any_text_renders_without_raising(text):
    rb = parse(text)
    page, plain, printed = everything(rb)
    assert page.startswith("<html>") and printed.startswith("<html>")
    assert isinstance(plain, str)
