"""Every error a user can cause, in one place.

Each class carries the exit code the CLI returns for it, so the CLI never has to
guess and never shows a traceback for something that is the user's to fix.
"""

from __future__ import annotations


class JituanError(Exception):
    """Base class: a problem the user can fix. The CLI prints ``str(err)`` and exits."""

    exit_code = 2


class ConfigError(JituanError):
    """The groups/targets configuration is missing, unparsable or invalid."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}: {p}" for p in problems))


class InputError(JituanError):
    """A ledger cannot be read at all (missing, unreadable, no usable header...)."""


class UsageError(JituanError):
    """An option value that makes no sense (unknown period, unknown group...)."""
