"""Load a library folder into the model: discovery, safe reading, ordering, grouping.

Reads `*.md` recursively without following links out of the folder. Binary, non-UTF-8, huge,
unreadable and outside-the-library files become problems with a clear message; nothing raises.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from pathlib import Path, PurePosixPath

from .model import Library, Problem, Runbook
from .parser import parse_runbook

LANDING_NAMES = ("index.md", "_index.md", "readme.md")
MAX_BYTES = 2 * 1024 * 1024  # a runbook bigger than this is not a runbook; say so, don't freeze
MAX_FILES = 5000
#: templates to copy, not runbooks (file names, or globs on the library-relative path)
DEFAULT_TEMPLATES = ("TEMPLATE.md", "_template.md")
CONFIG_FILE = ".runbook-viewer.toml"  # [library] templates = [...]; [check] is the linter's


class LibraryError(Exception):
    """The library folder itself cannot be used (missing, not a folder, unreadable)."""


def natural_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", text))


def read_text(path: Path) -> tuple[str | None, str | None]:
    """(text, problem). Text is None when the file cannot be shown at all."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    if size > MAX_BYTES:
        return None, (f"file is {size / 1048576:.1f} MB, over the {MAX_BYTES // 1048576} MB "
                      "limit for a runbook; not loaded (open it in a text editor)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    if b"\x00" in data[:8192]:
        return None, "file is binary, not markdown text; not loaded"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return text, (f"file is not valid UTF-8 (byte {exc.start}); shown with replacement "
                      "characters (�) — the file itself is untouched")


def resolve_inside(root: Path, target: Path) -> Path | None:
    """``target`` resolved, or None if it lies outside ``root`` (links, `..`, symlinks)."""
    try:
        real = target.resolve()
        real.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return real


def discover(root: Path, problems: list[Problem]) -> list[Path]:
    found: list[Path] = []
    root_real = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.lower().endswith(".md") or name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if resolve_inside(root_real, path) is None:
                problems.append(Problem(rel, 0, "outside-library",
                                        "is a link to a file outside the library; not opened"))
                continue
            found.append(path)
            if len(found) >= MAX_FILES:
                problems.append(Problem("", 0, "too-many-files",
                                        f"more than {MAX_FILES} markdown files; the rest "
                                        "were not loaded", "error"))
                return found
    return found


def load_runbook(root: Path, path: Path) -> Runbook:
    rel = path.relative_to(root).as_posix()
    rb = Runbook(path=rel, abs_path=path, title="")
    rb.is_landing = path.name.lower() in LANDING_NAMES
    text, problem = read_text(path)
    if text is None:
        rb.load_error = problem
        rb.title = path.stem
        rb.problems.append(Problem(rel, 0, "unreadable", problem or "unreadable", "error"))
        return rb
    if problem:
        rb.problems.append(Problem(rel, 0, "encoding", problem))
    parse_runbook(rb, text)
    return rb


def load_library(root: str | Path) -> Library:
    """Load every runbook under ``root``. Raises :class:`LibraryError` only for the folder."""
    root = Path(root).expanduser()
    if not root.exists():
        raise LibraryError(f"library folder {root} does not exist")
    if not root.is_dir():
        raise LibraryError(f"{root} is not a folder; --library takes a folder of .md files")
    if not os.access(root, os.R_OK | os.X_OK):
        raise LibraryError(f"library folder {root} cannot be read (permissions)")
    lib = Library(root=root.resolve())
    paths = discover(lib.root, lib.problems)
    lib.runbooks = [load_runbook(lib.root, p) for p in paths]
    if not lib.runbooks:
        lib.problems.append(Problem("", 0, "empty-library",
                                    f"no markdown (.md) files found in {root}", "error"))
    patterns = template_patterns(lib.root, lib.problems)
    for rb in lib.runbooks:
        rb.is_template = is_template_path(rb.path, patterns)
    _order_and_group(lib)
    return lib


def template_patterns(root: Path, problems: list[Problem] | None = None) -> tuple[str, ...]:
    """``[library] templates`` from the library's .runbook-viewer.toml, else the default
    (TEMPLATE.md). An unreadable setting keeps the default and says why in ``problems``."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return DEFAULT_TEMPLATES
    try:
        with path.open("rb") as fh:
            table = tomllib.load(fh).get("library", {})
        value = table.get("templates", list(DEFAULT_TEMPLATES)) if isinstance(table, dict) \
            else None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("[library] templates must be a list of file names or globs")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        if problems is not None:
            problems.append(Problem(CONFIG_FILE, 0, "config", f"{exc}; TEMPLATE.md is treated "
                                    "as a template"))
        return DEFAULT_TEMPLATES
    return tuple(v.strip() for v in value if v.strip())


def is_template_path(path: str, patterns: tuple[str, ...]) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return any(fnmatch.fnmatchcase(path.lower(), p.lower()) if "/" in p or "*" in p
               else name == p.lower() for p in patterns)


def _landing_of(lib: Library, folder: str) -> Runbook | None:
    cands = [rb for rb in lib.runbooks if rb.folder == folder and rb.is_landing]
    cands.sort(key=lambda rb: LANDING_NAMES.index(rb.abs_path.name.lower()))
    return cands[0] if cands else None


def link_target_path(source: str, target: str) -> str | None:
    """A relative link in ``source`` → library-relative posix path, or None if it leaves it."""
    file_part = target.split("#", 1)[0].split("?", 1)[0]
    if not file_part:
        return source
    base = PurePosixPath(source).parent
    parts: list[str] = []
    for part in (base / file_part).parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _order_and_group(lib: Library) -> None:
    """Landing page first in each folder; then Hugo `weight`; then the order the landing page
    links to them (grouped under the landing page's heading where the link first appears);
    then natural name order."""
    link_pos: dict[str, tuple[int, str]] = {}
    for rb in lib.runbooks:
        if not rb.is_landing or _landing_of(lib, rb.folder) is not rb:
            continue
        headings = [(s.line, s.title) for s in rb.sections if s.level == 2]
        for n, link in enumerate(rb.links):
            target = link_target_path(rb.path, link.target)
            if not target or link.is_external or target in link_pos:
                continue
            group = ""
            for line, title in headings:
                if line <= link.line:
                    group = title
            link_pos[target] = (n, group)
    for rb in lib.runbooks:
        try:
            weight = int(rb.front_matter.get("weight", "0"))
        except ValueError:
            weight = 0
        pos, group = link_pos.get(rb.path, (10**6, ""))
        landing = _landing_of(lib, rb.folder)
        rb.group = group or (landing.title if landing and rb.folder else "")
        rb.order_key = (natural_key(rb.folder), 0 if rb is landing else 1,
                        1 if rb.is_landing else 0, weight, pos, natural_key(rb.path))
    lib.runbooks.sort(key=lambda rb: rb.order_key)
