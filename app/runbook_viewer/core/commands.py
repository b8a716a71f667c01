"""The commands of a runbook, exactly as an operator pastes them into a terminal (no Qt).

A *command* is a code block, or a code span that reads as a command (:func:`is_command_span`)
in a checklist item or a ``Command to verify:`` line. What is copied (:attr:`Command.text`)
is the command alone:

* **No prompts, no output.** A block is a terminal *session* when a line starts with a ``$ ``
  prompt (or ``user@host:~$ ``), or when its info string says so (``console``,
  ``shell-session``…) and a line has a prompt. In a session only the prompt lines are copied,
  without their prompt, with their continuations: lines after one ending in ``\\``, ``> ``
  continuation lines (without the ``> ``) and the body of a heredoc (``<<EOF`` … ``EOF``);
  every other line is output and left out. ``# `` is a prompt (root's) only in a block whose
  info string declares a session — in a ``bash`` block it is a comment, and a comment is never
  turned into a command. Any other block is copied as written.
* **No trailing newline** (it would run the command on paste), no trailing blank lines.
* Unicode, tabs and inner blank lines exactly as written.

Placeholders (:mod:`.placeholders`) are looked for in the copied text of commands only — never
in output lines, and never in prose blocks (``text``, ``markdown``, diagrams…), which are
copied as written.

Every command has a :attr:`Command.key` — ``b<line>`` for a block, ``i<line>.<hash>`` for a
code span — that the page's ``copy:`` links carry (:mod:`.markdown.html`), so a click copies
the command the page shows.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from markdown_it.tree import SyntaxTreeNode

from . import placeholders
from .model import Runbook
from .parser import TASK_RE, VERIFY_FIELD_RE

SESSION_LANGS = frozenset({"console", "shell-session", "shellsession", "sh-session",
                           "bash-session", "zsh-session", "terminal", "session"})
#: blocks that hold text, markup or pictures, not commands: copied as written, no placeholders
PROSE_LANGS = frozenset({"text", "txt", "plain", "plaintext", "output", "log", "logs",
                         "markdown", "md", "html", "xml", "svg", "mermaid", "plantuml", "dot",
                         "graphviz", "math", "latex", "tex", "diff", "patch", "csv", "email"})
PROMPT_RE = re.compile(r"^(\s*)(\$|[\w.-]+@[\w.-]+(?::[^\s$#]*)?\$)( |$)")
ROOT_PROMPT_RE = re.compile(r"^(\s*)(#|[\w.-]+@[\w.-]+(?::[^\s$#]*)?#)( |$)")
CONTINUATION_RE = re.compile(r"^(\s*)> ?")
HEREDOC_RE = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][\w-]*)\1")


@dataclass(frozen=True)
class Line:
    """A line of a block: its source, the prompt length removed, whether it is copied."""

    source: str
    prompt: int = 0  # characters of prompt ("$ ") or continuation prompt ("> ") left out
    command: bool = True
    first: bool = False  # the line starts a command (it had a prompt)

    @property
    def text(self) -> str:
        return self.source[self.prompt:]


@dataclass(frozen=True)
class Command:
    key: str  # "b12": the block at line 12; "i14.1a2b3c4d": a code span on line 14
    kind: str  # "block" | "inline"
    source: str  # as written
    text: str  # what is copied (prompts and output removed, no trailing newline)
    lang: str  # the block's language ("" for a span or a block without one)
    line: int
    section_anchor: str = ""
    item_id: str | None = None
    lines: tuple[Line, ...] = ()  # blocks: every line, copied or not
    placeholders: tuple[placeholders.Placeholder, ...] = field(default=(), compare=False)

    @property
    def session(self) -> bool:
        return any(ln.first for ln in self.lines)

    @property
    def output_lines(self) -> int:
        """Lines left out of the copy (blank lines not counted)."""
        return sum(1 for ln in self.lines if not ln.command and ln.source.strip())

    @property
    def copied_lines(self) -> int:
        return len(self.text.split("\n")) if self.text else 0

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(p.name for p in self.placeholders))

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0]


def is_prose(lang: str) -> bool:
    return lang.lower() in PROSE_LANGS


def _prompt(line: str, root: bool) -> int:
    m = PROMPT_RE.match(line) or (ROOT_PROMPT_RE.match(line) if root else None)
    return m.end() if m else 0


def split_lines(source: str, lang: str = "") -> tuple[Line, ...]:
    """Each line of a block, with its prompt and whether it is part of the command."""
    raw = source.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    declared = lang.lower() in SESSION_LANGS
    if not any(_prompt(x, declared) for x in raw):
        return tuple(Line(x) for x in raw)
    out: list[Line] = []
    more = False  # the previous command line is not finished: this line continues it
    heredoc: str | None = None
    for x in raw:
        if heredoc is not None:
            out.append(Line(x))
            if x.strip() == heredoc:
                heredoc = None
            continue
        prompt = _prompt(x, declared)
        if prompt:
            out.append(Line(x, prompt, first=True))
        elif more:
            cont = CONTINUATION_RE.match(x)
            out.append(Line(x, cont.end() if cont else 0))
        else:
            out.append(Line(x, command=False))
            continue
        text = out[-1].text
        doc = HEREDOC_RE.search(text)
        heredoc = doc.group(2) if doc else None
        more = heredoc is None and _unfinished("\n".join(
            ln.text for ln in _since_prompt(out)))
    return tuple(out)


def _since_prompt(lines: list[Line]) -> list[Line]:
    """The lines of the command the last line belongs to (from its prompt line)."""
    start = len(lines) - 1
    while start > 0 and not lines[start].first:
        start -= 1
    return lines[start:]


def _unfinished(text: str) -> bool:
    """Whether a shell command continues on the next line: a trailing backslash or pipe or
    ``&&``/``||``, or a quote left open."""
    stripped = text.rstrip()
    if stripped.endswith(("\\", "|", "&&", "||")):
        return True
    quote: str | None = None
    escaped = False
    previous = "\n"
    for ch in text:
        if escaped:
            escaped = False
        elif quote is None and ch == "#" and previous in " \t\n;":
            quote = "#"  # a comment, to the end of its line
        elif quote == "#":
            quote = None if ch == "\n" else quote
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote is None and ch in "'\"":
            quote = ch
        elif ch == quote:
            quote = None
        previous = ch
    return quote not in (None, "#")


def command_text(source: str, lang: str = "") -> str:
    """What is copied from a block: its command lines without prompts, no trailing newline."""
    lines = split_lines(source, lang)
    return "\n".join(ln.text for ln in lines if ln.command).rstrip()


def inline_text(source: str) -> str:
    """What is copied from a code span: the span, without a leading ``$ `` prompt."""
    text = source.strip()
    m = PROMPT_RE.match(text)
    return text[m.end():] if m and m.end() < len(text) else text


def block_key(line: int) -> str:
    return f"b{line}"


def inline_key(line: int, source: str) -> str:
    digest = hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"i{line}.{digest}"


def block_command(source: str, info: str, line: int, anchor: str = "",
                  item_id: str | None = None) -> Command:
    lang = info.split(maxsplit=1)[0].lower() if info.strip() else ""
    lines = split_lines(source, lang)
    text = "\n".join(ln.text for ln in lines if ln.command).rstrip()
    found = () if is_prose(lang) else tuple(placeholders.find(text))
    return Command(block_key(line), "block", source, text, lang, line, anchor, item_id, lines,
                   found)


def inline_command(source: str, line: int, anchor: str = "",
                   item_id: str | None = None) -> Command:
    text = inline_text(source)
    return Command(inline_key(line, source), "inline", source, text, "", line, anchor, item_id,
                   (), tuple(placeholders.find(text)))


_PROGRAM_RE = re.compile(r"^(?:sudo\s+)?[\w./~+-]+(?:=\S*)?$")


def is_command_span(source: str) -> bool:
    """Whether a checklist item's code span is a command to copy: it holds a placeholder, or
    it is two words or more led by a program name or an assignment (``archonctl halt
    status``, ``NS=payments kubectl …``). A lone word or value (``escalation_deadline``,
    ``db-01``, ``result: PASS``) is not: Ctrl+Shift+C must never copy a field name."""
    text = inline_text(source)
    if placeholders.find(text):
        return True
    words = text.split()
    return len(words) >= 2 and not words[0].endswith(":") and \
        _PROGRAM_RE.match(words[0]) is not None


def is_verify_command(text: str) -> bool:
    """A list item's first line is ``Command to verify: …``."""
    m = VERIFY_FIELD_RE.match(text.split("\n", 1)[0])
    return m is not None and m.group(1).lower().startswith("command")


class _Walker:
    def __init__(self, rb: Runbook):
        self.rb = rb
        self.items = {i.line: i for i in rb.items}
        self.sections = {s.line: s for s in rb.sections}
        self.section = ""
        self.found: dict[str, Command] = {}

    def add(self, cmd: Command) -> None:
        self.found.setdefault(cmd.key, cmd)

    def visit(self, node: SyntaxTreeNode, item: str | None, spans: bool) -> None:
        line = node.map[0] + 1 if node.map else 0
        if node.type == "heading":
            sec = self.sections.get(line)
            self.section = sec.anchor if sec is not None else self.section
            return
        if node.type in ("fence", "code_block"):
            info = node.info if node.type == "fence" else ""
            self.add(block_command(node.content, info, line, self.section, item))
            return
        if node.type == "inline":
            if spans:
                for child in node.walk():
                    if child.type == "code_inline" and is_command_span(child.content):
                        self.add(inline_command(child.content, line, self.section, item))
            return
        if node.type == "list_item":
            first = _first_line(node)
            task = self.items.get(line) if TASK_RE.match(first) else None
            if task is not None:
                item, spans = task.id, True
            elif is_verify_command(first):
                self.visit(node.children[0], item, True)
                for child in node.children[1:]:
                    self.visit(child, item, spans)
                return
        for child in node.children:
            self.visit(child, item, spans)


Segment = tuple[str, str | None]  # (text, None) as written | (text, "filled"/"missing"/…)


def segments(cmd: Command, values: dict[str, str]) -> list[list[Segment]]:
    """The block as shown with ``values`` in: per source line, its pieces — prompts and output
    lines as written, each placeholder of a command line as filled in (marked with its
    state: "filled", "missing", "refused")."""
    from .values import fill

    filled = fill(cmd.text, cmd.placeholders, values)
    rows = filled.text.split("\n")
    spans = list(filled.spans)
    out: list[list[Segment]] = []
    start = k = 0
    for ln in cmd.lines or (Line(cmd.source),):
        if not ln.command or k >= len(rows):
            out.append([(ln.source, None)])
            continue
        row = rows[k]
        line: list[Segment] = [(ln.source[:ln.prompt], None)]
        pos = 0
        while spans and spans[0][0] <= start + len(row):
            a, b, _name, state = spans.pop(0)
            line += [(row[pos:a - start], None), (row[a - start:b - start], state)]
            pos = b - start
        line.append((row[pos:], None))
        out.append([seg for seg in line if seg[0]])
        start += len(row) + 1
        k += 1
    return out


def filled_span(source: str, values: dict[str, str]):
    """A code span as shown with ``values`` in (a :class:`~.values.Filled`)."""
    from .values import fill

    return fill(source, placeholders.find(source), values)


def filled_source(cmd: Command, values: dict[str, str]) -> str:
    """The block's text as shown with ``values`` in (prompts and output kept)."""
    return "\n".join("".join(t for t, _s in line) for line in segments(cmd, values))


def _first_line(item: SyntaxTreeNode) -> str:
    first = item.children[0] if item.children else None
    if first is None or first.type != "paragraph" or not first.children:
        return ""
    return first.children[0].content.split("\n", 1)[0]


_CACHE: dict[str, list[Command]] = {}
CACHE_SIZE = 64  # runbooks whose commands are kept (the oldest is dropped first)


def commands_of(rb: Runbook) -> list[Command]:
    """Every command of ``rb`` in document order (cached by content)."""
    if rb.load_error:
        return []
    key = f"{rb.content_hash}:{rb.path}"
    if key not in _CACHE:
        from .render import document_of

        doc = document_of(rb)
        walker = _Walker(rb)
        if not doc.degraded:
            for node in doc.tree().children:
                walker.visit(node, None, False)
        while len(_CACHE) >= CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]
        _CACHE[key] = list(walker.found.values())
    return _CACHE[key]


def by_key(rb: Runbook) -> dict[str, Command]:
    return {c.key: c for c in commands_of(rb)}


def item_commands(rb: Runbook, item_id: str) -> list[Command]:
    """The commands written in one checklist item, in order."""
    return [c for c in commands_of(rb) if c.item_id == item_id]


def placeholder_names(rb: Runbook) -> list[str]:
    """Every placeholder of the runbook's commands, once each, in order of first use."""
    return list(dict.fromkeys(n for c in commands_of(rb) for n in c.names))
