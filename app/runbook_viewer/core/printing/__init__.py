"""Print documents (no Qt): what goes on paper, as HTML with keep-together marks.

- :mod:`.document` — :class:`~.document.PrintDocument`, a runbook and the whole library;
- :mod:`.checklist` — a blank checklist to work with a pen, a run filled in as the record;
- :mod:`.units` — the pieces of a runbook a checklist keeps (steps, items, verification);
- :mod:`.marks` — the marks that tell the page layout where each keep-together group starts.

Laying the documents out on pages and painting them is Qt's work: :mod:`runbook_viewer.qtprint`
(QtGui only, no widgets), used by the window and by ``runbook-viewer print``.
"""
