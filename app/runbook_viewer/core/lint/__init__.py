"""`runbook-viewer check`: validate a runbook library (no Qt).

:func:`check_folder` / :func:`run_check` give a :class:`CheckReport` of file:line problems with
rule codes (:data:`RULES`); :mod:`.profiles` decides which codes apply to a library.
See docs/check.md.
"""

from .profiles import BUILTIN, PROFILE_FILE, Profile, ProfileError, resolve_profile
from .registry import ALL_CODES, GENERIC_CODES, RULES, RuleInfo
from .runner import CHECKS, CheckReport, check_folder, run_check

__all__ = [
    "ALL_CODES", "BUILTIN", "CHECKS", "GENERIC_CODES", "PROFILE_FILE", "RULES", "CheckReport",
    "Profile", "ProfileError", "RuleInfo", "check_folder", "resolve_profile", "run_check",
]
