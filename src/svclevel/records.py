"""The machine-readable result: a versioned JSON envelope (schema: :mod:`record_schema`).

Bump :data:`SCHEMA_VERSION` on any incompatible change (a field removed, renamed or retyped);
adding an optional field is compatible.
"""

from __future__ import annotations

from typing import Any

from svclevel import __version__
from svclevel.errors import Problem
from svclevel.report._common import gap_reason
from svclevel.results import Assessment, CriterionResult, LevelResult

SCHEMA_VERSION = 1
"""The version of the JSON records; ``schema_version`` in every record."""


# The records are plain dicts, serialised by pydantic-core, because that is several times
# faster than building the models of record_schema for every record; those models remain the
# definition of the schema, and the tests validate real output against it.

JsonDict = dict[str, Any]


def _level_ref(level: LevelResult) -> JsonDict:
    return {"index": level.index, "id": level.id, "name": level.name}


def _criterion(c: CriterionResult) -> JsonDict:
    return {
        "level_id": c.level_id,
        "question_id": c.question_id,
        "question": c.question,
        "status": c.status.value,
        "answer": c.answer,
        "needed": c.needed,
        "weight": c.weight,
        "required": c.required,
        "tip": c.tip,
        "source": {"title": c.source.title, "section": c.source.section},
        "assumption": c.assumption,
        "evidence": c.evidence,
        "notes": c.notes,
        "line": c.answer_line,
    }


def tool_record() -> JsonDict:
    """The ``tool`` member of every record."""
    return {"name": "svclevel", "version": __version__}


def assessment_record(a: Assessment) -> JsonDict:
    """The JSON envelope of an assessment (an :class:`AssessmentRecord`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "assessment",
        "tool": tool_record(),
        "rubric": {
            "id": a.rubric_id,
            "version": a.rubric_version,
            "title": a.rubric_title,
            "sources": list(a.sources),
        },
        "company": a.company,
        "date": a.date,
        "assessor": a.assessor,
        "answers_file": a.answers_file,
        "level": _level_ref(a.level) if a.level else None,
        "attained": a.attained,
        "levels_total": len(a.levels),
        "below_ladder": a.below_ladder,
        "at_top": a.at_top,
        "next_level": _level_ref(a.next_level) if a.next_level else None,
        "skipped": [_level_ref(lv) for lv in a.skipped],
        "levels": [
            {
                "index": lv.index,
                "id": lv.id,
                "name": lv.name,
                "floor": lv.floor,
                "met": lv.met,
                "counted": lv.index <= a.attained,
                "score": lv.score,
                "met_weight": lv.met_weight,
                "applicable_weight": lv.applicable_weight,
                "pass_mark": lv.pass_mark,
                "criteria": [_criterion(c) for c in lv.criteria],
            }
            for lv in a.levels
        ],
        "gaps": [_criterion(c) for c in a.gaps],
        "roadmap": [
            {
                "level": _level_ref(step.level),
                "reason": gap_reason(step.level),
                "actions": [_criterion(c) for c in step.actions],
            }
            for step in a.roadmap
        ],
        "unanswered": list(a.unanswered),
        "not_applicable": list(a.not_applicable),
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
