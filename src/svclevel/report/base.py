"""The reporting contract: the formats, the kinds of result, and the hooks every format fills in.

A reporter renders one run of one command, that is one kind of result. It streams: ``start()``;
then, as results arrive, ``separator()`` + ``render(assessment)`` + ``note(row)``, or
``comparison(c)``, ``crosswalk(cw)``, ``diff(d)`` or ``history(h)``; ``invalid()`` for an input
that could not be read and ``failed()`` for a result that fails a gate; then ``finish()``. Each
hook returns the text to write next; the CLI decides where it goes (stdout or a ``--report``
file), so one run can feed several formats at once and the CLI itself writes no format's text.
``render`` is pure (no reporter state), so worker processes can render while the parent only
writes.

A format that cannot show a kind says so in :attr:`Reporter.shows`;
:func:`svclevel.report.reporter_for` then refuses it, before anything is read or written.

Light on purpose: the CLI imports this module for the ``--format`` choices.
"""

from __future__ import annotations

import abc
import enum
from typing import TYPE_CHECKING, ClassVar, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History
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
    PDF = "pdf"
    """The HTML report printed to PDF (A4 or Letter, fonts embedded): the client deliverable.
    Needs the ``pdf`` extra (``pip install 'svclevel[pdf]'``)."""
    SUMMARY = "summary"
    """One line per file, for pre-commit hooks and logs: the level, the gate it fails, or why
    it could not be assessed."""


class Kind(enum.Enum):
    """What a run reports: each command's kind of result."""

    ASSESSMENT = ("assess", "an assessment")
    """A company on one rubric (``svclevel assess``)."""
    COMPARISON = ("compare", "a comparison")
    """A company on several rubrics, and for several companies the portfolio's strictest model
    (``svclevel compare ANSWERS...``)."""
    CROSSWALK = ("compare", "a crosswalk")
    """The rubrics' levels mapped onto each other, without answers (``svclevel compare``)."""
    DIFF = ("diff", "a diff")
    """Two assessments of a company, before and after (``svclevel diff``)."""
    HISTORY = ("history", "a history")
    """One company's dated assessments over time (``svclevel history``)."""

    def __init__(self, command: str, noun: str) -> None:
        self.command = command
        """The command that reports this kind."""
        self.noun = noun
        """The kind in a sentence."""


class WhiteLabel(NamedTuple):
    """How the HTML and PDF reports are labelled for the client (the ``report`` settings)."""

    consultancy: str | None = None
    """The consultancy's name, on the cover and in the running header."""
    logo: str | None = None
    """The logo as a ``data:`` URI (read and checked by :func:`svclevel.report.white_label.
    white_label`), so the report stays one self-contained file."""
    prepared_for: str | None = None
    """Who the report is for; None: the company assessed."""
    prepared_by: str | None = None
    """Who wrote it."""
    reference: str | None = None
    """The engagement's reference."""
    confidentiality: str | None = None
    """A confidentiality line for the cover and every printed page."""
    issued: str | None = None
    """The date of issue (ISO 8601); None: the assessment's date."""
    accent: str = "#2f5bd3"
    """The accent colour (checked: ``#rgb`` or ``#rrggbb``)."""
    paper: str = "A4"
    """The printed page: A4 or Letter."""
    show_paths: bool = False
    """Show answers files as their paths were given, not only their names."""
    logo_named: str | None = None
    """Where the logo was set and its path, for messages (never shown in a report)."""


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
    thresholds: tuple[str, ...] = ()
    """The ``--fail-below`` values, for formats that say the gate on the assessment's line."""
    label: WhiteLabel = WhiteLabel()
    """The white label of the HTML and PDF reports."""


class Reporter(abc.ABC):
    """Renders one run, result by result (see the module docstring for the order of the hooks)."""

    format: ClassVar[Format]
    """The ``--format`` value of this reporter."""
    shows: ClassVar[frozenset[Kind]] = frozenset(Kind)
    """The kinds of result this format can show; the others are refused up front."""
    explains: ClassVar[bool] = False
    """Whether ``--explain`` adds to this format (the data formats hold every criterion
    already)."""
    says_problems: ClassVar[bool] = False
    """This format itself says why an input is invalid and which gate a result fails: on
    stdout, the run does not repeat it on stderr."""
    whole: ClassVar[bool] = False
    """The format is one document made when the run is complete (HTML puts its contents first,
    PDF lays out pages): the text of the hooks is collected and :meth:`document` turns it
    into the output's bytes."""

    def __init__(self, options: ReportOptions, kind: Kind = Kind.ASSESSMENT) -> None:
        self.options = options
        self.kind = kind
        """What this run reports."""

    def document(self, body: str) -> bytes:
        """The whole output of a :attr:`whole` format, from the text its hooks returned."""
        return body.encode("utf-8")

    def start(self) -> str:
        """Text before the first result."""
        return ""

    def separator(self) -> str:
        """Text between two assessments."""
        return ""

    @abc.abstractmethod
    def render(self, a: Assessment) -> str:
        """Text for one assessment. Pure: it must not depend on or change the reporter's state."""

    def note(self, row: SummaryRow) -> None:  # noqa: B027 - optional hook, most formats need none
        """Remember an assessment for the closing summary."""

    def comparison(self, c: Comparison) -> str:
        """Text for one company on several rubrics (remembered for the portfolio summary that
        :meth:`finish` writes after several)."""
        raise self._refused(Kind.COMPARISON)

    def crosswalk(self, cw: Crosswalk) -> str:
        """Text for a crosswalk of rubrics."""
        raise self._refused(Kind.CROSSWALK)

    def diff(self, d: Diff) -> str:
        """Text for two assessments of a company compared."""
        raise self._refused(Kind.DIFF)

    def history(self, h: History) -> str:
        """Text for one company's dated assessments over time."""
        raise self._refused(Kind.HISTORY)

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        """Text for an input that could not be assessed (its messages also go to stderr)."""
        return ""

    def baseline(self, before: Assessment, after: Assessment) -> None:  # noqa: B027 - optional
        """Remember a result's earlier assessment (``--baseline``), for formats that show the
        change."""

    def failed(self, file: str, gate: str, lines: Sequence[str]) -> str:
        """Text for a result that fails a gate (``--fail-below``, ``--baseline``): most formats
        show it through the exit code and stderr alone."""
        return ""

    def finish(self) -> str:
        """Text after the last result (a summary, closing tags)."""
        return ""

    def _refused(self, kind: Kind) -> TypeError:
        # reporter_for() refuses a kind this format does not show, with a usage error, before
        # a run starts: reaching this is a bug in the caller.
        return TypeError(f"the {self.format.value} reporter cannot show {kind.noun}")


class SummarisingReporter(Reporter):
    """A human-readable format: one report per input, a portfolio summary closing a batch."""

    def __init__(self, options: ReportOptions, kind: Kind = Kind.ASSESSMENT) -> None:
        super().__init__(options, kind)
        self.rows: list[SummaryRow] = []
        """One line per assessment so far, for the closing summary."""
        self.comparisons: list[Comparison] = []
        """Every comparison so far, for the closing portfolio summary."""

    def note(self, row: SummaryRow) -> None:
        self.rows.append(row)

    def comparison(self, c: Comparison) -> str:
        self.comparisons.append(c)
        return self.render_comparison(c)

    @abc.abstractmethod
    def render_comparison(self, c: Comparison) -> str:
        """The report's section for one comparison."""

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        if not self.options.batch or self.kind is not Kind.ASSESSMENT:
            return ""  # a single input: the messages on stderr say it all
        from svclevel.report._common import SummaryRow

        sep = self.separator()
        self.rows.append(SummaryRow.failed(file))
        return sep + self.render_invalid(file, problems)

    @abc.abstractmethod
    def render_invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        """The report's section for an input that could not be assessed."""
