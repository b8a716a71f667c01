"""The library model: plain data, no Qt, no I/O.

A :class:`Library` holds :class:`Runbook` objects parsed from markdown files. Each runbook has a
flat list of :class:`Section` (every heading, in order, with its parent), the procedure
:class:`Section` objects that are steps, :class:`ChecklistItem` objects with stable ids, labels
(🔵 operational / 🔴 constitutional), trigger conditions and links. Problems found while reading
are :class:`Problem` objects with file:line; nothing here raises at the user.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .links import is_external


class Label(enum.StrEnum):
    OPERATIONAL = "operational"
    CONSTITUTIONAL = "constitutional"

    @property
    def emoji(self) -> str:
        return "🔴" if self is Label.CONSTITUTIONAL else "🔵"

    @property
    def text(self) -> str:
        return self.value.upper()


SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO")


def severity_rank(severity: str | None) -> int:
    """0 for CRITICAL … 4 for INFO; unknown/None sorts last (5)."""
    try:
        return SEVERITIES.index((severity or "").upper())
    except ValueError:
        return len(SEVERITIES)


def _rebuild(cls: type, values: tuple) -> Any:
    return cls(*values)


class Compact:
    """Pickled as its class and the values of its ``__init__`` fields, in order: the parse
    cache keeps every runbook's model, and this reads back in about half the time of a
    dataclass's ``__dict__`` (no field names stored, no per-object dict rebuilt by pickle)."""

    __slots__ = ()

    def __reduce__(self):
        names = type(self).__dict__.get("_init_names")
        if names is None:
            names = tuple(f.name for f in fields(self) if f.init)  # type: ignore[arg-type]
            type.__setattr__(type(self), "_init_names", names)
        return _rebuild, (type(self), tuple(getattr(self, n) for n in names))


@dataclass(frozen=True)
class Problem(Compact):
    path: str
    line: int
    code: str
    message: str
    level: str = "warning"  # "error" | "warning" | "info"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message} [{self.code}]"


@dataclass
class Link(Compact):
    text: str
    target: str  # as written
    line: int

    @property
    def is_external(self) -> bool:
        return is_external(self.target)

    @property
    def file_part(self) -> str:
        return self.target.split("#", 1)[0]

    @property
    def anchor_part(self) -> str:
        return self.target.split("#", 1)[1] if "#" in self.target else ""


@dataclass
class ChecklistItem(Compact):
    id: str
    text: str
    line: int
    checked: bool
    section_anchor: str  # the step (or section) the item belongs to
    label: Label | None = None
    group: str | None = None  # the H4 check-group heading, if any
    #: the commands written in the item: its inline `code` spans and code blocks, in order
    commands: tuple[str, ...] = ()


@dataclass
class CodeBlock(Compact):
    """A fenced or indented code block, where it sits and what it holds."""

    line: int  # first line (the opening fence), 1-based
    end_line: int  # last line (the closing fence, or the block's last line if unclosed)
    info: str  # the fence's info string as written ("bash", "yaml title=x", "")
    text: str  # the code, without the fences
    section_anchor: str = ""  # the section it is written in ("" before the first heading)
    item_id: str | None = None  # the checklist item it is written in, if any
    fenced: bool = True
    closed: bool = True  # False: the fence is never closed (runs to the end of its container)

    @property
    def lang(self) -> str:
        return self.info.split(maxsplit=1)[0].lower() if self.info.strip() else ""


@dataclass
class Section(Compact):
    anchor: str
    title: str  # heading text, inline markdown stripped
    level: int
    line: int
    end_line: int = 0
    parent: str | None = None  # anchor of the enclosing section
    path: tuple[str, ...] = ()  # titles from the top-level section down to this one
    label: Label | None = None
    citations: tuple[str, ...] = ()
    body: str = ""  # markdown of this section up to its first sub-heading
    step_number: int | None = None  # set on `### Step N: …` headings
    label_line: int = 0  # the line that gave the label (the heading or the label paragraph)
    verification_line: int = 0  # steps: the line of the `**Verification:**` block, 0 if none
    #: steps: the block's `- Expected outcome: …` / `- Command to verify: …` values, as written
    verification: dict[str, str] = field(default_factory=dict)

    @property
    def is_step(self) -> bool:
        return self.step_number is not None


@dataclass
class Trigger(Compact):
    text: str  # the bullet, inline markdown stripped
    severity: str | None
    target: str | None  # link target as written (usually "#step-n-…")
    line: int
    label: Label | None = None


@dataclass
class Runbook(Compact):
    path: str  # relative to the library root, "/"-separated
    abs_path: Path
    title: str
    text: str = ""
    content_hash: str = ""
    metadata: dict[str, str] = field(default_factory=dict)  # Last Updated, Version, Owner, …
    metadata_lines: dict[str, int] = field(default_factory=dict)  # the line of each field
    front_matter: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    items: list[ChecklistItem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    load_error: str | None = None  # set when the file could not be shown at all
    is_landing: bool = False
    #: a template to copy, not a runbook: left out of search, triage and "related" (set by the
    #: loader: TEMPLATE.md by default, or the library's ``[library] templates`` setting)
    is_template: bool = False
    group: str = ""
    order_key: tuple = ()
    code_blocks: list[CodeBlock] = field(default_factory=list)
    #: anchors earlier releases gave headings (Python-Markdown slugs, duplicates `_1`) -> the
    #: anchor the heading has now (GitHub's); stored runs, bookmarks and old links resolve
    anchor_aliases: dict[str, str] = field(default_factory=dict)
    #: severity the file states outside trigger conditions: front matter `severity:`, a
    #: `**Severity:** …` line, alert rule labels (`severity: critical`) — normalised, or None
    declared_severity: str | None = None
    #: the parsed token stream (:class:`runbook_viewer.core.markdown.engine.Document`): the
    #: page, print and terminal text are rendered from it without parsing the file again
    doc: Any = field(default=None, repr=False, compare=False)
    #: lookups by anchor, built on first use (one pass), rebuilt if sections/items change
    _index: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def steps(self) -> list[Section]:
        return [s for s in self.sections if s.is_step]

    def _lookup(self) -> tuple[dict[str, Section], dict[str, list[ChecklistItem]]]:
        """(section by anchor, items by section anchor): every lookup by anchor is one dict
        access, so walking all sections of a 100,000-heading runbook stays linear."""
        index = self._index
        if index is not None and index[0] is self.sections and index[1] == len(self.sections) \
                and index[2] is self.items and index[3] == len(self.items):
            return index[4], index[5]
        by_anchor: dict[str, Section] = {}
        for s in reversed(self.sections):  # the first of two equal anchors wins
            by_anchor[s.anchor] = s
        items: dict[str, list[ChecklistItem]] = {}
        for i in self.items:
            items.setdefault(i.section_anchor, []).append(i)
        self._index = (self.sections, len(self.sections), self.items, len(self.items),
                       by_anchor, items)
        return by_anchor, items

    @property
    def labels(self) -> set[Label]:
        found = {s.label for s in self.sections if s.label}
        found |= {i.label for i in self.items if i.label}
        return found

    @property
    def last_updated(self) -> str | None:
        return self.metadata.get("Last Updated")

    @property
    def version(self) -> str | None:
        return self.metadata.get("Version")

    @property
    def severity(self) -> str | None:
        """The most severe severity its trigger conditions declare, else the one it states."""
        ranked = sorted((t.severity for t in self.triggers if t.severity), key=severity_rank)
        return ranked[0] if ranked else self.declared_severity

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    def resolve_anchor(self, anchor: str) -> str:
        """``anchor`` as the page has it now (an old anchor becomes its new spelling)."""
        if anchor in self._lookup()[0]:
            return anchor
        return self.anchor_aliases.get(anchor, anchor)

    def section(self, anchor: str) -> Section | None:
        return self._lookup()[0].get(self.resolve_anchor(anchor))

    def items_in(self, anchor: str) -> list[ChecklistItem]:
        return list(self._lookup()[1].get(self.resolve_anchor(anchor), ()))

    def step_of(self, anchor: str) -> Section | None:
        """The step (or section) that contains the section with this anchor."""
        by_anchor = self._lookup()[0]
        s = by_anchor.get(self.resolve_anchor(anchor))
        while s is not None and not s.is_step and s.parent:
            parent = by_anchor.get(s.parent)
            if parent is None or parent.level <= 2:
                break
            s = parent
        return s


@dataclass
class Library:
    root: Path
    runbooks: list[Runbook] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # library-level (folder missing, …)
    #: runbook by path, built on first use, rebuilt when the list of runbooks changes
    _by_path: Any = field(default=None, init=False, repr=False, compare=False)
    #: what is worked out once from the whole library (backlinks, scenarios for overviews)
    derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def derive(self, name: str, make: Callable[[Library], Any]) -> Any:
        """``make(self)``, worked out once and kept until the list of runbooks changes (the
        loading thread works the heavy ones out before the window gets the library)."""
        key = (id(self.runbooks), len(self.runbooks))
        hit = self.derived.get(name)
        if hit is None or hit[0] != key:
            hit = self.derived[name] = (key, make(self))
        return hit[1]

    def seed(self, name: str, value: Any) -> None:
        """Give :meth:`derive` a value worked out before (kept in the parse cache)."""
        self.derived[name] = ((id(self.runbooks), len(self.runbooks)), value)

    def _paths(self) -> dict[str, Runbook]:
        key = (id(self.runbooks), len(self.runbooks))
        if self._by_path is None or self._by_path[0] != key:
            by_path: dict[str, Runbook] = {}
            for rb in self.runbooks:
                by_path.setdefault(rb.path, rb)
            self._by_path = (key, by_path)
        return self._by_path[1]

    def get(self, path: str) -> Runbook | None:
        """The runbook at this library-relative path (one dict access: links, search hits
        and related runbooks look runbooks up by path in loops over 20,000 files)."""
        path = path.replace("\\", "/")
        while path.startswith("./"):
            path = path[2:]
        rb = self._paths().get(path)
        if rb is not None and rb.path != path:  # renamed in place: look again
            self._by_path = None
            rb = self._paths().get(path)
        return rb

    @property
    def landing(self) -> Runbook | None:
        """The library's front page: the top folder's index/README."""
        return next((rb for rb in self.runbooks if rb.is_landing and rb.folder == ""), None)

    def all_problems(self) -> list[Problem]:
        out = list(self.problems)
        for rb in self.runbooks:
            out.extend(rb.problems)
        return out
