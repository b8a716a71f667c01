"""Hybrid logical clock: the order of checklist events, the same on every laptop.

An item's state must be a function of the *set* of events a store holds, not of the order they
arrived in (two laptops exchanging handover files both ways must show the same thing). So
every event carries an ``hlc`` timestamp and state is replayed in ``(hlc, uid)`` order:

    hlc = "2026-11-27T03:14:07.123456Z/00000"     # physical UTC time (µs) / logical counter

* a new local event gets ``tick(largest hlc in the store, wall clock)``: later than the wall
  clock and later than every event the store has seen — so an event made *after* importing
  another laptop's events sorts after them, even when this laptop's clock is behind;
* events of concurrent edits (neither side had seen the other) sort by time, then by uid:
  arbitrary, but the same everywhere;
* events recorded before this clock existed (schema < 3, exports without ``hlc``) get
  ``legacy()`` values: their timestamps, made strictly increasing in the order the store (or
  the file) recorded them — the order their state was derived in before.

Fixed-width text, so the database and Python sort it the same way.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

COUNTER_DIGITS = 5
MAX_COUNTER = 10**COUNTER_DIGITS - 1
HLC_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/\d{5}$")
TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def physical(ts: str) -> str:
    """A timestamp as fixed-width UTC microseconds ('…T03:14:07.123456Z'); unparseable
    text sorts first (the epoch)."""
    try:
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return datetime(1970, 1, 1, tzinfo=UTC).strftime(TS_FORMAT)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(TS_FORMAT)


def make(phys: str, counter: int = 0) -> str:
    return f"{phys}/{counter:0{COUNTER_DIGITS}d}"


def split(hlc: str) -> tuple[str, int]:
    phys, _, counter = hlc.partition("/")
    return phys, int(counter or 0)


def is_valid(value: object) -> bool:
    return isinstance(value, str) and bool(HLC_RE.match(value))


def tick(last: str | None, wall: str) -> str:
    """The next timestamp after ``last`` (the largest seen), at wall-clock time ``wall``."""
    now = physical(wall)
    if not last:
        return make(now)
    phys, counter = split(last)
    if now > phys:
        return make(now)
    if counter < MAX_COUNTER:
        return make(phys, counter + 1)
    moment = datetime.strptime(phys, TS_FORMAT) + timedelta(microseconds=1)
    return make(moment.strftime(TS_FORMAT))


def legacy(timestamps: list[str], last: str | None = None) -> list[str]:
    """Clock values for events recorded without one, in their recorded order."""
    out = []
    for ts in timestamps:
        last = tick(last, ts)
        out.append(last)
    return out


def sort_key(hlc: str | None, ts: str, uid: str) -> tuple[str, str]:
    return (hlc or make(physical(ts)), uid)
