"""Incident values never change what a command does: refused with the reason, or quoted."""

from __future__ import annotations

import re
import subprocess

import pytest

from runbook_viewer.core import placeholders
from runbook_viewer.core.values import (
    ValueRefused,
    check_value,
    fill,
    placed,
    quote_context,
)


@pytest.mark.parametrize(("value", "why"), [
    ("payments\nrm -rf /", "line break"),
    ("pay\rments", "line break"),
    ("a\tb", "control character"),
    ("a\x1b[2Jb", "control character"),
    ("pay\u200bments", "invisible"),
    ("pay\u202ements", "invisible"),
    ("x; rm -rf /", "“;”"),
    ("x | sh", "“|”"),
    ("x && reboot", "“&”"),
    ("x &", "“&”"),
    ("`reboot`", "backtick"),
    ("$(reboot)", "“$(”"),
    ("it's", "' that is not closed"),
    ('say "hi', '" that is not closed'),
    ("", "empty"),
    ("   ", "empty"),
    ("x" * 501, "longer than 500"),
])
def test_refused_values_say_why(value, why):
    with pytest.raises(ValueRefused, match=re.escape(why)):
        check_value(value)


@pytest.mark.parametrize("value", [
    "payments", "prometheus-k8s-0", "10.0.0.1:6379", "BR-2041", "4182207", "gl@gitlab.com",
    "hash chain break at sequence 4180113", "ünïcödé ✓", "'quoted twice'", "a*b", "$HOME",
])
def test_accepted_values(value):
    assert check_value(f"  {value} ") == value


@pytest.mark.parametrize(("text", "at", "context"), [
    ("kubectl -n X get", 11, "none"),
    ("echo 'X'", 6, "single"),
    ('echo "X"', 6, "double"),
    ("""psql -c "WHERE id = 'X'" """, 21, "double"),
    ("echo \\'X", 7, "none"),
    ("echo $'X'", 7, "single"),
    ("echo 'a' \"b\" X", 13, "none"),
])
def test_quote_context(text, at, context):
    assert text[at] == "X"
    assert quote_context(text, at) == context


def test_a_value_goes_in_as_is_or_quoted_or_is_refused():
    assert placed("payments", "none") == ("payments", False)
    assert placed("a b", "none") == ("'a b'", True)
    assert placed("a*b", "none") == ("'a*b'", True)
    assert placed("$HOME", "none") == ("'$HOME'", True)
    assert placed("a b", "double") == ("a b", False)
    assert placed("$HOME", "single") == ("$HOME", False)
    for value, context in (("'q'", "single"), ('"q"', "double"), ("$HOME", "double"),
                           ("a\\b", "double"), ("wow!", "double")):
        with pytest.raises(ValueRefused, match="inside"):
            placed(value, context)


def run_fill(command: str, values: dict[str, str]):
    return fill(command, placeholders.find(command), values)


def test_fill_puts_values_in_and_reports_the_rest():
    f = run_fill("kubectl -n <namespace> logs <pod> --since <since>",
                 {"namespace": "payments", "pod": "api 0", "since": "a;b"})
    assert f.text == "kubectl -n payments logs 'api 0' --since <since>"
    assert f.quoted == ["pod"] and f.missing == []
    assert [r.name for r in f.refused] == ["since"] and "“;”" in str(f.refused[0])
    assert not f.ok
    assert [(f.text[a:b], s) for a, b, _n, s in f.spans] == [
        ("payments", "filled"), ("'api 0'", "filled"), ("<since>", "refused")]
    f = run_fill("echo <a> <b>", {"a": "1"})
    assert f.text == "echo 1 <b>" and f.missing == ["b"] and not f.ok


def test_one_name_two_places_two_quotings():
    f = run_fill("""psql -c "SELECT '<id>'" && echo <id>""", {"id": "7 x"})
    assert f.text == """psql -c "SELECT '7 x'" && echo '7 x'"""


def test_an_imported_value_is_checked_again_when_it_is_used():
    # values from a handover file are validated on import, but fill never trusts them
    f = run_fill("echo <x>", {"x": "a\nreboot"})
    assert f.text == "echo <x>" and "line break" in f.refused[0].reason


@pytest.mark.parametrize("value", ["a b", "$(id)x", "*", "-rf /", "a'b", 'x"y', "~root",
                                   "#c", "a\\b", "ünï ✓", "!!", "{a,b}", "[x]"])
def test_the_shell_gets_exactly_the_value(value, tmp_path):
    """Whatever the value, bash receives it as one literal argument (or it is refused)."""
    try:
        check_value(value)
        acceptable = True
    except ValueRefused:
        acceptable = False
    used = 0
    for command in ("printf '%s\\n' <v>", "printf '%s\\n' x-<v>-y",
                    "printf '%s\\n' \"<v>\"", "printf '%s\\n' '<v>'"):
        f = run_fill(command, {"v": value})
        if not f.ok:
            continue
        out = subprocess.run(["bash", "-c", f.text], capture_output=True, text=True,
                             cwd=tmp_path, check=True).stdout
        expected = value if command.split()[-1].strip("'\"") == "<v>" else f"x-{value}-y"
        assert out == expected + "\n", (command, f.text)
        used += 1
    # outside quotes a value is always placed (quoted if it must be)
    assert used >= 2 if acceptable else used == 0
