"""The search index: where it lives, incremental updates, rebuilds, read-only prebuilt indexes,
and a clear error when SQLite has no FTS5."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from helpers.search_fixtures import write_search_library

from runbook_viewer.core import paths
from runbook_viewer.core.library import load_library
from runbook_viewer.core.search import SearchEngine, SearchUnavailable
from runbook_viewer.core.search import index as index_mod
from runbook_viewer.core.search.index import index_file_for
from runbook_viewer.core.search.writer import build_prebuilt, manifest_of


@pytest.fixture
def lib_dir(tmp_path):
    return write_search_library(tmp_path / "lib")


def paths_of(hits):
    return [h.path for h in hits]


def db_manifest(path):
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT path, content_hash FROM manifest"))
    finally:
        con.close()


def test_first_open_builds_an_index_in_the_cache_dir(lib_dir):
    engine = SearchEngine(lib_dir)
    steps = []
    stats = engine.ensure_index(progress=lambda done, total: steps.append((done, total)))
    assert stats.rebuilt and stats.added == 6 and stats.sections >= 15
    assert stats.path == index_file_for(lib_dir)
    assert stats.path.parent == paths.index_cache_dir()
    assert stats.path.is_file() and stats.size_bytes > 0
    assert steps[-1] == (6, 6) and [d for d, _ in steps] == sorted(d for d, _ in steps)
    assert db_manifest(stats.path) == manifest_of(load_library(lib_dir))


def test_unchanged_library_is_not_reindexed(lib_dir):
    SearchEngine(lib_dir).ensure_index()
    stats = SearchEngine(lib_dir).ensure_index()
    assert not stats.rebuilt
    assert (stats.added, stats.changed, stats.removed) == (0, 0, 0)


def test_only_changed_added_and_removed_files_are_reindexed(lib_dir):
    engine = SearchEngine(lib_dir)
    engine.ensure_index()
    assert paths_of(engine.search("sentinel failover", limit=3))[0] == "redis.md"

    text = (lib_dir / "redis.md").read_text()
    (lib_dir / "redis.md").write_text(text.replace("Sentinel", "Quorumkeeper")
                                     .replace("sentinel", "quorumkeeper"))
    (lib_dir / "dns.md").write_text("# DNS\n\n## Procedure\n\n### Step 1: Flush resolvers\n\n"
                                    "- [ ] Run `resolvectl flush-caches` on NXDOMAIN storms\n")
    (lib_dir / "certs.md").unlink()
    stats = engine.ensure_index(library=load_library(lib_dir))
    assert not stats.rebuilt
    assert (stats.changed, stats.added, stats.removed) == (1, 1, 1)
    assert db_manifest(stats.path) == manifest_of(load_library(lib_dir))

    assert paths_of(engine.search("quorumkeeper", limit=3)) == ["redis.md"]
    assert "redis.md" not in paths_of(engine.search("sentinel", limit=5))
    assert paths_of(engine.search("nxdomain", limit=3)) == ["dns.md"]
    assert "certs.md" not in paths_of(engine.search("haproxy reload certificate"))
    # the vocabulary follows: the removed file's words no longer complete
    assert engine.search("quorumk")[0].path == "redis.md"
    con = sqlite3.connect(stats.path)
    assert con.execute("SELECT df FROM vocab WHERE term = 'nxdomain'").fetchone() == (1,)
    assert con.execute("SELECT df FROM vocab WHERE term = 'sentinel'").fetchone() is None
    con.close()


def test_garbage_index_file_is_rebuilt(lib_dir):
    path = SearchEngine(lib_dir).ensure_index().path
    path.write_bytes(b"this is not a database" * 100)
    engine = SearchEngine(lib_dir)
    stats = engine.ensure_index()
    assert stats.rebuilt
    assert paths_of(engine.search("redis", limit=1)) == ["redis.md"]


def test_index_damaged_while_open_is_rebuilt_on_the_next_search(lib_dir):
    engine = SearchEngine(lib_dir)
    path = engine.ensure_index().path
    engine.close()
    path.write_bytes(b"\0garbage" * 4096)
    hits = engine.search("redis", limit=1)
    assert paths_of(hits) == ["redis.md"]
    assert engine.stats is not None and engine.stats.rebuilt


def test_index_of_another_version_or_root_is_rebuilt(lib_dir):
    path = SearchEngine(lib_dir).ensure_index().path
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
    con.commit()
    con.close()
    assert SearchEngine(lib_dir).ensure_index().rebuilt


def test_unwritable_cache_falls_back_to_a_private_folder(lib_dir, monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the fallback lands in tmp_path
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    engine = SearchEngine(lib_dir, index_path=blocked / "index.sqlite3")
    stats = engine.ensure_index()
    assert stats.path.is_file() and blocked not in stats.path.parents
    assert paths_of(engine.search("redis", limit=1)) == ["redis.md"]


def test_missing_fts5_is_a_clear_error(lib_dir, monkeypatch):
    monkeypatch.setattr(index_mod, "fts5_available", lambda: False)
    with pytest.raises(SearchUnavailable) as err:
        SearchEngine(lib_dir)
    message = str(err.value)
    assert "FTS5" in message and sqlite3.sqlite_version in message


def test_fts5_check_passes_on_this_python():
    assert index_mod.fts5_available()
    index_mod.check_fts5()


def test_prebuilt_index_is_used_read_only_when_it_matches(lib_dir, tmp_path):
    lib = load_library(lib_dir)
    pre = tmp_path / "bundle" / "index.sqlite3"
    built = build_prebuilt(lib, pre)
    assert built.path == pre and pre.is_file()
    assert not pre.with_name(pre.name + "-wal").exists()

    pre.chmod(0o444)
    engine = SearchEngine(lib, prebuilt=pre)
    stats = engine.ensure_index()
    assert stats.readonly and stats.path == pre
    assert not index_file_for(lib_dir).exists()  # nothing written to the cache
    assert paths_of(engine.search("x509 certificate has expired", limit=1)) == ["certs.md"]


def test_prebuilt_index_made_elsewhere_is_used_when_the_files_match(lib_dir, tmp_path):
    elsewhere = tmp_path / "build-machine" / "runbooks"
    shutil.copytree(lib_dir, elsewhere)  # the bundle is built from another checkout
    pre = tmp_path / "bundle" / "index.sqlite3"
    build_prebuilt(load_library(elsewhere), pre)
    stats = SearchEngine(lib_dir, prebuilt=pre).ensure_index()
    assert stats.readonly and stats.path == pre


def test_stale_prebuilt_index_seeds_the_cache_and_is_updated(lib_dir, tmp_path):
    elsewhere = tmp_path / "build-machine" / "runbooks"
    shutil.copytree(lib_dir, elsewhere)
    pre = tmp_path / "bundle" / "index.sqlite3"
    build_prebuilt(load_library(elsewhere), pre)
    (lib_dir / "redis.md").write_text((lib_dir / "redis.md").read_text() + "\nZanzibar\n")
    engine = SearchEngine(lib_dir, prebuilt=pre)
    stats = engine.ensure_index()
    assert not stats.readonly and not stats.rebuilt
    assert (stats.changed, stats.added, stats.removed) == (1, 0, 0)
    assert paths_of(engine.search("zanzibar", limit=1)) == ["redis.md"]


def test_bundled_library_uses_the_bundle_prebuilt_path(monkeypatch, lib_dir, tmp_path):
    pre = tmp_path / "bundle" / "bundled-library.sqlite3"
    monkeypatch.setattr(paths, "bundled_library", lambda: lib_dir)
    monkeypatch.setattr(paths, "prebuilt_index", lambda: pre)
    build_prebuilt(load_library(lib_dir), pre)
    stats = SearchEngine(lib_dir).ensure_index()
    assert stats.readonly and stats.path == pre
