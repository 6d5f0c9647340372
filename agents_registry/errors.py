"""Domain errors of the agent registry; the API maps each class to one HTTP status."""

from __future__ import annotations


class RegistryError(Exception):
    """Base class; ``message`` is safe to show to the caller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(RegistryError):
    """One or more fields are invalid; ``problems`` maps field paths to reasons."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        first = next(iter(problems.items()))
        super().__init__(
            f"Invalid {first[0]}: {first[1]}"
            + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "")
        )


class NotFound(RegistryError):
    pass


class Conflict(RegistryError):
    """The request contradicts existing state; ``field`` names what clashes."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Forbidden(RegistryError):
    pass


class Unauthorized(RegistryError):
    pass
