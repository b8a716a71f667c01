"""Search quality, measured: recall@3 on symptom queries for the bundled library and the
prometheus-operator corpus, against a whole-file BM25 baseline computed in the same run."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_fixtures import write_search_library

from runbook_viewer.core.library import load_library
from runbook_viewer.core.search.evaluate import (
    BaselineIndex,
    EvalQuery,
    evaluate,
    load_eval,
    report,
)

HERE = Path(__file__).parent
BUNDLED_EVAL = HERE / "search_eval_bundled.json"
CORPUS_EVAL = HERE / "search_eval_corpus.json"

# Floors: what the suite guarantees. Measured when written: bundled 100 % vs baseline 86.5 %,
# corpus 94.1 % vs 86.3 % (see `python -m runbook_viewer.core.search.evaluate`).
FLOOR = {"bundled": 0.90, "corpus": 0.85}
MARGIN = 0.05  # ours must beat the baseline by at least this much


def check(library: Path, eval_file: Path, floor: float) -> None:
    _, queries = load_eval(eval_file)
    ours, base = evaluate(library, queries)
    text = report(ours, base, queries)
    print(text)
    assert ours.recall >= floor, text
    assert ours.recall >= base.recall + MARGIN, text


def test_eval_files_are_well_formed():
    for eval_file, minimum in ((BUNDLED_EVAL, 40), (CORPUS_EVAL, 30)):
        _library, queries = load_eval(eval_file)
        assert len(queries) >= minimum
        assert len({q.query for q in queries}) == len(queries)  # no duplicates
        for q in queries:
            assert q.query.strip() and q.answers
            assert all(a.endswith(".md") and not a.startswith("/") for a in q.answers)
            assert all(a.split("#")[0] in q.answers for a in q.anchors)


def test_bundled_eval_answers_and_anchors_exist(bundled_library):
    lib = load_library(bundled_library)
    _, queries = load_eval(BUNDLED_EVAL)
    missing = [a for q in queries for a in q.answers if lib.get(a) is None]
    if len(missing) == sum(len(q.answers) for q in queries):
        pytest.skip("the bundled runbooks are not written yet")
    assert not missing, f"answers not in the bundled library: {missing}"
    bad = [a for q in queries for a in q.anchors
           if lib.get(a.split("#")[0]).section(a.split("#")[1]) is None]
    assert not bad, f"anchors that no longer exist (renamed steps?): {bad}"


def test_recall_at_3_on_the_bundled_library(bundled_library):
    lib = load_library(bundled_library)
    _, queries = load_eval(BUNDLED_EVAL)
    if any(lib.get(a) is None for q in queries for a in q.answers):
        pytest.skip("the bundled runbooks named in search_eval_bundled.json are not all "
                    "written yet")
    check(bundled_library, BUNDLED_EVAL, FLOOR["bundled"])


@pytest.mark.corpus
def test_recall_at_3_on_the_prometheus_operator_corpus(corpus_library):
    library, _ = load_eval(CORPUS_EVAL)
    assert library == corpus_library.resolve()
    check(corpus_library, CORPUS_EVAL, FLOOR["corpus"])


def test_evaluation_counts_a_query_found_only_in_the_top_k(tmp_path):
    root = write_search_library(tmp_path / "lib")
    queries = [EvalQuery("redis connection refused", ["redis.md"]),
               EvalQuery("redis connection refused", ["certs.md"]),
               EvalQuery("heartbeats missing", ["agents.md"],
                         ["agents.md#step-1-review-the-fleet"])]
    ours, base = evaluate(root, queries)
    assert ours.found == [True, False, True]
    assert ours.step_found == [None, None, False]
    assert ours.recall == pytest.approx(2 / 3)
    assert len(base.found) == 3 and base.found[1] is False


def test_baseline_ranks_whole_files_without_any_analysis(tmp_path):
    root = write_search_library(tmp_path / "lib")
    base = BaselineIndex(load_library(root))
    try:
        assert base.search("sentinel")[0] == "redis.md"
        assert base.search("heartbeat") == []  # no stemming: the files say "heartbeats"
        assert base.search("postgres") == []  # no identifier splitting (PostgresReplicationLag)
        assert "db.md" not in base.search("postgres disk full")[:1]  # no synonyms
    finally:
        base.close()
