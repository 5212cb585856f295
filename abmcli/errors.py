"""The exceptions abm raises, each carrying a message a marketing-ops user can act on.

The CLI renders every `AbmError` as one line and exits with its `exit_code`;
anything else is a bug and exits with `ExitCode.INTERNAL`.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    PARTIAL = 1  # some sources failed, the rest were processed
    INPUT = 2  # bad input file, config or usage
    LOCKED = 3  # another run holds the lock
    INTERNAL = 4  # a bug in abm


class AbmError(Exception):
    """Something the user can fix; the message says what and how."""

    exit_code = ExitCode.INPUT

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as it is (a worker process sends it back, workers.py), not by calling
        # the class with its message: InputFileError's constructor takes other arguments.
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(kind: type[AbmError], args: tuple[object, ...],
             attributes: dict[str, object]) -> AbmError:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(attributes)
    return error


class InputFileError(AbmError):
    """An input file is missing, unreadable or not a table."""

    def __init__(self, path: object, problem: str, hint: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        message = f"{self.path}: {problem}"
        super().__init__(f"{message}. {hint}" if hint else message)


class ColumnError(InputFileError):
    """A file lacks a column abm needs, or a column holds values it cannot use."""


class ConfigError(AbmError):
    """The config file is missing, malformed or holds a bad value."""


class WorkbookError(AbmError):
    """A workbook abm reads is not one it wrote, or cannot be written."""


class ExpressionError(AbmError):
    """A segment filter expression does not parse or names an unknown column."""
