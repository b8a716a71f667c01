"""Load a library folder into the model: discovery, safe reading, ordering, grouping.

Reads `*.md` recursively without following links out of the folder. Binary, non-UTF-8, huge,
unreadable and outside-the-library files become problems with a clear message; nothing raises.
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import os
import re
import stat
import tomllib
from pathlib import Path

from ..invocation import example
from .links import FOLDER_PAGES, target_path
from .loading import Progress, load_all
from .model import Library, Problem, Runbook
from .parse_cache import ParseCache
from .parser import parse_runbook

LANDING_NAMES = tuple(page.lower() for page in FOLDER_PAGES)  # names compared lower-case
MAX_BYTES = 2 * 1024 * 1024  # a runbook bigger than this is not a runbook; say so, don't freeze
#: more files than this are not loaded, and the window and every command say so (memory: a
#: loaded runbook takes about 14 KB, 50,000 about 700 MB)
MAX_FILES = 50_000
#: templates to copy, not runbooks (file names, or globs on the library-relative path)
DEFAULT_TEMPLATES = ("TEMPLATE.md", "_template.md")
CONFIG_FILE = ".runbook-viewer.toml"  # [library] templates = [...]; [check] is the linter's
#: a library whose markdown is bigger than this does not keep every file's tokens in memory
#: (about 20x the text); a page is then parsed again when it is shown
KEEP_TOKENS_BYTES = 8 * 1024 * 1024


class LibraryError(Exception):
    """The library folder itself cannot be used (missing, not a folder, unreadable)."""


_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=1 << 17)  # folders repeat for every file; each order asks again
def natural_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.lower() for p in _DIGITS.split(text))


BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)
KIND_NAMES = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device",
              stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket",
              stat.S_IFDIR: "a folder"}


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link that loops (it points back to itself) — not opened"
    if exc.errno == errno.ENOENT:
        return "is a broken link (its target does not exist) — not opened"
    return f"cannot read file: {exc.strerror or exc}"


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is never opened (reading a FIFO or a device blocks or never
    ends), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = KIND_NAMES.get(stat.S_IFMT(mode), "not a regular file")
    return f"is {kind}, not a markdown file — not opened"


def _read_bytes(path: Path) -> tuple[bytes | None, str | None]:
    """The file's bytes, never blocking: opened non-blocking, only if it is a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, _os_problem(exc)
    try:
        info = os.fstat(fd)
        why = _not_regular(info.st_mode)
        if why:
            return None, why
        if info.st_size > MAX_BYTES:
            return None, (f"file is {info.st_size / 1048576:.1f} MB, over the "
                          f"{MAX_BYTES // 1048576} MB limit for a runbook; not loaded (open it "
                          "in a text editor)")
        chunks, total = [], 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_BYTES:  # it grew while we read it
            return None, (f"file is over the {MAX_BYTES // 1048576} MB limit for a runbook; "
                          "not loaded (open it in a text editor)")
        return b"".join(chunks), None
    except OSError as exc:
        return None, _os_problem(exc)
    finally:
        os.close(fd)


def _looks_utf16(head: bytes) -> bool:
    """NUL bytes in every other position: UTF-16 text without a byte-order mark."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd))


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """(text, problem): BOM-sniffed UTF-8/UTF-16/UTF-32, else UTF-8 (bad bytes replaced)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError as exc:
                return data.decode(codec, errors="replace"), (
                    f"file starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (byte {exc.start}); shown with replacement characters "
                    "(�) — the file itself is untouched")
    if b"\x00" in data[:8192]:
        if _looks_utf16(data[:8192]):
            return None, ("file looks like UTF-16 text without a byte-order mark; not loaded "
                          "— save it as UTF-8 (or UTF-16 with a byte-order mark)")
        return None, "file is binary, not markdown text; not loaded"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return text, (f"file is not valid UTF-8 (byte {exc.start}); shown with replacement "
                      "characters (�) — the file itself is untouched")


def read_text(path: Path) -> tuple[str | None, str | None]:
    """(text, problem). Text is None when the file cannot be shown at all. Never blocks: a
    FIFO, device or socket named ``*.md`` is refused without being read."""
    data, problem = _read_bytes(path)
    if data is None:
        return None, problem
    return decode_text(data)


def resolve_inside(root: Path, target: Path) -> Path | None:
    """``target`` resolved, or None if it lies outside ``root`` (links, `..`, symlinks) or
    cannot be resolved (a symbolic link loop)."""
    try:
        real = target.resolve()
        real.relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        return None
    return real


def _skip_reason(path: Path) -> str | None:
    """Why discovery skips this ``*.md`` entry (a link loop, a FIFO…), or None to load it."""
    try:
        mode = path.stat().st_mode  # follows links; never opens the file
    except OSError as exc:
        return _os_problem(exc)
    return _not_regular(mode)


def _links_to_folder(entry: os.DirEntry) -> bool:
    """A symbolic link to a folder (not followed); a looping link is no folder."""
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def _limit_reached(problems: list[Problem]) -> None:
    problems.append(Problem("", 0, "too-many-files",
                            f"the library has more than {MAX_FILES:,} markdown files; only the "
                            f"first {MAX_FILES:,} (in folder order) were loaded", "error"))


def discover(root: Path, problems: list[Problem]) -> list[Path]:
    """Every ``*.md`` file under ``root`` to load, folder by folder in name order (hidden
    files and folders left out). One directory listing per folder: a plain file costs no
    further system call; only symbolic links are followed and checked (loops, FIFOs, targets
    outside the library). Links to folders are not followed."""
    found: list[Path] = []
    root_real = root.resolve()
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(prefix.rstrip("/") or ".", 0, "unreadable-folder",
                                    f"folder cannot be read ({exc.strerror or exc}); the "
                                    "runbooks in it were not loaded", "error"))
            continue
        subfolders: list[tuple[Path, str]] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append((Path(entry.path), f"{prefix}{name}/"))
                continue
            if not name.lower().endswith(".md") or _links_to_folder(entry):
                continue
            path = Path(entry.path)
            if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                skip = _skip_reason(path)
                if skip:
                    problems.append(Problem(prefix + name, 0, "skipped-file", skip, "error"))
                    continue
                if resolve_inside(root_real, path) is None:
                    problems.append(Problem(prefix + name, 0, "outside-library",
                                            "is a link to a file outside the library; not "
                                            "opened"))
                    continue
            found.append(path)
            if len(found) >= MAX_FILES:
                _limit_reached(problems)
                return found
        stack.extend(reversed(subfolders))
    return found


def load_runbook(root: Path, path: Path) -> Runbook:
    """One file's runbook, parsed (never raises: an unreadable file is a runbook that says
    why). Loading a whole library goes through :mod:`.loading` (parse cache, workers)."""
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


def load_library(root: str | Path, progress: Progress | None = None,
                 use_cache: bool = True) -> Library:
    """Load every runbook under ``root``. Raises :class:`LibraryError` only for the folder.

    ``progress(done, total)`` is called as files load (from the loading thread); the parse
    cache (:mod:`.parse_cache`) makes a second load of unchanged files a read and a lookup."""
    root = Path(root).expanduser()
    if not root.exists():
        raise LibraryError(f"library folder {root} does not exist")
    if not root.is_dir():
        raise LibraryError(f"{root} is not a folder; --library takes a folder of .md files")
    if not os.access(root, os.R_OK | os.X_OK):
        raise LibraryError(f"library folder {root} cannot be read (permissions)")
    lib = Library(root=root.resolve())
    paths = discover(lib.root, lib.problems)
    cache = ParseCache.for_library(lib.root) if use_cache else None
    lib.runbooks = load_all(lib.root, paths, cache, progress, KEEP_TOKENS_BYTES)
    if cache is not None:
        cache.close(complete=True)
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


SKIPPED_CODES = ("skipped-file", "unreadable-folder")
#: library problems the load notice tells (the window shows other errors beside it)
NOTICE_CODES = (*SKIPPED_CODES, "too-many-files")


def load_notice(lib: Library, limit: int = 5) -> str | None:
    """One message naming every file or folder that could not be loaded, and the file limit
    when the library is over it (the rest of the library works): what the window's notice
    bar and the command line show."""
    bad = [f"{p.path or lib.root} {p.message}" if p.message.startswith("is ") else
           f"{p.path or lib.root}: {p.message}" for p in lib.problems if p.code in SKIPPED_CODES]
    bad += [f"{rb.path}: {rb.load_error}" for rb in lib.runbooks if rb.load_error]
    capped = [f"Not all of the library is loaded: {p.message}." for p in lib.problems
              if p.code == "too-many-files"]
    if not bad:
        return capped[0] if capped else None
    shown = "; ".join(bad[:limit]) + (f"; and {len(bad) - limit} more (`{example('check')}` "
                                      "lists them all)" if len(bad) > limit else "")
    return " ".join([*capped, f"{len(bad)} file(s) or folder(s) of the library could not be "
                     f"loaded; everything else works. {shown}"])


def landings(lib: Library) -> dict[str, Runbook]:
    """Each folder's landing page (index.md before _index.md before README.md), in one pass."""
    found: dict[str, Runbook] = {}
    for rb in lib.runbooks:
        if not rb.is_landing:
            continue
        best = found.get(rb.folder)
        rank = LANDING_NAMES.index(rb.abs_path.name.lower())
        if best is None or rank < LANDING_NAMES.index(best.abs_path.name.lower()):
            found[rb.folder] = rb
    return found


def _order_and_group(lib: Library) -> None:
    """Landing page first in each folder; then Hugo `weight`; then the order the landing page
    links to them (grouped under the landing page's heading where the link first appears);
    then natural name order."""
    link_pos: dict[str, tuple[int, str]] = {}
    by_folder = landings(lib)
    for rb in lib.runbooks:
        if not rb.is_landing or by_folder.get(rb.folder) is not rb:
            continue
        headings = [(s.line, s.title) for s in rb.sections if s.level == 2]
        for n, link in enumerate(rb.links):
            target = target_path(rb.path, link.target)
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
        landing = by_folder.get(rb.folder)
        rb.group = group or (landing.title if landing and rb.folder else "")
        rb.order_key = (natural_key(rb.folder), 0 if rb is landing else 1,
                        1 if rb.is_landing else 0, weight, pos, natural_key(rb.path))
    lib.runbooks.sort(key=lambda rb: rb.order_key)
