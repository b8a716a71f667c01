"""A small library that follows the runbook template exactly, for the `check` tests.

Every rule test starts from this clean library and seeds one defect into a copy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from . import write_files

TODAY = date(2026, 11, 27)

INDEX = """\
# Runbook Index

Last Updated: 2026-11-20

## Runbooks

| Runbook | Purpose |
|---------|---------|
| [Alpha Procedures](alpha.md) | halt handling |
| [Beta Procedures](beta.md) | cache restarts |
| [Template](TEMPLATE.md) | the structure every runbook follows |
| [Operations Overview](README.md) | start here |

## Quick Reference by Scenario

- `ArchonHaltActive`: API answers 503 → [Alpha, Step 1](alpha.md#step-1-confirm-the-halt)
- `RedisDown`: the cache is down → Beta Procedures, Step 1

## Emergency Contacts

| Role | Rotation | Primary contact |
|------|----------|-----------------|
| Keepers | Keeper roster | _to be filled_ |
| Platform SRE lead | `archon-sre` | _to be filled_ |
"""

PLACEHOLDER_TEMPLATE = """\
# [Runbook Title]

Last Updated: YYYY-MM-DD
Version: 1.0
Owner: [Team/Role]

## Purpose

[When and why to use this runbook]

## Procedure

### Step 1: [Step Name]

- [ ] Action 1
"""

README = """\
# Operations Overview

Start at the [index](index.md). Write new runbooks from the [template](TEMPLATE.md).
A link written as code is no link: `[Step 9](#step-9-nowhere)`.
"""

ALPHA = """\
# Alpha Procedures

Last Updated: 2026-11-20
Version: 1.2
Owner: Platform SRE

## Purpose

Use this runbook when the system halts. It does not cover cache restarts ([Beta](beta.md)).

## Prerequisites

- [ ] Shell on an app host with `archonctl` on PATH

## Trigger Conditions

When to execute this runbook:

- **CRITICAL** — `ArchonHaltActive` fires → [Step 1](#step-1-confirm-the-halt)
- **HIGH** — halt channels disagree → [Step 2](#step-2-check-both-sides)

## Procedure

### Step 1: Confirm the halt

🔴 **CONSTITUTIONAL** — FR18, ADR-6

- [ ] Run `archonctl halt status` and record both channels

**Verification:**

- Expected outcome: both channels report the same reason
- Command to verify: `archonctl halt status --json`

### Step 2: Check both sides

#### 🔵 Operational check

- [ ] Check the API answers: `curl -fsS http://localhost:8000/v1/ready`

#### 🔴 Constitutional check — FR2, ADR-3

- [ ] Verify the chain: `archonctl chain verify`

```bash
archonctl chain head
```

**Verification:**

- Expected outcome: chain verifies
- Command to verify: `archonctl chain verify`

## Escalation

| Condition | Escalate To | Contact |
|-----------|-------------|---------|
| Signature failure | Keepers | See [Emergency Contacts](index.md#emergency-contacts) |

## Rollback

Not applicable: this runbook only reads state.

## References

- [Beta restart step](beta.md#step-1-restart-the-cache)
- ADR-6: dual-channel halt
"""

BETA = """\
# Beta Procedures

Last Updated: 2026-10-15
Version: 1.0
Owner: Platform SRE

## Purpose

Restart the cache.

## Prerequisites

- [ ] Access to `redis-01`

## Trigger Conditions

- **MEDIUM** — `RedisDown` fires → [Step 1](#step-1-restart-the-cache)

## Procedure

### Step 1: Restart the cache

🔵 **OPERATIONAL**

- [ ] Restart it: `sudo systemctl restart redis-server`

**Verification:**

- Expected outcome: `PONG`
- Command to verify: `redis-cli ping`

## Escalation

| Condition | Escalate To | Contact |
|-----------|-------------|---------|
| Still down | Platform SRE lead | See [Emergency Contacts](index.md#emergency-contacts) |

## Rollback

1. Stop the cache again: `sudo systemctl stop redis-server`

## References

- [Alpha](alpha.md)
"""

# The template is itself a runbook (checked like the others)
TEMPLATE = BETA.replace("# Beta Procedures", "# Runbook Template").replace(
    "Restart the cache.", "Copy this file to start a new runbook.").replace(
    "Last Updated: 2026-10-15", "Last Updated: 2026-11-27")

FILES = {"index.md": INDEX, "TEMPLATE.md": TEMPLATE, "README.md": README, "alpha.md": ALPHA,
         "beta.md": BETA}


def write_library(root: Path, files: dict[str, str] | None = None) -> Path:
    return write_files(root, files or FILES)


def line_of(text: str, needle: str) -> int:
    """1-based line where ``needle`` (may span lines) first starts (fails if absent)."""
    at = text.find(needle)
    assert at >= 0, f"{needle!r} not in text"
    return text.count("\n", 0, at) + 1


# A foreign library in the style of the prometheus-operator runbooks (Hugo, no template).
FOREIGN = {
    "_index.md": "---\nbookHidden: true\n---\n",
    "alerting/_index.md": "---\ntitle: Alerting\n---\n\n# Alerting\n\n- [Down](TargetDown.md)\n",
    "alerting/TargetDown.md": (
        "---\ntitle: Target Down\nweight: 20\n---\n\n# TargetDown\n\n## Meaning\n\nA target is "
        "down.\n\n## Impact\n\nNo metrics.\n\n## Diagnosis\n\n- [ ] Check the target\n\n"
        "See [Watchdog](Watchdog.md#meaning).\n\n## Mitigation\n\nRestart it.\n"),
    "alerting/Watchdog.md": (
        "---\ntitle: Watchdog\n---\n\n# Watchdog\n\n## Meaning\n\nAlways firing.\n\n"
        "## Impact\n\nNone.\n\n## Diagnosis\n\nNone.\n\n## Mitigation\n\nNone.\n"),
}
