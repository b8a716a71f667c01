"""Which part of a very large runbook the window shows (see core.page_parts): the part that
holds the anchor an operator goes to, from a link, a search hit, a scenario or the checklist."""

from __future__ import annotations


def part_of(rb, anchor: str) -> int:
    """The part of ``rb`` holding ``anchor`` (1 for any runbook shown whole, or no anchor)."""
    from ..core.page_parts import part_for
    from ..core.render import document_of

    if rb.load_error or not anchor:
        return 1
    part = part_for(rb, document_of(rb), anchor)
    return part.number if part is not None else 1


def show_part_for(window, anchor: str) -> bool:
    """Before the view scrolls to ``anchor``: show the part holding it when that is another
    part of the runbook on screen (True: shown and scrolled there)."""
    library, path = window.library, window.current_path
    rb = library.get(path) if library is not None and path else None
    if rb is None or not anchor:
        return False
    part = part_of(rb, anchor)
    if part == window.current_part:
        return False
    window.current_part = part
    window._render(anchor=anchor)
    return True
