"""Exceptions that carry a message a user can act on."""


class LabormatchError(Exception):
    """Base class: the message names what is wrong and, where it applies, the file or field."""


class SourceError(LabormatchError):
    """A raw or uploaded file cannot be read: unknown layout, missing columns, empty, damaged or wrong encoding."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class SnapshotError(LabormatchError):
    """The embedded data snapshot is missing or does not match its manifest."""
