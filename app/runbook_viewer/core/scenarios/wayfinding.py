"""Where am I, where next: related runbooks and breadcrumbs (no Qt).

``related(lib, path)`` lists the runbooks an operator moves to from this one during an incident:
links out in the order the procedure reaches them (a step that hands over to recovery before
the final step that opens the incident review), then Rollback / Escalation links, then the
References section, then other mentions; then the runbooks that link here (backlinks), the most
severe first. Landing pages (the index) are left out: every page links to them.

``breadcrumbs(lib, path, anchor, scenario)`` gives scenario → runbook → step.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass

from .. import links
from ..model import Library, Runbook, Section, severity_rank
from .model import Scenario

#: how far along an incident a link's section sits (lower = sooner)
SECTION_RANK = (
    (re.compile(r"procedure|steps?|diagnos|mitigation|runbook|resolution|remediation", re.I), 0),
    (re.compile(r"rollback|recovery", re.I), 1),
    (re.compile(r"escalat", re.I), 2),
    (re.compile(r"references?|see also|related|further reading", re.I), 3),
)
OTHER_RANK = 4
BACKLINK_RANK = 5


@dataclass(frozen=True)
class Related:
    path: str
    title: str
    anchor: str  # the anchor the link points to ("" = the runbook's top)
    kind: str  # "next" (procedure), "rollback", "escalation", "reference", "mention", "backlink"
    where: str  # "Step 6: Roll back to a keeper-signed checkpoint", "References", …
    line: int  # where the link is written (in this runbook, or in the other one for backlinks)
    text: str = ""  # the link text
    source_anchor: str = ""  # the step/section holding the link (the other runbook's, for
    # backlinks: opening a backlink shows the step that sends the operator here)

    @property
    def target(self) -> str:
        """Where following this entry leads: the linked step, or for a backlink the step of
        the other runbook that links here."""
        anchor = self.source_anchor if self.kind == "backlink" else self.anchor
        return f"{self.path}#{anchor}" if anchor else self.path

    def to_dict(self) -> dict:
        return {"path": self.path, "title": self.title, "anchor": self.anchor,
                "kind": self.kind, "where": self.where, "line": self.line, "text": self.text,
                "target": self.target}


@dataclass(frozen=True)
class Crumb:
    text: str
    href: str  # library-relative "path#anchor" ("" = not a link)
    kind: str  # "scenario" | "library" | "runbook" | "section" | "step"


KIND_OF_RANK = {0: "next", 1: "rollback", 2: "escalation", 3: "reference", 4: "mention"}


def outgoing_links(rb: Runbook) -> list[tuple[str, str, int, str]]:
    """(target path, anchor, line, link text) for every link to another file of the library
    (Hugo ``{{< ref "…" >}}`` links included: the model has them as links)."""
    return links.outgoing(rb)


def section_at(rb: Runbook, line: int) -> Section | None:
    """The innermost section whose heading is at or above ``line`` (sections are in line
    order: a bisection, so placing every link of a 100,000-heading runbook stays linear)."""
    n = bisect_right(rb.sections, line, key=lambda s: s.line)
    return rb.sections[n - 1] if n else None


def _top(rb: Runbook, sec: Section | None) -> Section | None:
    while sec is not None and sec.level > 2 and sec.parent:
        parent = rb.section(sec.parent)
        if parent is None:
            break
        sec = parent
    return sec


def _where(rb: Runbook, line: int) -> tuple[int, str, str]:
    """(rank, description, anchor) of the place a link is written."""
    sec = section_at(rb, line)
    if sec is None:
        return OTHER_RANK, "", ""
    step = rb.step_of(sec.anchor)
    if step is not None and step.is_step:
        return 0, step.title, step.anchor
    top = _top(rb, sec) or sec
    for pattern, rank in SECTION_RANK:
        if pattern.search(top.title):
            return rank, top.title, top.anchor
    return OTHER_RANK, top.title, top.anchor


#: backlinks ``related`` gives at most (the most severe runbooks first): a landing page that
#: 13,000 runbooks link to is no list to read
BACKLINKS_SHOWN = 50


def related(lib: Library, path: str) -> list[Related]:
    """Runbooks to move to from ``path``: links out in incident order, then backlinks (the
    first :data:`BACKLINKS_SHOWN`; ``len(backlinks(lib).get(path, ()))`` says how many)."""
    rb = lib.get(path)
    if rb is None:
        return []
    best: dict[str, tuple[tuple, Related]] = {}
    for target, anchor, line, text in outgoing_links(rb):
        other = links.resolve(lib, target)
        if other is None or other is rb or other.is_landing or other.is_template:
            continue
        rank, where, at = _where(rb, line)
        key = (rank, line)
        if other.path not in best or key < best[other.path][0]:
            best[other.path] = (key, Related(other.path, other.title, anchor,
                                             KIND_OF_RANK[rank], where, line, text, at))
    out = [r for _, r in sorted(best.values(), key=lambda kv: kv[0])]
    seen = {r.path for r in out}
    incoming = sorted((severity_rank(lib.runbooks[n].severity), n, line, text)
                      for n, line, text in backlinks(lib).get(rb.path, ())
                      if lib.runbooks[n].path not in seen)
    for _rank, n, line, text in incoming[:BACKLINKS_SHOWN]:
        other = lib.runbooks[n]
        _r, where, at = _where(other, line)
        out.append(Related(other.path, other.title, "", "backlink", where, line, text, at))
    return out


def backlinks(lib: Library) -> dict[str, list[tuple[int, int, str]]]:
    """runbook path -> (index of a runbook linking to it, line, text) of the first link from
    each other runbook (landing pages left out): built once per library, so opening a
    runbook does not read every other runbook's links again."""
    return lib.derive("backlinks", _backlinks)


def _backlinks(lib: Library) -> dict[str, list[tuple[int, int, str]]]:
    found: dict[str, list[tuple[int, int, str]]] = {}
    for n, other in enumerate(lib.runbooks):
        if other.is_landing or other.is_template:
            continue
        linked: set[str] = set()
        for target, _anchor, line, text in outgoing_links(other):
            hit = links.resolve(lib, target)
            if hit is None or hit is other or hit.path in linked:
                continue
            linked.add(hit.path)
            found.setdefault(hit.path, []).append((n, line, text))
    return found


def relative_href(current: str | None, target: str) -> str:
    """A link from runbook ``current`` to library path ``target`` (``path#anchor``)."""
    file_part, _, anchor = target.partition("#")
    base = posixpath.dirname(current or "")
    rel = posixpath.relpath(file_part, base) if base else file_part
    return f"{rel}#{anchor}" if anchor else rel


def breadcrumbs(lib: Library, path: str, anchor: str = "",
                scenario: Scenario | None = None) -> list[Crumb]:
    """scenario (or the library) → runbook → step (→ section inside the step)."""
    rb = lib.get(path)
    if rb is None:
        return []
    crumbs: list[Crumb] = []
    if scenario is not None:
        label = f" · {scenario.label.emoji} {scenario.label.text}" if scenario.label else ""
        crumbs.append(Crumb(f"{scenario.severity_text}{label} · {scenario.title}",
                            scenario.target, "scenario"))
    else:
        landing = lib.landing
        if landing is not None and landing is not rb:
            crumbs.append(Crumb(landing.title, landing.path, "library"))
    crumbs.append(Crumb(rb.title, rb.path, "runbook"))
    if anchor.startswith("item-"):  # a checklist item: show the step that owns it
        item = next((i for i in rb.items if i.id == anchor[5:]), None)
        anchor = item.section_anchor if item else anchor
    sec = rb.section(anchor) if anchor else None
    if sec is None:
        return crumbs
    step = rb.step_of(anchor)
    if step is not None and step is not sec and step.level < sec.level:
        crumbs.append(Crumb(step.title, f"{rb.path}#{step.anchor}",
                            "step" if step.is_step else "section"))
    crumbs.append(Crumb(sec.title, f"{rb.path}#{sec.anchor}",
                        "step" if sec.is_step else "section"))
    return crumbs
