"""Output formats. One registry maps each ``--format`` value to its reporter.

A reporter streams a run: ``start()``; then, per input as results arrive, either
``separator()`` + ``render(assessment)`` + ``note(row)``, or ``invalid()``; then ``finish()``.
Each returns the text to write next; the CLI decides where it goes (stdout or a ``--report``
file), so one run can feed several formats at once. ``render`` is pure (no reporter state), so
worker processes can render while the parent only writes.
"""

from __future__ import annotations

import abc
import enum
from typing import TYPE_CHECKING, NamedTuple, assert_never

if TYPE_CHECKING:
    from collections.abc import Sequence

    from svclevel.errors import Problem
    from svclevel.report._common import SummaryRow
    from svclevel.results import Assessment


class Format(enum.StrEnum):
    """The values of ``--format`` and of ``--report FORMAT=PATH``."""

    RICH = "rich"
    """Colours, progress bars and tables for a terminal."""
    TEXT = "text"
    """Plain text for logs, pipes and NO_COLOR terminals."""
    JSON = "json"
    """A versioned JSON envelope; JSON Lines (one record per input) for several inputs."""
    MARKDOWN = "markdown"
    """For pull-request comments and $GITHUB_STEP_SUMMARY: verdict, gap checklist, summary."""
    JUNIT = "junit"
    """JUnit XML: a test suite per company and rubric, a test case per criterion."""
    CSV = "csv"
    """One row per company and rubric, for spreadsheets."""
    GITHUB = "github"
    """GitHub Actions workflow commands: annotations on the answers that block the next level."""
    HTML = "html"
    """One self-contained HTML document for the client: no scripts, no external requests."""


class ReportOptions(NamedTuple):
    """How the CLI wants a report rendered."""

    explain: bool = False
    """Show every criterion and the arithmetic behind the verdict."""
    width: int = 100
    """Line width of the output."""
    color: bool = True
    """Whether the rich format may use colour (the text format never does)."""
    batch: bool = False
    """More than one input: formats that need it add separators and a closing summary."""


class Reporter(abc.ABC):
    """Renders one run, result by result."""

    def __init__(self, options: ReportOptions) -> None:
        self.options = options

    def start(self) -> str:
        """Text before the first result."""
        return ""

    def separator(self) -> str:
        """Text between two results."""
        return ""

    @abc.abstractmethod
    def render(self, a: Assessment) -> str:
        """Text for one assessment. Pure: it must not depend on or change the reporter's state."""

    def render_output(self, a: Assessment) -> str | bytes:
        """What :meth:`render` gives, or the same text already encoded as UTF-8.

        A format whose output is bytes on the wire (JSON Lines) may build them directly, which
        saves encoding every record's text again on the way out.
        """
        return self.render(a)

    def note(self, row: SummaryRow) -> None:  # noqa: B027 - optional hook, most formats need none
        """Remember an assessment for the closing summary."""

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        """Text for an input that could not be assessed (its messages also go to stderr)."""
        return ""

    def failed(self, file: str, gate: str, lines: Sequence[str]) -> str:
        """Text for an assessment that fails a gate (``--fail-below``, ``--baseline``): most
        formats show it through the exit code and stderr alone."""
        return ""

    def finish(self) -> str:
        """Text after the last result (a summary, closing tags)."""
        return ""


class SummarisingReporter(Reporter):
    """A human-readable format: one report per input, a portfolio summary closing a batch."""

    def __init__(self, options: ReportOptions) -> None:
        super().__init__(options)
        self.rows: list[SummaryRow] = []
        """One line per input so far, for the closing summary."""

    def note(self, row: SummaryRow) -> None:
        self.rows.append(row)

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        if not self.options.batch:
            return ""  # a single input: the messages on stderr say it all
        from svclevel.report._common import SummaryRow

        sep = self.separator()
        self.rows.append(SummaryRow.failed(file))
        return sep + self.render_invalid(file, problems)

    @abc.abstractmethod
    def render_invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        """The report's section for an input that could not be assessed."""


def reporter_for(fmt: Format, options: ReportOptions) -> Reporter:
    """A new reporter for ``fmt``. Each format's module is imported only when it is used."""
    match fmt:
        case Format.RICH:
            from svclevel.report.rich_report import RichReporter

            return RichReporter(options)
        case Format.TEXT:
            from svclevel.report.text_report import TextReporter

            return TextReporter(options)
        case Format.JSON:
            from svclevel.report.json_report import JsonReporter

            return JsonReporter(options)
        case Format.MARKDOWN:
            from svclevel.report.markdown_report import MarkdownReporter

            return MarkdownReporter(options)
        case Format.JUNIT:
            from svclevel.report.junit_report import JunitReporter

            return JunitReporter(options)
        case Format.CSV:
            from svclevel.report.csv_report import CsvReporter

            return CsvReporter(options)
        case Format.GITHUB:
            from svclevel.report.github_report import GithubReporter

            return GithubReporter(options)
        case Format.HTML:
            from svclevel.report.html_report import HtmlReporter

            return HtmlReporter(options)
        case _:
            assert_never(fmt)
