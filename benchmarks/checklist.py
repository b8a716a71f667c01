"""Checklist store: time from tick to durable commit, and store size after 10,000 events.

    .venv/bin/python benchmarks/checklist.py [--ticks 2000] [--events 10000] [--dir DIR]

Each tick is a real ``ChecklistStore.set_item`` call (one IMMEDIATE transaction + COMMIT).
Measured in the same run, interleaved in rounds so machine noise hits every mode alike:
``synchronous=FULL`` (what the app uses: the WAL is fsynced before the call returns),
``FULL-unguarded`` (the same without the per-write checkpoint into the main file and the
file-identity checks that keep a deleted ``-wal`` from losing ticks), ``NORMAL`` (WAL survives
an app crash but not a power cut) and ``OFF`` (no fsync at all, the baseline). Figures are
quoted as ratios against OFF. ``--dir`` picks the disk to measure
(default: a temp dir; put it on the laptop's real disk for real numbers).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from runbook_viewer.core.checklist import ChecklistStore, export_json, export_markdown
from runbook_viewer.core.library import load_library

MODES = ("FULL", "FULL-unguarded", "NORMAL", "OFF")


def make_runbook(folder: Path, steps: int = 12, per_step: int = 8):
    text = "# Benchmark drill\n\nVersion: 1.0\n\n## Procedure\n\n" + "".join(
        f"### Step {s}: Phase {s}\n\n" + "".join(
            f"- [ ] Check component {s}.{i} with `archonctl health --deep`\n"
            for i in range(1, per_step + 1)) + "\n" for s in range(1, steps + 1))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "drill.md").write_text(text, encoding="utf-8")
    return load_library(folder).get("drill.md")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def tick_latencies(work: Path, rb, ticks: int, rounds: int = 5) -> dict[str, list[float]]:
    stores, runs = {}, {}
    for mode in MODES:
        store = ChecklistStore(work / f"ticks-{mode.lower()}.sqlite3")
        store._conn.execute(f"PRAGMA synchronous = {mode.split('-')[0]}")
        if mode == "FULL-unguarded":  # the write path before issue 13: no per-write
            store._checkpoint = lambda: None  # checkpoint, no file-identity checks
            store.check_health = lambda: None
        stores[mode], runs[mode] = store, store.start_run(rb, operator="bench").run_id
    out: dict[str, list[float]] = {m: [] for m in MODES}
    states = ("done", "na", "pending")
    per_round = max(1, ticks // rounds)
    for r in range(rounds):
        for mode in MODES:  # interleaved: every mode sees the same noise
            store, run_id = stores[mode], runs[mode]
            for n in range(per_round):
                item = rb.items[(r * per_round + n) % len(rb.items)]
                t0 = time.perf_counter()
                store.set_item(run_id, item, states[n % 3], operator="bench")
                out[mode].append(time.perf_counter() - t0)
    for store in stores.values():
        store.close()
    return out


def size_after(work: Path, rb, events: int) -> dict[str, float]:
    path = work / "size.sqlite3"
    store = ChecklistStore(path)
    run_id = store.start_run(rb, operator="bench", incident="INC-BENCH").run_id
    store._conn.execute("PRAGMA synchronous = OFF")  # only the size matters here
    for n in range(events - 1):
        item = rb.items[n % len(rb.items)]
        if n % 50 == 49:
            store.add_note(run_id, item.section_anchor, f"note {n}: waited for replication",
                           operator="bench")
        elif n % 7 == 6:
            store.set_item(run_id, item, "skipped", operator="bench", reason="host unreachable")
        else:
            store.set_item(run_id, item, ("done", "na", "pending")[n % 3], operator="bench")
    store.close()
    figures = {"bytes": path.stat().st_size}
    t0 = time.perf_counter()
    store = ChecklistStore(path)  # open = read-only integrity check + migrate check
    figures["open_ms"] = (time.perf_counter() - t0) * 1000
    assert store.recovery_notice is None
    t0 = time.perf_counter()
    state = store.run_state(run_id, rb)
    figures["derive_ms"] = (time.perf_counter() - t0) * 1000
    figures["events"] = len(store.timeline(run_id))
    t0 = time.perf_counter()
    figures["json_bytes"] = len(export_json(store, run_id).encode())
    figures["json_ms"] = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    export_markdown(store, run_id, rb)
    figures["md_ms"] = (time.perf_counter() - t0) * 1000
    figures["resolved"] = state.resolved
    store.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ticks", type=int, default=2000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, help="where the databases go (default: temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        os.environ["RUNBOOK_VIEWER_HOME"] = str(work / "home")
        rb = make_runbook(work / "lib")
        lat = tick_latencies(work, rb, args.ticks)
        print(f"tick -> commit, {len(lat['FULL'])} set_item calls per mode, interleaved in "
              f"5 rounds ({len(rb.items)}-item runbook, disk of {work})")
        print(f"{'synchronous':<15} {'median ms':>10} {'p99 ms':>8} {'max ms':>8} "
              f"{'median/OFF':>11} {'p99/OFF':>8}")
        base_med = statistics.median(lat["OFF"])
        base_p99 = pct(lat["OFF"], 0.99)
        for mode in MODES:
            med, p99 = statistics.median(lat[mode]), pct(lat[mode], 0.99)
            print(f"{mode:<15} {med * 1000:>10.3f} {p99 * 1000:>8.3f} "
                  f"{max(lat[mode]) * 1000:>8.2f} {med / base_med:>10.2f}x "
                  f"{p99 / base_p99:>7.2f}x")
        sz = size_after(work, rb, args.events)
        print(f"\nstore after {sz['events']:,} events (one run; ticks, skips with reasons, "
              "notes):")
        print(f"  database file      {sz['bytes'] / 1024:,.0f} KiB "
              f"({sz['bytes'] / sz['events']:.0f} bytes/event)")
        print(f"  open (quick_check) {sz['open_ms']:.1f} ms")
        print(f"  derive run state   {sz['derive_ms']:.1f} ms")
        print(f"  JSON export        {sz['json_bytes'] / 1024:,.0f} KiB in {sz['json_ms']:.1f} ms")
        print(f"  Markdown export    {sz['md_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
