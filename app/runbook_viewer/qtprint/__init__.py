"""Print documents laid out on pages and painted, with QtGui and QtPrintSupport only (no
widgets): the window's print dialogs and the headless ``runbook-viewer print`` share it.

- :mod:`.pages` — pagination with keep-together groups (a step moved whole to the next page);
- :mod:`.layout` — header, footer, painting, PDF output and the printer set-up.

The documents themselves come from :mod:`runbook_viewer.core.printing` (no Qt).
"""
