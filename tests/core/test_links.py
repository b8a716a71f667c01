"""core.links: the one rule for where a written link leads (window, related list, scenarios,
``show``, ``check``)."""

from __future__ import annotations

from runbook_viewer.core import links
from runbook_viewer.core.library import load_library
from runbook_viewer.core.lint import resolve_profile, run_check
from runbook_viewer.core.navigation import resolve_link
from runbook_viewer.core.scenarios.wayfinding import related


def _lib(tmp_path):
    for rel, text in {
        "index.md": "# Index\n\n[ops](ops/) [db](db) [hugo]({{< ref \"hugo/x.md\" >}})\n",
        "ops/README.md": "# Ops\n\n## Steps\n\n[db](../db.md#restore)\n",
        "db.md": "# DB\n\n## Restore\n\n[ops](ops/#steps) then [fix](fix)\n",
        "fix.md": "# Fix\n",
        "hugo/_index.md": "# Hugo\n",
        "hugo/x.md": "# X\n\n[up](../hugo)\n",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return load_library(tmp_path)


def test_external_is_one_definition_for_every_scheme():
    for url in ("https://x.org", "HTTP://x", "mailto:a@b", "ftp://h", "file:///etc", "//host/p",
                "tel:123", "javascript:alert(1)"):
        assert links.is_external(url), url
    for rel in ("a.md", "../a.md#x", "#x", "dir/", "a b.md"):
        assert not links.is_external(rel), rel
    assert not links.is_remote("check:abc") and links.is_remote("copy:rm -rf /")


def test_target_path_stays_inside_the_library():
    assert links.target_path("ops/README.md", "../db.md#restore") == "db.md"
    assert links.target_path("ops/README.md", "#steps") == "ops/README.md"
    assert links.target_path("a.md", "../x.md") is None
    assert links.target_path("a/b.md", "./c/../d.md?x=1") == "a/d.md"


def test_resolve_tries_the_file_then_folder_pages(tmp_path):
    lib = _lib(tmp_path)
    assert links.resolve(lib, "db").path == "db.md"
    assert links.resolve(lib, "ops/").path == "ops/README.md"
    assert links.resolve(lib, "ops").path == "ops/README.md"
    assert links.resolve(lib, "hugo").path == "hugo/_index.md"
    assert links.resolve(lib, "nothing") is None
    assert links.resolve_link(lib, "index.md", "https://db") is None


def test_window_scenarios_and_related_agree(tmp_path):
    lib = _lib(tmp_path)
    assert resolve_link(lib, "index.md", "ops/").path == "ops/README.md"
    assert resolve_link(lib, "index.md", "db").path == "db.md"
    assert "fix.md" in {r.path for r in related(lib, "db.md")}  # landing pages are left out
    # a Hugo ref is an ordinary link in the model: recorded once, from the tokens
    index = lib.get("index.md")
    assert [t for t, *_ in links.outgoing(index)].count("hugo/x.md") == 1


def test_check_accepts_every_link_the_window_opens(tmp_path):
    lib = _lib(tmp_path)
    report = run_check(lib, resolve_profile(lib.root, None))
    assert not [p for p in report.problems if p.rule in ("broken-link", "broken-anchor")]
