"""Subcommands of `runbook-viewer`; each module has ``add_parser`` and ``run``."""
