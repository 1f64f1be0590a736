"""CSV: one row per company and rubric, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from svclevel.errors import Problem
from svclevel.report import Reporter
from svclevel.results import Assessment

COLUMNS = (
    "file",
    "status",
    "company",
    "date",
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
    "error",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with an apostrophe (CSV injection)."""
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


class CsvReporter(Reporter):
    """A header, then one row per input."""

    def _row(self, values: dict[str, object]) -> str:
        return csv_text([[values.get(c) for c in COLUMNS]])

    def start(self) -> str:
        return ",".join(COLUMNS) + "\n"

    def render(self, a: Assessment) -> str:
        nxt = a.next_level
        return self._row(
            {
                "file": a.answers_file,
                "status": "assessed",
                "company": a.company,
                "date": a.date,
                "assessor": a.assessor,
                "rubric": a.rubric_id,
                "rubric_version": a.rubric_version,
                "level_index": a.attained,
                "levels_total": len(a.levels),
                "level_id": a.level.id if a.level else "",
                "level_name": a.level.name if a.level else "below the ladder",
                "next_level_id": nxt.id if nxt else "",
                "next_level_name": nxt.name if nxt else "",
                "gaps": len(a.gaps),
                "required_gaps": sum(1 for c in a.gaps if c.required),
                "unanswered": len(a.unanswered),
                "not_applicable": len(a.not_applicable),
            }
        )

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        return self._row(
            {"file": file, "status": "invalid", "error": "; ".join(map(str, problems))}
        )
