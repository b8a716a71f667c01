"""Each rule of `runbook-viewer check` catches a seeded defect, at the right file and line.

A clean template library passes with no problem at all; every case copies it, seeds ONE defect,
and expects exactly that rule code at the line the defect is on (found in the mutated text, not
hard-coded), and no other code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers.check_fixtures import (
    ALPHA,
    BETA,
    FILES,
    INDEX,
    PLACEHOLDER_TEMPLATE,
    TODAY,
    line_of,
    write_library,
)

from runbook_viewer.core.lint import ALL_CODES, CHECKS, RULES, check_folder


def check(root: Path, **kw):
    return check_folder(root, today=TODAY, **kw)


@dataclass
class Defect:
    code: str
    file: str
    old: str  # text replaced in the file …
    new: str  # … by this
    at: str | int  # the expected line: a substring of the mutated file, or a number
    also: set[str] = field(default_factory=set)  # other codes the defect legitimately causes


def _swap_escalation_rollback(text: str) -> str:
    head, rest = text.split("## Escalation", 1)
    esc, rest = rest.split("## Rollback", 1)
    rollback, tail = rest.split("## References", 1)
    return f"{head}## Rollback{rollback}## Escalation{esc}## References{tail}"


DEFECTS = [
    Defect("missing-section", "alpha.md",
           "## Rollback\n\nNot applicable: this runbook only reads state.\n\n", "",
           "## References"),
    Defect("missing-section", "beta.md", "## Purpose\n\nRestart the cache.\n\n", "",
           "## Prerequisites"),
    Defect("section-order", "alpha.md", "", "", "## Escalation"),  # swapped below
    Defect("missing-title", "alpha.md", "# Alpha Procedures\n", "Alpha Procedures\n", 1),
    Defect("missing-field", "alpha.md", "Version: 1.2\n", "", "# Alpha Procedures"),
    Defect("missing-field", "beta.md", "Owner: Platform SRE\n", "", "# Beta Procedures"),
    Defect("missing-field", "alpha.md", "Last Updated: 2026-11-20\n", "", 1),
    Defect("bad-date", "alpha.md", "Last Updated: 2026-11-20", "Last Updated: 2026-13-40",
           "Last Updated:"),
    Defect("bad-date", "beta.md", "Last Updated: 2026-10-15", "Last Updated: 15/10/2026",
           "Last Updated:"),
    Defect("future-date", "alpha.md", "Last Updated: 2026-11-20", "Last Updated: 2026-11-28",
           "Last Updated:"),
    Defect("stale", "beta.md", "Last Updated: 2026-10-15", "Last Updated: 2026-01-02",
           "Last Updated:"),
    Defect("step-label", "alpha.md", "🔴 **CONSTITUTIONAL** — FR18, ADR-6\n\n", "",
           "### Step 1:"),
    Defect("step-label", "alpha.md", "#### 🔵 Operational check", "#### Operational check",
           "### Step 2:"),
    Defect("step-label", "beta.md", "🔵 **OPERATIONAL**\n\n", "", "### Step 1:"),
    Defect("label-citation", "alpha.md", "🔴 **CONSTITUTIONAL** — FR18, ADR-6",
           "🔴 **CONSTITUTIONAL**", "🔴 **CONSTITUTIONAL**"),
    Defect("label-citation", "alpha.md", "#### 🔴 Constitutional check — FR2, ADR-3",
           "#### 🔴 Constitutional check", "#### 🔴 Constitutional check"),
    Defect("step-items", "beta.md", "- [ ] Restart it: `sudo systemctl restart redis-server`\n\n",
           "", "### Step 1:"),
    Defect("missing-verification", "beta.md",
           "**Verification:**\n\n- Expected outcome: `PONG`\n- Command to verify: "
           "`redis-cli ping`\n\n", "", "### Step 1:"),
    Defect("missing-verification", "alpha.md", "- Command to verify: `archonctl chain verify`\n",
           "", "**Verification:**\n\n- Expected outcome: chain verifies"),
    Defect("missing-verification", "alpha.md", "- Expected outcome: both channels report the "
           "same reason\n", "", "**Verification:**"),
    Defect("step-order", "alpha.md", "### Step 2: Check both sides", "### Step 3: Check both "
           "sides", "### Step 3:", also={"broken-anchor"}),
    Defect("step-order", "beta.md", "### Step 1: Restart the cache\n\n🔵 **OPERATIONAL**\n\n"
           "- [ ] Restart it: `sudo systemctl restart redis-server`\n\n**Verification:**\n\n"
           "- Expected outcome: `PONG`\n- Command to verify: `redis-cli ping`\n\n", "",
           "## Procedure", also={"broken-anchor"}),
    Defect("stray-item", "alpha.md", "Use this runbook when the system halts.",
           "Use this runbook when the system halts.\n\n- [ ] Read this first\n",
           "- [ ] Read this first"),
    Defect("stray-item", "beta.md", "- [ ] Restart it: `sudo systemctl restart redis-server`"
           "\n\n**Verification:**\n\n- Expected outcome: `PONG`\n- Command to verify: "
           "`redis-cli ping`\n\n## Escalation",
           "- [ ] Restart it: `sudo systemctl restart redis-server`\n\n**Verification:**\n\n"
           "- Expected outcome: `PONG`\n- Command to verify: `redis-cli ping`\n\n## Escalation"
           "\n\n- [ ] Tell the team", "- [ ] Tell the team"),
    Defect("checked-item", "beta.md", "- [ ] Restart it", "- [x] Restart it", "- [x] Restart"),
    Defect("no-triggers", "beta.md", "- **MEDIUM** — `RedisDown` fires → "
           "[Step 1](#step-1-restart-the-cache)\n", "", "## Trigger Conditions"),
    Defect("trigger-severity", "alpha.md", "- **HIGH** — halt channels disagree",
           "- halt channels disagree", "- halt channels disagree"),
    Defect("escalation-table", "beta.md",
           "| Condition | Escalate To | Contact |\n|-----------|-------------|---------|\n"
           "| Still down | Platform SRE lead | See [Emergency Contacts]"
           "(index.md#emergency-contacts) |\n", "Call the SRE lead.\n", "## Escalation"),
    Defect("escalation-table", "beta.md", "| Condition | Escalate To | Contact |",
           "| Condition | Who |", "| Condition | Who |", {"table-cells"}),
    Defect("empty-rollback", "alpha.md", "Not applicable: this runbook only reads state.\n\n",
           "", "## Rollback"),
    Defect("index-coverage", "index.md", "| [Beta Procedures](beta.md) | cache restarts |\n",
           "", 1),
    Defect("index-coverage", "index.md", "| [Template](TEMPLATE.md) | the structure every "
           "runbook follows |\n", "", 1),
    Defect("broken-link", "alpha.md", "([Beta](beta.md))", "([Beta](gamma.md))",
           "([Beta](gamma.md))"),
    Defect("broken-anchor", "alpha.md", "beta.md#step-1-restart-the-cache",
           "beta.md#step-1-restart-cache", "beta.md#step-1-restart-cache"),
    Defect("broken-anchor", "beta.md", "[Step 1](#step-1-restart-the-cache)",
           "[Step 1](#step-1-restart)", "[Step 1](#step-1-restart)"),
    Defect("broken-anchor", "README.md", "[index](index.md)", "[index](index.md#contacts)",
           "index.md#contacts"),
    Defect("link-outside", "alpha.md", "([Beta](beta.md))", "([Beta](../beta.md))",
           "../beta.md"),
    Defect("link-outside", "beta.md", "- [Alpha](alpha.md)", "- [Alpha](/srv/runbooks/alpha.md)",
           "/srv/runbooks"),
    Defect("link-outside", "beta.md", "- [Alpha](alpha.md)", "- [Alpha](file:///etc/passwd)",
           "file:///"),
    Defect("unclosed-fence", "alpha.md", "- ADR-6: dual-channel halt\n",
           "- ADR-6: dual-channel halt\n\n```text\nleft open\n", "```text"),
    # table-cells: a pipe inside a code span splits the cell on GitHub
    Defect("table-cells", "index.md", "| [Beta Procedures](beta.md) | cache restarts |",
           "| [Beta Procedures](beta.md) | cache `restart | stop` |", "cache `restart"),
    # alert-index: a trigger names an alert the index's quick reference does not list
    Defect("alert-index", "beta.md", "- **MEDIUM** — `RedisDown` fires",
           "- **HIGH** — `RedisMemoryHigh` fires → [Step 1](#step-1-restart-the-cache)\n"
           "- **MEDIUM** — `RedisDown` fires", "`RedisMemoryHigh`"),
    # escalation-contact: an escalation target that is no role of index.md's contacts table
    Defect("escalation-contact", "beta.md", "| Still down | Platform SRE lead |",
           "| Still down | Platform SRE lead, then the database wizard |", "| Still down |"),
    Defect("escalation-contact", "alpha.md", "| Signature failure | Keepers |",
           "| Signature failure | Keepers and Security on-call (24/7) |",
           "| Signature failure |"),
    # placeholder-style: two styles in one library (a tie keeps `<lower-case-words>`)
    Defect("placeholder-style", "alpha.md",
           "- [ ] Run `archonctl halt status` and record both channels\n",
           "- [ ] Read the ceremony: `archonctl ceremony status <ceremony-id>`\n"
           "- [ ] Read its halt: `archonctl ceremony show CEREMONY_ID --halt`\n", "CEREMONY_ID"),
    Defect("placeholder-style", "beta.md",
           "- [ ] Restart it: `sudo systemctl restart redis-server`\n",
           "- [ ] Read the master: `redis-cli -h <redis-master> INFO replication`\n"
           "- [ ] Read the key: `redis-cli -h <redis-master> GET <HALT_KEY>`\n", "<HALT_KEY>"),
    Defect("placeholder-style", "alpha.md",
           "- [ ] Run `archonctl halt status` and record both channels\n",
           "- [ ] Read the ceremony: `archonctl ceremony status <ceremony-id>`\n"
           "- [ ] Verify the tail: `archonctl chain verify --from <head - 1000>`\n",
           "<head - 1000>"),
    # multi-command (warning): one box, two commands
    Defect("multi-command", "beta.md", "- [ ] Restart it: `sudo systemctl restart redis-server`",
           "- [ ] Restart it: `sudo systemctl restart redis-server && redis-cli ping`",
           "- [ ] Restart it"),
    Defect("multi-command", "alpha.md", "- [ ] Check the API answers: `curl -fsS "
           "http://localhost:8000/v1/ready`", "- [ ] Check the API answers with `curl -fsS "
           "http://localhost:8000/v1/ready` and restart it with `sudo systemctl restart "
           "archon-api`", "- [ ] Check the API answers"),
    # incident-literal (warning): per-incident values inside commands that change state
    Defect("incident-literal", "alpha.md",
           "- [ ] Run `archonctl halt status` and record both channels\n",
           "- [ ] Run `archonctl halt clear --ceremony CER-2026-11-29-01`\n",
           "CER-2026-11-29-01"),
    Defect("incident-literal", "beta.md", "`sudo systemctl restart redis-server`",
           "`redis-cli -h 10.20.1.14 REPLICAOF NO ONE`", "10.20.1.14"),
    Defect("incident-literal", "alpha.md", "```bash\narchonctl chain head\n```",
           "```bash\narchonctl halt trigger \\\n  --reason \"chain break at 4180113\"\n```",
           "archonctl halt trigger"),
    Defect("incident-literal", "beta.md", "`sudo systemctl restart redis-server`",
           "`pkcs11-tool --login --delete-object --type privkey --id 27`", "--id 27"),
]


def _seed(defect: Defect) -> dict[str, str]:
    files = dict(FILES)
    text = files[defect.file]
    if defect.code == "section-order":
        text = _swap_escalation_rollback(text)
    else:
        assert text.count(defect.old) == 1, f"seed text must occur once: {defect.old!r}"
        text = text.replace(defect.old, defect.new)
    files[defect.file] = text
    return files


def test_clean_library_passes(tmp_path):
    report = check(write_library(tmp_path))
    assert report.profile.name == "runbook-template"
    assert report.problems == []
    assert report.files == 5 and not report.failed(strict=True)


@pytest.mark.parametrize("defect", DEFECTS,
                         ids=[f"{d.code}-{n}" for n, d in enumerate(DEFECTS)])
def test_rule_catches_seeded_defect(tmp_path, defect):
    files = _seed(defect)
    report = check(write_library(tmp_path, files))
    expected_line = defect.at if isinstance(defect.at, int) else line_of(files[defect.file],
                                                                         defect.at)
    found = [(p.path, p.line) for p in report.problems if p.code == defect.code]
    assert (defect.file if defect.code != "index-coverage" else _unlinked(defect),
            expected_line) in found, report.problems
    assert {p.code for p in report.problems} <= {defect.code, *defect.also}, report.problems
    assert report.failed() is (RULES[defect.code].level == "error")


def _unlinked(defect: Defect) -> str:
    return "beta.md" if "beta" in defect.old else "TEMPLATE.md"


def test_every_rule_code_is_seeded_and_run():
    seeded = {d.code for d in DEFECTS}
    file_level = {"unreadable", "encoding"}  # seeded with bytes, in test_check_files.py
    assert seeded | file_level == ALL_CODES
    assert set().union(*(c.codes for c in CHECKS)) == ALL_CODES


def test_problem_lines_point_into_the_file(tmp_path):
    files = dict(FILES, **{"alpha.md": ALPHA.replace("FR18, ADR-6", "").replace(
        "**HIGH** — ", ""), "beta.md": BETA.replace("Version: 1.0\n", "")})
    report = check(write_library(tmp_path, files))
    for p in report.problems:
        assert 1 <= p.line <= len(files[p.path].splitlines()), p


def test_unlabelled_items_before_a_labelled_group_still_fail(tmp_path):
    alpha = ALPHA.replace("#### 🔵 Operational check\n\n", "")
    report = check(write_library(tmp_path, dict(FILES, **{"alpha.md": alpha})))
    problems = [p for p in report.problems if p.code == "step-label"]
    assert [p.line for p in problems] == [line_of(alpha, "### Step 2:")]
    assert str(line_of(alpha, "Check the API answers")) in problems[0].message


def test_step_labelled_only_by_check_groups_passes(tmp_path):
    report = check(write_library(tmp_path))
    step2 = [p for p in report.problems if p.line >= line_of(ALPHA, "### Step 2:")]
    assert step2 == []


def test_link_in_inline_code_is_not_checked(tmp_path):
    # README.md holds `[Step 9](#step-9-nowhere)` inside backticks: it is text, not a link
    assert "#step-9-nowhere" in FILES["README.md"]
    report = check(write_library(tmp_path))
    assert not [p for p in report.problems if p.path == "README.md"]


def test_landing_page_and_readme_are_not_held_to_the_runbook_template(tmp_path):
    report = check(write_library(tmp_path))
    assert "## Purpose" not in INDEX and "## Purpose" not in FILES["README.md"]
    assert report.problems == []


def test_template_md_is_checked_as_a_runbook_unless_listed_in_documents(tmp_path):
    files = dict(FILES, **{"TEMPLATE.md": PLACEHOLDER_TEMPLATE})
    report = check(write_library(tmp_path, files))
    assert {(p.code, p.path) for p in report.problems} >= {
        ("bad-date", "TEMPLATE.md"), ("missing-section", "TEMPLATE.md"),
        ("step-label", "TEMPLATE.md"), ("missing-verification", "TEMPLATE.md")}
    assert {p.path for p in report.problems} == {"TEMPLATE.md"}
    (tmp_path / ".runbook-viewer.toml").write_text(
        '[check]\ndocuments = ["index.md", "README.md", "TEMPLATE.md"]\n', encoding="utf-8")
    assert check(tmp_path).problems == []


def test_missing_landing_page_is_an_index_coverage_error(tmp_path):
    files = {k: v for k, v in FILES.items() if k not in ("index.md", "README.md")}
    files["alpha.md"] = files["alpha.md"].replace("(index.md#emergency-contacts)", "(beta.md)")
    for name in ("beta.md", "TEMPLATE.md"):
        files[name] = files[name].replace("(index.md#emergency-contacts)", "(alpha.md)")
    report = check(write_library(tmp_path, files))
    assert [(p.code, p.path) for p in report.problems] == [("index-coverage", "index.md")]


def test_docs_list_every_rule_code_with_its_level():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "check.md").read_text(encoding="utf-8")
    for code, info in RULES.items():
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{code}` |")), None)
        assert row is not None, f"docs/check.md has no row for {code}"
        assert f"| {info.level} |" in row and (("| yes |" in row) is info.generic), row
