"""Parse + render of whole libraries: the viewer's engine (markdown-it-py) against the engine it
replaced (Python-Markdown), in the same run, as ratios.

    .venv/bin/python benchmarks/render.py [--rounds 5] [--corpus DIR]

Libraries: the bundled one (runbooks/) and the GitLab corpus (../shared/corpora/gitlab-runbooks,
skipped with a message when absent). For every file, interleaved file by file so machine noise
hits both alike:

- new: what the viewer does — parse once into tokens, build the model (sections, items, links,
  code blocks…), render the page HTML (Pygments inline styles, checkboxes, badges, anchors);
- old: Python-Markdown with the extensions the viewer used for the same page (tables,
  fenced_code, sane_lists, codehilite with Pygments inline styles, toc for the anchors). The old
  viewer also ran a separate line scanner for the model on top of this, so the ratio is a lower
  bound of the gain.

Also: the cost of hostile input (10,000-deep quotes and lists, rendered degraded) and the memory
the kept tokens take (tracemalloc, per library). Figures: medians of ``--rounds`` whole-library
passes, in ms, and old/new ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from runbook_viewer.core.markdown.build import build_runbook  # noqa: E402
from runbook_viewer.core.model import Runbook  # noqa: E402
from runbook_viewer.core.render import render_runbook, runbook_html  # noqa: E402

GITLAB = ROOT.parent / "shared" / "corpora" / "gitlab-runbooks"


def old_engine():
    """Python-Markdown as the viewer used it, or None when it is not installed."""
    try:
        import markdown
        from markdown.extensions.codehilite import CodeHiliteExtension
    except ImportError:
        return None

    def render(text: str) -> str:
        md = markdown.Markdown(extensions=[
            "tables", "fenced_code", "sane_lists", "toc",
            CodeHiliteExtension(noclasses=True, pygments_style="default", guess_lang=False)])
        return md.convert(text)

    return render


def parsers_alone(files: list[tuple[Path, str]], rounds: int) -> tuple[float, float] | None:
    """(markdown-it-py ms, Python-Markdown ms) for bare markdown → HTML of every file, without
    the viewer's model, highlighting or decorations (the comparison of issue 12's table)."""
    try:
        import markdown
    except ImportError:
        return None
    from runbook_viewer.core.markdown.engine import engine

    md = engine()
    new_runs, old_runs = [], []
    for _ in range(rounds):
        new_t = old_t = 0.0
        for _path, text in files:
            start = time.perf_counter()
            md.render(text)
            new_t += time.perf_counter() - start
            start = time.perf_counter()
            markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
            old_t += time.perf_counter() - start
        new_runs.append(new_t)
        old_runs.append(old_t)
    return statistics.median(new_runs) * 1000, statistics.median(old_runs) * 1000


def new_engine(path: Path, text: str) -> str:
    rb = build_runbook(Runbook(path.name, path, ""), text)
    return runbook_html(rb)


def files_of(root: Path) -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8", errors="replace"))
            for p in sorted(root.rglob("*.md"))]


def measure(files: list[tuple[Path, str]], old, rounds: int) -> dict[str, float]:
    new_runs, old_runs = [], []
    for _ in range(rounds):
        new_t = old_t = 0.0
        for path, text in files:
            start = time.perf_counter()
            new_engine(path, text)
            new_t += time.perf_counter() - start
            if old is not None:
                start = time.perf_counter()
                old(text)
                old_t += time.perf_counter() - start
        new_runs.append(new_t)
        old_runs.append(old_t)
    out = {"new_ms": statistics.median(new_runs) * 1000}
    if old is not None:
        out["old_ms"] = statistics.median(old_runs) * 1000
    return out


def token_memory(files: list[tuple[Path, str]]) -> tuple[float, float]:
    """(MB held by the runbooks with their tokens, MB without them)."""
    tracemalloc.start()
    kept = [build_runbook(Runbook(p.name, p, ""), t) for p, t in files]
    with_tokens = tracemalloc.get_traced_memory()[0]
    for rb in kept:
        rb.doc = None
    without = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return with_tokens / 1e6, without / 1e6


def hostile(rounds: int) -> dict[str, float]:
    cases = {"10,000-deep quotes": ">" * 10_000 + " x\n",
             "10,000-deep list": "- " * 10_000 + "x\n",
             "1,000 levels of indented list": "".join("  " * n + "- x\n" for n in range(1000))}
    out = {}
    for name, text in cases.items():
        runs = []
        for _ in range(rounds):
            start = time.perf_counter()
            rb = build_runbook(Runbook("deep.md", Path("deep.md"), ""), text)
            render_runbook(rb)
            runs.append(time.perf_counter() - start)
        out[name] = statistics.median(runs) * 1000
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=GITLAB)
    args = parser.parse_args(argv)
    old = old_engine()
    if old is None:
        print("Python-Markdown is not installed: only the new engine is measured. For the "
              "comparison: .venv/bin/pip install Markdown")
    libraries = [("bundled runbooks/", ROOT / "runbooks")]
    if args.corpus.is_dir():
        libraries.append((f"GitLab corpus ({args.corpus.name})", args.corpus))
    else:
        print(f"{args.corpus} not found: the GitLab corpus is skipped")
    print(f"parse + render, median of {args.rounds} passes")
    print(f"{'library':38} {'files':>5} {'new ms':>8} {'old ms':>8} {'old/new':>8}")
    for name, root in libraries:
        files = files_of(root)
        new_engine(*files[0])  # warm-up: imports, lexers
        if old is not None:
            old(files[0][1])
        r = measure(files, old, args.rounds)
        ratio = f"{r['old_ms'] / r['new_ms']:.2f}x" if "old_ms" in r else "—"
        old_ms = f"{r['old_ms']:.0f}" if "old_ms" in r else "—"
        print(f"{name:38} {len(files):>5} {r['new_ms']:>8.0f} {old_ms:>8} {ratio:>8}")
        alone = parsers_alone(files, args.rounds)
        if alone is not None:
            print(f"    parsers alone (markdown → HTML, no model/highlighting): markdown-it-py "
                  f"{alone[0]:.0f} ms, Python-Markdown {alone[1]:.0f} ms, "
                  f"{alone[1] / alone[0]:.2f}x")
        with_tokens, without = token_memory(files)
        print(f"    memory: {with_tokens:.1f} MB with the tokens kept, {without:.1f} MB without "
              f"({with_tokens / max(without, 0.001):.1f}x)")
    print("hostile input (parse + render, degraded to text):")
    for name, ms in hostile(args.rounds).items():
        print(f"    {name:32} {ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
