"""CSV: one row per company and rubric, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from svclevel.errors import Problem, printable
from svclevel.report._common import (
    POSITION_HEADER,
    disputed_criteria,
    position_cells,
    response_items,
    scale,
)
from svclevel.report.base import Format, Kind, Reporter
from svclevel.results import Assessment, CriterionChange

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History

COLUMNS = (
    "file",
    "status",
    "company",
    "date",
    "period_from",
    "period_to",
    "assessor",
    "rubric",
    "rubric_version",
    "level_index",
    "levels_total",
    "level_id",
    "level_name",
    "next_level_id",
    "next_level_name",
    "gaps",
    "required_gaps",
    "unanswered",
    "not_applicable",
    "provisional",
    "deciding_answered",
    "deciding_total",
    "could_reach_id",
    "measured",
    "measurement_warnings",
    "evaluated_on",
    "evidence_stale",
    "evidence_expiring",
    "evidence_undated",
    "exceptions_active",
    "exceptions_expired",
    "error",
    "respondents",
    "aggregation",
    "alpha",
    "disputed",
    "disputed_questions",
    "responses",
    "distribution",
    "aggregate",
    "consensus",
    "flags",
)

COMPARISON_COLUMNS = (
    "file",
    "company",
    *(h.replace(" ", "_") for h in POSITION_HEADER),
    "provisional",
    "evaluated_on",
    "evidence_stale",
    "exceptions_active",
)
"""A row per company and compared rubric."""

CROSSWALK_COLUMNS = (
    "reference",
    "level",
    "scale",
    "rubric",
    "counterpart",
    "counterpart_scale",
    "shared",
    "only_in_reference",
    "raised_from",
)
"""A row per level of the reference rubric and other rubric."""

DIFF_COLUMNS = (
    "company",
    "rubric",
    "before",
    "after",
    "before_provisional",
    "after_provisional",
    "level_change",
    "newly_met",
    "regressed",
    "before_file",
    "after_file",
    "exceptions_added",
    "exceptions_removed",
    "exceptions_expired",
)
"""A row per rubric the two assessments are compared on."""

HISTORY_COLUMNS = (
    "company",
    "rubric",
    "date",
    "file",
    "level_index",
    "levels_total",
    "level_id",
    "level_name",
    "provisional",
    "level_change",
    "gained",
    "lost",
    "gained_criteria",
    "lost_criteria",
    "exceptions_active",
    "exception_changes",
)
"""A row per date and rubric; the change columns compare it with the date before (empty on
the first date). Criteria are ``level_id.question_id``, separated by spaces."""

_HEADERS = {
    Kind.ASSESSMENT: COLUMNS,
    Kind.COMPARISON: COMPARISON_COLUMNS,
    Kind.CROSSWALK: CROSSWALK_COLUMNS,
    Kind.DIFF: DIFF_COLUMNS,
    Kind.HISTORY: HISTORY_COLUMNS,
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A text cell as :func:`printable` shows it (one line, no escape characters, no CI
    command), prefixed with an apostrophe where a spreadsheet would run it as a formula (CSV
    injection)."""
    cell = printable(cell)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """CSV lines for ``rows``: text cells neutralised, numbers as numbers, None as empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(
            [
                "" if cell is None else neutralise(cell) if isinstance(cell, str) else cell
                for cell in row
            ]
        )
    return buffer.getvalue()


def _criteria(changes: Sequence[CriterionChange]) -> str:
    return " ".join(f"{c.after.level_id}.{c.after.question_id}" for c in changes)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _panel(a: Assessment) -> dict[str, object]:
    """The respondents' columns: the panel once, then each disputed question's responses,
    distribution, aggregate, consensus (where one is ruled) and flags, ``question: ...`` joined
    by `` | `` (a row is an assessment, so the questions share a cell)."""
    panel = a.panel
    if panel is None:
        return {}
    disputed = [c.responses for c in disputed_criteria(a) if c.responses is not None]
    ids = [c.question_id for c in disputed_criteria(a)]

    def each(words: list[str]) -> str:
        return " | ".join(f"{q}: {w}" for q, w in zip(ids, words, strict=True))

    return {
        "respondents": "; ".join(r.label for r in panel.respondents),
        "aggregation": f"{panel.aggregation} ({panel.aggregation_source})",
        "alpha": panel.alpha_words,
        "disputed": len(panel.disputed),
        "disputed_questions": " ".join(panel.disputed),
        "responses": each([response_items(r) for r in disputed]),
        "distribution": each([r.shown_distribution for r in disputed]),
        "aggregate": each([f"{r.aggregate} ({r.method})" for r in disputed]),
        "consensus": " | ".join(
            f"{q}: {r.consensus}" for q, r in zip(ids, disputed, strict=True) if r.consensus
        ),
        "flags": each(["; ".join(r.flag_words) for r in disputed]),
    }


class CsvReporter(Reporter):
    """A header, then one row per input (per compared rubric, per level of a crosswalk)."""

    format = Format.CSV

    def _row(self, values: dict[str, object]) -> str:
        return csv_text([[values.get(c) for c in COLUMNS]])

    def start(self) -> str:
        return ",".join(_HEADERS[self.kind]) + "\n"

    def render(self, a: Assessment) -> str:
        nxt = a.next_level
        return self._row(
            {
                "file": a.answers_file,
                "status": "assessed",
                "company": a.company,
                "date": a.date,
                "period_from": a.period[0],
                "period_to": a.period[1],
                "assessor": a.assessor,
                "rubric": a.rubric_id,
                "rubric_version": a.rubric_version,
                "level_index": a.attained,
                "levels_total": len(a.levels),
                "level_id": a.level.id if a.level else "",
                "level_name": a.level_name,
                "next_level_id": nxt.id if nxt else "",
                "next_level_name": nxt.name if nxt else "",
                "gaps": len(a.gaps),
                "required_gaps": sum(1 for c in a.gaps if c.required),
                "unanswered": len(a.unanswered),
                "not_applicable": len(a.not_applicable),
                "provisional": _yes(a.provisional),
                "deciding_answered": a.completeness.answered,
                "deciding_total": a.completeness.deciding,
                "could_reach_id": reach.id if (reach := a.completeness.could_reach) else "",
                "measured": " ".join(a.measured),
                "measurement_warnings": len(a.measurement_notes),
                "evaluated_on": a.evaluated_on,
                "evidence_stale": " ".join(a.stale),
                "evidence_expiring": " ".join(a.expiring),
                "evidence_undated": " ".join(a.undated),
                "exceptions_active": " ".join(e.criterion for e in a.active_exceptions),
                "exceptions_expired": " ".join(e.criterion for e in a.expired_exceptions),
                **_panel(a),
            }
        )

    def comparison(self, c: Comparison) -> str:
        rows = []
        for p in c.positions:
            cells = position_cells(p)
            cells[1] = p.assessment.level_name  # provisional has a column of its own
            a = p.assessment
            rows.append(
                [
                    c.answers_file,
                    c.company,
                    *cells,
                    _yes(a.provisional),
                    a.evaluated_on,
                    " ".join(a.stale),
                    " ".join(e.criterion for e in a.active_exceptions),
                ]
            )
        return csv_text(rows)

    def crosswalk(self, cw: Crosswalk) -> str:
        ref = cw.reference.rubric.id
        return csv_text(
            [
                ref,
                row.level.name,
                scale(row.scale),
                other.rubric.id,
                cell.level.name if cell.level else "",
                scale(cell.scale) if cell.level else "",
                " ".join(cell.shared),
                " ".join(cell.only_here),
                cell.raised_from.name if cell.raised_from else "",
            ]
            for row in cw.rows
            for other, cell in zip(cw.others, row.cells, strict=True)
        )

    def diff(self, d: Diff) -> str:
        return csv_text(
            [
                d.company,
                r.rubric_id,
                r.before.level_name,
                r.after.level_name,
                _yes(r.before.provisional),
                _yes(r.after.provisional),
                r.level_change,
                len(r.newly_met),
                len(r.regressed),
                d.before_file,
                d.after_file,
                " ".join(e.criterion for e in r.exceptions.added),
                " ".join(e.criterion for e in r.exceptions.removed),
                " ".join(e.criterion for e in r.exceptions.expired),
            ]
            for r in d.rubrics
        )

    def history(self, h: History) -> str:
        rows = []
        for r in h.rubrics:
            for i, p in enumerate(r.points):
                step = r.steps[i - 1] if i else None
                level = p.level
                rows.append(
                    [
                        h.company,
                        r.rubric_id,
                        p.date,
                        p.answers_file,
                        p.attained,
                        p.levels_total,
                        level.id if level else "",
                        p.level_name,
                        _yes(p.provisional),
                        None if step is None else step.level_change,
                        None if step is None else len(step.gained),
                        None if step is None else len(step.lost),
                        None if step is None else _criteria(step.gained),
                        None if step is None else _criteria(step.lost),
                        " ".join(e.criterion for e in p.assessment.active_exceptions),
                        None if step is None else "; ".join(step.exceptions.lines()),
                    ]
                )
        return csv_text(rows)

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        if self.kind is not Kind.ASSESSMENT:
            return ""  # a comparison's columns have no room for it: stderr and the exit code say it
        return self._row(
            {"file": file, "status": "invalid", "error": "; ".join(map(str, problems))}
        )
