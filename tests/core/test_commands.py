"""What Copy puts on the clipboard: the command alone — no prompt, no output, no trailing newline
— and which blocks and spans of a runbook are commands (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runbook_viewer.core.commands import (
    by_key,
    command_text,
    commands_of,
    inline_text,
    is_command_span,
    item_commands,
    placeholder_names,
    split_lines,
)
from runbook_viewer.core.library import load_library
from runbook_viewer.core.model import Runbook
from runbook_viewer.core.parser import parse_runbook
from runbook_viewer.core.render import runbook_html

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO.parent / "shared" / "corpora"


def runbook(text: str) -> Runbook:
    return parse_runbook(Runbook("t.md", Path("/lib/t.md"), ""), text)


@pytest.mark.parametrize(("source", "lang", "copied"), [
    # a plain block: as written, without the trailing newline
    ("kubectl get pods -n kube-system\n", "bash", "kubectl get pods -n kube-system"),
    ("a\n\nb\n\n\n", "", "a\n\nb"),
    # a session: prompt lines only, without the prompt; output left out
    ("$ kubectl -n <namespace> get pod\nprometheus-k8s-0   2/2  Running\n", "shell",
     "kubectl -n <namespace> get pod"),
    ("$ a\nout\n$ b\nout 2\n", "", "a\nb"),
    ("  $ indented\n  output\n", "", "indented"),
    ("user@host:~$ sudo su -\nPassword:\n", "", "sudo su -"),
    # continuations: a trailing backslash, PS2 "> ", an open quote, a pipe, a heredoc
    ("$ kubectl get pods \\\n>   -n payments\nNAME\n", "console",
     "kubectl get pods \\\n  -n payments"),
    ("$ kubectl get pods \\\n    -n payments\nNAME\n", "bash",
     "kubectl get pods \\\n    -n payments"),
    ('$ psql -c "SELECT 1\n> FROM t"\n ?column?\n', "", 'psql -c "SELECT 1\nFROM t"'),
    ("$ ps aux |\n  grep redis\nroot 1\n", "", "ps aux |\n  grep redis"),
    ("$ cat <<'EOF' > /tmp/x\n$HOME stays\nEOF\nwritten\n", "",
     "cat <<'EOF' > /tmp/x\n$HOME stays\nEOF"),
    # a "> " line after a finished command is output (curl -v), not a continuation
    ("$ curl -v http://x\n> HEAD / HTTP/1.1\n< HTTP/1.1 200 OK\n", "sh", "curl -v http://x"),
    # an apostrophe in a comment does not open a quote
    ("$ ls # don't\nfile\n", "", "ls # don't"),
    # "# " is root's prompt in a declared session…
    ("# sysctl -a\nfs.file-max = 1\n$ ls\nx\n", "console", "sysctl -a\nls"),
    # …and a comment elsewhere: never turned into a command
    ("$ oc debug node/n\n# sysctl -a | grep file\nfs.file-max = 1\n", "shell",
     "oc debug node/n"),
    ("# restart it\nsystemctl restart redis\n", "bash", "# restart it\nsystemctl restart redis"),
    # a console block without any prompt: the author wrote commands only
    ("kubectl delete pod -l app=x\n", "console", "kubectl delete pod -l app=x"),
    # unicode, tabs and inner blank lines exactly as written
    ("$ echo 'ünïcödé ✓ 日本'\t# tab\nünïcödé ✓ 日本\n", "", "echo 'ünïcödé ✓ 日本'\t# tab"),
    ("$ $HOME/bin/x\n", "", "$HOME/bin/x"),
])
def test_what_a_block_copies(source, lang, copied):
    assert command_text(source, lang) == copied
    assert not command_text(source, lang).endswith("\n")


def test_output_lines_are_marked():
    lines = split_lines("$ kubectl get pods\nNAME  READY\napi   1/1\n\n$ echo ok\nok\n", "")
    assert [ln.command for ln in lines] == [True, False, False, False, True, False]
    assert [ln.prompt for ln in lines] == [2, 0, 0, 0, 2, 0]


@pytest.mark.parametrize(("span", "copied"), [
    ("kubectl get pods", "kubectl get pods"),
    ("$ kubectl get pods", "kubectl get pods"),
    ("  redis-cli ping  ", "redis-cli ping"),
    ("$", "$"),
    ("$HOME", "$HOME"),
])
def test_what_a_span_copies(span, copied):
    assert inline_text(span) == copied


@pytest.mark.parametrize(("span", "command"), [
    ("archonctl halt status", True),
    ("sudo systemctl stop archon-writer", True),
    ("NS=payments kubectl get pods", True),
    ("./scripts/check.sh --fast", True),
    ("#inc-<yyyymmdd>-<short-name>", True),  # a placeholder to fill: worth copying filled in
    ("escalation_deadline", False),  # a field name: Ctrl+Shift+C must not copy it
    ("db-01", False),
    ("result: PASS", False),
    ("archonctl", False),
    ("(SELECT 1)", False),
])
def test_which_spans_are_commands(span, command):
    assert is_command_span(span) is command


DOC = """\
# Redis

## Procedure

### Step 1: Look

- [ ] List the pods with `kubectl -n <namespace> get pods` and note `READY`
- [ ] Restart it:

  ```console
  $ kubectl -n <namespace> rollout restart deploy/<deployment>
  deployment.apps/api restarted
  ```

- Not a checklist item: `ls` is not a command of an item

**Verification:**

- Expected outcome: `1/1`
- Command to verify: `kubectl -n <namespace> get pods`

| a | b |
|---|---|
| `x` | `y` |

```text
Impact: <who is affected>
```
"""


def test_commands_of_a_runbook():
    rb = runbook(DOC)
    cmds = commands_of(rb)
    texts = [c.text for c in cmds]
    assert texts == [
        "kubectl -n <namespace> get pods",  # `READY` is a word to look for, not a command
        "kubectl -n <namespace> rollout restart deploy/<deployment>",
        "kubectl -n <namespace> get pods",  # the Command to verify
        "Impact: <who is affected>",  # a block is always copyable …
    ]
    first, second = rb.items
    assert [c.kind for c in item_commands(rb, first.id)] == ["inline"]
    assert [c.kind for c in item_commands(rb, second.id)] == ["block"]
    assert cmds[1].lang == "console" and cmds[1].session and cmds[1].output_lines == 1
    assert cmds[2].item_id is None and cmds[2].section_anchor == "step-1-look"
    # … but placeholders are only looked for in commands, not in a text block
    assert cmds[3].placeholders == ()
    assert placeholder_names(rb) == ["namespace", "deployment"]
    assert "ls" not in texts and "x" not in texts  # spans outside items are prose


def test_every_command_has_a_copy_link_on_the_page_and_nothing_else_does():
    rb = runbook(DOC)
    page = runbook_html(rb)
    links = re.findall(r'href="copy:([^"]+)"', page)
    assert sorted(set(links)) == sorted(by_key(rb))
    assert "❐" in page
    printed = runbook_html(rb, interactive=False)
    assert "copy:" not in printed  # nothing to click on paper


def test_the_page_shows_values_and_marks_placeholders():
    rb = runbook(DOC)
    page = runbook_html(rb, values={"namespace": "payments"})
    assert "payments" in page and "&lt;namespace&gt;" not in page
    assert "&lt;deployment&gt;" in page  # still to fill in: shown as written, marked
    assert "text-decoration:underline" in page and "font-style:italic" in page
    # a value refused where it goes is never shown as if it were in the command
    page = runbook_html(rb, values={"namespace": "a;b"})
    assert "a;b" not in page and "⚠&lt;namespace&gt;" in page


def _library_commands(root: Path):
    lib = load_library(root)
    for rb in lib.runbooks:
        yield rb, commands_of(rb)


def test_bundled_library_every_command_has_its_link_and_no_trailing_newline(bundled_library):
    total = 0
    for rb, cmds in _library_commands(bundled_library):
        links = set(re.findall(r'href="copy:([^"]+)"', runbook_html(rb)))
        assert links == {c.key for c in cmds}, rb.path
        for c in cmds:
            assert c.text == c.text.rstrip() and c.text, (rb.path, c.line)
        total += len(cmds)
    assert total > 1000


@pytest.mark.corpus
def test_corpora_every_command_has_its_link():
    if not CORPORA.is_dir():
        pytest.skip(f"corpora not present at {CORPORA} (read-only test input beside the "
                    "project checkout)")
    sessions = 0
    for name in ("prometheus-operator-runbooks", "gitlab-runbooks"):
        for rb, cmds in _library_commands(CORPORA / name):
            links = set(re.findall(r'href="copy:([^"]+)"', runbook_html(rb)))
            assert links == {c.key for c in cmds}, rb.path
            for c in cmds:
                assert not c.text.endswith("\n")
                # a session never copies a prompt
                assert not c.session or not any(
                    line.startswith("$ ") for line in c.text.split("\n")), (rb.path, c.line)
                sessions += c.session
    assert sessions > 200
