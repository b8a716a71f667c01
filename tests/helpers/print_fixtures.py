"""A small synthetic library for the printing tests: a 6-step runbook with labels, items,
verification blocks, code, an escalation table, and sections a checklist leaves out."""

from __future__ import annotations

from pathlib import Path

FILLER = "and note what the console shows"


def token(step: int, n: int) -> str:
    """A unique word per item that survives PDF text extraction (no hyphen, no space)."""
    return f"K{step}{n:02d}"


def step_items(step: int, count: int) -> list[str]:
    return [f"- [ ] Check {token(step, n)} on host db-0{n} `systemctl status unit{n}` {FILLER}"
            for n in range(1, count + 1)]


def runbook_text(version: str = "2.3") -> str:
    parts = [
        "# Widget Failover", "", "Last Updated: 2026-11-20", f"Version: {version}",
        "Owner: Platform SRE", "",
        "## Purpose", "", "PURPOSEWORD explains why this runbook exists.", "",
        "## Prerequisites", "",
        "- [ ] Shell on PREQ01 app host", "- [ ] Ticket PREQ02 open", "",
        "## Trigger Conditions", "",
        "- **HIGH** — TRIGGERWORD alert fires → [Step 1](#step-1-prepare)", "",
        "## Procedure", "",
    ]
    titles = ["Prepare", "Fence the primary", "Promote the replica", "Verify the chain",
              "Reopen traffic", "Hand over"]
    for number, title in enumerate(titles, 1):
        parts += [f"### Step {number}: {title}", ""]
        if number == 2:
            parts += ["#### 🔵 Operational check", "", *step_items(2, 4), "",
                      "#### 🔴 Constitutional check — FR1, ADR-1", "",
                      "- [ ] Confirm the append-only trigger K2C1 is enabled", ""]
        elif number in (4, 6):
            parts += ["🔴 **CONSTITUTIONAL** — FR17, ADR-6", "", *step_items(number, 4), ""]
            if number == 6:
                parts += ["```bash", f"archonctl halt status --json  # CODEWORD{number}",
                          "```", ""]
        else:
            parts += ["🔵 **OPERATIONAL**", "", *step_items(number, 5), "",
                      f"Decision: if DECISION{number} fails, go to Step 6.", ""]
        parts += ["**Verification:**", "",
                  f"- Expected outcome: EXPECT{number} all green",
                  f"- Command to verify: `archonctl verify --step {number}`", ""]
    parts += [
        "## Escalation", "",
        "| Condition | Escalate To | Contact |", "|---|---|---|",
        "| ESCROW1 chain broken | Constitutional on-call | pager 555 |",
        "| ESCROW2 quorum lost | Deliberation on-call | pager 556 |", "",
        "## Rollback", "", "ROLLBACKWORD: stop at the failing step.", "",
    ]
    return "\n".join(parts) + "\n"


def write_library(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.md").write_text(
        "# Ops Binder\n\nLast Updated: 2026-11-21\nVersion: 7.1\n\n## Runbooks\n\n"
        "- [Widget Failover](widget.md)\n- [Short](short.md)\n")
    (root / "widget.md").write_text(runbook_text())
    (root / "short.md").write_text(
        "# Short Procedure\n\nVersion: 0.9\n\n## Procedure\n\n### Step 1: Only step\n\n"
        "🔵 **OPERATIONAL**\n\n- [ ] Do SHORTITEM once\n")
    return root
