"""PyInstaller entry point: the same `runbook-viewer` command line."""

import sys

from runbook_viewer.cli import main

if __name__ == "__main__":
    sys.exit(main())
