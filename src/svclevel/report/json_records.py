"""The machine-readable result: a versioned JSON envelope (schema: :mod:`record_schema`).

Bump :data:`SCHEMA_VERSION` on any incompatible change (a field removed, renamed or retyped);
adding an optional field is compatible.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import pydantic_core

from svclevel import __version__
from svclevel.errors import Problem
from svclevel.report._common import gap_reason, level_name
from svclevel.results import Assessment, CriterionResult, CriterionSpec, LevelResult, Status

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.results import CriterionChange

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


def json_text(record: JsonDict, *, pretty: bool) -> str:
    """A record as JSON text and a newline: indented by 2, or on one line (JSON Lines).

    pydantic-core serialises: about three times faster than the json module here.
    """
    return pydantic_core.to_json(record, indent=2 if pretty else None).decode() + "\n"


def tool_record() -> JsonDict:
    """The ``tool`` member of every record."""
    return {"name": "svclevel", "version": __version__}


def assessment_record(a: Assessment, *, criteria: bool = True) -> JsonDict:
    """The JSON envelope of an assessment (an :class:`AssessmentRecord`).

    Without ``criteria``, the lists of criteria (in levels, gaps and roadmap steps) are left
    out, for :func:`assessment_json` to write.
    """
    crit = _criterion if criteria else None
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
                **({"criteria": [crit(c) for c in lv.criteria]} if crit else {}),
            }
            for lv in a.levels
        ],
        "gaps": [crit(c) for c in a.gaps] if crit else [],
        "roadmap": [
            {
                "level": _level_ref(step.level),
                "reason": gap_reason(step.level),
                **({"actions": [crit(c) for c in step.actions]} if crit else {}),
            }
            for step in a.roadmap
        ],
        "unanswered": list(a.unanswered),
        "not_applicable": list(a.not_applicable),
    }


# --------------------------------------------------------------------------- compact JSON text

# A batch writes one compact record per line, and most of a record is the rubric's own text
# (questions, tips, sources), the same for every company. assessment_json() writes the same
# bytes as serialising assessment_record() compactly, but serialises each criterion's fixed
# part once per rubric and only splices in what the answers changed: about twice as fast.
# The tests compare the two on every example and on random assessments.


def _json(value: Any) -> bytes:
    return pydantic_core.to_json(value)


def _text(value: str | None) -> bytes:
    # The json module's escaping is that of pydantic-core for every string (a test checks it).
    return b"null" if value is None else encode_basestring(value).encode()


_SPEC_PARTS: dict[int, tuple[CriterionSpec, bytes, bytes]] = {}
_STATUS = {status: _json(status.value) + b',"answer":' for status in Status}


def _spec_parts(spec: CriterionSpec) -> tuple[bytes, bytes]:
    """A criterion's JSON up to its status, and from ``needed`` to ``assumption``."""
    cached = _SPEC_PARTS.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1], cached[2]
    head = _json(
        {"level_id": spec.level_id, "question_id": spec.question_id, "question": spec.question}
    )
    middle = _json(
        {
            "needed": spec.needed,
            "weight": spec.weight,
            "required": spec.required,
            "tip": spec.tip,
            "source": {"title": spec.source.title, "section": spec.source.section},
            "assumption": spec.assumption,
        }
    )
    parts = (head[:-1] + b',"status":', b"," + middle[1:-1] + b',"evidence":')
    _SPEC_PARTS[id(spec)] = (spec, *parts)
    return parts


def _criterion_json(c: CriterionResult) -> bytes:
    head, middle = _spec_parts(c.spec)
    line = b"null" if c.answer_line is None else b"%d" % c.answer_line
    return b"".join(
        (
            head,
            _STATUS[c.status],
            _text(c.answer),
            middle,
            _text(c.evidence),
            b',"notes":',
            _text(c.notes),
            b',"line":',
            line,
            b"}",
        )
    )


def assessment_json(a: Assessment) -> bytes:
    """``assessment_record(a)`` as compact JSON, UTF-8 encoded (no spaces, no newline)."""
    record = assessment_record(a, criteria=False)
    # A gap appears in its level, in the gaps and in the first roadmap step: written once.
    written: dict[int, bytes] = {}

    def criteria(items: tuple[CriterionResult, ...]) -> bytes:
        out = []
        for c in items:
            text = written.get(id(c))
            if text is None:
                text = written[id(c)] = _criterion_json(c)
            out.append(text)
        return b"[" + b",".join(out) + b"]"

    levels = b",".join(
        _json(level)[:-1] + b',"criteria":' + criteria(lv.criteria) + b"}"
        for level, lv in zip(record.pop("levels"), a.levels, strict=True)
    )
    roadmap = b",".join(
        _json(step)[:-1] + b',"actions":' + criteria(s.actions) + b"}"
        for step, s in zip(record.pop("roadmap"), a.roadmap, strict=True)
    )
    tail = {"unanswered": record.pop("unanswered"), "not_applicable": record.pop("not_applicable")}
    del record["gaps"]
    return b"".join(
        (
            _json(record)[:-1],
            b',"levels":[',
            levels,
            b'],"gaps":',
            criteria(a.gaps),
            b',"roadmap":[',
            roadmap,
            b"],",
            _json(tail)[1:],
        )
    )


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
