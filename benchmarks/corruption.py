"""Corrupted checklist databases: how much is detected and salvaged, and what recovery costs.

    .venv/bin/python benchmarks/corruption.py [--seeds 100] [--runs 5]

Builds a database (``--runs`` runs of a 24-item runbook, every item ticked, a note each), then
for each kind of damage and each seed opens a damaged copy as the app does and walks it (list,
state, timeline). Prints, per kind: the cases where damage was reported (moved aside and
salvaged), the cases where nothing was lost without a word (reported, or everything intact),
and the share of runs and events kept — as ratios to the healthy database. Recovery time is
quoted as a ratio to opening and walking the healthy database in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from runbook_viewer.core.checklist import ChecklistStore  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "corpus", ROOT / "tests" / "core" / "checklist" / "test_checklist_corruption.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

KINDS = {"random bytes (1-512)": corpus._chunk, "random 4 KiB page": corpus._page,
         "20 bit flips": corpus._flips,
         "truncated": lambda d, r: d.__delitem__(slice(r.randrange(100, len(d)), None))}


def open_and_walk(db: Path) -> tuple[float, bool, int, int]:
    t0 = time.perf_counter()
    store = ChecklistStore(db)
    heard = [store.recovery_notice] if store.recovery_notice else []
    store.on_notice = heard.append
    runs = store.runs()
    events = sum(len(store.timeline(r.run_id)) for r in runs)
    for r in runs:
        store.run_state(r.run_id)
    store.close()
    return time.perf_counter() - t0, bool(heard), len(runs), events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    corpus.RUNS = args.runs
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        good = corpus._build(work)
        original = corpus.snapshot(good)
        n_runs, n_events = len(original), sum(len(e) for e in original.values())
        base_times = []
        print(f"healthy database: {n_runs} runs, {n_events} events, "
              f"{good.stat().st_size // 1024} KiB; {args.seeds} seeds per kind\n")
        print(f"{'damage':<22} {'reported':>9} {'no silent loss':>15} {'runs kept':>10} "
              f"{'events kept':>12} {'time/healthy':>13}")
        for kind, damage in KINDS.items():
            reported = honest = kept_runs = kept_events = 0
            times = []
            for seed in range(args.seeds):
                case = work / f"{list(KINDS).index(kind)}-{seed}"
                case.mkdir()
                db = case / "c.sqlite3"
                healthy = case / "h.sqlite3"
                healthy.write_bytes(good.read_bytes())
                base_times.append(open_and_walk(healthy)[0])
                data = bytearray(good.read_bytes())
                damage(data, random.Random(f"{kind}-{seed}"))
                db.write_bytes(bytes(data))
                took, heard, runs, events = open_and_walk(db)
                times.append(took)
                reported += heard
                honest += heard or (runs, events) == (n_runs, n_events)
                kept_runs += runs
                kept_events += events
            base = statistics.median(base_times)
            print(f"{kind:<22} {reported / args.seeds:>8.0%} {honest / args.seeds:>14.0%} "
                  f"{kept_runs / (n_runs * args.seeds):>9.1%} "
                  f"{kept_events / (n_events * args.seeds):>11.1%} "
                  f"{statistics.median(times) / base:>12.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
