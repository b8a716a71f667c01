"""TEMPLATE.md is a template, not a runbook: out of search, triage and "related" by default;
a library's .runbook-viewer.toml may say otherwise (issue 14 §13)."""

from __future__ import annotations

import pytest

from runbook_viewer.core.library import load_library
from runbook_viewer.core.scenarios import build_scenarios
from runbook_viewer.core.scenarios.wayfinding import related
from runbook_viewer.core.search import SearchEngine

TEMPLATE = """\
# Runbook Template

## Trigger Conditions

- MEDIUM — the zanzibar widget reports wobble ([Step 1](#step-1-describe-the-first-action))

## Procedure

### Step 1: Describe the first action

🔴 **CONSTITUTIONAL** — FR1

- [ ] Check the zanzibar widget wobble; see [Redis](redis.md)
"""
REDIS = """\
# Redis

## Trigger Conditions

- HIGH — redis connection refused ([Step 1](#step-1-restart))

## Procedure

### Step 1: Restart

- [ ] Restart redis; the zanzibar widget may wobble
"""


@pytest.fixture
def lib_dir(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "index.md").write_text("# Index\n\n- [Redis](redis.md)\n- [Template](TEMPLATE.md)\n")
    (root / "TEMPLATE.md").write_text(TEMPLATE)
    (root / "redis.md").write_text(REDIS)
    return root


def paths_found(root, query, tmp_path):
    engine = SearchEngine(root, index_path=tmp_path / "index.sqlite3")
    engine.ensure_index()
    try:
        return {hit.path for hit in engine.search(query, limit=20)}
    finally:
        engine.close()


def test_loader_marks_the_template(lib_dir):
    lib = load_library(lib_dir)
    assert lib.get("TEMPLATE.md").is_template
    assert not lib.get("redis.md").is_template
    assert not lib.get("index.md").is_template


def test_template_is_left_out_of_search_triage_and_related(lib_dir, tmp_path):
    lib = load_library(lib_dir)
    assert paths_found(lib_dir, "zanzibar wobble", tmp_path) == {"redis.md"}
    assert all(sc.path != "TEMPLATE.md" for sc in build_scenarios(lib))
    assert all(r.path != "TEMPLATE.md" for r in related(lib, "redis.md"))


def test_library_setting_can_make_it_a_runbook(lib_dir, tmp_path):
    (lib_dir / ".runbook-viewer.toml").write_text("[library]\ntemplates = []\n")
    lib = load_library(lib_dir)
    assert not lib.get("TEMPLATE.md").is_template
    assert "TEMPLATE.md" in paths_found(lib_dir, "zanzibar wobble", tmp_path)
    assert any(r.path == "TEMPLATE.md" for r in related(lib, "redis.md"))


def test_library_setting_can_name_other_templates(lib_dir):
    (lib_dir / "drafts").mkdir()
    (lib_dir / "drafts" / "new.md").write_text(REDIS.replace("Redis", "Draft"))
    (lib_dir / ".runbook-viewer.toml").write_text(
        '[check]\nprofile = "generic"\n\n[library]\ntemplates = ["TEMPLATE.md", "drafts/*"]\n')
    lib = load_library(lib_dir)
    assert lib.get("drafts/new.md").is_template and lib.get("TEMPLATE.md").is_template
    assert all(sc.path != "drafts/new.md" for sc in build_scenarios(lib))


def test_a_bad_setting_keeps_the_default_and_says_so(lib_dir):
    (lib_dir / ".runbook-viewer.toml").write_text("[library]\ntemplates = 'TEMPLATE.md'\n")
    lib = load_library(lib_dir)
    assert lib.get("TEMPLATE.md").is_template
    assert any(p.code == "config" and "templates" in p.message for p in lib.problems)


def test_bundled_template_is_not_a_search_result(bundled_library, tmp_path):
    assert "TEMPLATE.md" not in paths_found(bundled_library, "record the outcome and close",
                                            tmp_path)


def test_a_rebuilt_index_lists_what_the_library_wants(lib_dir, tmp_path):
    """The index's manifest leaves the template out too, so a prebuilt index matches."""
    from runbook_viewer.core.search.index import usable
    from runbook_viewer.core.search.writer import IndexWriter, manifest_of

    lib = load_library(lib_dir)
    writer = IndexWriter(lib.root, path=tmp_path / "i.sqlite3")
    writer.update(lib)
    assert usable(writer.path, lib.root) == manifest_of(lib)
    assert "TEMPLATE.md" not in manifest_of(lib)
    assert writer.prebuilt_matching(lib) is None  # no prebuilt given
    writer.prebuilt = writer.path
    assert writer.prebuilt_matching(lib) == writer.path
