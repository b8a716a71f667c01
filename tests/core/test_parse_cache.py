"""The parse cache: a second open serves every unchanged file's model from the cache, exactly
as parsed; an edited file is parsed again; a damaged or unwritable cache costs nothing but
time; a changed parser empties it; files that are gone leave it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from runbook_viewer.core import parse_cache as pc
from runbook_viewer.core import paths
from runbook_viewer.core.library import load_library
from runbook_viewer.core.loading import prepare
from runbook_viewer.core.scenarios import build_scenarios

RUNBOOK = """# Redis {n}

Last Updated: 2026-01-0{d}

## Trigger Conditions

- **HIGH** — redis{n} refuses connections → [Step 1](#step-1-restart)

## Procedure

### Step 1: Restart

🔴 **CONSTITUTIONAL** — FR{n}

- [ ] Restart `redis{n}` on [the host](other.md#top)

```bash
systemctl restart redis{n}
```
"""


@pytest.fixture
def lib_dir(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    (root / "sub").mkdir(parents=True)
    for n in range(12):
        folder = root / "sub" if n % 2 else root
        (folder / f"rb{n}.md").write_text(RUNBOOK.format(n=n, d=n % 9 + 1), encoding="utf-8")
    (root / "index.md").write_text("# Index\n\n- [first](rb0.md)\n", encoding="utf-8")
    (root / "latin1.md").write_bytes(b"# Caf\xe9\n\n- [ ] r\xe9start\n")
    return root


def cache_file(root: Path) -> Path:
    return paths.parse_cache_file(root.resolve())


def test_a_second_open_serves_every_unchanged_file_exactly_as_parsed(lib_dir):
    fresh = load_library(lib_dir, use_cache=False)
    first = load_library(lib_dir)
    assert cache_file(lib_dir).is_file()
    second = load_library(lib_dir)
    assert [rb.path for rb in second.runbooks] == [rb.path for rb in fresh.runbooks]
    for a, b in zip(fresh.runbooks, second.runbooks, strict=True):
        assert a == b  # every field: sections, items and their ids, links, problems…
        assert a.step_of(a.sections[-1].anchor) == b.step_of(b.sections[-1].anchor)
    assert [rb.path for rb in first.runbooks] == [rb.path for rb in second.runbooks]
    latin = second.get("latin1.md")  # a notice about its bytes: always read whole, kept
    assert [p.code for p in latin.problems][:1] == ["encoding"] and latin.items


def test_only_edited_files_are_parsed_again(lib_dir, monkeypatch):
    load_library(lib_dir)
    (lib_dir / "rb4.md").write_text(RUNBOOK.format(n=40, d=4), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    real_close = pc.ParseCache.close

    def close(self, complete):
        seen.append((self.hits, self.misses))
        real_close(self, complete)

    monkeypatch.setattr(pc.ParseCache, "close", close)
    lib = load_library(lib_dir)
    assert seen[0] == (12, 1)  # 13 markdown files read whole-and-cached, latin1 always read
    assert lib.get("rb4.md").title == "Redis 40" and "redis40" in lib.get("rb4.md").items[0].text


def test_a_damaged_cache_is_rebuilt_silently(lib_dir):
    load_library(lib_dir)
    target = cache_file(lib_dir)
    data = bytearray(target.read_bytes())
    for offset in range(100, len(data), 997):
        data[offset] ^= 0x5A
    target.write_bytes(bytes(data))
    damaged = load_library(lib_dir)
    assert len(damaged.runbooks) == 14 and damaged.get("sub/rb3.md").items
    assert load_library(lib_dir).get("rb2.md") == load_library(lib_dir, use_cache=False).get(
        "rb2.md")
    target.write_bytes(b"not a database at all" * 100)
    assert len(load_library(lib_dir).runbooks) == 14
    with sqlite3.connect(target) as con:  # rebuilt: a real cache again, every file in it
        assert con.execute("SELECT count(*) FROM entries").fetchone()[0] == 13


def test_a_bad_row_is_parsed_again(lib_dir):
    load_library(lib_dir)
    with sqlite3.connect(cache_file(lib_dir)) as con:
        con.execute("UPDATE entries SET model = X'80059500' WHERE path = 'rb2.md'")
        con.execute("UPDATE entries SET model = ? WHERE path = 'rb6.md'",
                    (pc.pickle.dumps({"not": "a runbook"}),))
    lib = load_library(lib_dir)
    assert lib.get("rb2.md").items and lib.get("rb6.md").title == "Redis 6"


def test_no_cache_folder_means_no_cache_not_no_library(lib_dir, isolated_home):
    (isolated_home / "cache").write_text("a file where the cache folder should be")
    lib = load_library(lib_dir)
    assert len(lib.runbooks) == 14 and not lib.problems


def test_a_cache_that_cannot_be_written_is_read_and_loses_nothing(lib_dir, monkeypatch):
    """Read-only (a full disk, a read-only home): what it holds is used, nothing is written,
    edited files are parsed — and the library is whole."""
    load_library(lib_dir)
    real = sqlite3.connect
    monkeypatch.setattr(pc.sqlite3, "connect",
                        lambda path, **kw: real(f"file:{path}?mode=ro", uri=True, **kw))
    (lib_dir / "sub" / "rb1.md").write_text(RUNBOOK.format(n=99, d=1), encoding="utf-8")
    lib = load_library(lib_dir)
    assert len(lib.runbooks) == 14 and lib.get("sub/rb1.md").title == "Redis 99"
    assert lib.get("rb2.md") == load_library(lib_dir, use_cache=False).get("rb2.md")


def test_a_changed_parser_empties_the_cache(lib_dir, monkeypatch):
    load_library(lib_dir)
    pc.parser_key.cache_clear()
    monkeypatch.setattr(pc, "FORMAT", pc.FORMAT + 1000)
    try:
        cache = pc.ParseCache.for_library(lib_dir.resolve())
        assert cache.con.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
        cache.close(complete=False)
    finally:
        pc.parser_key.cache_clear()


def test_files_that_are_gone_leave_the_cache(lib_dir):
    load_library(lib_dir)
    (lib_dir / "rb0.md").unlink()
    load_library(lib_dir)
    with sqlite3.connect(cache_file(lib_dir)) as con:
        kept = {p for (p,) in con.execute("SELECT path FROM entries")}
    assert "rb0.md" not in kept and "sub/rb1.md" in kept


def test_the_parser_key_follows_the_code():
    key = pc.parser_key()
    assert len(key) == 64 and key != pc.parser_key(pc.PARSER_MODULES + pc.DERIVED_MODULES)


def test_scenarios_and_backlinks_are_kept_for_an_unchanged_library(lib_dir, monkeypatch):
    lib = load_library(lib_dir)
    prepare(lib)
    expected = build_scenarios(lib)
    calls = []
    import runbook_viewer.core.scenarios.build as scenarios

    real = scenarios._build_scenarios
    monkeypatch.setattr(scenarios, "_build_scenarios",
                        lambda lib: calls.append(1) or real(lib))
    again = load_library(lib_dir)
    prepare(again)
    assert build_scenarios(again) == expected and calls == []  # from the cache
    (lib_dir / "rb8.md").write_text(RUNBOOK.format(n=88, d=8), encoding="utf-8")
    changed = load_library(lib_dir)
    prepare(changed)
    assert calls == [1] and any("redis88" in s.title for s in build_scenarios(changed))
