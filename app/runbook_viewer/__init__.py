"""Runbook Viewer: an offline desktop viewer for operations runbooks."""

__version__ = "0.1.0"
