"""Run the enabled rules of a profile over a loaded library and collect one report.

Three scopes: library rules run once, file rules on every checked file (landing pages
included), runbook rules on every readable checked file that is not a library
document. A rule runs when any code it can report is enabled; problems whose code the profile
disables are dropped. A crashing rule becomes an error problem, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..library import load_library, natural_key
from ..model import Library, Problem
from . import rules_commands, rules_index, rules_links, rules_steps, rules_structure, tables
from .profiles import Profile, resolve_profile
from .registry import ERROR, WARNING, CheckContext, path_matches


@dataclass(frozen=True)
class Check:
    scope: str  # "library" | "file" | "runbook"
    codes: frozenset[str]
    func: Callable[..., Iterable[Problem]]


def _c(scope: str, codes: str, func: Callable[..., Iterable[Problem]]) -> Check:
    return Check(scope, frozenset(codes.split()), func)


CHECKS: tuple[Check, ...] = (
    _c("library", "unreadable", rules_links.check_library_problems),
    _c("file", "unreadable encoding unclosed-fence", rules_links.check_file),
    _c("file", "broken-link broken-anchor link-outside", rules_links.check_links),
    _c("file", "table-cells", tables.check_table_cells),
    _c("library", "index-coverage", rules_links.check_index_coverage),
    _c("runbook", "missing-title missing-field", rules_structure.check_header),
    _c("runbook", "bad-date future-date stale", rules_structure.check_dates),
    _c("runbook", "missing-section section-order", rules_structure.check_sections),
    _c("runbook", "no-triggers trigger-severity", rules_structure.check_triggers),
    _c("runbook", "escalation-table", rules_structure.check_escalation),
    _c("runbook", "empty-rollback", rules_structure.check_rollback),
    _c("runbook", "step-order", rules_steps.check_step_order),
    _c("runbook", "step-label label-citation", rules_steps.check_step_labels),
    _c("runbook", "step-items missing-verification", rules_steps.check_step_content),
    _c("runbook", "stray-item checked-item", rules_steps.check_items),
    _c("library", "alert-index", rules_index.check_alert_index),
    _c("library", "escalation-contact", rules_index.check_escalation_contacts),
    _c("library", "placeholder-style", rules_commands.check_placeholder_style),
    _c("runbook", "multi-command", rules_commands.check_multi_command),
    _c("runbook", "incident-literal", rules_commands.check_incident_literals),
)


@dataclass
class CheckReport:
    root: Path
    profile: Profile
    today: date
    problems: list[Problem]
    files: int  # how many files were checked

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.level == WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"
        return (f"{n(self.errors, 'error')}, {n(self.warnings, 'warning')} in "
                f"{n(self.files, 'runbook')}")

    def to_json(self, strict: bool = False) -> dict:
        return {
            "library": str(self.root),
            "profile": self.profile.name,
            "profile_source": self.profile.source,
            "today": self.today.isoformat(),
            "problems": [{"path": p.path, "line": p.line, "level": p.level, "code": p.code,
                          "message": p.message} for p in self.problems],
            "summary": {"errors": self.errors, "warnings": self.warnings, "runbooks": self.files,
                        "passed": not self.failed(strict)},
        }


def run_check(library: Library, profile: Profile, today: date | None = None) -> CheckReport:
    ctx = CheckContext(library=library, profile=profile, today=today or date.today())
    ctx.checked = [rb for rb in library.runbooks if not path_matches(rb.path, profile.ignore)]
    found: list[Problem] = []
    for check in CHECKS:
        if not check.codes & profile.codes:
            continue
        if check.scope == "library":
            found.extend(_run(check, ctx.problem, "", check.func, ctx))
            continue
        for rb in ctx.checked:
            if check.scope == "runbook" and (rb.load_error or ctx.is_document(rb)):
                continue
            found.extend(_run(check, ctx.problem, rb.path, check.func, ctx, rb))
    found = [p for p in found if profile.enabled(p.code)
             and (not p.path or not path_matches(p.path, profile.ignore))]
    order = {rb.path: n for n, rb in enumerate(library.runbooks)}
    found.sort(key=lambda p: (order.get(p.path, -1), natural_key(p.path), p.line, p.code))
    return CheckReport(root=library.root, profile=profile, today=ctx.today,
                       problems=list(dict.fromkeys(found)), files=len(ctx.checked))


def _run(check: Check, make: Callable[..., Problem], path: str, func, *args) -> list[Problem]:
    try:
        return list(func(*args))
    except Exception as exc:  # a rule bug must not hide the other rules' findings
        code = sorted(check.codes)[0]
        return [replace(make(path, 1, code, f"internal error in rule {func.__name__}: "
                             f"{type(exc).__name__}: {exc}"), level=ERROR)]


def check_folder(root: str | Path, profile: str | None = None, today: date | None = None,
                 max_age_days: int | None = None) -> CheckReport:
    """Load ``root`` and check it. Raises LibraryError / ProfileError when it cannot run."""
    lib = load_library(root)
    prof = resolve_profile(lib.root, profile)
    if max_age_days is not None:
        prof = replace(prof, max_age_days=max_age_days)
    return run_check(lib, prof, today)
