"""What the commands feature (issue 15) costs a page, as ratios measured in the same run.

    .venv/bin/python benchmarks/commands.py [--rounds 5]

For every runbook of the bundled library and of both corpora (skipped when absent), file by file
and interleaved so machine noise hits both alike:

- baseline: the page as before the feature — ``runbook_html`` with no commands known (no copy
  links, no placeholder marks);
- page: the page as the window draws it now — commands found (a walk of the parsed tokens,
  cached by content: warm here, as on every redraw after a tick), copy links, placeholders
  marked and a run's values in
  (every placeholder of the runbook filled with ``value-N``, so every mark is drawn);
- walk: :func:`commands_of` from a cold cache alone (what the first draw of a runbook adds).

Figures: medians of ``--rounds`` whole-library passes, in ms, and page/baseline ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from runbook_viewer.core import commands as C  # noqa: E402
from runbook_viewer.core.library import load_library  # noqa: E402
from runbook_viewer.core.markdown.html import render_document  # noqa: E402
from runbook_viewer.core.render import context, document_of, runbook_html  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"


def baseline(rb) -> str:
    """The page with no command known (``by_key`` answers nothing: no walk, no marks)."""
    real = C.by_key
    C.by_key = lambda _rb: {}
    try:
        ctx = context(rb)
    finally:
        C.by_key = real
    ctx.copy_links = False
    return render_document(document_of(rb), ctx)


def measure(root: Path, rounds: int) -> dict[str, float]:
    C.CACHE_SIZE = 10_000  # every runbook stays warm, as the one on screen does
    lib = load_library(root)
    books = [rb for rb in lib.runbooks if not rb.load_error]
    values = {rb.path: {n: f"value-{k}" for k, n in enumerate(C.placeholder_names(rb))}
              for rb in books}
    times: dict[str, list[float]] = {"baseline": [], "page": [], "walk": []}
    draws = {"baseline": baseline, "page": lambda rb: runbook_html(rb, values=values[rb.path])}
    for n in range(rounds):
        sums = dict.fromkeys(times, 0.0)
        for rb in books:
            for key in (("baseline", "page") if n % 2 else ("page", "baseline")):
                start = time.perf_counter()
                draws[key](rb)
                sums[key] += time.perf_counter() - start
            kept = dict(C._CACHE)
            C._CACHE.clear()
            start = time.perf_counter()
            C.commands_of(rb)  # cold: what the first draw of a runbook adds
            sums["walk"] += time.perf_counter() - start
            C._CACHE.update(kept)
        for key, total in sums.items():
            times[key].append(total * 1000)
    out = {key: statistics.median(v) for key, v in times.items()}
    out["files"] = len(books)
    out["commands"] = sum(len(C.commands_of(rb)) for rb in books)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    libraries = [("bundled runbooks/", ROOT / "runbooks")]
    for name in ("prometheus-operator-runbooks", "gitlab-runbooks"):
        if (CORPORA / name).is_dir():
            libraries.append((name, CORPORA / name))
        else:
            print(f"({name} not present at {CORPORA / name}: skipped)")
    print(f"{'library':30} {'files':>5} {'commands':>8} {'baseline ms':>11} {'page ms':>8} "
          f"{'page/base':>9} {'walk/base':>9}")
    for label, root in libraries:
        m = measure(root, args.rounds)
        print(f"{label:30} {m['files']:5.0f} {m['commands']:8.0f} {m['baseline']:11.1f} "
              f"{m['page']:8.1f} {m['page'] / m['baseline']:9.2f} "
              f"{m['walk'] / m['baseline']:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
