#!/usr/bin/env bash
# Installs everything needed (system libraries for Qt included) and starts Runbook Viewer.
# Arguments go to the app: `bash scripts/run.sh search "heartbeats missing"`, `bash scripts/run.sh
# --library ~/other-runbooks`. Relative paths are taken from the folder you run it in.
# With no display it prints how to use the library headless and exits 2.
set -euo pipefail
here=$(cd -P "$(dirname "$0")/.." && pwd)
bash "$here/scripts/bootstrap.sh" test >&2
# the app's messages quote commands to type next: make them start the way this one did
export RUNBOOK_VIEWER_COMMAND="bash $(printf '%q' "$0")"
exec "$here/.venv/bin/runbook-viewer" "$@"
