"""Link resolution and back/forward history — the navigation logic, without widgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote

from . import links

if TYPE_CHECKING:
    from .model import Library


@dataclass(frozen=True)
class Target:
    """Where a clicked link leads."""

    #: "runbook" | "external" | "check" | "copy" | "outside" | "missing" | "not-markdown"
    kind: str
    path: str = ""
    anchor: str = ""
    url: str = ""
    message: str = ""


def resolve_link(lib: Library, current: str | None, href: str) -> Target:
    """Resolve ``href`` clicked in runbook ``current`` (library-relative path)."""
    href = href.strip()
    if href.startswith("check:"):
        return Target("check", path=current or "", anchor=href[6:])
    if href.startswith("copy:"):  # a command's copy link: anchor = the command's key
        return Target("copy", path=current or "", anchor=href[5:])
    if href.startswith("#"):
        return Target("runbook", path=current or "", anchor=unquote(href[1:]))
    if links.is_remote(href):
        return Target("external", url=href, message="External link: not opened automatically "
                      "(the viewer never uses the network). Copy the address if you need it.")
    target = links.target_path(current or "", unquote(href))
    if target is None:
        return Target("outside", url=href, message=f"The link {href!r} points outside the "
                      "runbook library; it is not opened.")
    anchor = unquote(href.split("#", 1)[1]) if "#" in href else ""
    rb = links.resolve(lib, target)
    if rb is not None:
        return Target("runbook", path=rb.path, anchor=anchor)
    if not target.lower().endswith(".md") and (lib.root / target).is_file():
        return Target("not-markdown", path=target, message=f"{target} is not a markdown "
                      "runbook; the viewer only shows runbooks.")
    return Target("missing", path=target, message=f"The link {href!r} leads to {target}, "
                  "which is not in the library.")


@dataclass(frozen=True)
class Place:
    path: str
    anchor: str = ""
    scroll: int = 0


@dataclass
class History:
    """Browser-style back/forward history of places."""

    back_stack: list[Place] = field(default_factory=list)
    forward_stack: list[Place] = field(default_factory=list)
    current: Place | None = None
    limit: int = 200

    def visit(self, place: Place, current_scroll: int = 0) -> None:
        if self.current is not None:
            if (self.current.path, self.current.anchor) == (place.path, place.anchor):
                self.current = place
                return
            self.back_stack.append(Place(self.current.path, self.current.anchor, current_scroll))
            del self.back_stack[:-self.limit]
        self.current = place
        self.forward_stack.clear()

    def can_back(self) -> bool:
        return bool(self.back_stack)

    def can_forward(self) -> bool:
        return bool(self.forward_stack)

    def back(self, current_scroll: int = 0) -> Place | None:
        if not self.back_stack:
            return None
        if self.current is not None:
            self.forward_stack.append(Place(self.current.path, self.current.anchor,
                                            current_scroll))
        self.current = self.back_stack.pop()
        return self.current

    def forward(self, current_scroll: int = 0) -> Place | None:
        if not self.forward_stack:
            return None
        if self.current is not None:
            self.back_stack.append(Place(self.current.path, self.current.anchor, current_scroll))
        self.current = self.forward_stack.pop()
        return self.current
