"""Rules about the commands in runbooks: one placeholder style across the library, one command
per checklist item, and no per-incident literal (a sequence number, a dated ceremony id, an IP
address) inside a command that changes state. See :mod:`.commands` for what counts as a command.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Problem, Runbook
from .commands import Command, code_spans, command_count, commands, looks_like_command
from .registry import CheckContext

ANGLE_RE = re.compile(r"<(?=[^\s<>(=!])([^<>\n]{1,80}?)(?<=[^\s=-])>")
UPPER_SNAKE_RE = re.compile(r"(?<![\w$/.{-])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![\w=(])")
VARIABLE_RE = re.compile(r"\$\{?([A-Z_][A-Z0-9_]*)|(?<![\w$])([A-Z_][A-Z0-9_]*)=")
SQL_WORDS = frozenset({"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER",
                       "SESSION_USER", "ON_ERROR_STOP", "LOCAL_TIMESTAMP"})
STYLES = {  # style key → how the message names it, in order of preference on a tie
    "kebab": "<lower-case-words>", "snake": "<snake_case>", "upper": "<UPPER_CASE>",
    "bare": "UPPER_SNAKE without brackets", "free": "<free text or an expression>",
}
MUTATING_RE = re.compile(
    r"(?<!\w)(trigger|clear|sync|declare|sign|abort|restart|start|stop|reload|mask|unmask|"
    r"enable|disable|kill|pkill|rm|mv|delete|del|drop|truncate|update|insert|alter|revoke|"
    r"grant|promote|pg_promote|pg_terminate_backend|pg_dropcluster|restore|expire|flushall|"
    r"flushdb|replicaof|slaveof|failover|suspend|reinstate|replay|rebalance|resume|drain|"
    r"attest|destroy|rotate|remove|keypairgen|add|set)(?!\w)", re.IGNORECASE)
LITERALS = (
    ("an IP address", re.compile(
        r"(?<![\w.])((?!127\.|0\.0\.0\.0|255\.)\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?)(?![\w.])")),
    ("a dated id", re.compile(r"(?<![\w-])([A-Z][A-Z0-9]*-\d{4}-\d{2}-\d{2}(?:-\d+)?)(?!\w)")),
    ("a long number", re.compile(r"(?<![\w.:/$-])(\d{6,})(?![\w.:])")),
    ("a literal id", re.compile(
        r"--(?:[a-z]+-)*(?:id|seq|sequence|event|ceremony|checkpoint|breach|deliberation|"
        r"subscription|keeper|override|witness|agent|set)(?:=|\s+)(?![<$\"'-])"
        r"([^\s\"'<>]+)")),
    ("a literal id", re.compile(
        r"(?i)(?<!\w)(?:restart|suspend|reinstate|sign|abort|revoke|remove|delete|destroy)\s+"
        r"([a-z]+-\d+)(?![\w-])")),
)


@dataclass(frozen=True)
class Placeholder:
    path: str
    line: int
    text: str
    style: str


def placeholder_style(inner: str) -> str:
    """The style of an ``<inner>`` placeholder; ``word`` (one lower-case word) fits any."""
    if re.fullmatch(r"[a-z][a-z0-9]*", inner):
        return "word"
    if re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+", inner):
        return "kebab"
    if re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+", inner):
        return "snake"
    if re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*", inner):
        return "upper"
    return "free"


def library_variables(ctx: CheckContext) -> set[str]:
    """Names the library sets or reads as variables (``NAME=…``, ``$NAME``, ``${NAME}``)."""
    return ctx.names_matching(VARIABLE_RE)


def placeholders_in(cmd: Command, path: str, variables: set[str]) -> Iterator[Placeholder]:
    masked = ANGLE_RE.sub(lambda m: " " * len(m.group(0)), cmd.text)
    for m in ANGLE_RE.finditer(cmd.text):
        yield Placeholder(path, cmd.line, m.group(0), placeholder_style(m.group(1)))
    for m in UPPER_SNAKE_RE.finditer(masked):
        name = m.group(1)
        if name not in variables and name not in SQL_WORDS:
            yield Placeholder(path, cmd.line, name, "bare")


def check_placeholder_style(ctx: CheckContext) -> Iterator[Problem]:
    """placeholder-style: every placeholder in commands is written the same way."""
    variables = library_variables(ctx)
    found = [p for rb in ctx.checked if not rb.load_error
             for cmd in commands(ctx, rb) for p in placeholders_in(cmd, rb.path, variables)]
    counts = Counter(p.style for p in found if p.style != "word")
    if not counts:
        return
    order = list(STYLES)
    main = max(counts, key=lambda s: (counts[s], -order.index(s)))
    example = next(p.text for p in found if p.style == main)
    fits = {main, "word"} if main in {"kebab", "snake"} else {main}
    seen: set[tuple[str, int, str]] = set()
    for p in found:
        if p.style in fits or (p.path, p.line, p.text) in seen:
            continue
        seen.add((p.path, p.line, p.text))
        yield ctx.problem(p.path, p.line, "placeholder-style",
                          f"placeholder `{p.text}` is written as {STYLES.get(p.style, 'one word')}"
                          f"; this library writes placeholders as {STYLES[main]} (like "
                          f"`{example}`), or derives the value into a shell variable first")


def check_multi_command(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """multi-command: a checklist item asks for one command (one action, one box)."""
    lines = ctx.lines(rb)
    for item in rb.items:
        if not 0 < item.line <= len(lines):
            continue
        line = lines[item.line - 1]
        count = command_count(line)
        if count > 1:
            shown = ", ".join(f"`{s[:40]}`" for s in code_spans(line) if looks_like_command(s))
            yield ctx.problem(rb.path, item.line, "multi-command",
                              f"checklist item runs {count} commands ({shown}); give each "
                              "command its own `- [ ]` item so each can be ticked")


def check_incident_literals(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """incident-literal: a state-changing command carries no value that differs per incident."""
    for cmd in commands(ctx, rb):
        verb = MUTATING_RE.search(cmd.text)
        if verb is None:
            continue
        text = ANGLE_RE.sub(lambda m: " " * len(m.group(0)), cmd.text)
        reported: set[str] = set()
        for kind, pattern in LITERALS:
            for m in pattern.finditer(text):
                value = m.group(1)
                if value in reported or re.fullmatch(r"[A-Z][A-Z0-9_]*", value):
                    continue  # an UPPER_CASE placeholder: placeholder-style reports it
                reported.add(value)
                yield ctx.problem(rb.path, cmd.line, "incident-literal",
                                  f"`{value}` looks like {kind} from one incident, inside a "
                                  f"command that changes state (`{verb.group(1)}`): derive it "
                                  "in a preceding command into a shell variable, or write a "
                                  "`<placeholder>` the operator fills in")
