"""JSON: one versioned envelope for one input; JSON Lines (a record per line) for a batch.

The same input always gives byte-identical output: no timestamps, stable key order. Schemas:
``svclevel schema result`` (assess), ``compare`` (compare, with or without answers), ``diff``,
``history``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from svclevel.errors import Problem
from svclevel.report.base import Format, Reporter
from svclevel.report.json_records import (
    assessment_record,
    comparison_record,
    crosswalk_record,
    diff_record,
    error_record,
    history_record,
    json_text,
)
from svclevel.results import Assessment

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History


class JsonReporter(Reporter):
    """A record per input; pretty-printed for a single input, JSON Lines for a batch."""

    format = Format.JSON

    def _dump(self, record: dict[str, Any]) -> str:
        return json_text(record, pretty=not self.options.batch)

    def render(self, a: Assessment) -> str:
        return self._dump(assessment_record(a))

    def comparison(self, c: Comparison) -> str:
        return self._dump(comparison_record(c))

    def crosswalk(self, cw: Crosswalk) -> str:
        return self._dump(crosswalk_record(cw))

    def diff(self, d: Diff) -> str:
        return self._dump(diff_record(d))

    def history(self, h: History) -> str:
        return self._dump(history_record(h))

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        return self._dump(error_record(file, problems))
