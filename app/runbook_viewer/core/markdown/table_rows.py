"""The cells of one raw pipe-table row, split as GitHub splits them (no Qt).

For the readers that scan a section's lines rather than its tokens — the lint table rules
(:mod:`..lint.tables`) and the scenario tables (:mod:`..scenarios.sources`) — so both read a
row exactly as the page shows it: every unescaped ``|`` splits, inside a code span too (GFM:
a pipe in a cell is written ``\\|``, which stays one cell and reads as ``|``).
"""

from __future__ import annotations

import re

_PIPE_RE = re.compile(r"(?<!\\)\|")


def split_row(row: str) -> list[str]:
    """Cells of a markdown table row, stripped; the outer pipes are optional."""
    body = row.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip().replace("\\|", "|") for cell in _PIPE_RE.split(body)]
