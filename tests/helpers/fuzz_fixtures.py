"""Runbook-like markdown made of random fragments, and the whole pipeline run over it.

Shared by the property test (``test_fuzz_pipeline.py``, hypothesis draws the choices and
shrinks a failure) and the longer run (``benchmarks/fuzz.py``, ``random.Random(seed)`` draws
them and prints the seed of any failure). A fragment is a function of a :class:`Draw`, so both
drive exactly the same generator.

:func:`run_pipeline` writes a library of three files — a landing page, the generated file and
a known good runbook — and runs everything a user can reach: load → page (window and
``show --html``) → terminal text (``show``) → print documents (runbook, blank checklist, a
run, the whole library) → search index and queries → scenarios → check. It returns what went
wrong as text (``None``: nothing), so callers decide how to report it; an exception escaping is
itself reported as the failure, with its traceback.
"""

from __future__ import annotations

import random
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

GOOD_WORD = "zanzibarquux"
GOOD = f"""# Good runbook

Last Updated: 2026-01-01
Version: 1.0

## Trigger Conditions

- **HIGH** — {GOOD_WORD} alarm fires → [Step 1](#step-1-fix-it)

## Procedure

### Step 1: Fix it

🔵 **OPERATIONAL**

- [ ] Restart the {GOOD_WORD} daemon `systemctl restart {GOOD_WORD}`
"""


class Draw(Protocol):
    def choice(self, seq: Sequence): ...
    def integer(self, lo: int, hi: int) -> int: ...
    def text(self, alphabet: str, max_size: int) -> str: ...


class RandomDraw:
    """Choices from ``random.Random(seed)`` (the benchmark: a failure is its seed)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def choice(self, seq: Sequence):
        return self.rng.choice(seq)

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def text(self, alphabet: str, max_size: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, max_size)))


class HypothesisDraw:
    """Choices drawn by hypothesis (the test: a failure shrinks to a small file)."""

    def __init__(self, data):
        from hypothesis import strategies as st

        self.data, self.st = data, st

    def choice(self, seq: Sequence):
        return self.data.draw(self.st.sampled_from(list(seq)))

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(self.st.integers(lo, hi))

    def text(self, alphabet: str, max_size: int) -> str:
        return self.data.draw(self.st.text(alphabet=alphabet, max_size=max_size))


ODD = ("\x00", "\u200f", "\u202e", "\ufeff", "e\u0301", "\u00a0", "\t", "\x0c", "\r",
       "𝔘𝔫𝔦", "🔴", "🔵", "\u2028", "\\", "&amp;", "&#0;", "\U0010ffff", "\ud800")
WORDS = ("redis", "halt", "fork", "restart", "quorum", "x509", "Step", "step", "a", "",
         "`code`", "**bold**", "_em_", "<pod-name>", "[x]", "#", "|", "→", "—", "🔴", "🔵",
         "OPERATIONAL", "CONSTITUTIONAL", "CRITICAL", "HIGH", "Verification:")
LINK_TARGETS = ("#step-1-a", "#step-2-b", "#missing", "good.md", "good.md#step-1-fix-it",
                "index.md", "../outside.md", "/etc/passwd", "http://example.com/x",
                "mailto:a@b", "javascript:alert(1)", "check:abc", "file:///etc/passwd",
                "bad.md#c", "", "<>", "a b.md", "%zz")
TEXT_ALPHABET = "ab #>-*+1.)[]()!`~|:<>/\\{}%_\n\t" + "".join(ODD)


def words(d: Draw, n: int = 4) -> str:
    return " ".join(d.choice(WORDS + ODD) for _ in range(d.integer(0, n)))


def heading(d: Draw) -> str:
    hashes = "#" * d.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7))
    title = d.choice((f"Step {d.integer(0, 12)}: {words(d, 2)}", f"Step {d.integer(1, 3)}: a",
                      f"Step {d.integer(1, 3)}: b", f"Step {d.integer(1, 3)}.", words(d),
                      "Trigger Conditions", "Procedure", "Verification", "c", "",
                      "Quick reference by scenario", "🔵 Operational check",
                      f"🔴 Constitutional check — FR{d.integer(1, 9)}"))
    return f"{hashes} {title}{d.choice(('', ' #', ' ##', ' {#id}'))}"


def outline(d: Draw) -> str:
    """A few headings in a row at random levels, `Step N:` or not, some with an item under
    them: steps inside steps, sections inside steps, levels skipped and going back up."""
    parts = []
    level = d.integer(1, 3)
    for n in range(d.integer(2, 5)):
        title = d.choice((f"Step {n + 1}: {d.choice('abc')}", f"Step {n + 1}: {d.choice('abc')}",
                          d.choice("abc"), "Verification"))
        parts.append(f"{'#' * level} {title}")
        level = max(1, min(6, level + d.choice((-2, -1, 0, 1, 1, 1))))
        if d.integer(0, 1):
            parts.append(d.choice(("- [ ] check it", "🔴 **CONSTITUTIONAL**", "text", "")))
    return "\n".join(parts)


def setext(d: Draw) -> str:
    return f"{words(d)}\n{d.choice(('===', '---', '-', '= ='))}"


def list_block(d: Draw) -> str:
    lines = []
    for _ in range(d.integer(1, 6)):
        indent = d.choice(("", "  ", "    ", "\t", "   ", "      ", "\t\t"))
        marker = d.choice(("-", "*", "+", "1.", "2)", "10.", "-", "- [ ]", "- [x]",
                           "* [X]", "1. [ ]", "-[ ]", "- [ ]  "))
        lines.append(f"{indent}{marker} {words(d)}")
    return "\n".join(lines)


def task_items(d: Draw) -> str:
    return "\n".join(f"- [{d.choice(' xX')}] {words(d, 6)} `{d.choice(WORDS)}`"
                     for _ in range(d.integer(1, 4)))


def fence(d: Draw) -> str:
    mark = d.choice(("```", "~~~", "````", "```bash", "~~~yaml title=x", "``` python"))
    body = "\n".join(d.choice(("echo hi", "  - alert: GoodRunbook", "    severity: critical",
                               "## not a heading", "- [ ] not an item", "```", "~~~", "")))
    close = d.choice((mark[:3], mark[:4], "", "``", "~~~~", "```  x"))
    return f"{mark}\n{body}\n{close}".rstrip("\n")


def indented_code(d: Draw) -> str:
    return "\n".join("    " + words(d) for _ in range(d.integer(1, 3)))


def table(d: Draw) -> str:
    cols = d.integer(1, 4)
    head = "| " + " | ".join(words(d, 2) for _ in range(cols)) + " |"
    rule = "|" + "|".join(d.choice(("---", ":--", "--:", ":-:", "-", ""))
                          for _ in range(cols)) + "|"
    rows = ["| " + " | ".join(d.choice((words(d, 2), link(d), "CRITICAL", "🔴", "\\|"))
                              for _ in range(d.integer(0, 5)))
            + d.choice((" |", "")) for _ in range(d.integer(0, 3))]
    return "\n".join([head, rule, *rows])


def label(d: Draw) -> str:
    return d.choice(("🔵 **OPERATIONAL**", "🔴 **CONSTITUTIONAL** — FR17, ADR-6", "🔴", "🔵",
                     "🔴 CONSTITUTIONAL", "**🔵 OPERATIONAL**", "🔴🔵 both"))


def link(d: Draw) -> str:
    target = d.choice(LINK_TARGETS)
    return d.choice((f"[{words(d, 2)}]({target})", f"![{words(d, 1)}]({target})",
                     f"[{words(d, 1)}]({{{{< ref \"{target}\" >}}}})",
                     f"{{{{< relref '{target}' >}}}}", "{{< hint info >}}careful{{< /hint >}}",
                     "{{< toc >}}", "{{</* escaped */>}}", "{{% notice %}}x{{% /notice %}}",
                     f"<{target}>", f"[ref]: {target}", f"[{words(d, 1)}][ref]",
                     "[unclosed](", "](", "[[[x]]]"))


def raw_html(d: Draw) -> str:
    return d.choice(("<div>", "</div>", "<details><summary>s</summary>", "<script>x()</script>",
                     "<!-- unclosed comment", "<img src=\"http://x/p.png\" alt=t>",
                     "<a name=\"step-1-a\"></a>", "<table><tr><td>x</td></tr></table>",
                     "<br>", "<p", "<style>body{}</style>", "<?php ?>", "<![CDATA[x]]>"))


def trigger(d: Draw) -> str:
    return (f"- **{d.choice(('CRITICAL', 'HIGH', 'LOW', 'bogus', ''))}** — {words(d)} → "
            f"[Step {d.integer(0, 5)}]({d.choice(LINK_TARGETS)})")


def verification(d: Draw) -> str:
    return (f"**Verification:**\n\n- Expected outcome: {words(d)}\n"
            f"- Command to verify: `{words(d, 2)}`")


def meta(d: Draw) -> str:
    return d.choice(("Last Updated: 2026-01-01", "Version: 2", "Owner: SRE",
                     "**Severity:** Critical", "---\nunclosed: front matter",
                     "---\ntitle: Front\nweight: x\nseverity: warning\n---",
                     "+++\ntitle = 'T'\n+++"))


def quote(d: Draw) -> str:
    return "\n".join(">" * d.integer(1, 4) + " " + words(d) for _ in range(d.integer(1, 3)))


def odd(d: Draw) -> str:
    return d.text(TEXT_ALPHABET, 40)


def hostile(d: Draw) -> str:
    """Short bursts of the constructs that made parsers recurse or backtrack."""
    n = d.integer(1, 300)
    return d.choice(("- " * n + "x", "> " * n + "x", "[" * n, "<div>" * n, "*" * n + "a",
                     "`" * n, "\t" * n + "- x", "](" * n, "\\" * n, "#" * n, "|" * n, "{{<" * n))


FRAGMENTS: tuple[Callable[[Draw], str], ...] = (
    heading, heading, outline, outline, setext, list_block, task_items, task_items, fence,
    indented_code, table, label, link, raw_html, trigger, verification, meta, quote, odd,
    hostile, words)


def runbook_text(d: Draw, max_fragments: int = 24) -> str:
    parts = [d.choice(FRAGMENTS)(d) for _ in range(d.integer(0, max_fragments))]
    sep = d.choice(("\n\n", "\n", "\r\n\r\n", "\n\n\n"))
    return sep.join(parts) + d.choice(("\n", "", "\r\n"))


def landing_text(d: Draw) -> str:
    targets = ("bad.md#step-1-a", "good.md#step-1-fix-it", "bad.md", "nope.md", "bad.md#c")
    rows = "\n".join(f"| {words(d, 2)} | {d.choice(('CRITICAL', 'HIGH', 'x'))} | 🔴 | "
                     f"[{words(d, 1)}]({d.choice(targets)}) |" for _ in range(d.integer(0, 3)))
    return ("# Library\n\n## Quick reference by scenario\n\n"
            "| Symptom | Severity | Type | Runbook |\n"
            f"|---|---|---|---|\n{rows}\n\n- [bad](bad.md)\n- [good](good.md)\n")


def write_library(root: Path, text: str, landing: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    # a lone surrogate cannot be UTF-8: written as is, the file is not valid UTF-8 (a case)
    (root / "index.md").write_bytes(landing.encode("utf-8", errors="surrogatepass"))
    (root / "bad.md").write_bytes(text.encode("utf-8", errors="surrogatepass"))
    (root / "good.md").write_text(GOOD, encoding="utf-8")


def run_pipeline(root: Path, state: Path) -> str | None:
    """Everything over the library at ``root`` (state and index under ``state``): ``None`` when
    all went well, else what went wrong (an escaped exception with its traceback)."""
    try:
        return _pipeline(root, state)
    except BaseException as exc:  # the point: nothing may escape
        if isinstance(exc, KeyboardInterrupt):
            raise
        return "".join(traceback.format_exception(exc))


def _pipeline(root: Path, state: Path) -> str | None:
    from runbook_viewer.core.checklist import ChecklistStore
    from runbook_viewer.core.library import load_library
    from runbook_viewer.core.lint import resolve_profile, run_check
    from runbook_viewer.core.markdown.text import runbook_to_text
    from runbook_viewer.core.printing.checklist import blank_checklist_document, run_document
    from runbook_viewer.core.printing.document import library_document, runbook_document
    from runbook_viewer.core.render import render_runbook
    from runbook_viewer.core.scenarios import build_scenarios
    from runbook_viewer.core.scenarios.wayfinding import breadcrumbs, related
    from runbook_viewer.core.search import SearchEngine

    lib = load_library(root)
    paths = {rb.path for rb in lib.runbooks}
    if {"good.md", "bad.md", "index.md"} - paths:
        return f"files missing from the library: {sorted(paths)}"
    good = lib.get("good.md")
    if good is None or good.load_error or len(good.items) != 1:
        return "the good runbook did not load whole"
    for rb in lib.runbooks:
        page = render_runbook(rb, library=lib, states={}, terms=["redis"])
        if not page.startswith("<html>") or "</body></html>" not in page:
            return f"{rb.path}: page is not a whole document"
        if not runbook_to_text(rb, width=60).strip():
            return f"{rb.path}: empty terminal text"
        for pdoc in (runbook_document(rb), blank_checklist_document(rb)):
            if not pdoc.html.startswith("<html>"):
                return f"{rb.path}: print document is not HTML"
        related(lib, rb.path)
        for sec in rb.sections[:3]:
            breadcrumbs(lib, rb.path, sec.anchor)
            rb.step_of(sec.anchor)
    library_document(lib)
    bad = lib.get("bad.md")
    with ChecklistStore(path=state / "checklists.sqlite3") as store:
        run = store.start_run(bad, operator="fuzz")
        for item in bad.items[:2]:
            store.set_item(run.run_id, item, "done", operator="fuzz")
        run_document(bad, store.run_state(run.run_id, bad), store.timeline(run.run_id))
    engine = SearchEngine(lib, index_path=state / "index.sqlite3")
    engine.ensure_index()
    for query in (GOOD_WORD, "redis halt", "step", "🔴", "[", '"', "x509 AND", "*"):
        engine.search(query, limit=5)
        engine.suggest(query)
    hits = engine.search(GOOD_WORD, limit=5)
    engine.close()
    if not any(h.path == "good.md" for h in hits):
        return "search lost the good runbook"
    scenarios = build_scenarios(lib)
    if not any(GOOD_WORD in s.title.lower() or s.path == "good.md" for s in scenarios):
        return "scenarios lost the good runbook"
    report = run_check(lib, resolve_profile(lib.root, None), date(2026, 1, 2))
    internal = [str(p) for p in report.problems if "internal error" in p.message]
    if internal:
        return "check: " + "; ".join(internal)
    return None
