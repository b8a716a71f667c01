"""The library as its folders (no Qt): what the Library tree and the generated overview show.

Folders are sorted by their landing page's front-matter ``weight``, then title; runbooks in a
folder by ``weight``, then the order the folder's landing page links them, then title. Two
runbooks with the same title get their folder after it, so they can be told apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .library import natural_key
from .model import Library, Runbook


def weight_of(rb: Runbook | None) -> int:
    try:
        return int((rb.front_matter.get("weight") or "0") if rb is not None else 0)
    except ValueError:
        return 0


@dataclass
class Folder:
    path: str  # "" for the library's top folder, else "node" / "node/disk"
    landing: Runbook | None = None
    runbooks: list[Runbook] = field(default_factory=list)  # its own, landing page excluded
    folders: list[Folder] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def title(self) -> str:
        """The landing page's title when it has one of its own, else the folder's name."""
        if self.landing is not None and (self.landing.front_matter.get("title")
                                         or any(s.level == 1 for s in self.landing.sections)):
            return self.landing.title
        return self.name or (self.landing.title if self.landing is not None else "Library")

    @property
    def sort_key(self) -> tuple:
        return (weight_of(self.landing), natural_key(self.title))

    def all_runbooks(self) -> list[Runbook]:
        """Every runbook in this folder and below, landing pages excluded."""
        out = list(self.runbooks)
        for sub in self.folders:
            out += sub.all_runbooks()
        return out

    def find(self, path: str) -> Folder | None:
        if self.path == path:
            return self
        for sub in self.folders:
            if path == sub.path or path.startswith(sub.path + "/"):
                return sub.find(path)
        return None


def folder_tree(lib: Library) -> Folder:
    """The folders of ``lib`` as a tree, sorted (see the module doc)."""
    root = Folder("")
    by_path: dict[str, Folder] = {"": root}

    def folder(path: str) -> Folder:
        if path not in by_path:
            parent = folder(path.rsplit("/", 1)[0] if "/" in path else "")
            by_path[path] = Folder(path)
            parent.folders.append(by_path[path])
        return by_path[path]

    position = {rb.path: n for n, rb in enumerate(lib.runbooks)}
    for rb in lib.runbooks:
        node = folder(rb.folder)
        if rb.is_landing and node.landing is None and _is_folder_landing(lib, rb):
            node.landing = rb
        else:
            node.runbooks.append(rb)
    for node in by_path.values():
        node.folders.sort(key=lambda f: f.sort_key)
        # the library's order already holds weight and the landing page's link order
        node.runbooks.sort(key=lambda rb: (weight_of(rb), rb.order_key[4:5] if len(
            rb.order_key) > 4 else (), natural_key(rb.title), position[rb.path]))
    return root


def _is_folder_landing(lib: Library, rb: Runbook) -> bool:
    """The folder's first landing page by name priority (index, _index, README)."""
    from .library import LANDING_NAMES

    same = [r for r in lib.runbooks if r.folder == rb.folder and r.is_landing]
    same.sort(key=lambda r: LANDING_NAMES.index(r.abs_path.name.lower()))
    return same[0] is rb


def display_titles(lib: Library) -> dict[str, str]:
    """path -> the title to show in a list; a title that two runbooks share gets its folder
    (``NodeDown — node/``) so the two can be told apart."""
    counts = Counter(rb.title.casefold() for rb in lib.runbooks)
    out: dict[str, str] = {}
    for rb in lib.runbooks:
        if counts[rb.title.casefold()] > 1:
            out[rb.path] = f"{rb.title} — {rb.folder + '/' if rb.folder else rb.path}"
        else:
            out[rb.path] = rb.title
    return out


def is_blank_landing(rb: Runbook) -> bool:
    """A landing page with nothing to show: only front matter (Hugo's ``_index.md``)."""
    if not rb.is_landing or rb.load_error:
        return False
    from .markdown.engine import split_front_matter

    lines = rb.text.splitlines()
    _, start = split_front_matter(lines)
    return not rb.sections and not any(line.strip() for line in lines[start:])
