"""A small synthetic library for the search tests: steps with trigger conditions, a corpus-style
runbook named after an alert, a landing page, operations vocabulary that needs synonyms,
identifier splitting, stemming and typo tolerance to be found."""

# ruff: noqa: E501 — markdown fixtures keep their real (long) lines

from __future__ import annotations

from pathlib import Path

from . import write_files

HEADER = "Last Updated: 2026-11-20\nVersion: 1.0\nOwner: SRE\n"

FILES = {
    "index.md": f"""# Operations Index

{HEADER}
## All Runbooks

- [Redis Recovery](redis.md)
- [TLS Certificates](certs.md)
- [Agent Fleet](agents.md)
- [Database Operations](db.md)
""",
    "redis.md": f"""# Redis Recovery

{HEADER}
## Purpose

Recover the cache and queue store.

## Trigger Conditions

- **MEDIUM** — `RedisDown` fires or `redis-cli ping` returns `Could not connect to Redis` → [Step 2](#step-2-fail-over-the-master)
- **LOW** — weekly persistence review → [Step 1](#step-1-check-the-service)

## Procedure

### Step 1: Check the service

🔵 **OPERATIONAL**

- [ ] Run `systemctl status redis-server` on every node
- [ ] Check the append only file with `redis-check-aof`

### Step 2: Fail over the master

🔵 **OPERATIONAL**

- [ ] Ask Sentinel for the master with `redis-cli -p 26379 sentinel get-master-addr-by-name main`
- [ ] Force a failover when the master stays unreachable

## Escalation

| Condition | Escalate To | Contact |
|-----------|-------------|---------|
| No quorum | Platform lead | on-call |
""",
    "certs.md": f"""# TLS Certificates

{HEADER}
## Trigger Conditions

- **LOW** — `CertificateExpiringSoon` fires; clients log `x509: certificate has expired or is not yet valid` → [Step 1](#step-1-renew-the-public-certificate)

## Procedure

### Step 1: Renew the public certificate

🔵 **OPERATIONAL**

- [ ] Request a new certificate from the internal CA and install it on the load balancer
- [ ] Reload HAProxy with `systemctl reload haproxy`

### Step 2: Rotate the signing keys

🔴 **CONSTITUTIONAL** — FR33

- [ ] Start the key rotation ceremony with `archonctl ceremony start --type key-rotation`
""",
    "agents.md": f"""# Agent Fleet

{HEADER}
## Trigger Conditions

- **MEDIUM** — `ArchonAgentHeartbeatMissing` fires; Grafana panel 'Heartbeats' shows gaps → [Step 2](#step-2-triage-missing-heartbeats)
- **HIGH** — an agent restarts over and over → [Step 3](#step-3-restart-a-crashlooping-agent)

## Procedure

### Step 1: Review the fleet

🔵 **OPERATIONAL**

- [ ] List the agents with `archonctl agents status`

### Step 2: Triage missing heartbeats

#### 🔵 Operational check

- [ ] List the agents without a recent beat: `archonctl agents heartbeats --missing`
- [ ] Check the orchestrator journal with `journalctl -u archon-agents --since -15m`

#### 🔴 Constitutional check — FR9

- [ ] Confirm at least 48 agents are live for the deliberation quorum

### Step 3: Restart a crashlooping agent

🔵 **OPERATIONAL**

- [ ] Restart it with `archonctl agents restart agent-17` and watch the configuration reload
""",
    "db.md": f"""# Database Operations

{HEADER}
## Trigger Conditions

- **HIGH** — `PostgresReplicationLag` fires; the standby is minutes behind → [Step 1](#step-1-check-postgresql-replication)
- **MEDIUM** — the log shows `could not write to file: No space left on device` → [Step 2](#step-2-free-space-on-the-data-volume)

## Procedure

### Step 1: Check PostgreSQL replication

🔵 **OPERATIONAL**

- [ ] Query `pg_stat_replication` on the primary and compare `replay_lag`

### Step 2: Free space on the data volume

🔵 **OPERATIONAL**

- [ ] Find what fills `/var/lib/postgresql` with `du -sh /var/lib/postgresql/*`
- [ ] Remove old WAL only through `pgbackrest expire`

### Step 3: Apply configuration changes

🔵 **OPERATIONAL**

- [ ] Edit `postgresql.conf` and reload the configuration with `SELECT pg_reload_conf()`
""",
    "kube/KubePodCrashLooping.md": """---
title: Kube Pod Crash Looping
weight: 20
---

# KubePodCrashLooping

## Meaning

Pod is in CrashLoop which means the app dies and kubernetes restarts it automatically.

## Diagnosis

- Check pod events via `kubectl -n $NAMESPACE describe pod $POD`.
""",
}


def write_search_library(root: Path) -> Path:
    """Write the library under ``root`` (created) and return it."""
    return write_files(root, FILES)
