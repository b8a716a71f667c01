"""Profiles of `check`: built-ins, auto-detection, a library's .runbook-viewer.toml
(enable / disable / ignore / required sections / max age / documents), and bad profiles."""

from __future__ import annotations

import pytest
from helpers.check_fixtures import BETA, FILES, FOREIGN, TODAY, line_of, write_library

from runbook_viewer.core.lint import GENERIC_CODES, ProfileError, check_folder, resolve_profile
from runbook_viewer.core.lint.profiles import PROFILE_FILE


def check(root, **kw):
    return check_folder(root, today=TODAY, **kw)


def codes(report) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in report.problems]


def test_generic_profile_is_auto_selected_for_a_foreign_library(tmp_path):
    report = check(write_library(tmp_path, FOREIGN))
    assert report.profile.name == "generic"
    assert "auto-detected" in report.profile.source
    assert report.profile.codes == GENERIC_CODES
    # the same library under the template profile fails on missing sections, fields, index
    strict = check(tmp_path, profile="runbook-template")
    found = {c for c, _ in codes(strict)}
    assert {"missing-section", "missing-field", "index-coverage", "stray-item"} <= found
    assert report.problems == []


def test_generic_profile_reports_only_file_and_link_problems(tmp_path):
    files = dict(FOREIGN)
    files["alerting/TargetDown.md"] = files["alerting/TargetDown.md"].replace(
        "Watchdog.md#meaning", "Watchdog.md#meanings") + "\n```shell\nkubectl get pods\n"
    report = check(write_library(tmp_path, files))
    text = files["alerting/TargetDown.md"]
    assert [(p.code, p.line) for p in report.problems] == [
        ("broken-anchor", line_of(text, "#meanings")), ("unclosed-fence", line_of(text, "```"))]


def test_template_profile_is_auto_selected_when_template_md_exists(tmp_path):
    report = check(write_library(tmp_path))
    assert report.profile.name == "runbook-template"
    assert "TEMPLATE.md" in report.profile.source


def test_landing_page_can_declare_a_profile(tmp_path):
    files = dict(FOREIGN)
    files["_index.md"] += "\n<!-- runbook-viewer: profile=runbook-template -->\n"
    report = check(write_library(tmp_path, files))
    assert report.profile.name == "runbook-template"
    assert "_index.md" in report.profile.source
    files = dict(FILES, **{"index.md": FILES["index.md"] + "\n<!-- runbook-viewer: "
                                                          "profile=generic -->\n"})
    assert check(write_library(tmp_path / "b", files)).profile.name == "generic"


def test_declaring_an_unknown_profile_is_an_error(tmp_path):
    files = dict(FILES, **{"index.md": FILES["index.md"] + "\n<!-- runbook-viewer: "
                                                          "profile=strictest -->\n"})
    with pytest.raises(ProfileError, match=r"index\.md declares profile 'strictest'"):
        check(write_library(tmp_path, files))


def test_explicit_profile_overrides_detection(tmp_path):
    write_library(tmp_path)
    (tmp_path / PROFILE_FILE).write_text('[check]\nprofile = "runbook-template"\n'
                                         'disable = ["stale"]\n', encoding="utf-8")
    assert check(tmp_path, profile="generic").profile.codes == GENERIC_CODES


def test_toml_profile_file_enable_disable_ignore(tmp_path):
    files = dict(FOREIGN)
    files["drafts/WIP.md"] = "# WIP\n\nSee [nothing](nothing.md).\n"
    files["alerting/Watchdog.md"] = files["alerting/Watchdog.md"].replace(
        "title: Watchdog", "title: Watchdog\nlastmod: 2024-01-05")
    write_library(tmp_path, files)
    (tmp_path / PROFILE_FILE).write_text(
        '[check]\nprofile = "generic"\nenable = ["stale", "missing-section"]\n'
        'disable = ["broken-link"]\nmax_age_days = 365\nignore = ["drafts/*"]\n'
        'required_sections = ["Meaning", "Impact", "Diagnosis", "Mitigation"]\n',
        encoding="utf-8")
    report = check(tmp_path)
    assert report.profile.name == "generic+.runbook-viewer.toml"
    assert report.files == 4  # drafts/WIP.md is not checked
    assert codes(report) == [("stale", "alerting/Watchdog.md")]
    assert "2024-01-05" in report.problems[0].message
    # without the ignore glob, the draft's broken link is still disabled; its sections are not
    (tmp_path / PROFILE_FILE).write_text(
        '[check]\nprofile = "generic"\nenable = ["missing-section"]\ndisable = ["broken-link"]\n'
        'required_sections = ["Meaning", "Impact", "Diagnosis", "Mitigation"]\n',
        encoding="utf-8")
    report = check(tmp_path)
    assert {p.path for p in report.problems} == {"drafts/WIP.md"}
    assert {p.code for p in report.problems} == {"missing-section"}


def test_toml_profile_without_base_extends_the_detected_profile(tmp_path):
    files = dict(FILES, **{"beta.md": BETA.replace("## Rollback\n\n1. Stop the cache again: "
                                                  "`sudo systemctl stop redis-server`\n\n", "")})
    write_library(tmp_path, files)
    (tmp_path / PROFILE_FILE).write_text(
        '[check]\nrequired_sections = ["Purpose", "Procedure", "References"]\n'
        'disable = ["index-coverage"]\n', encoding="utf-8")
    report = check(tmp_path)
    assert report.profile.name.startswith("runbook-template+")
    assert report.problems == []  # Rollback is no longer required
    (tmp_path / "index.md").write_text("# Index\n\n## Emergency Contacts\n", encoding="utf-8")
    report = check(tmp_path)  # index coverage disabled; the page lacks the other index parts
    assert {(p.path, p.code) for p in report.problems} == {("index.md", "alert-index"),
                                                          ("index.md", "escalation-contact")}
    (tmp_path / PROFILE_FILE).write_text(
        '[check]\nrequired_sections = ["Purpose", "Procedure", "References"]\n'
        'disable = ["index-coverage", "alert-index", "escalation-contact"]\n', encoding="utf-8")
    assert check(tmp_path).problems == []


def test_profile_file_given_on_the_command_line(tmp_path):
    lib = write_library(tmp_path / "lib", FOREIGN)
    prof = tmp_path / "ci-profile.toml"
    prof.write_text('[check]\nprofile = "generic"\nenable = ["missing-section"]\n'
                    'required_sections = ["Meaning", "Runbook Owner"]\n', encoding="utf-8")
    report = check(lib, profile=str(prof))
    assert {(p.code, p.path) for p in report.problems} == {
        ("missing-section", "alerting/TargetDown.md"), ("missing-section", "alerting/Watchdog.md")}
    assert all("Runbook Owner" in p.message for p in report.problems)


def test_documents_setting_exempts_files_from_runbook_rules(tmp_path):
    files = dict(FILES, **{"GLOSSARY.md": "# Glossary\n\nHalt: a stop.\n"})
    files["index.md"] += "\n- [Glossary](GLOSSARY.md)\n"
    write_library(tmp_path, files)
    assert {p.code for p in check(tmp_path).problems} == {"missing-field", "missing-section"}
    (tmp_path / PROFILE_FILE).write_text(
        '[check]\ndocuments = ["index.md", "README.md", "TEMPLATE.md", "GLOSSARY.md"]\n',
        encoding="utf-8")
    assert check(tmp_path).problems == []


@pytest.mark.parametrize(("toml", "message"), [
    ("[check]\nprofile = 'paranoid'\n", "unknown profile 'paranoid'"),
    ("[check]\nenable = ['no-such-rule']\n", "unknown rule code"),
    ("[check]\nmax_age_days = 'soon'\n", "max_age_days"),
    ("[check]\nmax_age_days = -1\n", "max_age_days"),
    ("[check]\nignore = 'drafts/*'\n", "ignore must be a list of strings"),
    ("[check]\nspeling = 1\n", "unknown key"),
    ("[check]\nrequired_fields = ['Author']\n", "required_fields"),
    ("profile = 'generic'\n", r"under a \[check\] table"),
    ("[check\n", "not valid TOML"),
])
def test_bad_profile_files_are_clear_errors(tmp_path, toml, message):
    write_library(tmp_path)
    (tmp_path / PROFILE_FILE).write_text(toml, encoding="utf-8")
    with pytest.raises(ProfileError, match=message) as exc:
        resolve_profile(tmp_path)
    assert PROFILE_FILE in str(exc.value) or "paranoid" in str(exc.value)


def test_unknown_profile_name_is_an_error(tmp_path):
    with pytest.raises(ProfileError, match="runbook-template, generic"):
        resolve_profile(write_library(tmp_path), "nonsense")
