"""Exceptions of the checklist store. Every message is a sentence the UI can show as is."""

from __future__ import annotations


class ChecklistError(Exception):
    """Base class: something the operator asked for was refused or could not be done."""


class RunNotFound(ChecklistError):
    """No run with that id (or id prefix)."""


class AmbiguousRunId(ChecklistError):
    """An id prefix matches more than one run."""


class RunClosed(ChecklistError):
    """The run is closed; reopen it (or start a new run) before changing it."""


class InvalidState(ChecklistError):
    """The state is not one of pending, done, na, skipped."""


class ReasonRequired(ChecklistError):
    """Skipping (or, for a 🔴 constitutional item, marking not applicable) needs a reason."""


class ConfirmationRequired(ChecklistError):
    """A 🔴 constitutional item is being skipped or marked not applicable without confirmation."""


class OperatorRequired(ChecklistError):
    """No operator name was given and none is remembered."""


class SaveFailed(ChecklistError):
    """The database refused the write (disk full, read-only, locked too long): NOT saved."""


class StaleState(ChecklistError):
    """The item changed (another window, an import) since the caller showed it: not saved."""


class StoreUnavailable(ChecklistError):
    """The database became unreadable while the app was running (reopening recovers it)."""


class ExchangeError(ChecklistError):
    """An export file cannot be imported (not JSON, wrong format, newer version, damaged)."""


class ValueNotAccepted(ChecklistError):
    """An incident value that would change what a command does (newline, ``;``, ``$(`` …)."""
