"""JSON: one versioned envelope for one input; JSON Lines (a record per line) for a batch.

The same input always gives byte-identical output: no timestamps, stable key order.
"""

from __future__ import annotations

from typing import Any

from svclevel.errors import Problem
from svclevel.report import Reporter
from svclevel.report.json_records import assessment_record, error_record, json_text
from svclevel.results import Assessment


class JsonReporter(Reporter):
    """A record per input; pretty-printed for a single input, JSON Lines for a batch."""

    def _dump(self, record: dict[str, Any]) -> str:
        return json_text(record, pretty=not self.options.batch)

    def render(self, a: Assessment) -> str:
        return self._dump(assessment_record(a))

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        return self._dump(error_record(file, problems))
