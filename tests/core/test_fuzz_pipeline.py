"""Property-based fuzz over the whole pipeline: one generated runbook-like file beside a good
one, through load → page → text → print documents → a run → search → scenarios → check.

No exception escapes and the good runbook stays loaded, searchable and in the triage list,
whatever the generated file holds (headings of any level with `Step N:` titles, nested and task
lists, closed and unclosed fences, tables, labels, links and Hugo shortcodes, raw HTML, NUL,
odd unicode, short hostile bursts). The longer run is ``benchmarks/fuzz.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from helpers.fuzz_fixtures import (
    HypothesisDraw,
    landing_text,
    run_pipeline,
    runbook_text,
    write_library,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_no_generated_file_breaks_the_pipeline_or_takes_the_library_away(data):
    d = HypothesisDraw(data)
    text, landing = runbook_text(d), landing_text(d)
    with tempfile.TemporaryDirectory(prefix="rv-fuzz-") as tmp:
        root = Path(tmp) / "lib"
        write_library(root, text, landing)
        state = Path(tmp) / "state"
        state.mkdir()
        failure = run_pipeline(root, state)
    assert failure is None, f"{failure}\n--- bad.md ---\n{text!r}"


def test_the_fuzzer_found_this_one_first(tmp_path):
    """`## Step 1` / `### Step 2` / `#### c`: a step inside a step with a section under it
    (KeyError in the search documents took search away for the whole library)."""
    root = tmp_path / "lib"
    write_library(root, "## Step 1: a\n### Step 2: b\n#### c\n", "# Library\n")
    (tmp_path / "state").mkdir()
    assert run_pipeline(root, tmp_path / "state") is None
