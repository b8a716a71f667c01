"""Ranking with operational sense (issue 16): severity and production triage when relevance is
close, non-production marks, length, diversity, boilerplate, compounds, operators' vocabulary,
function words — each on a small library made for it, plus the two misses the issue names."""

# ruff: noqa: E501 — markdown fixtures keep their real (long) lines

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_files

from runbook_viewer.cli import main
from runbook_viewer.core.search import SearchEngine, group_hits
from runbook_viewer.core.search.ranking import DIVERSITY, diversify

HEADER = "Last Updated: 2026-11-20\nVersion: 1.0\nOwner: SRE\n"
FILLER = ("Confirm the service account, the runtime version, the deploy tag and the change "
          "ticket before you continue with anything else here. ")


def write(root: Path, files: dict[str, str]) -> Path:
    return write_files(root, files)


def runbook(title: str, step: str, body: str, severity: str | None = None,
            front: str = "") -> str:
    anchor = "step-1-" + "-".join(step.lower().split())
    trig = f"## Trigger Conditions\n\n- **{severity}** — the symptom → [Step 1](#{anchor})\n\n" \
        if severity else ""
    return (f"{front}# {title}\n\n{HEADER}\n## Purpose\n\nKeep things running.\n\n{trig}"
            f"## Procedure\n\n### Step 1: {step}\n\n{body}\n")


def search(root: Path, query: str, limit: int = 10):
    engine = SearchEngine(root)
    engine.ensure_index()
    return engine.search(query, limit=limit)


# ---------------------------------------------------------------- the two misses in the issue
def test_hash_chain_broken_opens_the_event_store_step_first(bundled_library):
    hits = search(bundled_library, "hash chain broken")
    assert hits[0].path == "epic-1-event-store.md"
    assert hits[0].section.endswith("Step 2: Verify the hash chain")
    assert hits[0].severity == "CRITICAL"


def test_disk_full_finds_backup_step_4_and_startup_step_1(bundled_library):
    hits = search(bundled_library, "disk full")
    where = [(h.path, h.section.rsplit(" › ", 1)[-1]) for h in hits]
    assert any(p == "backup.md" and s.startswith("Step 4:") for p, s in where), where
    assert any(p == "startup.md" and s.startswith("Step 1:") for p, s in where), where


# ---------------------------------------------------------------- operational sense
def test_critical_wins_over_low_when_the_match_is_the_same(tmp_path):
    body = "- [ ] Check the replication slot lag on the standby"
    root = write(tmp_path / "lib", {
        "a-low.md": runbook("Slots A", "Check slots", body, "LOW"),
        "b-critical.md": runbook("Slots B", "Check slots", body, "CRITICAL")})
    assert [h.path for h in search(root, "replication slot lag")][:2] == \
        ["b-critical.md", "a-low.md"]


@pytest.mark.parametrize("how", ["front matter", "toml"])
def test_non_production_runbook_ranks_below_production(tmp_path, how):
    body = "- [ ] Rotate the hsm token when signing fails"
    front = "---\nenvironment: development\n---\n\n" if how == "front matter" else ""
    files = {"dev.md": runbook("Dev box", "Rotate token", body, front=front),
             "prod.md": runbook("Prod", "Rotate token", body)}
    # alphabetical order and the same text: without the mark, dev.md would come first
    if how == "toml":
        files[".runbook-viewer.toml"] = '[search]\nnon_production = ["dev*.md"]\n'
    root = write(tmp_path / "lib", files)
    assert [h.path for h in search(root, "hsm token signing")][:2] == ["prod.md", "dev.md"]


def test_a_search_only_config_leaves_check_as_auto_detected(bundled_library):
    from runbook_viewer.core.lint.profiles import detect_profile

    assert "non_production" in (bundled_library / ".runbook-viewer.toml").read_text()
    profile = detect_profile(bundled_library)
    assert profile.name == "runbook-template" and "auto-detected" in profile.source


def test_unmarking_a_runbook_reindexes_it(tmp_path):
    body = "- [ ] Rotate the hsm token when signing fails"
    root = write(tmp_path / "lib", {
        "dev.md": runbook("Dev box", "Rotate token", body),
        "prod.md": runbook("Prod", "Rotate token", body),
        ".runbook-viewer.toml": '[search]\nnon_production = ["dev.md"]\n'})
    first = search(root, "hsm token signing")[0].path
    (root / ".runbook-viewer.toml").write_text('[search]\nnon_production = ["prod.md"]\n')
    assert first == "prod.md" and search(root, "hsm token signing")[0].path == "dev.md"


# ---------------------------------------------------------------- length, function words
def test_long_section_with_every_word_beats_short_one_with_half(tmp_path):
    long_body = FILLER * 12 + "The api gateway returns a timeout after the restart. " + \
        FILLER * 12
    root = write(tmp_path / "lib", {
        "short.md": runbook("Short", "Restart", "- [ ] Restart the api"),
        "long.md": runbook("Long", "Investigate", long_body)})
    assert search(root, "api gateway timeout restart")[0].path == "long.md"


def test_function_words_never_decide_a_ranking(tmp_path):
    root = write(tmp_path / "lib", {
        "a.md": runbook("A", "Words", "- [ ] One node is on the list of pods"),
        "b.md": runbook("B", "Fire", "- [ ] A pod caught fire")})
    assert search(root, "one pod is on fire")[0].path == "b.md"


# ---------------------------------------------------------------- diversity
def test_top_results_name_different_runbooks_unless_one_is_clearly_the_answer():
    scored = [(10.0, "a", 1), (9.0, "a", 2), (8.0, "b", 3), (3.0, "c", 4)]
    assert [item for _s, item in diversify(scored)] == [1, 3, 2, 4]
    dominant = [(10.0, "a", 1), (9.0, "a", 2), (2.0, "b", 3)]
    assert [item for _s, item in diversify(dominant)][:2] == [1, 2]
    assert 0 < DIVERSITY < 1


def test_search_interleaves_runbooks_and_groups_further_sections(tmp_path):
    steps = "\n".join(f"### Step {n}: Flush redis cache {n}\n\n- [ ] Flush the redis cache keys "
                      f"batch {n}\n" for n in range(1, 4))
    root = write(tmp_path / "lib", {
        "a.md": f"# A\n\n{HEADER}\n## Procedure\n\n{steps}",
        "b.md": runbook("B", "Flush", "- [ ] Flush the redis cache keys now")})
    hits = search(root, "flush redis cache keys")
    assert {hits[0].path, hits[1].path} == {"a.md", "b.md"}
    groups = group_hits(hits)
    assert [best.path for best, _more in groups] == [hits[0].path, hits[1].path]
    assert sum(len(more) for _b, more in groups) == len(hits) - 2


def test_json_keeps_every_section_and_ranks_runbooks_first(tmp_path, capsys):
    steps = "\n".join(f"### Step {n}: Flush redis cache {n}\n\n- [ ] Flush the redis cache keys "
                      f"batch {n}\n" for n in range(1, 4))
    root = write(tmp_path / "lib", {
        "a.md": f"# A\n\n{HEADER}\n## Procedure\n\n{steps}",
        "b.md": runbook("B", "Flush", "- [ ] Flush the redis cache keys now")})
    assert main(["search", "--library", str(root), "--json", "flush redis cache"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ranks = [r["runbook_rank"] for r in rows]
    assert ranks == sorted(ranks) and len(rows) == len(search(root, "flush redis cache"))
    for rank in set(ranks):
        paths = {r["path"] for r in rows if r["runbook_rank"] == rank}
        assert len(paths) == 1


# ---------------------------------------------------------------- boilerplate
def test_boilerplate_repeated_across_runbooks_weighs_little(tmp_path):
    stock = "If you cannot resolve the issue, page the database team on call."
    files = {f"svc{n}.md": runbook(f"Service {n}", "Restart", f"- [ ] Restart worker {n}\n\n{stock}")
             for n in range(8)}
    files["db.md"] = runbook("Replication", "Check lag", "- [ ] Check the database replication lag")
    root = write(tmp_path / "lib", files)
    hits = search(root, "database team")
    assert hits[0].path == "db.md"
    assert search(root, "page the team on call")  # still found when nothing else matches


# ---------------------------------------------------------------- compounds and vocabulary
@pytest.mark.parametrize("query, path", [
    ("filesystem read only", "fs.md"), ("file system read only", "fs.md"),
    ("fail over the primary", "failover.md"), ("failover primary", "failover2.md"),  # top 2
    ("oom", "oom.md"), ("out of memory", "oom.md"), ("503 errors", "5xx.md"),
    ("5xx", "502.md"), ("gw timeout", "gw.md"), ("lb health", "lb.md"), ("k8s node", "k8s.md"),
    ("vip moved", "vip.md"), ("disk full", "nospace.md"), ("cert expired", "x509.md"),
])
def test_operators_write_it_either_way(tmp_path, query, path):
    root = write(tmp_path / "lib", {
        "fs.md": runbook("Volumes", "Remount", "- [ ] The file system is read only; remount it"),
        "failover.md": runbook("DB", "Promote", "- [ ] Run the failover of the primary"),
        "failover2.md": runbook("DB2", "Promote", "- [ ] Fail over from the primary by hand"),
        "oom.md": runbook("Memory", "Kill", "- [ ] The worker was OOMKilled by the kernel"),
        "cache.md": runbook("Cache", "Warm", "- [ ] Warm the in-memory cache of sessions"),
        "5xx.md": runbook("Errors", "Look", "- [ ] The api returns 5xx errors to clients"),
        "502.md": runbook("Proxy", "Look", "- [ ] nginx answers 502 to every request"),
        "gw.md": runbook("Gateway", "Look", "- [ ] The gateway returns a timeout"),
        "lb.md": runbook("Balancer", "Look", "- [ ] Check the load balancer health page"),
        "k8s.md": runbook("Cluster", "Look", "- [ ] Drain the kubernetes node"),
        "vip.md": runbook("Keepalived", "Look", "- [ ] The virtual ip moved to the standby"),
        "nospace.md": runbook("Space", "Look", "- [ ] write failed: no space left on device"),
        "x509.md": runbook("TLS", "Renew", "- [ ] x509: certificate has expired; renew it"),
    })
    hits = search(root, query)
    top = 2 if path.startswith("failover") else 1  # both spellings answer: the other in top 2
    assert path in [h.path for h in hits[:top]], [h.path for h in hits]
    if query == "oom":
        assert "cache.md" not in [h.path for h in hits]  # "in-memory" is no oom


# ---------------------------------------------------------------- terminal search is cheap
def test_terminal_search_with_a_fresh_index_parses_nothing(tmp_path):
    root = shutil.copytree(Path(__file__).parents[3] / "runbooks", tmp_path / "lib")
    home = tmp_path / "home"
    code = ("import sys; from runbook_viewer.cli import main; "
            f"rc = main(['search', '--library', {str(root)!r}, 'redis']); "
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('markdown', 'markdown_it')"
            " or m in ('runbook_viewer.core.parser', 'runbook_viewer.core.library', "
            "'dataclasses')]; print('HEAVY', heavy, rc)")
    env = {"RUNBOOK_VIEWER_HOME": str(home), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True)
    assert "HEAVY" in first.stdout  # the first run builds the index (and parses)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True)
    assert "HEAVY [] 0" in again.stdout, again.stdout + again.stderr
    (root / "startup.md").write_text((root / "startup.md").read_text() + "\nA new line.\n")
    changed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True)
    assert "HEAVY []" not in changed.stdout  # a changed file: parsed and re-indexed


def test_ranking_context_key_is_per_file_and_grouped_once(bundled_library):
    """Each file's key covers exactly the triage marks pointing into it (the index manifest
    re-indexes the files a scenario table change affects); computed from one grouping, the
    same as scanning every mark for the file."""
    import hashlib

    from runbook_viewer.core.library import load_library
    from runbook_viewer.core.search.operations import operations_of

    lib = load_library(bundled_library)
    ops = operations_of(lib)
    assert ops.triage, "the bundled library's scenario tables point at sections"

    def scanned(path: str) -> str:
        marks = sorted(f"{a}={s}" for (p, a), s in ops.triage.items() if p == path)
        raw = f"{path in ops.non_production}|{'|'.join(marks)}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]

    keys = {rb.path: ops.key(rb.path) for rb in lib.runbooks}
    assert keys == {rb.path: scanned(rb.path) for rb in lib.runbooks}
    assert len(set(keys.values())) > 3  # files with different marks get different keys
