"""The library model from the token stream: sections, steps, checklist items, labels, trigger
conditions, links, code blocks, metadata — one handler per token type (a dispatch table).

Titles and item texts are the markdown source of the heading / item line with inline markup
stripped (:func:`~runbook_viewer.core.parser.strip_inline`), exactly as before the engine
change, so checklist item ids (:func:`~runbook_viewer.core.parser.item_id`) stay the same.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from markdown_it.token import Token

from .. import parser as P
from ..model import (
    ChecklistItem,
    CodeBlock,
    Label,
    Link,
    Problem,
    Runbook,
    Section,
    Trigger,
    severity_rank,
)
from .engine import (
    Document,
    Slugger,
    fence_closed,
    first_line_children,
    legacy_anchor,
    parse,
    plain,
    split_front_matter,
)

_ALERT_SEVERITY_RE = re.compile(r"^\s*[\"']?severity[\"']?\s*[:=]\s*[\"']?([\w-]+)", re.M)
_ALERT_NAME_RE = re.compile(r"^\s*-?\s*[\"']?alert[\"']?\s*:\s*[\"']?([\w.:-]+)", re.M)


@dataclass
class _Item:
    """A list item being read: whether it is a task, and the commands written in it."""

    line: int
    bullet: bool
    first: bool = True  # its first paragraph has not been seen yet
    task: ChecklistItem | None = None
    commands: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, rb: Runbook, doc: Document):
        self.rb, self.doc = rb, doc
        self.stack: list[Section] = []
        self.open: list[str] = []  # types of the open container tokens, outermost first
        self.items: list[_Item] = []
        self.slugger = Slugger()
        self.legacy: set[str] = set()
        self.legacy_of: dict[str, str] = {}
        self.item_counts: dict[tuple[str, str], int] = {}
        self.group: tuple[Label | None, str | None] = (None, None)
        self.in_triggers = False
        self.verifying: Section | None = None
        self.h1_seen = 0
        self.heading_lines: list[int] = []  # 0-based first line of each heading, in order
        self.heading_ends: list[int] = []

    # -- helpers ---------------------------------------------------------------------------
    @property
    def current(self) -> Section | None:
        return self.stack[-1] if self.stack else None

    def innermost_step(self) -> Section | None:
        return next((s for s in reversed(self.stack) if s.is_step), None)

    def owner(self) -> Section | None:
        """The step an item belongs to: the innermost step, else the innermost H2/H3."""
        step = self.innermost_step()
        if step is not None:
            return step
        return next((s for s in reversed(self.stack) if s.level <= 3), self.current)

    def task_item(self) -> _Item | None:
        return next((i for i in reversed(self.items) if i.task is not None), None)

    def parent_is_item(self) -> bool:
        return len(self.open) >= 2 and self.open[-1] == "paragraph" and \
            self.open[-2] == "list_item" and bool(self.items) and self.items[-1].first

    # -- handlers --------------------------------------------------------------------------
    def heading(self, tokens: list[Token], i: int) -> None:
        tok, inline = tokens[i], tokens[i + 1]
        level, lineno = int(tok.tag[1]), tok.map[0] + 1 if tok.map else 0
        raw = inline.content
        title = P.strip_inline(raw)
        anchor = self.slugger.slug(plain(inline.children))
        if tok.markup.startswith("#") and tok.level == 0:
            old = legacy_anchor(title, self.legacy)
            if old != anchor:
                self.legacy_of[old] = anchor
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop().end_line = lineno - 1
        sec = Section(anchor=anchor, title=title, level=level, line=lineno,
                      parent=self.stack[-1].anchor if self.stack else None,
                      path=(*tuple(s.title for s in self.stack if s.level > 1), title))
        label = P.find_label(raw)
        if label:
            sec.label, sec.label_line, sec.citations = label, lineno, P.citations(raw)
        self.verifying = None
        if level >= 4 and title.rstrip(": ").lower() == "verification":
            self.verifying = self.innermost_step()
            if self.verifying is not None and not self.verifying.verification_line:
                self.verifying.verification_line = lineno
        step = P.STEP_RE.match(title)
        if step and level >= 2:
            sec.step_number = int(step.group(1))
        if level == 1:
            self.h1_seen += 1
            self.rb.title = self.rb.title or title
        if level <= 3 or sec.is_step:
            self.group = (None, None)
        if level >= 4 and not sec.is_step:
            self.group = (label, title)
        self.in_triggers = (level == 2 and "trigger" in title.lower()) or (
            self.in_triggers and level > 2)
        self.stack.append(sec)
        self.rb.sections.append(sec)
        self.heading_lines.append(tok.map[0] if tok.map else 0)
        self.heading_ends.append(tok.map[1] if tok.map else 0)
        self.links(inline)

    def inline(self, tokens: list[Token], i: int) -> None:
        tok = tokens[i]
        if tokens[i - 1].type == "heading_open":
            return  # read with its heading
        self.links(tok)
        lines = tok.content.split("\n")
        first = tok.map[0] + 1 if tok.map else 0
        item = self.items[-1] if self.parent_is_item() else None
        is_task = False
        if item is not None:
            item.first = False
            is_task = self.list_item_text(item, tok, lines[0])
        self.code_spans(tok)
        if is_task:
            return
        if self.open and self.open[-1] in ("paragraph", "th", "td"):
            self.paragraph_lines(lines, first)

    def list_item_text(self, item: _Item, tok: Token, line: str) -> bool:
        """The first line of a list item: a checklist item, a verification value or a trigger
        condition. True when it was a checklist item (nothing else to read in it)."""
        m = P.TASK_RE.match(line)
        if m:
            self.add_item(item, m.group(2), m.group(1).lower() == "x", line)
            return True
        if self.verifying is not None and item.bullet:
            vm = P.VERIFY_FIELD_RE.match(line)
            if vm:
                key = "Expected outcome" if vm.group(1).lower().startswith("exp") \
                    else "Command to verify"
                self.verifying.verification.setdefault(key, vm.group(2))
        if self.in_triggers and item.bullet:
            targets = [t.attrs.get("href") for t in first_line_children(tok.children)
                       if t.type == "link_open"]
            sev = P.SEVERITY_RE.search(line)
            self.rb.triggers.append(Trigger(
                text=P.strip_inline(line), severity=sev.group(1) if sev else None,
                target=str(targets[-1]) if targets else None, line=item.line,
                label=P.find_label(line)))
        return False

    def add_item(self, item: _Item, raw: str, checked: bool, line: str) -> None:
        owner = self.owner()
        key = P.step_key(owner)
        text = P.strip_inline(raw)
        norm = P._norm(text)
        n = self.item_counts.get((key, norm), 0)
        self.item_counts[(key, norm)] = n + 1
        group_label, group_title = self.group
        item.task = ChecklistItem(
            id=P.item_id(key, text, n), text=text, line=item.line, checked=checked,
            section_anchor=owner.anchor if owner else "",
            label=group_label or (owner.label if owner else None) or P.find_label(line),
            group=group_title)
        self.rb.items.append(item.task)

    def paragraph_lines(self, lines: list[str], first: int) -> None:
        rb, cur = self.rb, self.current
        for n, line in enumerate(lines):
            lineno = first + n
            if not any(s.level >= 2 for s in rb.sections):
                mm = P.META_RE.match(line)
                if mm:
                    key = P.META_KEYS[mm.group(1).lower()]
                    rb.metadata[key] = P.strip_inline(mm.group(2))
                    rb.metadata_lines[key] = lineno
            label = P.find_label(line) if cur is not None and line.strip() else None
            if label and cur is not None and cur.label is None and \
                    not P.body_has_items(rb, cur):
                cur.label, cur.label_line, cur.citations = label, lineno, P.citations(line)
                if cur.level >= 4:
                    self.group = (label, cur.title)
            if P.VERIFICATION_RE.match(line):
                self.verifying = self.innermost_step()
                if self.verifying is not None and not self.verifying.verification_line:
                    self.verifying.verification_line = lineno

    def links(self, tok: Token) -> None:
        line = tok.map[0] + 1 if tok.map else 0
        children = tok.children or []
        for n, t in enumerate(children):
            if t.type in ("softbreak", "hardbreak"):
                line += 1
            elif t.type == "link_open" and "label" not in (t.meta or {}):
                href = str(t.attrs.get("href", ""))
                text = plain(_until_close(children, n + 1))
                self.rb.links.append(Link(P.strip_inline(text) if t.markup != "autolink"
                                          else href, href, line))
            elif t.type == "image" and "label" not in (t.meta or {}):
                self.rb.links.append(Link("image: " + plain(t.children),
                                          str(t.attrs.get("src", "")), line))

    def code_spans(self, tok: Token) -> None:
        item = self.task_item()
        if item is not None:
            item.commands.extend(t.content for t in tok.children or ()
                                 if t.type == "code_inline")

    def code(self, tokens: list[Token], i: int) -> None:
        tok = tokens[i]
        if tok.map is None:
            return
        fenced = tok.type == "fence"
        item = self.task_item()
        block = CodeBlock(
            line=tok.map[0] + 1, end_line=tok.map[1], info=tok.info.strip() if fenced else "",
            text=tok.content, section_anchor=self.current.anchor if self.current else "",
            item_id=item.task.id if item and item.task else None, fenced=fenced,
            closed=fence_closed(self.doc, tok) if fenced else True)
        self.rb.code_blocks.append(block)
        if item is not None:
            item.commands.append(tok.content.rstrip("\n"))
        if not block.closed:
            self.rb.problems.append(Problem(
                self.rb.path, block.end_line, "unclosed-fence", "code block opened with "
                f"{tok.markup!r} is never closed; the rest of the file shows as code"))

    def item_open(self, tokens: list[Token], i: int) -> None:
        tok = tokens[i]
        line = tok.map[0] + 1 if tok.map else 0
        self.items.append(_Item(line, bullet=tok.markup in ("-", "*", "+")))

    def item_close(self, tokens: list[Token], i: int) -> None:
        item = self.items.pop() if self.items else None
        if item is not None and item.task is not None:
            item.task.commands = tuple(c for c in item.commands if c.strip())

    HANDLERS: ClassVar[dict[str, Callable[[_Builder, list[Token], int], None]]] = {
        "heading_open": heading,
        "inline": inline,
        "fence": code,
        "code_block": code,
        "list_item_open": item_open,
        "list_item_close": item_close,
    }

    # -- the walk --------------------------------------------------------------------------
    def run(self) -> None:
        tokens = self.doc.tokens
        for i, tok in enumerate(tokens):
            if tok.nesting == -1 and self.open:
                self.open.pop()
            handler = self.HANDLERS.get(tok.type)
            if handler is not None:
                handler(self, tokens, i)
            if tok.nesting == 1:
                self.open.append(tok.type[:-5])
        self.finish()

    def finish(self) -> None:
        rb, doc = self.rb, self.doc
        total = len(doc.lines)
        for s in self.stack:
            s.end_line = total
        starts = [*self.heading_lines[1:], total][:len(rb.sections)]
        for sec, end, nxt in zip(rb.sections, self.heading_ends, starts, strict=True):
            sec.body = "\n".join(doc.lines[end:max(nxt, end)]).strip("\n")
            sec.end_line = sec.end_line or total
        anchors = {s.anchor for s in rb.sections}
        rb.anchor_aliases = {old: new for old, new in self.legacy_of.items()
                             if old not in anchors}
        for label, ref in doc.references.items():
            line = ref["map"][0] + 1 if ref.get("map") else 0
            rb.links.append(Link(label, str(ref.get("href", "")), line))
        rb.links.sort(key=lambda link: link.line)
        if self.h1_seen > 1:
            rb.problems.append(Problem(rb.path, 0, "many-h1", f"{self.h1_seen} top-level (#) "
                                       "headings; the first is the title", "info"))
        expected = 1
        for sec in rb.steps:
            if sec.step_number != expected:
                rb.problems.append(Problem(rb.path, sec.line, "step-order", f"step "
                                           f"{sec.step_number} found where step {expected} "
                                           "was expected"))
            expected = (sec.step_number or 0) + 1


def _until_close(children: list[Token], start: int) -> list[Token]:
    out: list[Token] = []
    for t in children[start:]:
        if t.type == "link_close":
            break
        out.append(t)
    return out


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _rule_severities(rb: Runbook) -> list[str]:
    """Severities of the alert rules written in code blocks for the alert this runbook is
    about (the rule's ``alert:`` name is in its title or file name; an example rule in a
    manual about alerting does not count)."""
    names = {_squash(rb.title), _squash(rb.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])}
    found: list[str] = []
    for block in rb.code_blocks:
        alert = _ALERT_NAME_RE.search(block.text)
        if alert is None or not any(_squash(alert.group(1)) in n or (n and n in
                                    _squash(alert.group(1))) for n in names):
            continue
        found += [s for s in map(P.normalize_severity,
                                 _ALERT_SEVERITY_RE.findall(block.text)) if s]
    return found


def _declared_severity(rb: Runbook) -> str | None:
    for raw in (rb.front_matter.get("severity"), rb.metadata.get("Severity")):
        found = P.normalize_severity(raw)
        if found:
            return found
    ranked = sorted(_rule_severities(rb), key=severity_rank)
    return ranked[0] if ranked else None


def build_runbook(rb: Runbook, text: str) -> Runbook:
    """Fill ``rb`` (path and abs_path already set) from markdown ``text``, parsed once; the
    tokens stay on ``rb.doc`` for the page, print and terminal text."""
    rb.text = text
    rb.content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = parse(text)
    rb.doc = doc
    rb.front_matter = dict(doc.front_matter)
    _Builder(rb, doc).run()
    if rb.front_matter.get("title"):
        rb.title = rb.front_matter["title"]
    rb.title = rb.title or P.title_from_path(rb.path)
    rb.declared_severity = _declared_severity(rb)
    if doc.degraded:
        rb.problems.append(Problem(rb.path, 0, "degraded", doc.degraded))
    return rb


def code_blocks_of(source: str | Runbook) -> list[CodeBlock]:
    """The code blocks of a runbook (already parsed) or of markdown text (parsed now)."""
    if isinstance(source, Runbook):
        if source.doc is not None or not source.text:
            return source.code_blocks
        source = source.text
    return build_runbook(Runbook("", None, ""), source).code_blocks  # type: ignore[arg-type]


def front_matter_end(source: str | Runbook) -> int:
    """How many lines the front matter takes (0 without front matter)."""
    if isinstance(source, Runbook) and source.doc is not None:
        return source.doc.body_start
    text = source.text if isinstance(source, Runbook) else source
    return split_front_matter(text.splitlines())[1]
