"""The long fuzz run over the whole pipeline (the property test runs a short one).

    .venv/bin/python benchmarks/fuzz.py [--seconds 120] [--cases N] [--seed 0] [--slow 2.0]

Case ``seed`` is a library of three files — a landing page and a runbook-like file generated
from ``random.Random(seed)`` (headings with `Step N:` titles at any level, nested and task
lists, fences closed and not, tables, labels, links and Hugo shortcodes, raw HTML, NUL, odd
unicode, short hostile bursts), and a known good runbook — run through load → page → text →
print documents → a checklist run → search → scenarios → check (``tests/core/fuzz_fixtures``).
A case fails when an exception escapes, when the good runbook is lost, or when it takes more
than ``--slow`` seconds (a hang caught early).

Prints cases/s, the slowest cases (time as a ratio to the median case of the same run) and,
for every failure, its seed and how to replay it: ``--seed SEED --cases 1 --show``.
"""

from __future__ import annotations

import argparse
import faulthandler
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(ROOT / "tests" / "core"))

from fuzz_fixtures import (  # noqa: E402
    RandomDraw,
    landing_text,
    run_pipeline,
    runbook_text,
    write_library,
)


class Slow(Exception):
    pass


def _alarm(_signum, _frame):
    raise Slow("the case ran past --slow seconds")


def one_case(seed: int, slow: float) -> tuple[float, str | None, str]:
    d = RandomDraw(seed)
    text, landing = runbook_text(d, max_fragments=40), landing_text(d)
    with tempfile.TemporaryDirectory(prefix="rv-fuzz-") as tmp:
        root = Path(tmp) / "lib"
        write_library(root, text, landing)
        state = Path(tmp) / "state"
        state.mkdir()
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, slow)
        # stuck inside C code (a regex), where the alarm cannot interrupt: say which seed,
        # dump every thread's stack and stop
        print(f"(seed {seed})", end="\r", file=sys.stderr, flush=True)
        faulthandler.dump_traceback_later(slow * 10 + 10, exit=True)
        try:
            failure = run_pipeline(root, state)
        except Slow as exc:  # raised outside the pipeline's own catch-all
            failure = str(exc)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            faulthandler.cancel_dump_traceback_later()
        took = time.perf_counter() - start
    if failure and "Slow: " in failure:
        failure = f"took more than {slow:.1f} s (a hang?)"
    return took, failure, text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=120.0, help="stop after this long")
    ap.add_argument("--cases", type=int, default=0, help="stop after this many cases")
    ap.add_argument("--seed", type=int, default=0, help="first seed")
    ap.add_argument("--slow", type=float, default=2.0, help="a case slower than this fails")
    ap.add_argument("--show", action="store_true", help="print each case's generated file")
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    times: list[tuple[float, int]] = []
    failures: list[tuple[int, str]] = []
    start = time.perf_counter()
    seed = args.seed
    while True:
        took, failure, text = one_case(seed, args.slow)
        times.append((took, seed))
        if args.show:
            print(f"--- seed {seed} ---\n{text!r}")
        if failure:
            failures.append((seed, failure))
            print(f"FAIL seed {seed}: {failure.strip().splitlines()[-1]}", flush=True)
        seed += 1
        elapsed = time.perf_counter() - start
        if (args.cases and len(times) >= args.cases) or \
                (not args.cases and elapsed >= args.seconds):
            break
    median = statistics.median(t for t, _ in times)
    print(f"{len(times)} cases in {elapsed:.1f} s: {len(times) / elapsed:.1f} cases/s "
          f"(median case {median * 1000:.0f} ms)")
    slowest = sorted(times, reverse=True)[:3]
    print("slowest: " + ", ".join(f"seed {s} {t / median:.1f}× median" for t, s in slowest))
    if failures:
        print(f"{len(failures)} FAILED; replay one with: .venv/bin/python benchmarks/fuzz.py "
              f"--seed {failures[0][0]} --cases 1 --show")
        for seed, failure in failures[:3]:
            print(f"--- seed {seed} ---\n{failure}")
        return 1
    print("no failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
