"""The machine-readable result: a versioned JSON envelope (schema: :mod:`.json_schema`).

Bump :data:`SCHEMA_VERSION` on any incompatible change (a field removed, renamed or retyped);
adding an optional field is compatible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pydantic_core

from svclevel import __version__
from svclevel.errors import Problem
from svclevel.report._common import level_name
from svclevel.results import (
    Assessment,
    JsonDict,
)

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.results import CriterionChange

SCHEMA_VERSION = 1
"""The version of the JSON records; ``schema_version`` in every record."""


def json_text(record: JsonDict, *, pretty: bool) -> str:
    """A record as JSON text and a newline: indented by 2, or on one line (JSON Lines)."""
    return pydantic_core.to_json(record, indent=2 if pretty else None).decode() + "\n"


def tool_record() -> JsonDict:
    """The ``tool`` member of every record."""
    return {"name": "svclevel", "version": __version__}


def assessment_record(a: Assessment) -> JsonDict:
    """The JSON envelope of an assessment (an :class:`AssessmentRecord`): the record's
    envelope, then :meth:`Assessment.to_dict`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "assessment",
        "tool": tool_record(),
        **a.to_dict(),
    }


def error_record(file: str, problems: tuple[Problem, ...]) -> JsonDict:
    """The JSON record of an input that could not be assessed (an :class:`ErrorRecord`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "error",
        "tool": tool_record(),
        "file": file,
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "path": p.path,
                "message": p.message,
            }
            for p in problems
        ],
    }


# --------------------------------------------------------------------------- compare and diff

# Records of `svclevel compare` (schema: `svclevel schema compare`) and `svclevel diff` (schema:
# `svclevel schema diff`), in the same envelope as the assessment record.


def _ref(level: Any) -> JsonDict | None:
    return None if level is None else {"index": level.index, "id": level.id, "name": level.name}


def comparison_record(c: Comparison) -> JsonDict:
    """The JSON record of a comparison (a ``ComparisonRecord``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "comparison",
        "tool": tool_record(),
        "company": c.company,
        "answers_file": c.answers_file,
        "positions": [
            {
                "rubric": {
                    "id": p.assessment.rubric_id,
                    "version": p.assessment.rubric_version,
                    "title": p.assessment.rubric_title,
                },
                "level": _ref(p.assessment.level),
                "attained": p.assessment.attained,
                "levels_total": len(p.assessment.levels),
                "scale": p.scale,
                "next_level": _ref(p.assessment.next_level),
                "gaps": len(p.assessment.gaps),
            }
            for p in c.positions
        ],
        "strictest": c.strictest.rubric_id,
        "disagreements": [
            {
                "higher": d.higher.rubric_id,
                "lower": d.lower.rubric_id,
                "higher_scale": d.higher.scale,
                "lower_scale": d.lower.scale,
                "deciding": [
                    {
                        "level_id": item.criterion.level_id,
                        "question_id": item.criterion.question_id,
                        "needed": item.criterion.needed,
                        "answer": item.criterion.answer,
                        "status": item.criterion.status.value,
                        "required": item.criterion.required,
                        "other": item.other,
                    }
                    for item in d.deciding
                ],
            }
            for d in c.disagreements
        ],
    }


def crosswalk_record(cw: Crosswalk) -> JsonDict:
    """The JSON record of a crosswalk (a ``CrosswalkRecord``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "crosswalk",
        "tool": tool_record(),
        "reference": cw.reference.rubric.id,
        "others": [o.rubric.id for o in cw.others],
        "rows": [
            {
                "level": {"index": row.index, "id": row.level.id, "name": row.level.name},
                "scale": row.scale,
                "counterparts": [
                    {
                        "rubric": other.rubric.id,
                        "level": None
                        if cell.level is None
                        else {"index": cell.index, "id": cell.level.id, "name": cell.level.name},
                        "scale": cell.scale,
                        "shared": list(cell.shared),
                        "only_here": list(cell.only_here),
                    }
                    for other, cell in zip(cw.others, row.cells, strict=True)
                ],
            }
            for row in cw.rows
        ],
        "only_there": {
            other.rubric.id: list(qs) for other, qs in zip(cw.others, cw.only_there, strict=True)
        },
    }


def diff_record(d: Diff) -> JsonDict:
    """The JSON record of a diff (a ``DiffRecord``)."""

    def crit(change: CriterionChange) -> JsonDict:
        return {
            "level_id": change.after.level_id,
            "question_id": change.after.question_id,
            "before": change.before.answer,
            "after": change.after.answer,
            "needed": change.after.needed,
        }

    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "diff",
        "tool": tool_record(),
        "company": d.company,
        "before": {"file": d.before_file, "date": d.before_date},
        "after": {"file": d.after_file, "date": d.after_date},
        "rubrics": [
            {
                "rubric": r.rubric_id,
                "before": {"attained": r.before.attained, "level": level_name(r.before)},
                "after": {"attained": r.after.attained, "level": level_name(r.after)},
                "level_change": r.level_change,
                "newly_met": [crit(c) for c in r.newly_met],
                "regressed": [crit(c) for c in r.regressed],
            }
            for r in d.rubrics
        ],
        "answers_changed": [
            {"question_id": a.question_id, "before": a.before, "after": a.after}
            for a in d.answers_changed
        ],
    }
