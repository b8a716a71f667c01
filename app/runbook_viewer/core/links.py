"""Where a link written in a runbook leads: one rule for the window, the related list, the
scenarios, the command line and ``check`` (no Qt, no I/O).

- :func:`is_external` — the link leaves the library (a scheme such as ``https:``, ``mailto:``,
  ``file:``, or ``//host``): never followed, never fetched;
- :func:`target_path` — a relative link → the library-relative path it names, or None when it
  climbs out of the library;
- :func:`resolve` — that path → the runbook it opens: the file itself, else ``x.md``,
  ``x/index.md``, ``x/_index.md``, ``x/README.md`` (GitHub's and Hugo's folder pages).

Hugo ``{{< ref "x.md" >}}`` / ``relref`` shortcodes are rewritten into their path before the
markdown is parsed (:mod:`.markdown.engine`), so ``[see]({{< ref "x.md" >}})`` is an ordinary
link in the model: every link is recorded once, from the tokens.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Library, Runbook

#: a URL scheme (``https:``, ``mailto:``, ``file:``…) or a network-path reference (``//host``)
EXTERNAL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
#: the viewer's own link scheme in the page (a checkbox); a ``copy:`` link a runbook writes
#: itself is marked as leaving the viewer, like any other scheme
VIEWER_SCHEMES = ("check:",)
#: a folder's own page, in the order one is chosen (the library's landing pages too)
FOLDER_PAGES = ("index.md", "_index.md", "README.md")
#: where a link to ``x`` may land, in order (``{}`` is the path as written, no trailing ``/``)
CANDIDATES = ("{}.md", *(f"{{}}/{page}" for page in FOLDER_PAGES))


def is_external(target: str) -> bool:
    """Whether a link written in a runbook leaves the library (the one definition)."""
    return bool(EXTERNAL_RE.match(target.strip()))


def is_remote(url: str) -> bool:
    """Whether a URL in the page would leave the machine: external, and not the viewer's own
    ``check:`` link."""
    return is_external(url) and not url.strip().lower().startswith(VIEWER_SCHEMES)


def split(target: str) -> tuple[str, str]:
    """(file part, anchor) of a link as written: ``a.md#step-1`` → (``a.md``, ``step-1``)."""
    file_part, _, anchor = target.partition("#")
    return file_part, anchor


def target_path(source: str, target: str) -> str | None:
    """A relative link in ``source`` → library-relative posix path, or None if it leaves it."""
    file_part = target.split("#", 1)[0].split("?", 1)[0]
    if not file_part:
        return source
    if file_part.startswith("/"):  # rare: keep PurePosixPath's reading of a rooted path
        joined = PurePosixPath(source).parent / file_part
        pieces: list[str] | tuple[str, ...] = joined.parts
    else:  # plain string work: this runs for every link of every runbook
        pieces = [*source.split("/")[:-1], *file_part.split("/")]
    parts: list[str] = []
    for part in pieces:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def resolve(lib: Library, path: str) -> Runbook | None:
    """The runbook a library-relative ``path`` opens (see :data:`CANDIDATES`), or None."""
    rb = lib.get(path)
    if rb is not None:
        return rb
    base = path.rstrip("/")
    for pattern in CANDIDATES[path.endswith("/"):]:  # a folder link is no ``x.md``
        rb = lib.get(pattern.format(base))
        if rb is not None:
            return rb
    return None


def resolve_link(lib: Library, source: str, target: str) -> Runbook | None:
    """The runbook a link written in ``source`` opens; None when it is external, leaves the
    library or names no runbook."""
    if is_external(target):
        return None
    path = target_path(source, target)
    return resolve(lib, path) if path is not None else None


def outgoing(rb: Runbook) -> list[tuple[str, str, int, str]]:
    """(target path, anchor, line, link text) of every link of ``rb`` to a file of the
    library (external links, anchors in the same page and links out of it left out)."""
    out = []
    for link in rb.links:
        file_part, anchor = split(link.target)
        if not file_part or is_external(link.target):
            continue
        target = target_path(rb.path, file_part)
        if target:
            out.append((target, anchor, link.line, link.text))
    return out
