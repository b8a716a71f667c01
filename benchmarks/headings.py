"""Time against the number of headings in one runbook: every path a user can take, linear.

    .venv/bin/python benchmarks/headings.py [--sizes 1000,10000,100000] [--no-print]

One runbook of N ``### Step k: x`` headings (every 25th step with a 🔵 label and a checklist
item; 100,000 headings make 1.97 MB, under the 2 MB file limit) in a library of its own,
through: load (read, parse, model), page (the window's HTML of part 1 — a runbook this large
is shown in parts — and Qt laying it out), jump (the part holding the middle step, laid out),
show (terminal text of the whole), search (index every section, then a query), scenarios,
check (the runbook-template profile: every step rule applies), print (PDF of the runbook as
read, and of its blank checklist).

Figures: seconds per stage and size, and the growth per doubling of the headings worked out
from the sizes measured in the same run: (t(N2)/t(N1)) ** (1 / log2(N2/N1)). 2.0 is linear;
4.0 would be quadratic (10,000 headings took 34 s to print before: 100,000 would not finish).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))


def runbook(n: int) -> str:
    out = ["# Big", "", "## Procedure", ""]
    for k in range(1, n + 1):
        out.append(f"### Step {k}: x")
        if k % 25 == 0:
            out.append(f"🔵 **OPERATIONAL**\n\n- [ ] i{k} `c{k}`\n")
    return "\n".join(out) + "\n"


def stages(root: Path, with_print: bool, out: Path) -> dict[str, float]:
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QApplication

    from runbook_viewer.core.library import load_library
    from runbook_viewer.core.lint import resolve_profile, run_check
    from runbook_viewer.core.markdown.text import runbook_to_text
    from runbook_viewer.core.page_parts import part_for
    from runbook_viewer.core.printing.checklist import blank_checklist_document
    from runbook_viewer.core.printing.document import runbook_document
    from runbook_viewer.core.render import document_of, render_runbook
    from runbook_viewer.core.scenarios import build_scenarios
    from runbook_viewer.core.search import SearchEngine

    QApplication.instance() or QApplication([])
    times: dict[str, float] = {}

    def timed(name, work):
        start = time.perf_counter()
        result = work()
        times[name] = time.perf_counter() - start
        return result

    lib = timed("load", lambda: load_library(root, use_cache=False))
    rb = lib.get("big.md")

    def lay_out(html: str) -> None:
        doc = QTextDocument()
        doc.setTextWidth(800)
        doc.setHtml(html)
        doc.size()

    timed("page", lambda: lay_out(render_runbook(rb, library=lib, part=1)))
    middle = rb.steps[len(rb.steps) // 2].anchor
    timed("jump", lambda: lay_out(render_runbook(
        rb, library=lib, part=part_for(rb, document_of(rb), middle).number)))
    timed("show", lambda: runbook_to_text(rb, width=100))

    def search() -> None:
        engine = SearchEngine(lib, index_path=out / "index.sqlite3")
        engine.ensure_index()
        assert engine.search("step x")
        engine.close()

    timed("search", search)
    timed("scenarios", lambda: build_scenarios(lib))
    timed("check", lambda: run_check(lib, resolve_profile(lib.root, "runbook-template")))
    if with_print:
        from runbook_viewer.qtprint.layout import write_pdf

        timed("print", lambda: write_pdf(runbook_document(rb), out / "read.pdf"))
        timed("print blank", lambda: write_pdf(blank_checklist_document(rb), out / "blank.pdf"))
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--no-print", action="store_true", help="leave out the two PDFs")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="rv-headings-"))
    os.environ["RUNBOOK_VIEWER_HOME"] = str(work / "home")
    results: list[dict[str, float]] = []
    try:
        for n in sizes:
            root = work / f"lib{n}"
            root.mkdir()
            (root / "big.md").write_text(runbook(n), encoding="utf-8")
            size = (root / "big.md").stat().st_size
            results.append(stages(root, not args.no_print, root))
            print(f"{n:>7} headings ({size / 1e6:.2f} MB): " + " · ".join(
                f"{k} {v:.2f} s" for k, v in results[-1].items()), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("growth per doubling of the headings (2.0 = linear, 4.0 = quadratic):")
    for name in results[0]:
        steps = []
        for (n1, r1), (n2, r2) in zip(zip(sizes, results, strict=True),
                                      zip(sizes[1:], results[1:], strict=True), strict=False):
            if r1[name] > 0.005:
                steps.append(f"{n1}→{n2}: {(r2[name] / r1[name]) ** (1 / math.log2(n2 / n1)):.2f}")
        print(f"  {name:<12} " + (", ".join(steps) or "too fast to measure at the small size"))
    return 0


if __name__ == "__main__":  # required: loads may parse in spawned worker processes
    sys.exit(main())
