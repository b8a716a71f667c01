"""Operational sense for ranking: which sections production triage points to, at what
severity, and which runbooks are not about production at all.

- **Triage targets**: the "What's happening?" scenarios built from the library itself — the
  landing page's "Quick reference by scenario" tables and every runbook's Trigger Conditions —
  name a section and a severity. A section gets the most severe of those pointing to it.
- **Non-production runbooks** (developer environment, test rigs): marked in a runbook's front
  matter (``environment: development`` — anything but production/prod/live — or
  ``production: false``) or in the library's ``.runbook-viewer.toml``::

      [search]
      non_production = ["epic-0-dev-environment.md", "dev/*"]   # globs, library-relative

:meth:`Operations.key` is part of each file's index fingerprint, so changing a mark or a
scenario table re-indexes exactly the files it affects.
"""

from __future__ import annotations

import fnmatch
import hashlib
import tomllib
from dataclasses import dataclass, field

from ..model import Library, Runbook, severity_rank

CONFIG_FILE = ".runbook-viewer.toml"
PRODUCTION_WORDS = {"production", "prod", "live", "prd", "gprd"}


@dataclass
class Operations:
    triage: dict[tuple[str, str], str | None] = field(default_factory=dict)  # → severity
    non_production: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    _marks: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def severity(self, path: str, anchor: str) -> str | None:
        return self.triage.get((path, anchor))

    def is_target(self, path: str, anchor: str) -> bool:
        return (path, anchor) in self.triage

    def key(self, path: str) -> str:
        """What of this context affects ``path``'s documents (for the index manifest)."""
        if self._marks is None:  # grouped once: a scan per file was quadratic (80 s at 20k)
            self._marks = {}
            for (p, a), s in self.triage.items():
                self._marks.setdefault(p, []).append(f"{a}={s}")
        marks = sorted(self._marks.get(path, ()))
        raw = f"{path in self.non_production}|{'|'.join(marks)}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


def front_matter_says_non_production(rb: Runbook) -> bool:
    fm = {k.lower().replace("-", "_"): str(v).strip().lower() for k, v in rb.front_matter.items()}
    env = fm.get("environment") or fm.get("env")
    if env and env not in PRODUCTION_WORDS:
        return True
    return fm.get("production") in ("false", "no", "0") or \
        fm.get("non_production") in ("true", "yes", "1")


def configured_non_production(library: Library, problems: list[str]) -> list[str]:
    """The globs of ``[search] non_production`` in the library's .runbook-viewer.toml."""
    path = library.root / CONFIG_FILE
    if not path.is_file():
        return []
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot read ({exc}); non-production marks ignored")
        return []
    globs = (data.get("search") or {}).get("non_production", [])
    if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
        problems.append(f"{path}: [search] non_production must be a list of file globs")
        return []
    return globs


def _triage(library: Library, problems: list[str]) -> dict[tuple[str, str], str | None]:
    """(path, anchor) → the most severe severity pointing there: the landing pages' scenario
    tables and every runbook's trigger conditions (linear in the library; the triage list's
    merging of near-duplicates is not needed here)."""
    from ..links import target_path
    from ..scenarios.sources import index_scenarios  # needed only while indexing

    found: dict[tuple[str, str], str | None] = {}

    def note(key: tuple[str, str], severity: str | None) -> None:
        if key not in found or severity_rank(severity) < severity_rank(found[key]):
            found[key] = severity

    try:
        for sc in index_scenarios(library):
            if sc.anchor:
                note((sc.path, sc.anchor), sc.severity)
    except Exception as exc:  # the triage list is a ranking hint; never fatal to search
        problems.append(f"the scenario table could not be read for ranking ({exc})")
    for rb in library.runbooks:
        for t in rb.triggers:
            if t.target and "#" in t.target:
                path = target_path(rb.path, t.target) or rb.path
                note((path, t.target.split("#", 1)[1]), t.severity)
    return found


def operations_of(library: Library) -> Operations:
    ops = Operations()
    ops.triage = _triage(library, ops.problems)
    globs = configured_non_production(library, ops.problems)
    for rb in library.runbooks:
        if front_matter_says_non_production(rb) or \
                any(fnmatch.fnmatch(rb.path, g) for g in globs):
            ops.non_production.add(rb.path)
    return ops
