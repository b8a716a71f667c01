"""WCAG AA contrast of every text/background pair the viewer draws, in light and dark, and the
rule that makes this complete: no module outside core/palette.py holds a colour literal."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from runbook_viewer.core.palette import (
    DARK,
    LIGHT,
    PRINT_BG,
    PRINT_FG,
    contrast,
    palette,
)

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "runbook_viewer"
HEX_RE = re.compile(r"(?<![\w&])#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?\b")
NAMED_RE = re.compile(r"QColor\(\s*['\"][a-z]|GlobalColor|Qt\.(?:red|green|blue|black|white|"
                      r"yellow|gray|darkRed|darkBlue)\b")


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic fail
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("pal", [LIGHT, DARK], ids=["light", "dark"])
def test_every_pair_meets_wcag_aa(pal):
    pairs = pal.pairs()
    failures = [f"{what}: {fg} on {bg} = {contrast(fg, bg):.2f} < {minimum}"
                for what, fg, bg, minimum in pairs if contrast(fg, bg) < minimum]
    assert not failures, "\n".join(failures)
    # the list covers every colour entry of the palette (nothing drawn that is not checked)
    used = {c for _w, fg, bg, _m in pairs for c in (fg, bg)}
    entries = {pal.fg, pal.bg, pal.muted, pal.code_bg, pal.link, pal.mark, pal.mark_fg,
               pal.warning, pal.ok, pal.current_bg, pal.current_fg, pal.current_marker,
               pal.banner_note, pal.notice_bg, pal.notice_fg, pal.find_all_bg,
               pal.find_current_bg, pal.find_fg, pal.tree_error, pal.window, pal.button,
               pal.highlight, pal.highlight_fg, pal.placeholder, pal.value_fg, pal.value_bg,
               pal.unfilled_fg, pal.unfilled_bg, *pal.state.values(),
               *pal.label.values(), *pal.severity.values(), *pal.code_colours().values()}
    entries |= {c for pair in pal.badge.values() for c in pair}
    entries |= {c for bg, fg, _border in pal.banner.values() for c in (bg, fg)}
    assert entries <= used, f"palette entries never checked: {sorted(entries - used)}"


def test_dark_palette_fixes_the_reported_pairs():
    """Issue 14 §7: code in the current item, search highlights and labels on dark."""
    assert contrast(DARK.current_fg, DARK.code_bg) >= 4.5  # `command` in the current item
    assert contrast(DARK.mark_fg, DARK.mark) >= 4.5
    for label in ("constitutional", "operational"):
        assert contrast(DARK.label[label], DARK.bg) >= 4.5
        assert contrast(DARK.label[label], DARK.window) >= 4.5


def test_print_is_black_on_white():
    assert contrast(PRINT_FG, PRINT_BG) == pytest.approx(21.0)


def test_code_highlighting_style_comes_from_the_palette():
    from pygments.token import Comment, Literal

    for dark in (False, True):
        style = palette(dark).pygments
        assert style.background_color == palette(dark).code_bg
        assert style.style_for_token(Comment.Single)["color"] == \
            palette(dark).code["Comment"].split()[-1].lstrip("#")
        assert style.style_for_token(Literal.String.Double)["color"]


def _colour_literals(path: Path) -> list[str]:
    found = []
    source = path.read_text(encoding="utf-8")
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING and HEX_RE.search(tok.string):
            found.append(f"{path.name}:{tok.start[0]}: {HEX_RE.search(tok.string).group(0)}")
    for n, line in enumerate(source.splitlines(), 1):
        if NAMED_RE.search(line.split("#", 1)[0]):
            found.append(f"{path.name}:{n}: named colour")
    return found


def test_no_colour_literal_outside_the_palette():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "palette.py" and path.parent.name == "core":
            continue
        offenders += _colour_literals(path)
    assert not offenders, "colour literals outside core/palette.py:\n" + "\n".join(offenders)


def test_the_literal_check_finds_literals(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('a = "color:#b00020;"\nb = QColor("red")\nc = "issue #12 x"  # #ffffff\n')
    found = _colour_literals(sample)
    assert len(found) == 2, found
