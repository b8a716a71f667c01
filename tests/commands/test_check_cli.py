"""`runbook-viewer check` on the command line: output format, JSON, exit codes, --strict,
--max-age-days, stale warnings that do not fail, future dates; plus the foreign corpus and the
bundled library."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers.check_fixtures import ALPHA, BETA, FILES, TODAY, line_of, write_library

from runbook_viewer.cli import main
from runbook_viewer.core.lint import check_folder

DAY = TODAY.isoformat()


def rv(capsys, *args) -> tuple[int, str, str]:
    code = main(["check", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_library_exits_zero_with_summary(tmp_path, capsys):
    code, out, err = rv(capsys, "--library", str(write_library(tmp_path)), "--today", DAY)
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "0 errors, 0 warnings in 5 runbooks (profile runbook-template, auto-detected: the "
        "library has TEMPLATE.md)"]


def test_errors_print_path_line_level_message_code_and_exit_one(tmp_path, capsys, monkeypatch):
    alpha = ALPHA.replace("### Step 2: Check both sides", "### Step 3: Check both sides")
    alpha = alpha.replace("[Step 2](#step-2-check-both-sides)", "[Step 3](#step-3-check-both-"
                          "sides)")
    write_library(tmp_path / "lib", dict(FILES, **{"alpha.md": alpha}))
    monkeypatch.chdir(tmp_path)
    code, out, _ = rv(capsys, "--library", "lib", "--today", DAY)
    assert code == 1
    lines = out.splitlines()
    n = line_of(alpha, "### Step 3:")
    assert lines[0] == (f"{os.path.join('lib', 'alpha.md')}:{n}: error: Step 3 found where "
                        "Step 2 was expected (number steps 1..n in order) [step-order]")
    assert lines[-1].startswith("1 error, 0 warnings in 5 runbooks (profile runbook-template")


def test_stale_is_a_warning_that_fails_only_with_strict(tmp_path, capsys):
    beta = BETA.replace("Last Updated: 2026-10-15", "Last Updated: 2025-11-01")
    lib = str(write_library(tmp_path, dict(FILES, **{"beta.md": beta})))
    code, out, _ = rv(capsys, "--library", lib, "--today", DAY)
    assert code == 0
    assert "beta.md:3: warning: last updated 2025-11-01, 391 days ago" in out
    assert "[stale]" in out and "0 errors, 1 warning in 5 runbooks" in out
    code, _, _ = rv(capsys, "--library", lib, "--today", DAY, "--strict")
    assert code == 1
    code, out, _ = rv(capsys, "--library", lib, "--today", DAY, "--max-age-days", "400")
    assert code == 0 and "[stale]" not in out and "0 errors, 0 warnings" in out
    code, out, _ = rv(capsys, "--library", lib, "--today", DAY, "--max-age-days", "7")
    assert code == 0 and out.count("[stale]") == 1  # alpha (2026-11-20) is exactly 7 days old
    code, out, _ = rv(capsys, "--library", lib, "--today", DAY, "--max-age-days", "6")
    assert code == 0 and out.count("[stale]") == 2 and "alpha.md:3: warning" in out


def test_future_date_is_an_error(tmp_path, capsys):
    alpha = ALPHA.replace("Last Updated: 2026-11-20", "Last Updated: 2027-01-01")
    lib = str(write_library(tmp_path, dict(FILES, **{"alpha.md": alpha})))
    code, out, _ = rv(capsys, "--library", lib, "--today", DAY)
    assert code == 1 and "alpha.md:3: error: Last Updated 2027-01-01 is in the future" in out
    # the same file is fine once that day has come
    assert rv(capsys, "--library", lib, "--today", "2027-01-01")[0] == 0


def test_json_output(tmp_path, capsys):
    beta = BETA.replace("- **MEDIUM** — ", "- ").replace("2026-10-15", "2025-01-01")
    lib = str(write_library(tmp_path, dict(FILES, **{"beta.md": beta})))
    code, out, _ = rv(capsys, "--library", lib, "--today", DAY, "--json")
    data = json.loads(out)
    assert code == 1
    assert data["profile"] == "runbook-template" and data["today"] == DAY
    assert data["summary"] == {"errors": 1, "warnings": 1, "runbooks": 5, "passed": False}
    assert [(p["path"], p["line"], p["level"], p["code"]) for p in data["problems"]] == [
        ("beta.md", 3, "warning", "stale"),
        ("beta.md", line_of(beta, "`RedisDown` fires"), "error", "trigger-severity")]
    assert all(set(p) == {"path", "line", "level", "code", "message"} for p in data["problems"])


def test_profile_option_and_bad_values(tmp_path, capsys):
    lib = str(write_library(tmp_path, dict(FILES, **{"beta.md": BETA.replace("Version: 1.0\n",
                                                                             "")})))
    assert rv(capsys, "--library", lib, "--today", DAY)[0] == 1
    code, out, _ = rv(capsys, "--library", lib, "--today", DAY, "--profile", "generic")
    assert code == 0 and "(profile generic, chosen with --profile)" in out
    code, out, err = rv(capsys, "--library", lib, "--profile", "nope")
    assert code == 2 and out == "" and "unknown profile 'nope'" in err
    code, _, err = rv(capsys, "--library", str(tmp_path / "missing"))
    assert code == 2 and "does not exist" in err
    with pytest.raises(SystemExit) as exc:
        main(["check", "--library", lib, "--max-age-days", "-3"])
    assert exc.value.code == 2


def test_check_as_a_subprocess_never_prints_a_traceback(tmp_path):
    write_library(tmp_path)
    (tmp_path / ".runbook-viewer.toml").write_text("[check\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "runbook_viewer", "check", "--library",
                          str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "not valid TOML" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.corpus
def test_foreign_corpus_is_checked_with_the_generic_profile(corpus_library, capsys):
    report = check_folder(corpus_library, today=TODAY)
    assert report.profile.name == "generic" and "auto-detected" in report.profile.source
    assert report.files >= 100
    # the corpus's real defect: a ```shell block left open before "## Mitigation"
    fence = [p for p in report.problems if p.code == "unclosed-fence"]
    path = "prometheus-operator/PrometheusOperatorNodeLookupErrors.md"
    text = (corpus_library / path).read_text(encoding="utf-8")
    assert (path, line_of(text, "```shell")) in [(p.path, p.line) for p in fence]
    assert {p.code for p in report.problems} <= {"unreadable", "encoding", "unclosed-fence",
                                                 "broken-link", "broken-anchor", "link-outside"}
    code, out, _ = rv(capsys, "--library", str(corpus_library), "--today", DAY)
    assert code == 1 and f"{path}:{line_of(text, '```shell')}: error:" in out
    assert out.splitlines()[-1].startswith(f"{report.errors} error")


@pytest.mark.corpus
def test_foreign_corpus_under_the_template_profile_does_not_crash(corpus_library):
    report = check_folder(corpus_library, profile="runbook-template", today=TODAY)
    assert not [p for p in report.problems if "internal error" in p.message]
    assert {"missing-section", "missing-field"} <= {p.code for p in report.problems}


def test_bundled_library_passes_check(bundled_library):
    report = check_folder(bundled_library)
    assert report.profile.name == "runbook-template", report.profile.describe()
    # clean: no error and no warning (multi-command, incident-literal are warnings); `stale`
    # depends on the day the suite runs, not on the library's content
    problems = [str(p) for p in report.problems if p.code != "stale"]
    assert problems == [], "\n".join(problems)
