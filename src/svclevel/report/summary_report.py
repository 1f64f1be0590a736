"""One line per file, for pre-commit hooks and logs.

``path: Company — Level N of M (Name)``, followed by ``, below the gate Level K (Name)`` when
the company is below ``--fail-below``; for an input that could not be assessed, its first
``file:line:col: message``. Text from the files is kept on its line (control characters are
escaped), so a file cannot forge another file's line. A diff is a line per rubric, the level
before and after; a history a line per rubric, the level of each date and the trend. A
comparison has no single level to put on a line: this format refuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from svclevel.engine.gates import level_index, threshold_for
from svclevel.errors import UsageError, printable
from svclevel.report._common import change_word, evidence_counts, exceptions_tag, level_path
from svclevel.report.base import Format, Kind, Reporter
from svclevel.results import Assessment

if TYPE_CHECKING:
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History
    from svclevel.errors import Problem


def _level(a: Assessment, index: int) -> str:
    name = a.levels[index - 1].name if index else "below the ladder"
    return f"Level {index} of {len(a.levels)} ({name})"


class SummaryReporter(Reporter):
    """A line per assessment, per invalid input and per drop against ``--baseline``."""

    format = Format.SUMMARY
    shows = frozenset({Kind.ASSESSMENT, Kind.DIFF, Kind.HISTORY})
    says_problems = True

    def render(self, a: Assessment) -> str:
        line = f"{a.answers_file}: {a.company} — {_level(a, a.attained)}"
        if a.provisional:
            line += f" ({a.completeness.note})"
        tag = exceptions_tag(a)
        if tag:
            line += f" ({tag})"
        if a.measured:
            line += f", {len(a.measured)} measured"
        counts = evidence_counts(a)
        if counts:
            line += f", evidence {counts}"
        if a.expired_exceptions:
            line += f", {len(a.expired_exceptions)} exception(s) expired"
        if a.exceptions and not a.exceptions_applied:
            line += f", {len(a.exceptions)} exception(s) not applied"
        differs = sum(1 for n in a.measurement_notes if n.kind == "differs")
        if differs:
            line += f", {differs} answer(s) differ from their measurement"
        unused = sum(1 for n in a.measurement_notes if n.kind == "not_used")
        if unused:
            line += f", {unused} measured figure(s) not used"
        if a.panel is not None:
            n = len(a.panel.respondents)
            line += f", {n} respondent{'' if n == 1 else 's'}"
            if a.panel.disputed:
                disputed = len(a.panel.disputed)
                line += f" disagree on {disputed} question{'' if disputed == 1 else 's'}"
            if a.panel.calibrate:
                line += " (calibrate)"
        spec = threshold_for(a, list(self.options.thresholds))
        if spec is not None:
            try:
                needed = level_index(a, spec)
            except UsageError:  # a level this rubric lacks: that file's error, said on stderr
                needed = 0
            if a.attained < needed:
                name = a.levels[needed - 1].name
                line += f", below the gate Level {needed} ({name})"
        return printable(line) + "\n"

    def diff(self, d: Diff) -> str:
        return "".join(
            printable(
                f"{d.after_file}: {d.company} on {r.rubric_id} — "
                f"{_level(r.before, r.before.attained)} → {_level(r.after, r.after.attained)}, "
                f"{change_word(r)}" + "".join(f"; {line}" for line in r.exceptions.lines())
            )
            + "\n"
            for r in d.rubrics
        )

    def history(self, h: History) -> str:
        return "".join(
            printable(
                f"{r.latest.answers_file}: {h.company} on {r.rubric_id} — {level_path(r)} "
                f"({r.trend}), {r.first.date} to {r.latest.date}"
            )
            + "\n"
            for r in h.rubrics
        )

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        if not problems:  # pragma: no cover - an invalid input always says why
            return printable(f"{file}: could not be assessed") + "\n"
        more = len(problems) - 1
        # The problems may be in another file (an exceptions or measurement file it names).
        elsewhere = problems[0].file != file
        where = (
            f"svclevel validate {problems[0].file}" if elsewhere else f"svclevel validate {file}"
        )
        rest = f" (and {more} more: {where})" if more else ""
        return printable(f"{problems[0]}{rest}") + "\n"

    def failed(self, file: str, gate: str, lines: Sequence[str]) -> str:
        if gate == "below --fail-below":
            return ""  # said on the assessment's own line
        # A drop against --baseline: its head line (the criteria that regressed follow it in
        # the other formats; the gate's line names the company, rubric and both levels).
        return printable(lines[0]) + "\n" if lines else ""
