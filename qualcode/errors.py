"""The errors qualcode raises for a user's mistake; the CLI prints them as one line."""

from __future__ import annotations


class QualcodeError(Exception):
    """A problem the user can fix: printed as one line, exit status 1, no traceback."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ProjectNotFound(QualcodeError):
    """No qualcode.toml was found where the project was expected."""


class ProjectExists(QualcodeError):
    """`init` found a project already there."""


class ImportFailed(QualcodeError):
    """A transcript could not be read or parsed."""


class CodebookError(QualcodeError):
    """A codebook file is malformed or inconsistent."""


class DataError(QualcodeError):
    """A data file (codings, gold annotations) is malformed or names unknown things."""


class StorageError(QualcodeError):
    """The database cannot be opened or is at an unknown schema version."""
