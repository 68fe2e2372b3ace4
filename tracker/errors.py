"""One error family: every failure a user can cause is a TrackerError with a one-line message."""

from __future__ import annotations

from collections.abc import Sequence


class TrackerError(Exception):
    """Base of every error the tracker reports to a user (CLI: stderr + exit 2)."""


class PlanError(TrackerError):
    """A plan file is unreadable or invalid; names the file, the line and the field."""

    def __init__(self, file: str, line: int | None, field: str, message: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        from tracker.textsafe import visible

        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {visible(self.field)}:" if self.field else ""
        return visible(f"{where}:{field} {self.message}")


class DependencyCycleError(PlanError):
    """The dependencies form a cycle; ``cycle`` lists the ids in order."""

    def __init__(
        self, file: str, line: int | None, field: str, message: str, cycle: Sequence[str]
    ) -> None:
        self.cycle = list(cycle)
        super().__init__(file, line, field, message)


class PlanErrors(TrackerError):
    """Several located plan errors found in one pass (the first is the headline)."""

    def __init__(self, errors: Sequence[PlanError]) -> None:
        self.errors = list(errors)
        super().__init__(str(self.errors[0]))


class UnknownItemError(TrackerError):
    """An id that no item, deliverable or target of the plan has."""


class ExportError(TrackerError):
    """An export could not be written."""


class ConflictError(TrackerError):
    """Someone else changed the record since it was read; nothing was written. ``changed``
    names the records (their keys) when the writer knows them."""

    def __init__(self, message: str, changed: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.changed = list(changed)


class InputError(TrackerError):
    """A value the user typed is not acceptable (status, percent, date ...)."""


class RowErrors(TrackerError):
    """Several located problems in an input file (CSV rows): each is one line of text."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(errors[0])
