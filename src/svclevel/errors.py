"""The one exception family of svclevel.

Every failure the user can fix is a :class:`SvclevelError`. The CLI catches it once, prints
its problems on stderr and exits with code 2; nothing else in the package prints or exits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with one input file, located as precisely as the input allows."""

    file: str
    """The file as the user named it (or the built-in rubric's name)."""
    line: int | None
    """1-based line of the offending node, or None when the problem has no position."""
    column: int | None
    """1-based column of the offending node."""
    path: str
    """Dotted path inside the document (``answers.first_response_hours``); empty for the root."""
    message: str
    """What is wrong, phrased for the person who edits the file."""

    def __str__(self) -> str:
        where = printable(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        message = printable(self.message)
        return f"{where}: {printable(self.path)}: {message}" if self.path else f"{where}: {message}"


def printable(text: str) -> str:
    """``text`` as svclevel shows text from a file: the one escaping policy of every message and
    every human-readable report (docs/security.md).

    - Control, escape, bidi and other invisible characters are shown as escape sequences
      (``\\x1b``, ``\\u202e``): the text stays on one line and cannot move a terminal's cursor,
      retitle its window, or read differently from what it is.
    - GitHub Actions workflow commands are broken: ``##[`` (which the runner acts on anywhere in
      a line) becomes ``# #[``, and ``::`` (a command when it starts a line, which wrapping can
      make it do) becomes ``: :``.

    Formats add their own escaping on top (Markdown, HTML, XML); JSON keeps the text exactly
    and escapes the same characters in its own way (:func:`svclevel.report.json_records.json_text`).
    """
    if text.isprintable() and "##[" not in text and "::" not in text:
        return text
    if not text.isprintable():
        text = "".join(
            ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text
        )
    return _WORKFLOW_COMMAND.sub(r"\g<0> ", text)


_WORKFLOW_COMMAND = re.compile(r"#(?=#\[)|:(?=:)")
"""Where a space goes so that no ``##[`` and no ``::`` is left (``###[`` → ``## #[``)."""


class SvclevelError(Exception):
    """Base of every error a user can act on (bad input or bad usage): exit code 2."""

    def messages(self) -> list[str]:
        """The lines to print, one per problem."""
        return [str(self)]


class UsageError(SvclevelError):
    """The command line names something that does not exist or cannot be combined."""


class OutputIsInputError(SvclevelError):
    """A file svclevel is about to write (a ``--report`` target, ``init -o``) is also one it
    reads. It stops the whole run, never only the input at hand: a batch that went on would
    replace the input with its report."""


class InputError(SvclevelError):
    """One or more problems in an input file; all problems of a file are reported at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0))
        )
        super().__init__("\n".join(str(p) for p in self.problems))

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """A ``; did you mean 'x'?`` suffix for the closest candidate, or an empty string."""
    import difflib

    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
