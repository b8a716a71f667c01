"""`runs set RUN name=value` and `show FILE --run RUN [--commands]` (issue 15)."""

from __future__ import annotations

import pytest
from helpers import rv

RUNBOOK = """\
# Payments API restart

## Procedure

### Step 1: Restart

- [ ] Restart it:

  ```console
  $ kubectl -n <namespace> rollout restart deploy/<app>
  deployment.apps/api restarted
  ```

- [ ] Watch `kubectl -n <namespace> get pods -w`
"""


@pytest.fixture
def lib(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "api.md").write_text(RUNBOOK, encoding="utf-8")
    return folder




@pytest.fixture
def run_id(capsys, lib):
    code, out, _ = rv(capsys, "runs", "start", "api.md", "--library", lib, "--operator", "jd",
                      "--incident", "INC-3")
    assert code == 0
    return out.split()[2]


def test_runs_set_records_values_and_lists_them(capsys, lib, run_id):
    code, out, _ = rv(capsys, "runs", "set", run_id[:8], "--library", lib)
    assert code == 0 and "<namespace>   (not filled in)" in out and "<app>" in out
    code, out, err = rv(capsys, "runs", "set", run_id, "namespace=payments", "--library", lib)
    assert code == 0 and "SAVED Incident value <namespace> = payments" in out
    assert "still to fill in: <app>" in err
    code, out, err = rv(capsys, "runs", "set", run_id, "<app>=api", "--library", lib)
    assert code == 0 and "still to fill in" not in err
    code, out, _ = rv(capsys, "runs", "set", run_id, "--library", lib)
    assert "<namespace> = payments" in out and "<app> = api" in out
    code, out, _ = rv(capsys, "runs", "show", run_id, "--library", lib)
    assert "## Incident values" in out and "| `<app>` | `api` |" in out
    assert "Incident value <app> = api" in out  # in the timeline


@pytest.mark.parametrize(("pair", "why"), [
    ("namespace=pay\nments", "line break"),
    ("namespace=x; reboot", "“;” starts a second command"),
    ("namespace=$(id)", "runs a command"),
    ("namespace=x | sh", "“|”"),
    ("namespace=it's", "not closed"),
    ("nosuch=1", "is not a placeholder of this runbook"),
    ("namespace", "is not NAME=VALUE"),
])
def test_runs_set_refuses_with_the_reason_and_saves_nothing(capsys, lib, run_id, pair, why):
    code, out, err = rv(capsys, "runs", "set", run_id, "app=api", pair, "--library", lib)
    assert code == 1 and why in err and "SAVED" not in out
    _, out, _ = rv(capsys, "runs", "set", run_id, "--library", lib)
    assert "= api" not in out  # the whole call was refused, the valid pair too


def test_runs_set_any_name_and_clearing(capsys, lib, run_id):
    code, out, _ = rv(capsys, "runs", "set", run_id, "ticket=INC-3", "--any-name",
                      "--library", lib)
    assert code == 0 and "<ticket> = INC-3" in out
    code, out, _ = rv(capsys, "runs", "set", run_id, "ticket=", "--any-name", "--library", lib)
    assert code == 0 and "Incident value <ticket> cleared" in out


def test_show_with_a_run_prints_the_commands_with_its_values(capsys, lib, run_id):
    rv(capsys, "runs", "set", run_id, "namespace=payments", "app=api v2", "--library", lib)
    code, out, _ = rv(capsys, "show", "api.md", "--run", run_id[:8], "--library", lib)
    assert code == 0
    assert "<namespace> = payments" in out and "<app> = api v2" in out
    # in the session block: prompt and output as written, the value quoted for the shell
    assert "    $ kubectl -n payments rollout restart deploy/'api v2'" in out
    assert "    deployment.apps/api restarted" in out
    assert "`kubectl -n payments get pods -w`" in out
    code, out, _ = rv(capsys, "show", "api.md", "--run", run_id, "--commands", "--library", lib)
    assert code == 0
    assert "kubectl -n payments rollout restart deploy/'api v2'\n" in out
    assert "$ kubectl" not in out and "deployment.apps/api restarted" not in out


def test_show_without_a_run_leaves_placeholders(capsys, lib):
    code, out, _ = rv(capsys, "show", "api.md", "--commands", "--library", lib)
    assert code == 0 and "kubectl -n <namespace> rollout restart deploy/<app>" in out


def test_show_with_a_wrong_run(capsys, lib, run_id, tmp_path):
    code, _, err = rv(capsys, "show", "api.md", "--run", "ffffffff", "--library", lib)
    assert code == 1 and "No checklist run" in err
    (lib / "other.md").write_text("# Other\n\n- [ ] x\n", encoding="utf-8")
    code, _, err = rv(capsys, "show", "other.md", "--run", run_id, "--library", lib)
    assert code == 1 and "is a run of api.md, not of other.md" in err
