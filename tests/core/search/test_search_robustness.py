"""Nothing a bad file, a damaged index or an unusable cache folder does takes search away
(issue 13's search-side cases: each reproduced first, then fixed)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from helpers.search_fixtures import write_search_library

from runbook_viewer.cli import main
from runbook_viewer.core.search import SearchEngine
from runbook_viewer.core.search import index as index_mod
from runbook_viewer.core.search import writer as writer_mod
from runbook_viewer.core.search.documents import section_documents
from runbook_viewer.core.search.engine import MAX_LIMIT

NESTED_STEPS = "# T\n\n## Step 1: a\n\ntext a\n\n### Step 2: b\n\ntext b\n\n#### c\n\ntext c\n"


@pytest.fixture
def lib_dir(tmp_path):
    return write_search_library(tmp_path / "lib")


def test_a_step_inside_a_step_with_a_sub_heading_is_indexed(lib_dir):
    # `## Step 1` / `### Step 2` / `#### c` raised KeyError: 'step-2-b' for the whole library
    (lib_dir / "bad.md").write_text(NESTED_STEPS, encoding="utf-8")
    engine = SearchEngine(lib_dir)
    stats = engine.ensure_index()
    assert stats.problems == []
    assert engine.search("sentinel failover")[0].path == "redis.md"
    hits = engine.search("text c")
    assert hits and hits[0].path == "bad.md"
    from runbook_viewer.core.library import load_library
    docs = section_documents(load_library(lib_dir).get("bad.md"))
    assert "text c" in " ".join(d.body for d in docs)


def test_a_file_whose_documents_fail_is_listed_and_the_rest_searchable(lib_dir, monkeypatch):
    import runbook_viewer.core.search.documents as documents_mod

    real = documents_mod.section_documents

    def explode(rb, *args):
        if rb.path == "certs.md":
            raise KeyError("boom")
        return real(rb, *args)

    monkeypatch.setattr(documents_mod, "section_documents", explode)
    engine = SearchEngine(lib_dir)
    stats = engine.ensure_index()
    assert len(stats.problems) == 1 and "certs.md" in stats.problems[0]
    assert engine.search("sentinel failover")[0].path == "redis.md"
    # its text is still found, as one document for the whole file
    assert [h.path for h in engine.search("haproxy")] == ["certs.md"]


def test_cli_search_survives_the_nested_step_file(lib_dir, capsys):
    (lib_dir / "bad.md").write_text(NESTED_STEPS, encoding="utf-8")
    assert main(["search", "--library", str(lib_dir), "sentinel"]) == 0
    assert "redis.md" in capsys.readouterr().out


def _corrupt_middle(path: Path, seed: int) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    mid = len(data) // 2
    data[mid:mid + 4096] = bytes(rng.randrange(256) for _ in range(4096))
    path.write_bytes(bytes(data))


QUERIES = ("hash chain broken", "redis connection refused", "disk full", "keeper rotation")


@pytest.mark.parametrize("seed", range(4))
def test_random_bytes_in_the_middle_of_the_index_are_detected_and_rebuilt(
        bundled_library, tmp_path, seed):
    # before: on the bundled library's index, 20 of 20 seeds went unnoticed ("kept")
    lib = shutil.copytree(bundled_library, tmp_path / "lib")
    engine = SearchEngine(lib)
    stats = engine.ensure_index()
    before = [[(h.path, h.anchor, h.snippet) for h in engine.search(q)] for q in QUERIES]
    engine.close()
    _corrupt_middle(stats.path, seed)
    engine = SearchEngine(lib)
    again = engine.ensure_index()
    assert again.rebuilt
    assert [[(h.path, h.anchor, h.snippet) for h in engine.search(q)] for q in QUERIES] == before


def test_damaged_prebuilt_index_is_not_used(lib_dir, tmp_path):
    pre = tmp_path / "pre.sqlite3"
    writer_mod.build_prebuilt(SearchEngine(lib_dir).library, pre)
    _corrupt_middle(pre, 1)
    engine = SearchEngine(lib_dir, prebuilt=pre)
    stats = engine.ensure_index()
    assert not stats.readonly and stats.path != pre
    assert engine.search("sentinel")[0].path == "redis.md"


def _unusable(home: Path, how: str) -> None:
    if how == "home is a file":
        shutil.rmtree(home)
        home.write_text("not a folder")
    elif how == "cache/search-index is a file":
        (home / "cache").mkdir(parents=True, exist_ok=True)
        (home / "cache" / "search-index").write_text("not a folder")


@pytest.mark.parametrize("how", ["home is a file", "cache/search-index is a file"])
def test_unusable_cache_folder_searches_from_a_temporary_index_and_says_so(
        lib_dir, isolated_home, how, capsys):
    _unusable(isolated_home, how)
    engine = SearchEngine(lib_dir)
    engine.ensure_index()
    assert engine.search("sentinel")[0].path == "redis.md"
    assert engine.notice and "could not be written" in engine.notice
    capsys.readouterr()
    assert main(["search", "--library", str(lib_dir), "sentinel"]) == 0
    out = capsys.readouterr()
    assert "redis.md" in out.out and "could not be written" in out.err
    assert "Traceback" not in out.err


def test_read_only_cache_folder_searches_from_a_temporary_index(lib_dir, monkeypatch):
    def refuse():
        raise PermissionError(13, "Permission denied", "/home/op/.cache/runbook-viewer")

    monkeypatch.setattr(index_mod.paths, "index_cache_dir", refuse)
    engine = SearchEngine(lib_dir)
    engine.ensure_index()
    assert engine.search("sentinel")[0].path == "redis.md"
    assert "Permission denied" in (engine.notice or "")


def test_a_huge_limit_is_clamped_not_an_overflow(lib_dir, capsys):
    engine = SearchEngine(lib_dir)
    engine.ensure_index()
    assert len(engine.search("redis", limit=9223372036854775807)) <= MAX_LIMIT
    assert main(["search", "--library", str(lib_dir), "-n", "9223372036854775807",
                 "redis"]) == 0
    assert "redis.md" in capsys.readouterr().out
