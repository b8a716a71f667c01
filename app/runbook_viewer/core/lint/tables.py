"""Markdown pipe tables and names in them, as the lint rules read them (no Qt).

Reads raw lines of a region (a section of a runbook), so it does not depend on how the parser
renders tables; a row's cells are split as GitHub splits them (:mod:`..markdown.table_rows`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..markdown.table_rows import split_row
from ..model import Problem, Runbook

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .registry import CheckContext

ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
PAREN_RE = re.compile(r"\([^()]*\)")
SPLIT_TARGETS_RE = re.compile(r",|;|\bthen\b|\band\b|\bor\b", re.IGNORECASE)


@dataclass
class Table:
    line: int  # the header row
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def column(self, *names: str) -> int | None:
        """Index of the first column whose header matches one of ``names`` (normalised)."""
        wanted = {plain_name(n) for n in names}
        return next((n for n, h in enumerate(self.header) if plain_name(h) in wanted), None)


def tables_in(region: list[tuple[int, str]], skip: set[int] | None = None) -> list[Table]:
    """Every pipe table of a region of (line number, text); lines in ``skip`` (fenced code)
    are not table rows."""
    rows = [(n, t) for n, t in region if not skip or n not in skip]
    out: list[Table] = []
    i = 0
    while i < len(rows) - 1:
        (n, head), (_, sep) = rows[i], rows[i + 1]
        if not (ROW_RE.match(head) and SEP_RE.match(sep)):
            i += 1
            continue
        table = Table(n, split_row(head))
        i += 2
        while i < len(rows) and ROW_RE.match(rows[i][1]) and rows[i][0] == rows[i - 1][0] + 1:
            table.rows.append((rows[i][0], split_row(rows[i][1])))
            i += 1
        out.append(table)
    return out


def plain_text(cell: str) -> str:
    """Markdown inline syntax of a cell → plain words (links keep their text)."""
    text = LINK_RE.sub(lambda m: m.group(1), cell)
    return text.replace("`", "").replace("**", "").replace("__", "")


def plain_name(text: str) -> str:
    """A role or column name compared loosely: no markup, no parentheses, no leading "the",
    case and spacing ignored."""
    name = PAREN_RE.sub(" ", plain_text(text))
    name = " ".join(name.replace("’", "'").split()).strip(" .:;,-—").casefold()
    return name[4:] if name.startswith("the ") else name


def split_targets(cell: str) -> list[str]:
    """The people an escalation cell names: "A, then B and C (3 of 5)" → [a, b, c]."""
    text = PAREN_RE.sub(" ", plain_text(cell))
    return [n for n in (plain_name(p) for p in SPLIT_TARGETS_RE.split(text)) if n]


def check_table_cells(ctx: CheckContext, rb: Runbook) -> Iterator[Problem]:
    """table-cells: a row with more cells than its header loses the extra ones on GitHub and
    on the page (a ``|`` inside a code span splits a cell too)."""
    whole = list(enumerate(ctx.lines(rb), start=1))
    for table in tables_in(whole, ctx.fenced(rb)):
        for line, cells in table.rows:
            if len(cells) > len(table.header):
                yield ctx.problem(
                    rb.path, line, "table-cells",
                    f"this row has {len(cells)} cells but the table has {len(table.header)} "
                    "columns: the last ones are dropped as the table is shown (a `|` inside "
                    "`code` splits the cell too: write it `\\|`)")
