"""The error tree.

Every error newsrights raises on purpose derives from :class:`NewsrightsError`.
Messages say what went wrong *and* how to fix it where that is known; callers
attach context with ``exc.add_note(...)``.

    NewsrightsError
    ├── InputError          bad input the user can fix (a file, an argument)
    │   └── RejectedInput   one record rejected with a machine-readable reason
    ├── ConfigError         settings, database URL, missing optional dependency
    ├── StorageError        the database refused or is out of date (run migrations)
    ├── RightsError         a rights rule cannot be applied (e.g. illegal case move)
    │   └── IllegalTransition
    ├── FetchError          network fetch failed (status or exception)
    └── EvidenceError       an evidence package failed verification
"""

from __future__ import annotations


class NewsrightsError(Exception):
    """Root of all newsrights errors."""


class InputError(NewsrightsError):
    """Input the user can fix: a path, a file, an argument."""


class RejectedInput(InputError):
    """One record rejected; ``reason`` is a short snake_case code (``dropped_<reason>``)."""

    def __init__(self, reason: str, detail: str = "", origin: str = "") -> None:
        self.reason = reason
        self.detail = detail
        self.origin = origin
        super().__init__(f"{origin}: {reason}" + (f" ({detail})" if detail else ""))


class ConfigError(NewsrightsError):
    """Settings are wrong or an optional dependency is missing."""


class StorageError(NewsrightsError):
    """The database refused an operation or its schema is out of date."""


class RightsError(NewsrightsError):
    """A rights rule cannot be applied."""


class IllegalTransition(RightsError):
    """A case cannot move from its current state to the one asked for."""


class FetchError(NewsrightsError):
    """A page could not be fetched."""


class EvidenceError(NewsrightsError):
    """An evidence package does not verify."""
