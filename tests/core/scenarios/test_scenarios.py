"""The scenario model (index quick reference + trigger conditions + fallback), related runbooks
and breadcrumbs — on a synthetic library, on the bundled library and on the foreign corpus."""

from __future__ import annotations

import re

import pytest
from helpers.scenario_fixtures import write_foreign_library, write_scenario_library

from runbook_viewer.core.library import load_library
from runbook_viewer.core.model import SEVERITIES, Label
from runbook_viewer.core.parser import strip_inline
from runbook_viewer.core.scenarios import (
    best_match,
    build_scenarios,
    filter_scenarios,
    first_sentence,
    grouped,
    index_scenarios,
    match_strength,
    matches,
    similar,
    split_row,
    trigger_scenarios,
)
from runbook_viewer.core.scenarios.wayfinding import breadcrumbs, related, relative_href


@pytest.fixture
def lib(tmp_path):
    return load_library(write_scenario_library(tmp_path / "lib"))


def by_title(scenarios, fragment):
    found = [s for s in scenarios if fragment in s.title]
    assert len(found) == 1, (fragment, [s.title for s in scenarios])
    return found[0]


# -- synthetic library -------------------------------------------------------------------------
def test_index_rows_and_bullets_become_scenarios(lib):
    rows = index_scenarios(lib)
    titles = [s.title for s in rows]
    assert titles == ["HaltActive fires; API answers 503", "ChainBroken; verify | grep FAIL "
                      "prints a line", "Ghost entry for a vanished step",
                      "DbDown; pg_isready says no response", "disk filling on the database host"]
    halt = rows[0]
    assert (halt.path, halt.anchor, halt.severity, halt.label) == (
        "halt.md", "step-1-confirm-the-halt", "CRITICAL", Label.CONSTITUTIONAL)
    assert halt.step_title == "Step 1: Confirm the halt" and halt.source == "index"
    assert halt.runbook_title == "Halt Procedures" and halt.origin == "index.md"
    # the 🔵 sub-heading gives its bullets their label
    assert rows[3].label is Label.OPERATIONAL and rows[3].severity == "MEDIUM"
    # a link outside the section (Emergency Contacts) is not a scenario
    assert all("On-call" not in t for t in titles)


def test_a_row_whose_step_is_gone_opens_the_runbook_top(lib):
    ghost = by_title(index_scenarios(lib), "Ghost entry")
    assert ghost.path == "halt.md" and ghost.anchor == "" and not ghost.resolved
    assert ghost.label is Label.CONSTITUTIONAL  # from the row, not guessed


def test_triggers_template_ignored_and_link_less_trigger_gets_first_step(lib):
    triggers = trigger_scenarios(lib)
    assert all(s.origin != "TEMPLATE.md" for s in triggers)
    replication = by_title(triggers, "replication stopped")
    assert replication.anchor == "step-1-restart-the-database"
    assert replication.severity == "HIGH" and replication.label is Label.OPERATIONAL


def test_index_entry_and_its_trigger_are_merged(lib):
    scenarios = build_scenarios(lib)
    at_step1 = [s for s in scenarios if s.anchor == "step-1-confirm-the-halt"
                and s.severity == "CRITICAL"]
    # the index row absorbed the trigger naming the same alert; the other trigger stays
    assert sorted(s.source for s in at_step1) == ["index", "trigger"]
    merged = next(s for s in at_step1 if s.source == "index")
    assert any("503 system_halted" in a for a in merged.aliases)
    assert matches(merged, "system_halted")  # the trigger's words still find it
    db = by_title(scenarios, "DbDown")
    assert db.source == "index" and db.aliases == ("DbDown fires",)
    assert len([s for s in scenarios if "disk filling" in s.title]) == 1


def test_order_most_severe_first_constitutional_before_operational(lib):
    scenarios = build_scenarios(lib)
    keys = [(s.rank, 0 if s.constitutional else 1) for s in scenarios]
    assert keys == sorted(keys)
    assert scenarios[0].severity == "CRITICAL" and scenarios[0].constitutional
    assert [sev for sev, _ in grouped(scenarios)] == ["CRITICAL", "HIGH", "MEDIUM", "LOW",
                                                      "INFO"]
    high = dict(grouped(scenarios))["HIGH"]
    assert [c for c, _ in high] == ["🔴 Constitutional", "🔵 Operational"]


def test_label_from_the_target_step_and_mixed_steps(lib):
    scenarios = build_scenarios(lib)
    second = by_title(scenarios, "second observer")  # no label in the bullet: step 1 is 🔴
    assert second.label is Label.CONSTITUTIONAL and not second.mixed
    fork = by_title(scenarios, "fork suspected")  # step 3: 🔵 group first, then 🔴
    assert fork.label is Label.OPERATIONAL and fork.mixed


def test_filter_every_word_case_insensitive(lib):
    scenarios = build_scenarios(lib)
    assert {s.title for s in filter_scenarios(scenarios, "haltactive 503")} == {
        "HaltActive fires; API answers 503"}
    assert filter_scenarios(scenarios, "  ") == scenarios
    assert filter_scenarios(scenarios, "halt nonexistentword") == []
    assert {s.severity for s in filter_scenarios(scenarios, "critical")} == {"CRITICAL"}
    assert all(s.constitutional for s in filter_scenarios(scenarios, "constitutional"))
    assert by_title(filter_scenarios(scenarios, "pg_isready"), "DbDown")


def test_best_match_prefers_the_symptom_text_over_the_runbook_title(lib):
    scenarios = build_scenarios(lib)
    shown = filter_scenarios(scenarios, "database")
    # HIGH and MEDIUM entries match only through the runbook title "Database Operations"
    assert [s.severity for s in shown][:2] == ["HIGH", "MEDIUM"]
    assert [match_strength(s, "database") for s in shown][:2] == [1, 1]
    assert best_match(shown, "database").title == "disk filling on the database host"
    # with no symptom naming the words, the most severe match wins
    assert best_match(filter_scenarios(scenarios, "restart"), "restart").severity == "HIGH"
    assert best_match(scenarios, "") is scenarios[0]
    assert best_match(scenarios, "zebra") is None


def test_split_row_splits_as_the_page_shows_the_table():
    """One rule for the scenario tables, lint and the page: GitHub splits on every unescaped
    pipe, inside a code span too; an escaped one stays in its cell."""
    import cmarkgfm

    row = "| `a | b` | HIGH | [x](y.md) |"
    html = cmarkgfm.github_flavored_markdown_to_html(f"| h | s | l |\n|---|---|---|\n{row}\n")
    assert "<td>`a</td>\n<td>b`</td>" in html  # GitHub splits inside the code span
    assert split_row(row) == ["`a", "b`", "HIGH", "[x](y.md)"]
    assert split_row(r"| `a \| b` | c |") == ["`a | b`", "c"]
    assert split_row(r"| a \| b | c |") == ["a | b", "c"]
    assert split_row("a | b") == ["a", "b"]


def test_similar_texts():
    assert similar("`ArchonHaltActive` fires", "after ArchonHaltActive pages the on-call")
    assert similar("disk filling on the database host", "database host disk filling up")
    assert not similar("disk filling on the database host", "replication stopped")


# -- related runbooks and breadcrumbs ----------------------------------------------------------
def test_related_follows_the_procedure_then_references_then_backlinks(lib):
    rel = related(lib, "halt.md")
    assert [(r.path, r.kind) for r in rel] == [
        ("recovery.md", "next"), ("review.md", "next"), ("db.md", "reference")]
    assert rel[0].anchor == "step-1-restore-the-checkpoint"
    assert rel[0].where == "Step 3: Recover from the fork"
    back = related(lib, "recovery.md")
    assert [(r.path, r.kind) for r in back] == [("halt.md", "backlink")]
    assert back[0].target == "halt.md#step-3-recover-from-the-fork"  # the step sending you


def test_related_leaves_out_landing_pages(lib):
    assert all(r.path != "index.md" for r in related(lib, "db.md"))
    assert related(lib, "nope.md") == []


def test_breadcrumbs_scenario_runbook_step(lib):
    sc = by_title(build_scenarios(lib), "HaltActive fires; API")
    crumbs = breadcrumbs(lib, sc.path, sc.anchor, sc)
    assert [c.kind for c in crumbs] == ["scenario", "runbook", "step"]
    assert "CRITICAL" in crumbs[0].text and "CONSTITUTIONAL" in crumbs[0].text
    assert crumbs[0].href == "halt.md#step-1-confirm-the-halt"
    assert crumbs[1].text == "Halt Procedures" and crumbs[2].text == "Step 1: Confirm the halt"
    plain = breadcrumbs(lib, "halt.md", "operational-check")
    assert [c.kind for c in plain] == ["library", "runbook", "step", "section"]
    assert plain[2].text == "Step 3: Recover from the fork"
    item = lib.get("db.md").items[0]
    assert breadcrumbs(lib, "db.md", f"item-{item.id}")[-1].text == "Step 1: Restart the database"


def test_relative_href_between_folders():
    assert relative_href("a/b.md", "a/c.md#x") == "c.md#x"
    assert relative_href("a/b.md", "d/e.md") == "../d/e.md"
    assert relative_href("top.md", "a/b.md") == "a/b.md"


# -- a foreign library with no quick reference and no triggers ---------------------------------
def test_fallback_one_scenario_per_alert_runbook(tmp_path):
    lib = load_library(write_foreign_library(tmp_path / "foreign"))
    scenarios = build_scenarios(lib)
    assert {s.source for s in scenarios} == {"fallback"}
    assert {s.title for s in scenarios} == {"DbPrimaryDown", "DbReplicaLag", "DbDiskFailure",
                                            "WebErrors"}
    primary = by_title(scenarios, "DbPrimaryDown")
    assert primary.severity == "CRITICAL" and scenarios[0] is primary
    assert primary.description == "The primary database stopped answering."
    assert primary.anchor == "diagnosis" and primary.group == "db"
    lag = by_title(scenarios, "DbReplicaLag")
    assert lag.description == "Stale reads for dashboards." and lag.anchor == "mitigation"
    assert lag.severity is None and lag.severity_text == "UNSPECIFIED"
    stub = by_title(scenarios, "DbDiskFailure")  # a "see X" page leads to X
    assert stub.path == "db/DbPrimaryDown.md" and stub.description.startswith("See Db Primary")
    web = by_title(scenarios, "WebErrors")
    assert web.title == "WebErrors" and web.anchor == "runbook"
    assert matches(web, "web errors")  # the H1's words are searchable
    assert related(lib, "db/DbPrimaryDown.md")[0].path == "db/DbDiskFailure.md"


def test_first_sentence():
    assert first_sentence("Pod is down. It restarts.") == "Pod is down."
    assert first_sentence("```sh\nx\n```\n\nText here") == "Text here"
    assert len(first_sentence("word " * 200)) <= 220


# -- the bundled library -----------------------------------------------------------------------
def check_targets_resolve(lib, scenarios):
    for s in scenarios:
        rb = lib.get(s.path)
        assert rb is not None, s
        assert s.anchor == "" or rb.section(s.anchor) is not None, s


def test_bundled_library_scenarios(bundled_library):
    lib = load_library(bundled_library)
    scenarios = build_scenarios(lib)
    assert scenarios, "the bundled library declares no scenarios"
    check_targets_resolve(lib, scenarios)
    assert all(s.resolved for s in scenarios), [s.to_dict() for s in scenarios
                                                 if not s.resolved]
    ranks = [s.rank for s in scenarios]
    assert ranks == sorted(ranks)
    assert all(s.severity in SEVERITIES for s in scenarios)
    assert all(s.label is not None for s in scenarios)
    critical = [s for s in scenarios if s.severity == "CRITICAL"]
    assert critical and critical[0].constitutional
    assert any(s.constitutional for s in scenarios) and any(
        s.label is Label.OPERATIONAL for s in scenarios)
    # the index's quick reference is used, and every row in it leads somewhere real
    index_rows = index_scenarios(lib)
    assert len(index_rows) >= 10
    assert all(r.resolved and r.anchor for r in index_rows), [
        r.to_dict() for r in index_rows if not r.resolved or not r.anchor]
    # steps are targeted, not runbook tops
    assert all(lib.get(s.path).step_of(s.anchor).is_step for s in scenarios if s.anchor)


def test_bundled_library_no_trigger_is_lost(bundled_library):
    lib = load_library(bundled_library)
    scenarios = build_scenarios(lib)
    texts = {re.sub(r"\s+", " ", t).lower() for s in scenarios for t in (s.title, *s.aliases)}
    for rb in lib.runbooks:
        if rb.is_landing or rb.path == "TEMPLATE.md":
            continue
        for trig in rb.triggers:
            words = strip_inline(trig.text).lower()
            assert any(t and t in words for t in texts), (rb.path, trig.line, trig.text)


def test_bundled_library_related_runbooks(bundled_library):
    lib = load_library(bundled_library)
    for rb in lib.runbooks:
        for r in related(lib, rb.path):
            assert lib.get(r.path) is not None and r.path != rb.path
            assert not lib.get(r.path).is_landing
    halt = lib.get("epic-3-halt-fork.md")
    if halt is not None:
        paths = [r.path for r in related(lib, halt.path)]
        assert "recovery.md" in paths


# -- the foreign corpus ------------------------------------------------------------------------
@pytest.mark.corpus
def test_corpus_scenarios(corpus_library):
    lib = load_library(corpus_library)
    scenarios = build_scenarios(lib)
    alert_runbooks = [rb for rb in lib.runbooks if not rb.is_landing]
    assert len(scenarios) == len(alert_runbooks) >= 100
    check_targets_resolve(lib, scenarios)
    assert {s.source for s in scenarios} == {"fallback"}
    folders = {rb.folder for rb in alert_runbooks}
    assert {s.group for s in scenarios} == folders
    with_meaning = 0
    for s in scenarios:
        rb = lib.get(s.origin)
        meaning = next((sec for sec in rb.sections if sec.title == "Meaning"), None)
        if meaning is not None:
            with_meaning += 1
            flat = re.sub(r"\s+", " ", strip_inline(meaning.body))
            assert s.description and s.description.rstrip("…") in flat, s
        diagnosis = next((sec for sec in rb.sections if sec.title == "Diagnosis"), None)
        if diagnosis is not None and s.path == rb.path:
            assert s.anchor == diagnosis.anchor, s
    assert with_meaning >= 100
    # the alert names operators get paged with are findable
    assert any(s.title == "KubePodCrashLooping" for s in filter_scenarios(scenarios,
                                                                          "crashloop"))
