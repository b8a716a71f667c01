"""cmark-gfm (GitHub's own renderer) as the oracle: the page the viewer shows has the same block
structure as GitHub's HTML for the same file.

Structure = how many h1–h4, ul, ol, li, pre, table and blockquote elements the HTML has, plus
any literal ``` left in its text (a fence that became a paragraph). The viewer's own additions
are not markdown structure and are not counted: the label banners (``class="label …"``) and the
front-matter title (``class="rv-title"``). Front matter is removed before cmark-gfm sees the
file, as GitHub hides it.
"""

from __future__ import annotations

import collections
from html.parser import HTMLParser
from pathlib import Path

import pytest

from runbook_viewer.core.markdown.engine import split_front_matter
from runbook_viewer.core.model import Runbook
from runbook_viewer.core.parser import parse_runbook
from runbook_viewer.core.render import markdown_to_html, runbook_html

cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm is a test dependency: "
                               "pip install -e '.[test]'")

REPO = Path(__file__).resolve().parents[3]
CORPORA = REPO.parent / "shared" / "corpora"
TAGS = ("h1", "h2", "h3", "h4", "ul", "ol", "li", "pre", "table", "blockquote")

#: files whose structure still differs from GitHub's, each with the reason (path relative to
#: ../shared/corpora). Empty: every corpus file matches. A fixed difference must leave the
#: list (the test fails on a stale entry too).
KNOWN_DIFFERENCES: dict[str, str] = {}


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: collections.Counter[str] = collections.Counter()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if not cls.startswith(("label", "rv-")):
            self.counts[tag] += 1

    def handle_data(self, data):
        self.text.append(data)


def structure(html: str) -> dict[str, int]:
    parser = _Structure()
    parser.feed(html)
    found = {t: parser.counts[t] for t in TAGS}
    found["literal ```"] = "".join(parser.text).count("```")
    return found


def github(text: str) -> dict[str, int]:
    lines = text.splitlines()
    _, start = split_front_matter(lines)
    return structure(cmarkgfm.github_flavored_markdown_to_html("\n".join(lines[start:])))


def viewer(path: Path, text: str) -> dict[str, int]:
    rb = parse_runbook(Runbook(path.name, path, ""), text)
    return structure(runbook_html(rb))


def differences(files: list[Path], root: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        got, want = viewer(f, text), github(text)
        if got != want:
            out[f.relative_to(root).as_posix()] = {k: (got[k], want[k]) for k in got
                                                   if got[k] != want[k]}
    return out


def test_bundled_library_has_githubs_structure_in_every_file():
    files = sorted((REPO / "runbooks").rglob("*.md"))
    assert len(files) >= 19
    assert differences(files, REPO / "runbooks") == {}


@pytest.mark.corpus
def test_corpora_have_githubs_structure():
    if not CORPORA.is_dir():
        pytest.skip(f"corpora not present at {CORPORA} (read-only test input beside the "
                    "project checkout)")
    files = sorted(CORPORA.rglob("*.md"))
    assert len(files) >= 500
    diff = differences(files, CORPORA)
    same = 1 - len(diff) / len(files)
    assert same >= 0.995, diff
    unexplained = {k: v for k, v in diff.items() if k not in KNOWN_DIFFERENCES}
    assert unexplained == {}, "differences with no reason listed in KNOWN_DIFFERENCES"
    stale = set(KNOWN_DIFFERENCES) - set(diff)
    assert not stale, f"listed differences that are gone now: {sorted(stale)}"


@pytest.mark.parametrize("text", [
    # what Python-Markdown got wrong on real libraries (issue 12)
    "1. Restart it:\n\n   ```shell\n   kubectl -n <ns> delete pod <pod>\n   ```\n\n2. Check\n",
    "Labels on the alert:\n* workload: x\n* namespace: y\n",
    "- a\n  - nested by two spaces\n    - and again\n- b\n",
    "- item\n\n  ```\n  code in a loose item\n  ```\n- next\n",
    "> quote\n> - with a list\n>\n> ```\n> and code\n> ```\n",
    "| a | `b|c` |\n|---|---|\n| 1 | 2 |\n\ntext\n",
    "Para\n```\nfence right after a paragraph\n```\n",
    "<details>\n<summary>More</summary>\n\n- hidden list\n\n</details>\n",
    "    indented code\n\n* [ ] task\n* [x] done\n",
    "```\nunclosed fence\n- not a list\n",
])
def test_constructs_that_broke_before_match_github(text):
    assert structure(markdown_to_html(text)) == github(text)
