"""The commands a runbook asks the operator to run, as the command rules see them (no Qt).

A command is an inline code span that reads like a shell command or a SQL statement
(``archonctl halt status``, ``sudo systemctl stop archon-writer``, ``SELECT …;``), or a
logical line of a fenced ``bash``/``sh``/``sql`` block (``\\`` continuations joined, SQL split
at ``;``). Values in backticks (``db-01``, ``result: PASS``, ``shut down``) are not commands.

Works on the raw text lines of a runbook and the model's code blocks (``Runbook.code_blocks``,
:func:`CheckContext.fenced`), not on parser internals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Runbook
from .registry import CheckContext

CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
SHELL_LANGS = frozenset({"bash", "sh", "shell", "zsh", "console", "shell-session"})
SQL_LANGS = frozenset({"sql", "psql", "pgsql", "plpgsql", "postgresql"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KNOWN_COMMANDS = _words("""
    alembic amtool apt apt-get archonctl archon-verify awk cat cd chmod chown chronyc cp curl
    date df diff dig dmesg docker dpkg-query du echo export find for free getent git grep gzip
    haproxy head helm if install ip journalctl jq kill kubectl ln ls make mkdir mv nc openssl
    patronictl pg_controldata pg_createcluster pg_ctl pg_ctlcluster pg_dropcluster pg_isready
    pg_lsclusters pgbackrest pip pkcs11-tool pkill pre-commit printf promtool psql pytest python
    python3 redis-cli redis-check-aof rm rsync scp sed sha256sum socat softhsm2-util ss ssh sudo
    systemctl tail tar tee test time timedatectl top traceroute uptime vmstat watch wc while
    xargs
""")
SQL_KEYWORDS = _words("""
    ALTER ANALYZE CHECKPOINT COPY CREATE DELETE DROP EXPLAIN GRANT INSERT REVOKE SELECT SET
    SHOW TRUNCATE UPDATE VACUUM WITH
""")
LOOP_START = ("for ", "while ", "until ", "if ")
ASSIGN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=\S*$")
OPTION_RE = re.compile(r"^--?[A-Za-z]")
SEPARATOR_RE = re.compile(r"&&|\|\||;")
CHOICE_MARK = "☐"  # a box inside an item: one of several exclusive alternatives
HEREDOC_RE = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")


@dataclass(frozen=True)
class Command:
    line: int  # 1-based line where the command starts
    text: str  # the command as written (continuations joined, comments dropped)
    inline: bool  # an inline code span (else a line of a fenced block)


def code_spans(line: str) -> list[str]:
    """The contents of the inline code spans of one markdown line."""
    if "`" not in line:
        return []
    return [m.group(2).strip() for m in CODE_SPAN_RE.finditer(line)]


def looks_like_command(span: str) -> bool:
    """True when a code span reads like a shell command or a SQL statement, not a value."""
    words = span.split()
    if len(words) < 2:
        return False
    if re.match(r"^[A-Za-z_]\w*=\$\(", span):
        return True  # NAME=$(command …)
    segments = split_segments(span)
    if len(segments) > 1:
        return any(looks_like_command(s) for s in segments)
    if words[0] in SQL_KEYWORDS:
        return span.rstrip().endswith(";") or " FROM " in span or words[0] in {"ALTER", "SHOW"}
    head = next((w for w in words if not ASSIGN_RE.match(w)), "")
    if head in KNOWN_COMMANDS:
        return True
    executable = re.fullmatch(r"(?:\./|/|~/)?[a-z][\w./+-]*", head) is not None
    return executable and not head.endswith(":") and (
        any(OPTION_RE.match(w) for w in words[1:]) or "|" in span)


CLOSERS = {"(": ")", "{": "}"}


def _advance(stack: list[str], text: str, n: int) -> int:
    """Update the open quote/parenthesis contexts for ``text[n]``; return the characters used."""
    ch, top = text[n], (stack[-1] if stack else "")
    if top == "'":
        if ch == "'":
            stack.pop()
        return 1
    if ch == "\\":
        return 2
    if top == '"':
        if ch == '"':
            stack.pop()
        elif text.startswith("$(", n):
            stack.append("(")
            return 2
        return 1
    if ch in "'\"({":
        stack.append(ch)
    elif top in CLOSERS and ch == CLOSERS[top]:
        stack.pop()
    return 1


def split_segments(command: str) -> list[str]:
    """A shell command line split at top-level ``&&``, ``||`` and ``;`` (quotes, ``$( )``
    inside quotes and sub-shells respected). A loop or conditional counts as one command."""
    text = command.strip()
    if text.startswith(LOOP_START) or not SEPARATOR_RE.search(text):
        return [text] if text and text not in {"true", ":"} else []
    parts: list[str] = []
    stack: list[str] = []  # open contexts: ' " ( {
    start = n = 0
    while n < len(text):
        if not stack and (text.startswith(("&&", "||"), n) or text[n] == ";"):
            parts.append(text[start:n])
            n += 1 if text[n] == ";" else 2
            start = n
            continue
        n += _advance(stack, text, n)
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip() and p.strip() not in {"true", ":"}]


def _count(text: str) -> int:
    return sum(len(split_segments(s)) for s in code_spans(text) if looks_like_command(s))


def command_count(line: str) -> int:
    """How many commands one markdown line (a checklist item) asks for. Exclusive alternatives
    ("tick one: ☐ a ☐ b") are one choice: only the biggest alternative counts."""
    head, *choices = line.split(CHOICE_MARK)
    return _count(head) + max((_count(c) for c in choices), default=0)


def fence_languages(ctx: CheckContext, rb: Runbook) -> dict[int, str]:
    """Line number → language of the fenced block it is in (``""`` without one); the fences
    themselves are not included. Read from the model's code blocks."""
    out: dict[int, str] = {}
    for block in rb.code_blocks:
        if block.fenced:
            last = block.end_line - 1 if block.closed else block.end_line
            out.update(dict.fromkeys(range(block.line + 1, last + 1), block.lang))
    return out


def commands(ctx: CheckContext, rb: Runbook) -> list[Command]:
    """Every command of a runbook, in line order (computed once per check run)."""
    return ctx.memo("commands", rb, lambda: list(_commands(ctx, rb)))


def _commands(ctx: CheckContext, rb: Runbook) -> Iterator[Command]:
    lines = ctx.lines(rb)
    langs = fence_languages(ctx, rb)
    fenced = ctx.fenced(rb)
    block: list[tuple[int, str]] = []
    block_lang = ""
    for n in range(1, len(lines) + 1):
        if n in langs:
            if not block:
                block_lang = langs[n]
            block.append((n, lines[n - 1]))
            continue
        if block:
            yield from _block_commands(block, block_lang)
            block = []
        if n not in fenced:
            for span in code_spans(lines[n - 1]):
                if looks_like_command(span):
                    yield Command(n, span, True)
    if block:
        yield from _block_commands(block, block_lang)


def _block_commands(block: list[tuple[int, str]], lang: str) -> Iterator[Command]:
    if lang in SHELL_LANGS:
        yield from _shell_lines(block)
    elif lang in SQL_LANGS:
        yield from _sql_statements(block)


def _shell_lines(block: list[tuple[int, str]]) -> Iterator[Command]:
    start, heredoc = 0, ""
    parts: list[str] = []
    for n, raw in block:
        if heredoc:  # a here-document's body is data (or another language), not commands
            heredoc = "" if raw.strip() == heredoc else heredoc
            continue
        m = HEREDOC_RE.search(raw)
        if m:
            heredoc = m.group(1)
        text = re.sub(r"(^|\s)#(?![!{]).*$", "", raw).rstrip()
        if not parts:
            start = n
        parts.append(text.rstrip("\\").strip())
        if text.endswith("\\"):
            continue
        joined = " ".join(p for p in parts if p)
        parts = []
        if joined:
            yield Command(start, joined, False)
    if parts and " ".join(parts).strip():
        yield Command(start, " ".join(parts).strip(), False)


def _sql_statements(block: list[tuple[int, str]]) -> Iterator[Command]:
    start = 0
    parts: list[str] = []
    for n, raw in block:
        text = re.sub(r"--.*$", "", raw).strip()
        if not text:
            continue
        if not parts:
            start = n
        parts.append(text)
        if text.endswith(";") or text.startswith("\\"):
            yield Command(start, " ".join(parts), False)
            parts = []
    if parts:
        yield Command(start, " ".join(parts), False)
