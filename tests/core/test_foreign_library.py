"""Foreign libraries as their authors meant them: Hugo shortcodes, severities, folders, the
generated overview of a front-matter-only landing page, images, `show --html`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from runbook_viewer.core.folders import display_titles, folder_tree, is_blank_landing
from runbook_viewer.core.library import load_library
from runbook_viewer.core.lint import check_folder
from runbook_viewer.core.markdown import strip_shortcodes
from runbook_viewer.core.markdown.text import runbook_to_text
from runbook_viewer.core.navigation import resolve_link
from runbook_viewer.core.render import render_runbook
from runbook_viewer.core.scenarios import build_scenarios

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf0000000301010018dd8db00000000049454e44"
                    "ae426082")


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def hugo_library(root: Path) -> Path:
    write(root, "_index.md", "---\nbookHidden: true\n---\n")
    write(root, "node/_index.md", "---\ntitle: node\nweight: 10\n---\n")
    write(root, "general/_index.md", "---\ntitle: general\nweight: 1\n---\n")
    write(root, "node/NodeDown.md", "---\ntitle: Node Down\nseverity: critical\n---\n\n"
          "# NodeDown\n\n## Meaning\n\nThe node is gone. See [RAID]({{< ref \"./RAID.md\" >}})."
          "\n\n{{< hint warning >}}Check the console first.{{< /hint >}}\n\n"
          "## Mitigation\n\nReboot it.\n")
    write(root, "node/RAID.md", "# RAID\n\n**Severity:** Warning\n\n## Meaning\n\nDisk lost.\n")
    write(root, "general/Watchdog.md", "# Watchdog\n\n## Meaning\n\nAlways firing.\n\n"
          "```yaml\n- alert: Watchdog\n  labels:\n    severity: none\n```\n")
    write(root, "general/Alerting.md", "# How we write alerts\n\nFor example:\n\n"
          "```yaml\n- alert: HawaiianHugs\n  labels:\n    severity: critical\n```\n")
    write(root, "general/NodeDown.md", "---\ntitle: Node Down\n---\n\n# NodeDown\n\nOther.\n")
    return root


def test_hugo_ref_is_a_link_that_resolves_and_other_shortcodes_show_their_text(tmp_path):
    lib = load_library(hugo_library(tmp_path))
    rb = lib.get("node/NodeDown.md")
    assert [link.target for link in rb.links] == ["./RAID.md"]
    assert resolve_link(lib, rb.path, "./RAID.md").path == "node/RAID.md"
    page = render_runbook(rb, library=lib)
    assert "{{" not in page and '<a href="./RAID.md">RAID</a>' in page
    assert "Check the console first." in page
    assert "{{" not in runbook_to_text(rb)
    assert not [p for p in check_folder(tmp_path, "generic").problems
                if p.code == "broken-link"]
    assert rb.text.count("{{<") == 3  # the file's own text is untouched


def test_strip_shortcodes_for_snippets():
    assert strip_shortcodes('See {{< ref "a.md#x" >}} and {{% notice %}}this{{% /notice %}}'
                            " {{< toc >}}.") == "See a.md#x and this ."
    assert strip_shortcodes("{{</* ref x */>}} stays") == "{{< ref x >}} stays"
    assert strip_shortcodes("go {{ .Values.x }} template") == "go {{ .Values.x }} template"


def test_severity_from_front_matter_severity_lines_and_alert_labels(tmp_path):
    lib = load_library(hugo_library(tmp_path))
    assert lib.get("node/NodeDown.md").severity == "CRITICAL"  # front matter
    assert lib.get("node/RAID.md").severity == "MEDIUM"  # **Severity:** Warning
    assert lib.get("general/Watchdog.md").severity == "INFO"  # severity: none in the rule
    assert lib.get("general/Alerting.md").severity is None  # an example rule, not its own
    severities = {s.path: s.severity for s in build_scenarios(lib)}
    assert severities["node/NodeDown.md"] == "CRITICAL"
    assert severities["node/RAID.md"] == "MEDIUM"


def test_gitlab_style_alert_rules_give_severity(tmp_path):
    write(tmp_path, "postgres-lag.md", "# Postgres replication lag\n\n```yaml\n"
          "- alert: PostgresLag\n  labels:\n    pager: pagerduty\n    severity: s1\n```\n")
    assert load_library(tmp_path).get("postgres-lag.md").severity == "CRITICAL"


def test_folders_sorted_by_weight_then_title_and_same_names_told_apart(tmp_path):
    lib = load_library(hugo_library(tmp_path))
    tree = folder_tree(lib)
    assert tree.landing.path == "_index.md"
    assert [f.title for f in tree.folders] == ["general", "node"]  # weight 1 before 10
    assert [rb.path for rb in tree.folders[1].runbooks] == ["node/NodeDown.md", "node/RAID.md"]
    titles = display_titles(lib)
    assert titles["node/NodeDown.md"] == "Node Down — node/"
    assert titles["general/NodeDown.md"] == "Node Down — general/"
    assert titles["node/RAID.md"] == "RAID"


def test_front_matter_only_landing_shows_a_generated_overview(tmp_path):
    lib = load_library(hugo_library(tmp_path))
    landing = lib.landing
    assert is_blank_landing(landing)
    page = render_runbook(landing, library=lib)
    assert "5 runbooks in 2 folders" in page
    assert '<a href="general/_index.md">general</a>' in page
    assert "Most severe scenarios" in page
    assert page.index("NodeDown.md") < page.index("RAID.md")  # critical before medium
    folder_page = render_runbook(lib.get("node/_index.md"), library=lib)
    assert '<a href="NodeDown.md">Node Down — node/</a>' in folder_page
    assert resolve_link(lib, "node/_index.md", "NodeDown.md").path == "node/NodeDown.md"
    # a landing page with content of its own is shown as written
    write(tmp_path, "_index.md", "# Our runbooks\n\nStart here.\n")
    lib = load_library(tmp_path)
    assert not is_blank_landing(lib.landing)
    assert "Start here." in render_runbook(lib.landing, library=lib)


def test_images_inside_the_library_only_and_diagrams_as_code(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "arch.png").write_bytes(PNG)
    write(tmp_path, "docs/a.md", "# A\n\n![arch](../img/arch.png)\n\n![gone](nope.png)\n\n"
          "![out](../../secret.png)\n\n![web](https://example.org/x.png)\n\n"
          "```mermaid\ngraph TD; A-->B\n```\n")
    lib = load_library(tmp_path)
    page = render_runbook(lib.get("docs/a.md"), library=lib)
    assert '<img src="../img/arch.png" alt="arch" />' in page
    assert "[image not loaded (missing): gone" in page
    assert "[image not loaded (outside the library): out" in page
    assert "[image not loaded (offline): web — https://example.org/x.png]" in page
    assert "<pre" in page and "graph TD; A--&gt;B" in page


def test_show_html_prints_what_the_window_shows(tmp_path):
    lib_dir = hugo_library(tmp_path)
    out = subprocess.run([sys.executable, "-m", "runbook_viewer", "show", "node/RAID.md",
                          "--html", "--library", str(lib_dir)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    lib = load_library(lib_dir)
    assert out.stdout == render_runbook(lib.get("node/RAID.md"), library=lib)
