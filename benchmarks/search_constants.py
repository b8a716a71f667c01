"""Why each ranking constant has its value: the evaluation sets with the constant changed.

    .venv/bin/python benchmarks/search_constants.py [--sets bundled,corpus,gitlab,collection]

For every constant in ``core/search/ranking.py`` (and the stock thresholds), the four query
sets (tests/core/search/search_eval_*.json) are evaluated with the shipped value, with the feature
off (neutral value) and with a stronger value; it prints recall@3 and MRR@10 summed over the
sets, and per set for the plain-symptom queries. Each variant gets a fresh state folder, so
constants baked into the index (priors, boilerplate) are rebuilt with the variant. Sets whose
corpus is missing are skipped. docs/search.md quotes the table.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from runbook_viewer.core.search import documents, engine, index, query, ranking  # noqa: E402
from runbook_viewer.core.search import stock as stock_mod  # noqa: E402
from runbook_viewer.core.search.evaluate import evaluate_set, load_set  # noqa: E402

SEV = ranking.SEVERITY_PRIOR
# name → (modules holding it, neutral value, stronger value)
VARIANTS = {
    "COVERAGE_POWER": ((ranking, engine), 0.0, 3.0),
    "SECTION_BOOST": ((ranking, engine), 0.0, 2.0),
    "RUNBOOK_BOOST": ((ranking, engine), 0.0, 2.0),
    "PROXIMITY_BOOST": ((ranking, engine), 0.0, 1.0),
    "DIVERSITY": ((ranking,), 1.0, 0.25),
    "SEVERITY_PRIOR": ((ranking,), dict.fromkeys(SEV, 1.0),
                       {k: v ** 2 for k, v in SEV.items()}),
    "NON_PRODUCTION_PRIOR": ((ranking, documents), 1.0, 0.5),
    "STOCK_WEIGHT": ((ranking,), None, 0.0),  # neutral: boilerplate kept in the body
    "INSTANCE_WEIGHT": ((query,), 1.0, 0.0),
    "LANDING_PRIOR": ((ranking, documents), 1.0, 0.5),
}


def measure(names: list[str]) -> dict[str, tuple[float, float, float]]:
    """set → (recall@3, MRR, plain recall@3) with the constants as they are now."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="rv-constants-") as home:
        os.environ["RUNBOOK_VIEWER_HOME"] = home
        for name in names:
            s = load_set(ROOT / "tests/core/search" / f"search_eval_{name}.json")
            if not s.library.is_dir():
                continue
            ours = evaluate_set(s)[0]
            plain = ours.recall_of("plain") if "plain" in s.kinds else ours.recall
            out[name] = (ours.recall, ours.mrr, plain)
    return out


def set_constant(name: str, value) -> dict:
    """Set ``name`` everywhere it is read; returns the old values to restore."""
    mods, _neutral, _strong = VARIANTS[name]
    old = {m: getattr(m, name) for m in mods}
    for m in mods:
        setattr(m, name, value)
    if name == "SEVERITY_PRIOR":
        ranking.UNRATED_PRIOR = value["MEDIUM"]
    if name == "STOCK_WEIGHT":
        if value is None:  # no boilerplate detection at all
            stock_mod.MIN_RUNBOOKS = 10**9
        else:
            index.WEIGHTS = (*index.WEIGHTS[:-1], value)
            engine.BM25 = f"bm25(fts, {', '.join(str(w) for w in index.WEIGHTS)})"
    return old


def restore(name: str, old: dict) -> None:
    for m, v in old.items():
        setattr(m, name, v)
    ranking.UNRATED_PRIOR = ranking.SEVERITY_PRIOR["MEDIUM"]
    stock_mod.MIN_RUNBOOKS = 4
    index.WEIGHTS = (*index.WEIGHTS[:-1], ranking.STOCK_WEIGHT)
    engine.BM25 = f"bm25(fts, {', '.join(str(w) for w in index.WEIGHTS)})"


def row(label: str, res: dict) -> str:
    recall = sum(r for r, _m, _p in res.values())
    mrr = sum(m for _r, m, _p in res.values())
    per = "  ".join(f"{k[:6]} {r:5.1%}/{m:.2f}/{p:5.1%}" for k, (r, m, p) in res.items())
    return f"{label:<34} Σrecall {recall:5.3f}  ΣMRR {mrr:5.3f}   {per}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="bundled,corpus,gitlab,collection")
    ap.add_argument("--only", default="", help="comma-separated constant names")
    args = ap.parse_args(argv)
    names = [n for n in args.sets.split(",") if n]
    print("per set: recall@3 / MRR@10 / plain-symptom recall@3")
    print(row("shipped", measure(names)))
    for name in [n for n in VARIANTS if not args.only or n in args.only.split(",")]:
        _mods, neutral, strong = VARIANTS[name]
        for label, value in (("off", neutral), ("stronger", strong)):
            old = set_constant(name, value)
            try:
                print(row(f"{name} {label}", measure(names)), flush=True)
            finally:
                restore(name, old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
