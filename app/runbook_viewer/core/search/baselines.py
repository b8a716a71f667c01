"""The plain search engines ours is measured against, and the single-file test collection.

Both baselines are what one gets from an off-the-shelf full-text index with no analysis of
our own — SQLite FTS5 with the standard ``unicode61`` tokenizer (no stemming, synonyms,
identifier splitting, typo tolerance or priors), queried with the OR of the query's words and
ranked by plain ``bm25()``:

- :class:`WholeFileBaseline` indexes each runbook file as one document (it can only ever
  point at a file, never at a section);
- :class:`SectionBaseline` indexes every heading-delimited section of the model (heading and
  body, each heading its own section) — the plain section-level FTS5 search.

:func:`make_collection` builds the single-file collection an evaluation file may name: one
corpus folder's runbooks concatenated into one markdown file, each runbook a ``### Name``
section with its own headings moved two levels down, as public alert-runbook collections are
written.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..model import Library
from .analyzer import words
from .documents import SECTION_SEP, plain_text


@dataclass
class Found:
    """One result of any engine: where it points (the heading path may be empty)."""

    path: str
    anchor: str = ""
    headings: tuple[str, ...] = ()


def _or_query(query: str) -> str | None:
    terms = list(dict.fromkeys(words(query)))
    return " OR ".join(f'"{t}"' for t in terms) if terms else None


class WholeFileBaseline:
    """Whole-file BM25 with a standard analyzer (FTS5 unicode61), in memory."""

    name = "whole-file bm25"

    def __init__(self, library: Library) -> None:
        self.con = sqlite3.connect(":memory:")
        self.con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, text, "
                         "tokenize='unicode61')")
        self.con.executemany("INSERT INTO docs(path, text) VALUES(?, ?)",
                             [(rb.path, rb.text) for rb in library.runbooks if rb.text])

    def search(self, query: str, limit: int = 3) -> list[Found]:
        expr = _or_query(query)
        if expr is None:
            return []
        rows = self.con.execute("SELECT path FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) "
                                "LIMIT ?", (expr, limit)).fetchall()
        return [Found(r[0]) for r in rows]

    def close(self) -> None:
        self.con.close()


class SectionBaseline:
    """Every heading-delimited section (heading + body) as a document: plain FTS5 bm25."""

    name = "section fts5"

    def __init__(self, library: Library) -> None:
        self.con = sqlite3.connect(":memory:")
        self.con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, anchor UNINDEXED,"
                         " headings UNINDEXED, heading, body, tokenize='unicode61')")
        rows = []
        for rb in library.runbooks:
            for sec in rb.sections:
                body = plain_text(sec.body)
                if body or sec.title:
                    rows.append((rb.path, sec.anchor, SECTION_SEP.join(sec.path or (sec.title,)),
                                 sec.title, body))
        self.con.executemany("INSERT INTO docs(path, anchor, headings, heading, body) "
                             "VALUES(?, ?, ?, ?, ?)", rows)

    def search(self, query: str, limit: int = 3) -> list[Found]:
        expr = _or_query(query)
        if expr is None:
            return []
        rows = self.con.execute("SELECT path, anchor, headings FROM docs WHERE docs MATCH ? "
                                "ORDER BY bm25(docs) LIMIT ?", (expr, limit)).fetchall()
        return [Found(p, a, tuple(h.split(SECTION_SEP))) for p, a, h in rows]

    def close(self) -> None:
        self.con.close()


_HEADING_RE = re.compile(r"^(#{1,6})(\s+.*)$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


def _demoted(text: str, by: int) -> list[str]:
    """The lines of a runbook with its H1 dropped and every other heading ``by`` levels down
    (capped at H6); fenced code is left alone."""
    out: list[str] = []
    fence = False
    lines = text.splitlines()
    if lines and lines[0].strip() in ("---", "+++"):  # front matter
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == lines[0].strip()), 0)
        lines = lines[end + 1:]
    for line in lines:
        if _FENCE_RE.match(line):
            fence = not fence
        m = None if fence else _HEADING_RE.match(line)
        if m and len(m.group(1)) == 1:
            continue
        if m:
            line = "#" * min(6, len(m.group(1)) + by) + m.group(2)
        out.append(line)
    return out


def make_collection(source: Path, out_dir: Path, file_name: str, title: str) -> Path:
    """One markdown file in ``out_dir`` holding every runbook of ``source`` (not its landing
    pages) as a ``### <file stem>`` section; returns ``out_dir``."""
    parts = [f"# {title}", "", f"## {source.name}", ""]
    for path in sorted(source.glob("*.md")):
        if path.name.lower() in ("_index.md", "index.md", "readme.md"):
            continue
        parts += [f"### {path.stem}", "", *_demoted(path.read_text(encoding="utf-8"), 2), ""]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / file_name).write_text("\n".join(parts), encoding="utf-8")
    return out_dir
