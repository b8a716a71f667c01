"""A generated overview for a landing page that has no content of its own (no Qt).

Hugo libraries (prometheus-operator's runbooks) give each folder an ``_index.md`` that holds
only front matter: the site builds the page. The viewer does the same instead of showing a
blank page: the folder's title, how many runbooks it holds, its sub-folders with their runbook
counts and most severe severity, the most severe scenarios in it (each a link to the step that
handles it), and its own runbooks.
"""

from __future__ import annotations

import html

from .folders import Folder, display_titles, folder_tree
from .model import Library, Runbook, severity_rank
from .palette import palette
from .scenarios import build_scenarios
from .scenarios.wayfinding import relative_href

TOP_SCENARIOS = 12


def _scenarios(lib: Library) -> list:
    return build_scenarios(lib)


def _severity_cell(severity: str | None, dark: bool) -> str:
    if not severity:
        return "—"
    bg = palette(dark).severity.get(severity, "")
    return f'<span style="background-color:{bg};">&nbsp;{html.escape(severity)}&nbsp;</span>'


def _worst(runbooks: list[Runbook]) -> str | None:
    found = sorted((rb.severity for rb in runbooks if rb.severity), key=severity_rank)
    return found[0] if found else None


def _link(current: str, target: str, text: str) -> str:
    return f'<a href="{html.escape(relative_href(current, target))}">{html.escape(text)}</a>'


def _folders_table(here: str, folder: Folder, dark: bool) -> str:
    if not folder.folders:
        return ""
    rows = []
    for sub in folder.folders:
        runbooks = sub.all_runbooks()
        first = sub.landing or (runbooks[0] if runbooks else None)
        name = _link(here, first.path, sub.title) if first is not None else \
            html.escape(sub.title)
        rows.append(f"<tr><td>{name}</td><td align=\"right\">{len(runbooks)}</td>"
                    f"<td>{_severity_cell(_worst(runbooks), dark)}</td></tr>")
    return ("<h2>Folders</h2>"
            '<table class="md" border="1" cellspacing="0" cellpadding="4">'
            "<thead><tr><th>Folder</th><th>Runbooks</th><th>Most severe</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _scenario_list(lib: Library, here: str, folder: Folder, dark: bool) -> str:
    inside = {rb.path for rb in folder.all_runbooks()}
    chosen = [s for s in _scenarios(lib) if s.path in inside][:TOP_SCENARIOS]
    if not chosen:
        return ""
    rated = any(s.severity for s in chosen)
    rows = "".join(
        f"<li>{_severity_cell(s.severity, dark) + ' ' if s.severity else ''}"
        f"{_link(here, s.target, s.title)}"
        f'<span class="meta"> — {html.escape(s.runbook_title)}'
        f"{' · ' + html.escape(s.step_title) if s.step_title else ''}</span></li>"
        for s in chosen)
    head = "Most severe scenarios" if rated else "Scenarios (the runbooks state no severity)"
    return f"<h2>{head}</h2><ul>{rows}</ul>"


def _runbook_list(lib: Library, here: str, folder: Folder) -> str:
    if not folder.runbooks:
        return ""
    titles = display_titles(lib)
    rows = "".join(f"<li>{_link(here, rb.path, titles[rb.path])}</li>"
                   for rb in folder.runbooks)
    return f"<h2>Runbooks</h2><ul>{rows}</ul>"


def overview_body(lib: Library, landing: Runbook, dark: bool = False) -> str:
    """The body HTML of the generated overview of ``landing``'s folder."""
    tree = folder_tree(lib)
    folder = tree.find(landing.folder) or tree
    runbooks = folder.all_runbooks()
    count = len(folder.folders)
    what = f"{len(runbooks)} runbook{'s' * (len(runbooks) != 1)}"
    if count:
        what += f" in {count} folder{'s' * (count != 1)}"
    title = folder.title if folder.path else (landing.front_matter.get("title")
                                               or lib.root.name)
    return (f'<h1 class="rv-title">{html.escape(title)}</h1>'
            f'<p class="meta">{what} · this page is generated: '
            f"{html.escape(landing.path)} has no content of its own</p>"
            + _folders_table(landing.path, folder, dark)
            + _scenario_list(lib, landing.path, folder, dark)
            + _runbook_list(lib, landing.path, folder))
