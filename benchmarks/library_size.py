"""Libraries of real size: load time against the number of files, first and later opens.

    .venv/bin/python benchmarks/library_size.py [--sizes 1000,5000,20000] [--no-window]

For each size a library is generated in a temporary folder (folders of ~200 runbooks with
Hugo ``_index.md`` pages; a third of the runbooks in the template style — trigger conditions,
steps, 🔴/🔵 labels, checklist items, code, an escalation table — the others alert runbooks
with front matter, code and links; about 0.7 KB each), with its own state folder, and timed:

- baseline: reading and hashing every file (what any open must do at least), same run;
- first open: ``load_library`` with an empty parse cache (parsed on every core);
- later open: the same with the cache written by the first;
- search index: built for the library, then found up to date at a later open;
- window (unless ``--no-window``): the deferred main window offscreen, from its creation to
  ``libraryReady`` (library shown, every panel attached), first and later, with how many
  progress reports the loading page showed and the longest the UI thread went without
  running its event loop.

Figures: seconds, milliseconds per file, ratios against the baseline and against the
smallest size ("× per ×size": 1.0 is linear). Targets: 20,000 files first open ≤ 15 s,
later opens ≤ 2 s, linear.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))


def runbook(n: int, rng: random.Random) -> str:
    svc = f"svc{n % 97}"
    if n % 3 == 0:
        out = [f"# {svc} outage {n}", "", f"Last Updated: 2026-01-0{1 + n % 9}",
               f"Version: 1.{n % 7}", "Owner: SRE", "", "## Trigger Conditions", "",
               f"- **{rng.choice(['CRITICAL', 'HIGH', 'MEDIUM'])}** — {svc} error rate above "
               f"{n % 50}% → [Step 1](#step-1-assess)", "", "## Procedure", ""]
        for s in range(1, rng.randint(2, 6) + 1):
            out += [f"### Step {s}: {'Assess' if s == 1 else f'Act on {svc} part {s}'}", "",
                    rng.choice(["🔵 **OPERATIONAL**", f"🔴 **CONSTITUTIONAL** — FR{s}"]), ""]
            out += [f"- [ ] Check `{svc}-{s}-{k}` on host h{k}" for k in range(rng.randint(1, 4))]
            out += ["", "```bash", f"kubectl -n {svc} rollout restart deploy/{svc}-{s}", "```",
                    "", "**Verification:**", "", f"- Expected outcome: {svc} healthy", ""]
        out += ["## Escalation", "", "| Condition | Escalate To |", "|---|---|",
                f"| {svc} down | on-call |", ""]
    else:
        out = ["---", f"title: {svc.capitalize()}Alert{n}", f"weight: {n % 20}", "---", "",
               f"# {svc.capitalize()}Alert{n}", "", "## Meaning", "",
               f"The {svc} alert {n} fires when the {svc} error budget burns too fast. " * 2,
               "", "## Impact", "", f"Users of {svc} may see errors. See [the overview]"
               "(../_index.md).", "", "## Diagnosis", "", "```shell",
               f"kubectl get pods -n {svc}", f"kubectl logs -n {svc} deploy/{svc}", "```", "",
               "## Mitigation", "", f"- Restart {svc}", f"- Scale {svc} up",
               f"- See [other](alert-{n + 1:05d}.md)", ""]
    return "\n".join(out) + "\n"


def generate(root: Path, files: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    folders = max(1, files // 200)
    root.mkdir(parents=True)
    (root / "_index.md").write_text("---\ntitle: Generated library\n---\n")
    for f in range(folders):
        (root / f"team-{f:03d}").mkdir()
        (root / f"team-{f:03d}" / "_index.md").write_text(
            f"---\ntitle: Team {f}\nweight: {f}\n---\n")
    for n in range(files - 1 - folders):
        (root / f"team-{n % folders:03d}" / f"alert-{n:05d}.md").write_text(runbook(n, rng))


def baseline(root: Path) -> float:
    start = time.perf_counter()
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            hashlib.sha256(Path(dirpath, name).read_bytes()).hexdigest()
    return time.perf_counter() - start


def load_once(root: Path) -> float:
    from runbook_viewer.core.library import load_library

    start = time.perf_counter()
    lib = load_library(root)
    took = time.perf_counter() - start
    assert len(lib.runbooks) > 0
    return took


def search_once(root: Path) -> float:
    """Seconds to bring the search index up to date for the library (built or reused)."""
    from runbook_viewer.core.library import load_library
    from runbook_viewer.core.search import SearchEngine

    lib = load_library(root)
    engine = SearchEngine(lib)
    start = time.perf_counter()
    engine.ensure_index()
    took = time.perf_counter() - start
    assert engine.search("outage", limit=1)
    engine.close()
    return took


def window_once(root: Path) -> tuple[float, int, float]:
    """(seconds to libraryReady, progress reports shown, longest UI-thread stall in s)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from runbook_viewer.ui.app import build_window
    from runbook_viewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    reports: list[int] = []
    real = MainWindow.show_load_progress
    MainWindow.show_load_progress = lambda self, d, t: (reports.append(d), real(self, d, t))
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    start = time.perf_counter()
    window = build_window(str(root), deferred=True)
    ready: list[float] = []
    window.libraryReady.connect(lambda: ready.append(time.perf_counter() - start))
    timer.start(10)
    window.show()
    while not ready and time.perf_counter() - start < 300:
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    window.close()
    app.processEvents()
    MainWindow.show_load_progress = real
    stall = max((b - a for a, b in itertools.pairwise(ticks)), default=0.0)
    return (ready[0] if ready else float("inf")), len(reports), stall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--no-window", action="store_true", help="core load only (no Qt)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="rv-libsize-"))
    rows = []
    try:
        for size in sizes:
            root = work / f"lib{size}"
            generate(root, size)
            os.environ["RUNBOOK_VIEWER_HOME"] = str(work / f"home{size}")
            base = baseline(root)
            first, later = load_once(root), load_once(root)
            row = {"size": size, "base": base, "first": first, "later": later,
                   "index": search_once(root), "index_later": search_once(root)}
            if not args.no_window:
                os.environ["RUNBOOK_VIEWER_HOME"] = str(work / f"winhome{size}")
                row["win_first"] = window_once(root)
                row["win_later"] = window_once(root)
            rows.append(row)
            print(f"{size:>6} files: read+hash {base:5.2f} s · first open {first:6.2f} s "
                  f"({first / size * 1000:.2f} ms/file, {first / base:.0f}× read) · later open "
                  f"{later:5.2f} s ({later / size * 1000:.3f} ms/file, {later / base:.1f}× read)",
                  flush=True)
            print(f"{'':>6}        search index: built {row['index']:6.2f} s "
                  f"({row['index'] / base:.0f}× read) · up to date at a later open "
                  f"{row['index_later']:5.2f} s ({row['index_later'] / base:.1f}× read)",
                  flush=True)
            if not args.no_window:
                (wf, nf, sf), (wl, nl, sl) = row["win_first"], row["win_later"]
                print(f"{'':>6}        window to libraryReady: first {wf:6.2f} s ({nf} progress "
                      f"reports, longest UI stall {sf * 1000:.0f} ms) · later {wl:5.2f} s "
                      f"({nl} reports, stall {sl * 1000:.0f} ms)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    small = rows[0]
    for row in rows[1:]:
        grow = row["size"] / small["size"]
        print(f"{small['size']} → {row['size']} files (×{grow:.0f}): first open ×"
              f"{row['first'] / small['first']:.1f} ({row['first'] / small['first'] / grow:.2f}"
              f" per ×size), later ×{row['later'] / small['later']:.1f} "
              f"({row['later'] / small['later'] / grow:.2f} per ×size)")
    return 0


if __name__ == "__main__":  # required: first opens parse in spawned worker processes
    sys.exit(main())
