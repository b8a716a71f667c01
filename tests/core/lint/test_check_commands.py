"""The command rules of `runbook-viewer check` read commands the way an operator does: values in
backticks are not commands, a loop or a pipeline is one command, a read-only command may quote
a sequence number, and the library's majority placeholder style wins."""

from __future__ import annotations

import pytest
from helpers.check_fixtures import ALPHA, BETA, FILES, TODAY, line_of, write_library

from runbook_viewer.core.lint import check_folder
from runbook_viewer.core.lint.commands import command_count, looks_like_command, split_segments
from runbook_viewer.core.lint.rules_commands import placeholder_style
from runbook_viewer.core.lint.tables import split_targets


def codes(report) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.code) for p in report.problems]


@pytest.mark.parametrize("span", [
    "archonctl halt status", "sudo systemctl stop archon-writer", "pg_isready -h db-01 -p 5432",
    "SELECT count(*) FROM events;", 'REDIS_MASTER=$(redis-cli -h redis-01 ping)',
    "./scripts/check.sh --fast", "make dev", "some-tool --flag", "foo | wc -l",
])
def test_commands_are_recognised(span):
    assert looks_like_command(span)


@pytest.mark.parametrize("span", [
    "db-01", "result: PASS", "shut down in recovery", "no response", "OK 3 usable Sentinels",
    "set server api/api-01 state ready", "hostssl archon archon_app 10.0.0.1/32 scram-sha-256",
    "DEL archon:halt", "UPDATE halt_state", "histogram_quantile(0.99, sum by (le) (x))",
])
def test_values_and_mentions_are_not_commands(span):
    assert not looks_like_command(span)


def test_segments_split_at_top_level_only():
    assert split_segments("a && b || c; d") == ["a", "b", "c", "d"]
    assert split_segments('echo "x; y" && grep -c "a && b"') == ['echo "x; y"', 'grep -c "a && b"']
    assert split_segments("for h in a b; do ssh $h true; done") == [
        "for h in a b; do ssh $h true; done"]
    assert split_segments("X=$(a; b) && c") == ["X=$(a; b)", "c"]
    assert split_segments("pg_ctlcluster 16 restore stop || true") == [
        "pg_ctlcluster 16 restore stop"]


def test_command_count_of_a_checklist_line():
    assert command_count("- [ ] Confirm `db-01` is the primary: `psql -h db-01 -Atc "
                         "\"SELECT 1;\"` returns `f`") == 1
    assert command_count("- [ ] Read it with `archonctl a b` and `archonctl c d`") == 2
    assert command_count("- [ ] Validate: `haproxy -c -f x && systemctl reload haproxy`") == 2
    assert command_count("- [ ] Write the result in the ticket") == 0
    # exclusive alternatives are one choice: the biggest alternative counts, once
    assert command_count("- [ ] Restart what was down (tick one): ☐ `systemctl restart a` "
                         "☐ `systemctl restart b`") == 1
    assert command_count("- [ ] Check `curl -fsS x/health` then (tick one): ☐ `systemctl "
                         "restart a && systemctl restart b` ☐ nothing") == 3


@pytest.mark.parametrize(("inner", "style"), [
    ("checkpoint-seq", "kebab"), ("host", "word"), ("breach_id", "snake"),
    ("BREACH_ID", "upper"), ("N", "upper"), ("head - 1000", "free"), ("KeyRotated seq", "free"),
])
def test_placeholder_styles(inner, style):
    assert placeholder_style(inner) == style


def test_escalation_targets_split_on_then_and_commas():
    assert split_targets("Constitutional on-call, then Keeper quorum coordinator (3 of 5)") == [
        "constitutional on-call", "keeper quorum coordinator"]
    assert split_targets("[Incident commander](index.md#x) and `Security on-call`") == [
        "incident commander", "security on-call"]


def test_majority_style_wins_and_one_word_fits_it(tmp_path):
    alpha = ALPHA.replace(
        "- [ ] Run `archonctl halt status` and record both channels\n",
        "- [ ] Read it: `archonctl ceremony status CEREMONY_ID`\n"
        "- [ ] Read it again: `archonctl ceremony show CEREMONY_ID`\n"
        "- [ ] Read the halt: `archonctl halt show HALT_SEQ`\n"
        "- [ ] Read the host: `ssh <host> true`\n"
        "- [ ] Read the breach: `archonctl breach show <breach-id>`\n")
    report = check_folder(write_library(tmp_path, dict(FILES, **{"alpha.md": alpha})),
                          today=TODAY)
    found = [(p.line, p.message.split("`")[1]) for p in report.problems
             if p.code == "placeholder-style"]
    # UPPER_SNAKE is the majority here: the <lower-case-words> one and the one-word one differ
    assert found == [(line_of(alpha, "<host>"), "<host>"),
                     (line_of(alpha, "<breach-id>"), "<breach-id>")]


def test_shell_variables_are_not_placeholders(tmp_path):
    alpha = ALPHA.replace(
        "```bash\narchonctl chain head\n```",
        "```bash\nHEAD_SEQ=$(archonctl chain head --json | jq .sequence)\n"
        "archonctl chain verify --from \"$HEAD_SEQ\"\n"
        "psql -v ON_ERROR_STOP=1 -c \"SELECT CURRENT_TIMESTAMP;\"\n```")
    report = check_folder(write_library(tmp_path, dict(FILES, **{"alpha.md": alpha})),
                          today=TODAY)
    assert report.problems == []


def test_read_only_commands_may_quote_a_sequence(tmp_path):
    alpha = ALPHA.replace("- [ ] Run `archonctl halt status` and record both channels\n",
                          "- [ ] Reproduce it: `archonctl chain verify --from 4180112 --to "
                          "4180113`\n- [ ] Read the ceremony: `archonctl ceremony status "
                          "CER-2026-11-29-01`\n")
    report = check_folder(write_library(tmp_path, dict(FILES, **{"alpha.md": alpha})),
                          today=TODAY)
    assert report.problems == []


def test_state_changing_command_with_a_placeholder_or_variable_is_fine(tmp_path):
    beta = BETA.replace("`sudo systemctl restart redis-server`",
                        "`archonctl halt clear --ceremony <ceremony-id>`").replace(
        "- Command to verify: `redis-cli ping`",
        "- Command to verify: `archonctl agents restart \"$AGENT\"`")
    report = check_folder(write_library(tmp_path, dict(FILES, **{"beta.md": beta})),
                          today=TODAY)
    assert report.problems == []


def test_event_names_in_triggers_are_not_alerts(tmp_path):
    beta = BETA.replace(
        "- **MEDIUM** — `RedisDown` fires",
        "- **HIGH** — a `CessationDeclared` event is followed by another event → "
        "[Step 1](#step-1-restart-the-cache)\n- **MEDIUM** — `RedisDown` fires")
    report = check_folder(write_library(tmp_path, dict(FILES, **{"beta.md": beta})),
                          today=TODAY)
    assert report.problems == []


def test_index_without_quick_reference_is_reported_once(tmp_path):
    index = FILES["index.md"].split("## Quick Reference by Scenario")[0] + (
        "## Emergency Contacts" + FILES["index.md"].split("## Emergency Contacts")[1])
    report = check_folder(write_library(tmp_path, dict(FILES, **{"index.md": index})),
                          today=TODAY)
    assert codes(report) == [("index.md", 1, "alert-index")]
    assert "ArchonHaltActive, RedisDown" in report.problems[0].message
