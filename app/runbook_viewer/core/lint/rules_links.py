"""Rules about files and links: unreadable files, encoding, unclosed fences, broken links and
anchors, links leaving the library, and the landing page's coverage of every file.

All of these hold for any markdown library (the ``generic`` profile), except index coverage.
No network: external links (http, https, mailto, …) are never fetched or checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

from .. import links
from ..library import resolve_inside
from ..model import Link, Problem, Runbook
from ..parser import fence_blocks
from .registry import CheckContext

HTML_ID_RE = re.compile(r"""<a\s[^>]*?\b(?:name|id)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
ATTR_ID_RE = re.compile(r"\{\s*#([\w-]+)[^}]*\}")


def check_library_problems(ctx: CheckContext) -> Iterator[Problem]:
    """What loading the library itself found: no markdown at all, too many files, symlinks."""
    for p in ctx.library.problems:
        if p.code == "outside-library":
            yield ctx.problem(p.path, 1, "unreadable", "is a symlink to a file outside the "
                              "library; the viewer does not open it")
        elif p.level == "error":
            yield ctx.problem(p.path, p.line, "unreadable", p.message)


def check_file(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """unreadable, encoding, unclosed-fence: what the loader and parser noticed."""
    if rb.load_error:
        yield ctx.problem(rb.path, 1, "unreadable", rb.load_error)
        return
    for p in rb.problems:
        if p.code == "encoding":
            yield ctx.problem(rb.path, max(p.line, 1), p.code, p.message)
    for first, last in fence_blocks(rb):
        if last is None:
            fence = ctx.lines(rb)[first - 1].strip()
            yield ctx.problem(rb.path, first, "unclosed-fence",
                              f"code block opened here ({fence}) is never closed; the rest of "
                              "the file renders as code")


def anchors_of(rb: Runbook) -> set[str]:
    """Every anchor a link into ``rb`` may use: heading ids, plus explicit HTML/attr ids."""
    found = {s.anchor for s in rb.sections}
    found.update(HTML_ID_RE.findall(rb.text))
    found.update(ATTR_ID_RE.findall(rb.text))
    return found


def check_links(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """broken-link, broken-anchor, link-outside for every link of a readable file."""
    if rb.load_error:
        return
    cache: dict[str, set[str]] = {}
    for link in rb.links:
        yield from _check_link(ctx, rb, link, cache)


def _check_link(ctx: CheckContext, rb: Runbook, link: Link,
                cache: dict[str, set[str]]) -> Iterator[Problem]:
    target = link.target.strip()
    shown = f"[{link.text}]({target})"
    if target.lower().startswith("file:"):
        yield ctx.problem(rb.path, link.line, "link-outside",
                          f"link {shown} is a file: URL; link to files inside the library "
                          "with a relative path")
        return
    if links.is_external(target):
        return  # external (http, https, mailto, …): not checked, no network
    if target.startswith(("/", "\\")):
        yield ctx.problem(rb.path, link.line, "link-outside",
                          f"link {shown} is an absolute path; use a path relative to {rb.path}")
        return
    file_part = unquote(link.file_part.split("?", 1)[0])
    anchor = unquote(link.anchor_part)
    rel = links.target_path(rb.path, file_part)
    if rel is None:
        yield ctx.problem(rb.path, link.line, "link-outside",
                          f"link {shown} leaves the library folder")
        return
    dest = links.resolve(ctx.library, rel) if file_part else rb
    if dest is None:
        on_disk = ctx.library.root / rel
        if on_disk.exists() and resolve_inside(ctx.library.root, on_disk) is None:
            yield ctx.problem(rb.path, link.line, "link-outside",
                              f"link {shown} goes through a symlink out of the library")
        elif not on_disk.exists():
            yield ctx.problem(rb.path, link.line, "broken-link",
                              f"link {shown}: {rel} does not exist in the library")
        return  # an existing non-markdown file or folder: anchors are not checked
    if not anchor or dest.load_error:
        return
    if dest.path not in cache:
        cache[dest.path] = anchors_of(dest)
    if anchor not in cache[dest.path]:
        where = "this file" if dest is rb else dest.path
        hint = _closest(anchor, cache[dest.path])
        yield ctx.problem(rb.path, link.line, "broken-anchor",
                          f"link {shown}: no heading with anchor #{anchor} in {where}"
                          + (f" (did you mean #{hint}?)" if hint else ""))


def _closest(anchor: str, anchors: set[str]) -> str | None:
    """A likely intended anchor: same step number, or the one sharing the longest prefix."""
    m = re.match(r"step-(\d+)-", anchor)
    if m:
        same = sorted(a for a in anchors if a.startswith(f"step-{m.group(1)}-"))
        if same:
            return same[0]
    best, best_len = None, 5
    for a in sorted(anchors):
        n = 0
        while n < min(len(a), len(anchor)) and a[n] == anchor[n]:
            n += 1
        if n > best_len:
            best, best_len = a, n
    return best


def check_index_coverage(ctx: CheckContext) -> Iterator[Problem]:
    """index-coverage: the landing page links every checked file except itself."""
    landing = ctx.library.landing
    if landing is None:
        yield ctx.problem("index.md", 1, "index-coverage",
                          "the library has no landing page (index.md) listing its runbooks")
        return
    linked: set[str] = set()
    for link in landing.links:
        if link.is_external or not link.file_part:
            continue
        rel = links.target_path(landing.path, unquote(link.file_part.split("?", 1)[0]))
        if rel:
            linked.add(rel.rstrip("/"))
    for rb in ctx.checked:
        if rb is landing or rb.path in linked:
            continue
        yield ctx.problem(rb.path, 1, "index-coverage",
                          f"not linked from the library index {landing.path}; add it there")
