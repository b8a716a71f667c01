"""Check profiles: which rule codes apply to a library, and their settings.

Built-in: ``runbook-template`` (every rule) and ``generic`` (only what holds for any markdown
library: unreadable files, encoding, unclosed code fences, broken links and anchors, links
leaving the library). A library may ship ``.runbook-viewer.toml`` at its root::

    [check]
    profile = "generic"          # base profile (default: what auto-detection would pick)
    enable = ["stale"]           # rule codes added to the base
    disable = ["index-coverage"] # rule codes removed (wins over enable)
    max_age_days = 365
    ignore = ["drafts/*"]        # files not checked
    required_sections = ["Meaning", "Impact", "Diagnosis", "Mitigation"]
    required_fields = ["Last Updated", "Owner"]
    documents = ["index.md", "README.md", "TEMPLATE.md"]  # not runbooks: file/link rules only

Auto-detection (no ``--profile``): the library's ``.runbook-viewer.toml``; else a
``<!-- runbook-viewer: profile=NAME -->`` declaration in the landing page or TEMPLATE.md; else
``runbook-template`` when the root holds TEMPLATE.md; else ``generic``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from .registry import ALL_CODES, GENERIC_CODES

PROFILE_FILE = ".runbook-viewer.toml"
TEMPLATE_SECTIONS = ("Purpose", "Prerequisites", "Trigger Conditions", "Procedure",
                     "Escalation", "Rollback", "References")
TEMPLATE_FIELDS = ("Last Updated", "Version", "Owner")
KNOWN_FIELDS = ("Last Updated", "Version", "Owner", "Severity", "Status")  # what the parser reads
DEFAULT_DOCUMENTS = ("index.md", "_index.md", "README.md")  # TEMPLATE.md is a runbook too
DEFAULT_MAX_AGE_DAYS = 180
BUILTIN = {"runbook-template": ALL_CODES, "generic": GENERIC_CODES}
DECLARATION_RE = re.compile(
    r"<!--\s*runbook-viewer\s*:?\s*profile\s*[=:]\s*[\"']?([A-Za-z0-9_.-]+)[\"']?\s*-->",
    re.IGNORECASE)
DECLARING_FILES = ("index.md", "_index.md", "readme.md", "template.md")
_LIST_KEYS = ("enable", "disable", "ignore", "required_sections", "required_fields", "documents")
KNOWN_KEYS = ("profile", "max_age_days", *_LIST_KEYS)


class ProfileError(Exception):
    """A profile name or file that cannot be used (the message says why and where)."""


@dataclass(frozen=True)
class Profile:
    name: str
    codes: frozenset[str]
    source: str = "built-in"
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    ignore: tuple[str, ...] = ()
    required_sections: tuple[str, ...] = TEMPLATE_SECTIONS
    required_fields: tuple[str, ...] = TEMPLATE_FIELDS
    documents: tuple[str, ...] = DEFAULT_DOCUMENTS

    def enabled(self, code: str) -> bool:
        return code in self.codes

    def describe(self) -> str:
        return f"{self.name}, {self.source}"


def builtin(name: str, source: str = "built-in") -> Profile:
    if name not in BUILTIN:
        raise ProfileError(f"unknown profile {name!r}; built-in profiles: "
                           f"{', '.join(BUILTIN)} (or give a .toml file)")
    return Profile(name=name, codes=BUILTIN[name], source=source)


def resolve_profile(root: Path, spec: str | None = None) -> Profile:
    """``--profile`` value (a built-in name or a TOML file) → Profile; None auto-detects."""
    if spec is None:
        return detect_profile(root)
    if spec in BUILTIN:
        return builtin(spec, "chosen with --profile")
    path = Path(spec).expanduser()
    if path.is_file():
        return load_profile_file(path, root)
    raise ProfileError(f"unknown profile {spec!r}: not a built-in profile "
                       f"({', '.join(BUILTIN)}) and no such file")


def detect_profile(root: Path) -> Profile:
    file = root / PROFILE_FILE
    if file.is_file():
        return load_profile_file(file, root, auto=True)
    return _detect_builtin(root)


def _root_files(root: Path) -> dict[str, Path]:
    try:
        return {p.name.lower(): p for p in root.iterdir() if p.is_file()}
    except OSError:
        return {}


def declared_profile(root: Path) -> tuple[str, str] | None:
    """(name, file) from a ``<!-- runbook-viewer: profile=NAME -->`` in the landing page or
    TEMPLATE.md at the library root."""
    files = _root_files(root)
    for name in DECLARING_FILES:
        path = files.get(name)
        if path is None:
            continue
        try:
            with path.open("rb") as fh:
                head = fh.read(65536).decode("utf-8", errors="replace")
        except OSError:
            continue
        m = DECLARATION_RE.search(head)
        if m:
            return m.group(1), path.name
    return None


def _detect_builtin(root: Path) -> Profile:
    declared = declared_profile(root)
    if declared:
        name, file = declared
        if name not in BUILTIN:
            raise ProfileError(f"{file} declares profile {name!r}, which is not a built-in "
                               f"profile ({', '.join(BUILTIN)})")
        return builtin(name, f"declared in {file}")
    if "template.md" in _root_files(root):
        return builtin("runbook-template", "auto-detected: the library has TEMPLATE.md")
    return builtin("generic", "auto-detected: no TEMPLATE.md or .runbook-viewer.toml")


def load_profile_file(path: Path, root: Path, auto: bool = False) -> Profile:
    """The profile a TOML file describes. ``auto``: the library's own file, found by
    auto-detection — one with no [check] table (only [search], say) leaves checking as
    auto-detection would pick it."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile file: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    check = data.get("check")
    if check is None:
        stray = sorted(k for k in data if k in KNOWN_KEYS)
        if stray:
            raise ProfileError(f"{path}: put {', '.join(stray)} under a [check] table")
        if auto:
            return _detect_builtin(root)
        check = {}
    if not isinstance(check, dict):
        raise ProfileError(f"{path}: [check] must be a table")
    return profile_from_table(check, path, root)


def _strings(table: dict, key: str, where: str) -> tuple[str, ...] | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}: {key} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def profile_from_table(check: dict, path: Path, root: Path) -> Profile:
    where = str(path)
    unknown = sorted(set(check) - set(KNOWN_KEYS))
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(unknown)} in [check]; known: "
                           f"{', '.join(KNOWN_KEYS)}")
    base_name = check.get("profile")
    if base_name is None:
        base = _detect_builtin(root)
    elif not isinstance(base_name, str):
        raise ProfileError(f"{where}: profile must be a string")
    else:
        base = builtin(base_name)
    lists = {key: _strings(check, key, where) for key in _LIST_KEYS}
    for key in ("enable", "disable"):
        bad = sorted(set(lists[key] or ()) - ALL_CODES)
        if bad:
            raise ProfileError(f"{where}: {key} names unknown rule code(s) {', '.join(bad)}; "
                               f"known: {', '.join(sorted(ALL_CODES))}")
    bad_fields = sorted(set(lists["required_fields"] or ()) - set(KNOWN_FIELDS))
    if bad_fields:
        raise ProfileError(f"{where}: required_fields may only name {', '.join(KNOWN_FIELDS)}; "
                           f"not {', '.join(bad_fields)}")
    max_age = check.get("max_age_days", DEFAULT_MAX_AGE_DAYS)
    if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 0:
        raise ProfileError(f"{where}: max_age_days must be a whole number of days (0 or more)")
    codes = (base.codes | frozenset(lists["enable"] or ())) - frozenset(lists["disable"] or ())
    shown = path.name if path.parent.resolve() == root.resolve() else str(path)
    settings: dict[str, tuple[str, ...]] = {
        key: v for key in ("ignore", "required_sections", "required_fields", "documents")
        if (v := lists[key]) is not None}
    return replace(base, name=f"{base.name}+{path.name}", codes=codes,
                   source=f"from {shown} on {base.name}", max_age_days=max_age, **settings)
