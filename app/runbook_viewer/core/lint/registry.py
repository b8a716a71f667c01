"""The rule codes `runbook-viewer check` knows, and the context every rule reads.

A rule is a function that yields :class:`~runbook_viewer.core.model.Problem` objects with one of
the codes below. The code decides the level (error or warning) and whether the ``generic``
profile runs it; a profile is just a set of enabled codes plus a few settings
(:mod:`.profiles`). Rule functions live in the ``rules_*`` modules; :mod:`.runner` calls them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, TypeVar

from ..model import Library, Problem, Runbook, Section
from ..parser import fenced_lines

if TYPE_CHECKING:
    from .profiles import Profile

ERROR, WARNING = "error", "warning"
T = TypeVar("T")


@dataclass(frozen=True)
class RuleInfo:
    code: str
    level: str
    summary: str
    generic: bool = False  # part of the `generic` profile (safe on any markdown library)


_RULES = [
    # every library (the `generic` profile)
    RuleInfo("unreadable", ERROR, "a file cannot be read (binary, too big, permissions, a "
             "symlink out of the library) or the library has no markdown at all", True),
    RuleInfo("encoding", WARNING, "a file is not valid UTF-8 (shown with replacement "
             "characters)", True),
    RuleInfo("unclosed-fence", ERROR, "a ``` code block is never closed (the rest of the file "
             "renders as code)", True),
    RuleInfo("broken-link", ERROR, "a relative link points to a file that does not exist", True),
    RuleInfo("broken-anchor", ERROR, "a `#anchor` matches no heading of the target file", True),
    RuleInfo("table-cells", WARNING, "a table row has more cells than its header (GitHub drops "
             "the extra ones; a `|` inside `code` splits a cell too: write `\\|`)", True),
    RuleInfo("link-outside", ERROR, "a link leaves the library folder (`../`, absolute path, "
             "`file:`)", True),
    # the runbook template
    RuleInfo("missing-title", ERROR, "no `# Title` heading before the first section"),
    RuleInfo("missing-field", ERROR, "a header field (Last Updated, Version, Owner) is missing"),
    RuleInfo("bad-date", ERROR, "`Last Updated` is not a real YYYY-MM-DD date"),
    RuleInfo("future-date", ERROR, "`Last Updated` is later than today"),
    RuleInfo("stale", WARNING, "`Last Updated` is older than the maximum age (default 180 "
             "days)"),
    RuleInfo("missing-section", ERROR, "a template section (## Purpose … ## References) is "
             "missing"),
    RuleInfo("section-order", ERROR, "template sections are not in the template's order"),
    RuleInfo("step-order", ERROR, "steps are not numbered 1..n in order, or Procedure has no "
             "steps"),
    RuleInfo("step-label", ERROR, "a step has no 🔵/🔴 label (on the step, or on check groups "
             "holding all its items)"),
    RuleInfo("label-citation", ERROR, "a 🔴 constitutional label cites no FR/ADR"),
    RuleInfo("step-items", ERROR, "a step has no `- [ ]` checklist items"),
    RuleInfo("missing-verification", ERROR, "a step has no **Verification:** block with "
             "Expected outcome and Command to verify"),
    RuleInfo("stray-item", ERROR, "a checklist item outside the steps and ## Prerequisites"),
    RuleInfo("checked-item", ERROR, "a checklist item is pre-ticked (`- [x]`) in the source"),
    RuleInfo("no-triggers", ERROR, "## Trigger Conditions lists no trigger bullets"),
    RuleInfo("trigger-severity", ERROR, "a trigger bullet does not start with its severity "
             "(CRITICAL, HIGH, MEDIUM, LOW, INFO)"),
    RuleInfo("escalation-table", ERROR, "## Escalation has no | Condition | Escalate To | "
             "Contact | table with rows"),
    RuleInfo("empty-rollback", ERROR, "## Rollback is empty"),
    RuleInfo("index-coverage", ERROR, "a file is not linked from the library's landing page "
             "(index.md)"),
    RuleInfo("alert-index", ERROR, "an alert named in a runbook's Trigger Conditions is not in "
             "the landing page's quick reference"),
    RuleInfo("escalation-contact", ERROR, "an escalation target is not a role of the landing "
             "page's contacts table"),
    RuleInfo("placeholder-style", ERROR, "placeholders in commands are written in more than one "
             "style (`<name>`, `<NAME>`, `NAME_ID`, …)"),
    RuleInfo("multi-command", WARNING, "a checklist item runs more than one command"),
    RuleInfo("incident-literal", WARNING, "a command that changes state carries a literal that "
             "looks like a per-incident value (long number, dated id, IP address, id option)"),
]
RULES: dict[str, RuleInfo] = {r.code: r for r in _RULES}
ALL_CODES: frozenset[str] = frozenset(RULES)
GENERIC_CODES: frozenset[str] = frozenset(r.code for r in _RULES if r.generic)


def path_matches(path: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """gitignore-like: a pattern without "/" matches the file name in any folder, one with "/"
    matches the library-relative path; case-insensitive (libraries move between OSes)."""
    low = path.lower()
    name = low.rsplit("/", 1)[-1]
    for pattern in patterns:
        pat = pattern.lower().lstrip("/")
        if fnmatchcase(low if "/" in pat else name, pat):
            return True
    return False


@dataclass
class CheckContext:
    """What a rule may read: the loaded library, the profile, today's date."""

    library: Library
    profile: Profile
    today: date
    checked: list[Runbook] = field(default_factory=list)  # files not ignored by the profile
    _fenced: dict[str, set[int]] = field(default_factory=dict)
    _lines: dict[str, list[str]] = field(default_factory=dict)
    _memo: dict[tuple[str, str], object] = field(default_factory=dict)

    def is_document(self, rb: Runbook) -> bool:
        """Landing pages and READMEs (by default): library documents, not runbooks."""
        return path_matches(rb.path, self.profile.documents)

    def problem(self, path: str, line: int, code: str, message: str) -> Problem:
        return Problem(path, line, code, message, RULES[code].level)

    def lines(self, rb: Runbook) -> list[str]:
        if rb.path not in self._lines:
            self._lines[rb.path] = rb.text.splitlines()
        return self._lines[rb.path]

    def memo(self, what: str, rb: Runbook, compute: Callable[[], T]) -> T:
        """``compute()`` once per check run and runbook (several rules read the same thing)."""
        key = (what, rb.path)
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def names_matching(self, pattern: re.Pattern[str]) -> set[str]:
        """Group 1 (or else 2) of every match of ``pattern`` in the checked files' text."""
        found: set[str] = set()
        for rb in self.checked:
            if not rb.load_error:
                for m in pattern.finditer(rb.text):
                    found.add(m.group(1) or m.group(2))
        return found

    def fenced(self, rb: Runbook) -> set[int]:
        if rb.path not in self._fenced:
            self._fenced[rb.path] = fenced_lines(rb)
        return self._fenced[rb.path]

    def region(self, rb: Runbook, sec: Section) -> list[tuple[int, str]]:
        """(line number, text) of a section's content, sub-sections included, heading not."""
        lines = self.lines(rb)
        end = min(sec.end_line or len(lines), len(lines))
        return [(n, lines[n - 1]) for n in range(sec.line + 1, end + 1)]


def norm_title(title: str) -> str:
    return " ".join(title.strip().rstrip(":").split()).casefold()


def top_section(rb: Runbook, title: str) -> Section | None:
    """The first H2 section with this title (compared case- and space-insensitively)."""
    want = norm_title(title)
    for s in rb.sections:
        if s.level == 2 and norm_title(s.title) == want:
            return s
    return None


def h2_of(rb: Runbook, anchor: str) -> Section | None:
    """The H2 section that contains the section with this anchor."""
    s = rb.section(anchor)
    while s is not None and s.level > 2:
        s = rb.section(s.parent) if s.parent else None
    return s if s is not None and s.level == 2 else None
