"""JSON: one versioned envelope for one input; JSON Lines (a record per line) for a batch.

The same input always gives byte-identical output: no timestamps, stable key order.
"""

from __future__ import annotations

from svclevel.errors import Problem
from svclevel.records import assessment_record, error_record
from svclevel.report import Reporter
from svclevel.results import Assessment


class JsonReporter(Reporter):
    """A record per input; pretty-printed for a single input, JSON Lines for a batch."""

    def _dump(self, record_json: str) -> str:
        return record_json + "\n"

    def assessment(self, a: Assessment) -> str:
        record = assessment_record(a)
        if self.options.batch:
            return self._dump(record.model_dump_json())
        return self._dump(record.model_dump_json(indent=2))

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        record = error_record(file, problems)
        if self.options.batch:
            return self._dump(record.model_dump_json())
        return self._dump(record.model_dump_json(indent=2))
