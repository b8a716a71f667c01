"""Library loading: discovery, ordering, grouping, and bad input that must not hurt."""

from __future__ import annotations

import os

import pytest

from runbook_viewer.core.library import MAX_BYTES, LibraryError, load_library


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_and_not_a_folder(tmp_path):
    with pytest.raises(LibraryError, match="does not exist"):
        load_library(tmp_path / "nope")
    f = write(tmp_path, "file.md", "# x")
    with pytest.raises(LibraryError, match="not a folder"):
        load_library(f)


def test_empty_folder_is_a_clear_problem(tmp_path):
    lib = load_library(tmp_path)
    assert lib.runbooks == []
    assert [p.code for p in lib.problems] == ["empty-library"]


def test_landing_first_then_link_order_and_groups(tmp_path):
    write(tmp_path, "index.md", "# Index\n\n## Core\n\n- [B](b.md)\n- [A](a.md)\n\n"
          "## Epics\n\n- [Epic 10](epic-10.md)\n- [Epic 2](epic-2.md)\n")
    for name in ("a", "b", "epic-2", "epic-10", "zz-unlinked"):
        write(tmp_path, f"{name}.md", f"# {name}\n")
    lib = load_library(tmp_path)
    assert [rb.path for rb in lib.runbooks] == ["index.md", "b.md", "a.md", "epic-10.md",
                                                "epic-2.md", "zz-unlinked.md"]
    assert lib.get("b.md").group == "Core"
    assert lib.get("epic-2.md").group == "Epics"
    assert lib.landing.path == "index.md"


def test_subfolders_weight_and_natural_order(tmp_path):
    write(tmp_path, "_index.md", "---\nbookHidden: true\n---\n")
    write(tmp_path, "db/_index.md", "---\ntitle: Databases\n---\n")
    write(tmp_path, "db/Alert10.md", "# Alert10\n")
    write(tmp_path, "db/Alert2.md", "# Alert2\n")
    write(tmp_path, "db/Heavy.md", "---\ntitle: Heavy\nweight: 5\n---\n")
    lib = load_library(tmp_path)
    paths = [rb.path for rb in lib.runbooks]
    assert paths == ["_index.md", "db/_index.md", "db/Alert2.md", "db/Alert10.md",
                     "db/Heavy.md"]
    assert lib.get("db/Alert2.md").group == "Databases"


def test_binary_non_utf8_and_huge_files(tmp_path):
    write(tmp_path, "ok.md", "# OK\n")
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (tmp_path / "latin1.md").write_bytes("# Caf\xe9 runbook\n\n- [ ] r\xe9start\n"
                                         .encode("latin-1"))
    (tmp_path / "huge.md").write_bytes(b"# big\n" + b"x" * (MAX_BYTES + 10))
    lib = load_library(tmp_path)
    binary, huge, latin = lib.get("binary.md"), lib.get("huge.md"), lib.get("latin1.md")
    assert "binary" in binary.load_error
    assert "MB" in huge.load_error and "limit" in huge.load_error
    assert latin.load_error is None
    assert latin.title.startswith("Caf")
    assert any(p.code == "encoding" and "UTF-8" in p.message for p in latin.problems)
    assert lib.get("ok.md").load_error is None
    # the original bytes are untouched
    assert (tmp_path / "latin1.md").read_bytes().startswith(b"# Caf\xe9")


def test_symlink_outside_the_library_is_not_opened(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = write(outside, "secret.md", "# secret\n")
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    write(lib_dir, "index.md", "# Index\n")
    os.symlink(secret, lib_dir / "leak.md")
    os.symlink(lib_dir, lib_dir / "loop")  # a directory loop is not followed
    lib = load_library(lib_dir)
    assert [rb.path for rb in lib.runbooks] == ["index.md"]
    assert any(p.code == "outside-library" for p in lib.problems)


def test_foreign_corpus_loads(corpus_library):
    lib = load_library(corpus_library)
    assert len(lib.runbooks) >= 108
    assert all(rb.title for rb in lib.runbooks)
    etcd = lib.get("etcd/etcdInsufficientMembers.md")
    assert [s.title for s in etcd.sections if s.level == 2][:4] == [
        "Meaning", "Impact", "Diagnosis", "Mitigation"]
    assert etcd.group == "etcd"
    assert not [p for p in lib.all_problems() if p.level == "error"]


def test_bundled_library_loads(bundled_library):
    lib = load_library(bundled_library)
    assert lib.landing is not None and lib.landing.path == "index.md"
    assert len(lib.runbooks) >= 18
    for rb in lib.runbooks:
        assert rb.load_error is None, rb.path
