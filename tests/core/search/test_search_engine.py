"""The search engine: symptoms land on the right step, typing mid-word never shows nothing, typos
get a suggestion, hits carry what the UI needs, and it works from several threads."""

from __future__ import annotations

import html
import threading

import pytest
from helpers.search_fixtures import write_search_library

from runbook_viewer.core.search import Hit, SearchEngine
from runbook_viewer.core.search.snippets import Snippet, best_snippet, cut, unmark


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = write_search_library(tmp_path_factory.mktemp("search") / "lib")
    eng = SearchEngine(root, index_path=tmp_path_factory.mktemp("idx") / "index.sqlite3")
    eng.ensure_index()
    return eng


def top(engine, query, n=1):
    return [f"{h.path}#{h.anchor}" for h in engine.search(query, limit=n)]


@pytest.mark.parametrize(("query", "where"), [
    ("redis connection refused", "redis.md#step-2-fail-over-the-master"),
    ("heartbeats missing", "agents.md#step-2-triage-missing-heartbeats"),
    ("x509 certificate has expired", "certs.md#step-1-renew-the-public-certificate"),
    ("postgres disk full", "db.md#step-2-free-space-on-the-data-volume"),
    ("db replica lagging", "db.md#step-1-check-postgresql-replication"),
    ("agent keeps restarting", "agents.md#step-3-restart-a-crashlooping-agent"),
    ("KubePodCrashLooping", "kube/KubePodCrashLooping.md#meaning"),
    ("crash looping pod", "kube/KubePodCrashLooping.md#meaning"),
])
def test_symptoms_land_on_the_step_that_fixes_them(engine, query, where):
    found = top(engine, query, 2)
    assert where in found, (query, found)


@pytest.mark.parametrize("query", [
    "heartbeats missing", "redis connection refused", "configuration reload",
    "x509 certificate has expired", "KubePodCrashLooping", "no space left on device",
])
def test_typing_mid_word_never_shows_zero_results(engine, query):
    for n in range(1, len(query) + 1):
        prefix = query[:n]
        if not prefix.strip():
            continue
        assert engine.search(prefix, limit=5), f"no results while typing {prefix!r}"


def test_stemmed_dead_zones_are_covered_by_the_vocabulary(engine):
    # porter stems "configuration" to "configur": the prefix "configura" misses the stem
    assert top(engine, "configura", 3)
    assert "agents.md#step-2-triage-missing-heartbeats" in top(engine, "missin", 2)


def test_typo_gets_a_suggestion_and_results(engine):
    assert engine.suggest("hearbeat") == "heartbeat"
    assert engine.suggest("hearbeats missing") == "heartbeats missing"
    assert top(engine, "hearbeat", 1) == ["agents.md#step-2-triage-missing-heartbeats"]
    assert engine.suggest("heartbeat missing") is None
    assert engine.suggest("zqxwvy") is None  # nothing near: no suggestion, no crash
    assert engine.search("zqxwvy") == []


def test_unknown_words_do_not_hide_the_known_ones(engine):
    assert top(engine, "redis zqxwvy", 1)[0].startswith("redis.md")
    # filler words count when nothing else matches (typing "zqxwvy keep…")
    assert engine.search("zqxwvy with", limit=3)
    assert engine.search("with", limit=3)


def test_suggestion_keeps_the_rest_of_the_query(engine):
    assert engine.suggest("the hearbeats are missing") == "the heartbeats are missing"


def test_empty_and_odd_queries_are_harmless(engine):
    for q in ("", "   ", '"', "*", "AND", "OR NOT", "(redis", "redis)", "NEAR(a b)", "--", "🔴"):
        hits = engine.search(q)
        assert isinstance(hits, list)
    assert engine.search("redis", limit=0) == []


def test_hits_carry_what_the_ui_and_cli_need(engine):
    hit = engine.search("redis connection refused", limit=1)[0]
    assert isinstance(hit, Hit)
    assert hit.title == "Redis Recovery"
    assert hit.section == "Procedure › Step 2: Fail over the master"
    assert hit.step == 2 and hit.line > 0
    assert hit.labels == ["operational"] and hit.severity == "MEDIUM"
    assert "[" in hit.snippet and "]" in hit.snippet
    assert hit.snippet == hit.snippet_marked("[", "]")
    assert len(hit.snippet_text) == len(hit.snippet) - 2 * len(hit.highlights)
    for start, end in hit.highlights:
        assert hit.snippet_text[start:end].strip()
    lowered = {t.lower() for t in hit.terms}
    assert "redis" in lowered and "could not connect" in lowered
    assert "redisdown" in lowered  # identifier marked through its parts
    rich = hit.snippet_marked("<b>", "</b>", html.escape)
    assert "<b>" in rich
    data = hit.to_json()
    assert {"path", "title", "section", "anchor", "score", "snippet"} <= set(data)


def test_scores_are_best_first(engine):
    hits = engine.search("agents", limit=10)
    assert len(hits) >= 3
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_constitutional_labels_come_from_check_groups(engine):
    hit = engine.search("heartbeats missing", limit=1)[0]
    assert hit.labels == ["constitutional", "operational"]


def test_searches_from_worker_threads_agree_with_the_main_thread(engine):
    queries = ["redis connection refused", "heartbeats missing", "postgres disk full",
               "configura", "hearbeat"]
    expected = {q: top(engine, q, 3) for q in queries}
    results: dict[tuple[int, str], list[str]] = {}
    errors: list[BaseException] = []

    def work(n):
        try:
            for _ in range(5):
                for q in queries:
                    results[(n, q)] = top(engine, q, 3)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            engine.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(results[(n, q)] == expected[q] for n in range(4) for q in queries)


def test_update_while_searching_from_another_thread(engine, tmp_path):
    root = write_search_library(tmp_path / "lib")
    eng = SearchEngine(root, index_path=tmp_path / "idx.sqlite3")
    eng.ensure_index()
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_searching():
        try:
            while not stop.is_set():
                assert eng.search("redis", limit=3)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            eng.close()

    t = threading.Thread(target=keep_searching)
    t.start()
    try:
        for n in range(5):
            (root / "extra.md").write_text(f"# Extra {n}\n\n## Notes\n\nredis note {n}\n")
            from runbook_viewer.core.library import load_library
            eng.ensure_index(library=load_library(root))
    finally:
        stop.set()
        t.join()
    assert not failures
    assert any(h.path == "extra.md" for h in eng.search("redis note", limit=5))


def test_snippet_pieces():
    text, spans = unmark("a \x01b\x02 c \x01dd\x02")
    assert text == "a b c dd" and spans == [(2, 3), (6, 8)]
    snip = Snippet("x <y> z", [(2, 5)])
    assert snip.marked("[", "]") == "x [<y>] z"
    assert snip.marked("<b>", "</b>", html.escape) == "x <b>&lt;y&gt;</b> z"
    long = ("word " * 100) + "\x01needle\x02 " + ("word " * 100)
    plain, marks = unmark(long)
    s = cut(plain, marks)
    assert s.text.startswith("…") and s.text.endswith("…") and len(s.text) < 260
    assert s.words == ["needle"]
    chosen = best_snippet(["no marks here", "one \x01mark\x02 here"])
    assert chosen.words == ["mark"]
