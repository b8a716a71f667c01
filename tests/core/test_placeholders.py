"""The placeholder grammar (core/placeholders.py): what is a value to fill in, what is shell,
HTML, output or a template — checked on examples, the bundled library and both corpora."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runbook_viewer.core import placeholders
from runbook_viewer.core.commands import commands_of
from runbook_viewer.core.library import load_library

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO.parent / "shared" / "corpora"


def names(text: str) -> list[str]:
    return [p.name for p in placeholders.find(text)]


@pytest.mark.parametrize(("text", "found"), [
    ("kubectl -n <namespace> get pod <pod>", ["namespace", "pod"]),
    ("NAMESPACE='<value of namespace label from alert>'", ["value of namespace label from alert"]),
    ("archonctl breach show <BREACH_ID>", ["BREACH_ID"]),
    ("archonctl chain verify --from <head - 1000>", ["head - 1000"]),
    ("--to <KeyRotated sequence + 100>", ["KeyRotated sequence + 100"]),
    ("the label `<keeper_id>-<year>`", ["keeper_id", "year"]),
    ("/var/tmp/ws-<SEQ>.json", ["SEQ"]),
    ("WHERE id = '<override_id>'", ["override_id"]),
    ("--reason \"<VAL code and value>\"", ["VAL code and value"]),
    ("spec.nodeName=<node>", ["node"]),
    ("haproxy set state <ready|drain|maint>", ["ready|drain|maint"]),
    ("<  spaced  words  >", []),
    ("kubectl get ns {{ namespace }}", ["namespace"]),
    ("{{namespace}} and <namespace>", ["namespace", "namespace"]),
    ("ünïcode <nœud-名前>", ["nœud-名前"]),
])
def test_placeholders_found(text, found):
    assert names(text) == found


@pytest.mark.parametrize("text", [
    "sort < input.txt > output.txt",  # redirections
    "sort <in >out",
    "cmd 2>&1 <&3",
    "diff <(ls a) <(ls b)",  # process substitution
    "cat <<EOF\nx\nEOF",  # heredoc
    "cat <<-'EOF'",
    "if [ $a -lt 3 ] && (( a<b && c>d )); then :; fi",  # comparisons
    "x < y > z",
    "SELECT * FROM t WHERE a <> b AND c<=d",
    "rate(x[5m]) < 0.5 > 0.1",
    "Map<String, List<Integer>>",  # generics
    "ch <- value",
    "<13>Oct 11 22:14:15 host app: msg",  # syslog priority
    "NAME  AGE\napi   <none>",  # kubectl output
    "err: <nil>", "state <IDLE>", "<snip>", "<unknown>",
    "Author: Rando <rando@gitlab.com>",  # e-mail
    "see <https://example.com/x>",  # autolink
    "<p>text</p> <code>x</code> <details><summary>s</summary></details> <br>",  # HTML
    '<a href="x">', "<img src=x>", "<!-- comment -->",
    "=> #<Project id:5678 myns/some-project>",  # Ruby inspect output
    "echo $NS ${NS} $(hostname)",  # shell variables are the shell's
    "{{ $labels.instance }} {{ .Values.x }} {{range .items}}{{.metadata.name}}{{end}}",
    "{{ $value | humanize }}",
    "{{end}} {{ else }}",
    "{{{triple}}}",
])
def test_not_placeholders(text):
    assert names(text) == []


def test_a_template_text_has_no_mustache_placeholders():
    # a Go template that also uses a plain identifier is still a template
    assert names("{{ namespace }} {{range .items}}x{{end}}") == []


def test_offsets_and_written_form():
    text = "kubectl -n <namespace> get {{ pod }}"
    ns, pod = placeholders.find(text)
    assert text[ns.start:ns.end] == ns.written == "<namespace>"
    assert text[pod.start:pod.end] == pod.written == "{{ pod }}" and pod.name == "pod"


def detected(root: Path) -> dict[str, str]:
    """Every placeholder the library's commands hold: written form -> where."""
    found: dict[str, str] = {}
    for rb in load_library(root).runbooks:
        for cmd in commands_of(rb):
            for p in cmd.placeholders:
                found.setdefault(p.written, f"{rb.path}:{cmd.line}")
    return found


KEBAB_RE = re.compile(r"(?<![<\w])<([a-z][a-z0-9]*(?:-[a-z0-9]+)*)>")


def test_bundled_library_placeholders_are_exactly_its_fill_ins(bundled_library):
    """The bundled library writes placeholders as <lower-case-words> (the check rule
    placeholder-style keeps it so): every one in a command is found, nothing else is."""
    found = detected(bundled_library)
    assert len(found) >= 40
    odd = {w: where for w, where in found.items() if not KEBAB_RE.fullmatch(w)}
    assert odd == {}, "not a placeholder of the library's style"
    expected = set()
    for rb in load_library(bundled_library).runbooks:
        for cmd in commands_of(rb):
            if not cmd.lang or cmd.lang not in ("text", "txt"):
                expected |= {f"<{m.group(1)}>" for m in KEBAB_RE.finditer(cmd.text)}
    assert set(found) == expected
    # the notification templates (```text blocks) are forms, not commands: their
    # <time-utc>, <ic-name>… are copied as written, never asked for
    assert "<time-utc>" not in found and "<ic-name>" not in found


#: written forms that are not placeholders, seen in the corpora's commands and output
NOT_IN_CORPORA = {"<13>", "<none>", "<rando@gitlab.com>", "<.>", "<->", "< EOF >", "<p>",
                  "</p>", "<details>", "<summary>", "<pre>", "<code>", "<IDLE>", "<unnamed>",
                  "<snip>", "<Project id:5678 myns/some-project>", "<support@gitlab.com>",
                  "{{end}}", "{{.metadata.name}}", "{{ $value }}", "{{$labels.instance}}"}


@pytest.mark.corpus
def test_corpora_placeholders():
    if not CORPORA.is_dir():
        pytest.skip(f"corpora not present at {CORPORA} (read-only test input beside the "
                    "project checkout)")
    prometheus = detected(CORPORA / "prometheus-operator-runbooks")
    assert set(prometheus) == {
        "<my-namespace>", "<my-pvc>", "<value of instance label from alert>",
        "<value of mountpoint label from alert>", "<namespace>", "<node>",
        "<instance label from alert>", "<value of namespace label from alert>"}
    gitlab = detected(CORPORA / "gitlab-runbooks")
    assert not NOT_IN_CORPORA & set(gitlab), NOT_IN_CORPORA & set(gitlab)
    assert {"<env>", "<username>", "<PROJECT>", "<CLUSTER>", "<pod_name>",
            "<name of old pool>", "<feature-flag-name>"} <= set(gitlab)
    assert 60 <= len(gitlab) <= 100
