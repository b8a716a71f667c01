"""Runbook text conventions shared by the model builder, search, scenarios and lint (no Qt).

The markdown structure itself comes from the one engine (:mod:`runbook_viewer.core.markdown`);
this module holds what is written *inside* that structure: metadata lines, `Step N:` titles,
🔵/🔴 labels, severities, citations, the stable checklist item id, and :func:`strip_inline` for
short pieces of markdown (a title, a table cell) shown as plain text.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from .markdown.engine import split_front_matter
from .model import Label

if TYPE_CHECKING:
    from .model import Runbook, Section

FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
ITEM_RE = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+\[( |x|X)\]\s+(.*)$")
STEP_RE = re.compile(r"^Step\s+(\d+)\s*[:.)-]\s*(.*)$", re.IGNORECASE)
META_RE = re.compile(
    r"^\s*(?:\*\*|__)?(Last Updated|Version|Owner|Severity|Status)"
    r"(?::\s*(?:\*\*|__)|(?:\*\*|__)?:)\s*(.+?)\s*$",
    re.IGNORECASE,
)
LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
REFDEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*)?$")
AUTOLINK_RE = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
LABEL_RE = re.compile(r"(🔵|🔴)\s*(?:\*\*|__)?\s*(OPERATIONAL|CONSTITUTIONAL)?", re.IGNORECASE)
CITATION_RE = re.compile(r"\b(FR\d+(?:\s*[–-]\s*(?:FR)?\d+)?|ADR-\d+)\b")
SEVERITY_RE = re.compile(r"\b(CRITICAL|HIGH|MEDIUM|LOW|INFO)\b")
INLINE_CODE_RE = re.compile(r"`+([^`]*)`+")
CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
VERIFICATION_RE = re.compile(
    r"^\s*(?:(?:\*\*|__)\s*Verification\s*:?\s*(?:\*\*|__)|Verification\s*:)\s*:?", re.IGNORECASE)
VERIFY_ITEM_RE = re.compile(
    r"^\s*[-*+]\s+(?:\*\*|__)?\s*(Expected outcome|Command to verify)\s*:?\s*(?:\*\*|__)?"
    r"\s*:?\s*(.*?)\s*$", re.IGNORECASE)

#: a verification list item's text (after its marker): `Expected outcome: …`
VERIFY_FIELD_RE = re.compile(
    r"^\s*(?:\*\*|__)?\s*(Expected outcome|Command to verify)\s*:?\s*(?:\*\*|__)?"
    r"\s*:?\s*(.*?)\s*$", re.IGNORECASE)
#: a task list item's text (after its marker): `[ ] …` / `[x] …`
TASK_RE = re.compile(r"^\[( |x|X)\]\s+(.*)$")

META_KEYS = {"last updated": "Last Updated", "version": "Version", "owner": "Owner",
             "severity": "Severity", "status": "Status"}


_BOLD_RE = re.compile(r"(\*\*|__)(?![\s*_])(.+?)(?<![\s*_])\1")  # not a `________` field
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)")
_TAG_RE = re.compile(r"<[^>]+>")
_SPACES_RE = re.compile(r"\s+")


def strip_inline(text: str) -> str:
    """Markdown inline syntax → plain text (links keep their text, code keeps its content).

    Code spans are taken verbatim: a `<placeholder>`, `__init__` or `**` inside code is part of
    the command, not markup."""
    # each pattern needs its marker character: skip the ones that cannot match (start-up
    # time — most lines have no markup at all)
    if "`" not in text:
        return _strip_markup(text).strip()
    out, last = [], 0
    for m in CODE_SPAN_RE.finditer(text):
        out.append(_strip_markup(text[last:m.start()]))
        out.append(m.group(2))
        last = m.end()
    out.append(_strip_markup(text[last:]))
    return "".join(out).strip()


def _strip_markup(text: str) -> str:
    if "[" in text:
        text = LINK_RE.sub(lambda m: m.group(2), text)
    if "**" in text or "__" in text:
        text = _BOLD_RE.sub(r"\2", text)
    if "*" in text:
        text = _ITALIC_RE.sub(r"\1", text)
    if "<" in text:
        text = _TAG_RE.sub("", text)
    return text


def find_label(text: str) -> Label | None:
    m = LABEL_RE.search(text)
    if not m:
        return None
    word = (m.group(2) or "").upper()
    if word == "CONSTITUTIONAL" or (not word and m.group(1) == "🔴"):
        return Label.CONSTITUTIONAL
    return Label.OPERATIONAL


def citations(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.replace(" ", "") for c in CITATION_RE.findall(text)))


def mask_code_spans(line: str) -> str:
    """``line`` with the inside of every `code span` blanked (same length): not links."""
    return CODE_SPAN_RE.sub(lambda m: m.group(1) + " " * len(m.group(2)) + m.group(1), line)


def _norm(text: str) -> str:
    return _SPACES_RE.sub(" ", strip_inline(text)).strip().lower()


def item_id(step_key: str, text: str, occurrence: int) -> str:
    """Stable id: the step's name (not its number) + the item's text (+ n-th duplicate)."""
    raw = f"{step_key}\x1f{_norm(text)}\x1f{occurrence}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def closes_fence(line: str, fence: str) -> bool:
    """Whether ``line`` closes a code block opened with ``fence`` (``` or ~~~, CommonMark:
    the same character, at least as long, nothing after it)."""
    m = FENCE_RE.match(line)
    return m is not None and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
        and not line.strip()[len(m.group(1)):].strip()


def strip_front_matter(text: str) -> str:
    """``text`` without its YAML/TOML front matter (what is rendered and printed)."""
    lines = text.splitlines()
    _, start = split_front_matter(lines)
    return "\n".join(lines[start:]) if start else text


def parse_runbook(rb: Runbook, text: str) -> Runbook:
    """Fill ``rb`` (path and abs_path already set) from markdown ``text`` (parsed once)."""
    from .markdown.build import build_runbook

    return build_runbook(rb, text)


def fence_blocks(source: str | Runbook) -> list[tuple[int, int | None]]:
    """(opening line, closing line or None if never closed) of each fenced code block, 1-based,
    as the engine sees them; given a runbook, from its parsed code blocks (no new parse)."""
    from .markdown.build import code_blocks_of

    blocks = code_blocks_of(source)
    return [(b.line, b.end_line if b.closed else None) for b in blocks if b.fenced]


def fenced_lines(source: str | Runbook) -> set[int]:
    """1-based numbers of the lines inside fenced code blocks, fences and front matter
    included."""
    from .markdown.build import code_blocks_of, front_matter_end

    out: set[int] = set(range(1, front_matter_end(source) + 1))
    for b in code_blocks_of(source):
        if b.fenced:
            out.update(range(b.line, b.end_line + 1))
    return out


def step_key(sec: Section | None) -> str:
    if sec is None:
        return ""
    m = STEP_RE.match(sec.title)
    return _norm(m.group(2) if m else sec.title)


def title_from_path(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    if name.lower() in ("_index", "index", "readme"):
        folder = path.rsplit("/", 2)[-2] if "/" in path else "Library"
        name = folder
    return re.sub(r"[-_]+", " ", name).strip().capitalize() or path


_SEVERITY_WORDS = {
    "critical": "CRITICAL", "crit": "CRITICAL", "fatal": "CRITICAL", "emergency": "CRITICAL",
    "page": "CRITICAL", "s1": "CRITICAL", "p1": "CRITICAL", "sev1": "CRITICAL",
    "high": "HIGH", "error": "HIGH", "major": "HIGH", "s2": "HIGH", "p2": "HIGH", "sev2": "HIGH",
    "medium": "MEDIUM", "warning": "MEDIUM", "warn": "MEDIUM", "moderate": "MEDIUM",
    "s3": "MEDIUM", "p3": "MEDIUM", "sev3": "MEDIUM",
    "low": "LOW", "minor": "LOW", "s4": "LOW", "p4": "LOW", "sev4": "LOW",
    "info": "INFO", "informational": "INFO", "none": "INFO", "notice": "INFO",
}
_SEVERITY_WORD_RE = re.compile(r"[A-Za-z]+\d?")


def normalize_severity(raw: str | None) -> str | None:
    """A severity as libraries write it (`Critical`, `warning`, `s1`, `P2`…) → CRITICAL … INFO,
    or None when ``raw`` names none."""
    for word in _SEVERITY_WORD_RE.findall(strip_inline(raw or "")):
        found = _SEVERITY_WORDS.get(word.lower())
        if found:
            return found
    return None
