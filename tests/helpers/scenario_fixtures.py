"""A small synthetic library for the scenario, wayfinding, panel and CLI tests.

index.md has a "Quick Reference by Scenario" section with a table (one row per symptom, a row
whose step does not exist, a pipe inside inline code) and a bullet list under a 🔵 sub-heading;
halt.md and db.md have Trigger Conditions (some duplicating index rows, some not, one without a
link); TEMPLATE.md has triggers that must be ignored.
"""

# ruff: noqa: E501 — markdown fixtures keep their real (long) table and bullet lines

from __future__ import annotations

from pathlib import Path

from . import write_files

HEADER = "Last Updated: 2026-11-20\nVersion: 1.0\nOwner: SRE\n"

INDEX = f"""# Ops Index

{HEADER}
## All Runbooks

- [Halt](halt.md)
- [Database](db.md)
- [Recovery](recovery.md)

## Quick Reference by Scenario

What you see → where to go.

### Integrity

| Symptom or alert | Severity | Type | Go to |
|------------------|----------|------|-------|
| `HaltActive` fires; API answers `503` | CRITICAL | 🔴 Constitutional | [Halt, Step 1](halt.md#step-1-confirm-the-halt) |
| `ChainBroken`; `verify \\| grep FAIL` prints a line | CRITICAL | 🔴 Constitutional | [Halt, Step 2](halt.md#step-2-contain-the-break) |
| Ghost entry for a vanished step | HIGH | 🔴 Constitutional | [Halt](halt.md#step-9-does-not-exist) |

### 🔵 Operational scenarios

- **MEDIUM** — `DbDown`; `pg_isready` says `no response` → [Database, Step 1](db.md#step-1-restart-the-database)
- **LOW** — disk filling on the database host → [Database, Step 2](db.md#step-2-free-disk-space)

## Emergency Contacts

- On-call: see the [Halt runbook](halt.md) escalation table.
"""

HALT = f"""# Halt Procedures

{HEADER}
## Purpose

Covers halts. Database outages are in [Database](db.md).

## Trigger Conditions

When to execute this runbook:

- **CRITICAL** — `HaltActive` fires, or the API answers 503 system_halted → [Step 1](#step-1-confirm-the-halt)
- **CRITICAL** — a second observer reports the outage on the public status page → [Step 1](#step-1-confirm-the-halt)
- **HIGH** — fork suspected: two chain heads → [Step 3](#step-3-recover-from-the-fork)
- **INFO** — routine halt drill → [Step 1](#step-1-confirm-the-halt)

## Procedure

### Step 1: Confirm the halt

🔴 **CONSTITUTIONAL** — FR17

- [ ] Run `archonctl halt status`

### Step 2: Contain the break

🔴 **CONSTITUTIONAL** — FR2

- [ ] Run `archonctl chain verify`

### Step 3: Recover from the fork

#### 🔵 Operational check

- [ ] Check the hosts with `uptime`

#### 🔴 Constitutional check — FR19

- [ ] Declare the fork and hand over to [Recovery](recovery.md#step-1-restore-the-checkpoint)

### Step 4: Write the review

🔵 **OPERATIONAL**

- [ ] Open the review in [Incident review](review.md)

## References

- [Database](db.md)
"""

DB = f"""# Database Operations

{HEADER}
## Trigger Conditions

- **MEDIUM** — `DbDown` fires → [Step 1](#step-1-restart-the-database)
- **LOW** — disk filling on the database host → [Step 2](#step-2-free-disk-space)
- **HIGH** — replication stopped on the replica

## Procedure

### Step 1: Restart the database

🔵 **OPERATIONAL**

- [ ] Run `systemctl restart postgresql`
- [ ] If the system is halted, go to [Halt](halt.md#step-1-confirm-the-halt)

### Step 2: Free disk space

🔵 **OPERATIONAL**

- [ ] Run `df -h`
"""

RECOVERY = f"""# Recovery

{HEADER}Severity: HIGH

## Procedure

### Step 1: Restore the checkpoint

🔴 **CONSTITUTIONAL** — FR22

- [ ] Restore the keeper-signed checkpoint
"""

REVIEW = f"""# Incident Review

{HEADER}
## Procedure

### Step 1: Hold the review

🔵 **OPERATIONAL**

- [ ] Book the meeting
"""

TEMPLATE = f"""# Runbook Template

{HEADER}
## Trigger Conditions

- **CRITICAL** — placeholder symptom → [Step 1](#step-1-step-name)

## Procedure

### Step 1: Step Name

🔵 **OPERATIONAL**

- [ ] Action
"""

FILES = {"index.md": INDEX, "halt.md": HALT, "db.md": DB, "recovery.md": RECOVERY,
         "review.md": REVIEW, "TEMPLATE.md": TEMPLATE}


def write_scenario_library(root: Path) -> Path:
    return write_files(root, FILES)


FOREIGN = {
    "_index.md": "---\nbookHidden: true\n---\n",
    "db/_index.md": "---\ntitle: db\nweight: 10\n---\n",
    "db/DbPrimaryDown.md": (
        "---\ntitle: Db Primary Down\nseverity: critical\n---\n\n# DbPrimaryDown\n\n"
        "## Meaning\n\nThe primary database stopped answering. Writes fail.\n\n"
        "## Impact\n\nNo writes.\n\n## Diagnosis\n\n- Check `pg_isready`.\n\n"
        "## Mitigation\n\nFail over.\n"),
    "db/DbReplicaLag.md": (
        "---\ntitle: Db Replica Lag\n---\n\n# DbReplicaLag\n\n## Impact\n\nStale reads for "
        "dashboards. More text.\n\n## Mitigation\n\nWait.\n"),
    "db/DbDiskFailure.md": (
        "---\ntitle: Db Disk Failure\n---\n\n# DbDiskFailure\n\n"
        "See [Db Primary Down]({{< ref \"./DbPrimaryDown.md\" >}})\n"),
    "web/WebErrors.md": (
        "# Web Errors\n\n## Meaning\n\nThe web tier returns 5xx.\n\n## Runbook\n\n1. Look.\n"),
}


def write_foreign_library(root: Path) -> Path:
    return write_files(root, FOREIGN)
