"""JSON Schemas of svclevel's files, generated from the Pydantic models (and the question bank).

Editors use them to autocomplete and check rubrics and answers files (``yaml-language-server``
reads a ``# yaml-language-server: $schema=...`` first line); ``svclevel schema NAME`` prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from svclevel.models import EvidenceItem, ExceptionsFile, Question, RespondentEntry, Rubric

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_TEXT_OR_NULL: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "null"}]}


def exceptions_schema() -> dict[str, Any]:
    """The schema of an exceptions file."""
    return {
        "$schema": DRAFT,
        "title": "svclevel exceptions",
        **ExceptionsFile.model_json_schema(mode="validation"),
    }


def _evidence_defs() -> dict[str, Any]:
    """The definitions an evidence item needs (``#/$defs/EvidenceItem`` and what it uses)."""
    item = EvidenceItem.model_json_schema(mode="validation")
    defs = item.pop("$defs", {})
    return {**defs, "EvidenceItem": item}


_ITEM: dict[str, Any] = {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/EvidenceItem"}]}
_EVIDENCE: dict[str, Any] = {
    "description": "What supports the answer: a text, or one or more items with dates "
    "(as_of, period, collected, valid_until), a source and a reviewer.",
    "anyOf": [*_ITEM["anyOf"], {"type": "array", "items": _ITEM, "minItems": 1}, {"type": "null"}],
}


def rubric_schema() -> dict[str, Any]:
    """The schema of a rubric file."""
    return {
        "$schema": DRAFT,
        "title": "svclevel rubric",
        **Rubric.model_json_schema(mode="validation"),
    }


_NOT_APPLICABLE: dict[str, Any] = {"type": "string", "pattern": "^\\s*[nN]/[aA]\\s*$"}
"""``n/a`` as svclevel reads it (any case, spaces around)."""


def _answer_schema(question: Question, na_when: str | None) -> dict[str, Any]:
    """An answer: a bare value or a mapping. ``na_when``: when the rubric accepts n/a (None:
    it does not, or no rubric is known and any question may be n/a: ``""``)."""
    bare = {"anyOf": [question.value_schema(), {"type": "null"}]}
    value: dict[str, Any] = bare
    response = {
        "anyOf": [
            bare,
            {
                "type": "object",
                "properties": {"value": bare, "evidence": _EVIDENCE, "notes": _TEXT_OR_NULL},
                "additionalProperties": False,
            },
        ]
    }
    mapping: dict[str, Any] = {
        "type": "object",
        "properties": {
            "value": value,
            "evidence": _EVIDENCE,
            "notes": _TEXT_OR_NULL,
            "responses": {
                "type": "object",
                "description": "Each respondent's answer, by respondent id (see respondents); "
                "the answer is then their aggregate, or the consensus.",
                "propertyNames": {"$ref": "#/$defs/Slug"},
                "additionalProperties": response,
                "minProperties": 1,
            },
            "consensus": {
                **bare,
                "description": "The assessor's ruling on the respondents' answers; it "
                "replaces their aggregate (with consensus_note).",
            },
            "consensus_note": {**_TEXT_OR_NULL, "description": "Why the ruling is what it is."},
        },
        "additionalProperties": False,
        # responses exclude a value; a consensus comes with its note
        "dependentSchemas": {"responses": {"not": {"required": ["value"]}}},
        "dependentRequired": {"consensus": ["consensus_note", "responses"]},
    }
    if na_when is not None:
        value = {"anyOf": [*bare["anyOf"], _NOT_APPLICABLE]}
        why = f" n/a is accepted when {na_when}." if na_when else ""
        mapping["properties"] = {
            **mapping["properties"],
            "value": value,
            "justification": {
                **_TEXT_OR_NULL,
                "description": "Why the question does not apply (an n/a answer only)." + why,
            },
        }
        # n/a with its justification; a justification with nothing else
        mapping["if"] = {"properties": {"value": _NOT_APPLICABLE}, "required": ["value"]}
        mapping["then"] = {"required": ["justification"]}
        mapping["else"] = {"not": {"required": ["justification"]}}
    return {"description": question.schema_description(), "anyOf": [bare, mapping]}


def answers_schema(
    questions: Mapping[str, Question], na_when: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The schema of an answers file whose answers use ``questions``.

    ``na_when``: the questions the rubrics accept n/a for, and when (None: no rubric is known,
    so n/a, with a justification, is allowed for every question)."""
    return {
        "$schema": DRAFT,
        "title": "svclevel answers",
        "description": "One company's answers, keyed by question id.",
        "type": "object",
        "properties": {
            "company": {"type": "string", "minLength": 1},
            "date": {"type": "string", "format": "date", "description": "The assessment's day."},
            "assessor": _TEXT_OR_NULL,
            "rubric": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "description": "A built-in rubric id, the id of a rubric in a configured "
                "rubric folder, or a path to a rubric file (relative to this file's folder).",
            },
            "period": {
                "type": "object",
                "description": "The assessment period every answer covers (by default the "
                "twelve months up to date).",
                "properties": {
                    "from": {"type": "string", "format": "date"},
                    "to": {"type": "string", "format": "date"},
                },
                "required": ["from", "to"],
                "additionalProperties": False,
            },
            "measurements": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": "Measurement files written by svclevel measure (relative to this "
                "file's folder): their figures answer the number questions left unanswered.",
            },
            "exceptions": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": "Exceptions files (svclevel_exceptions: 1), relative to this "
                "file's folder: criteria left out of the score, or counted as met, until a date.",
            },
            "respondent": {
                "$ref": "#/$defs/Respondent",
                "description": "The one person whose answers this file records (svclevel merge "
                "combines such files).",
            },
            "respondents": {
                "type": "array",
                "items": {"$ref": "#/$defs/Respondent"},
                "description": "The people heard, when answers give responses by respondent.",
            },
            "answers": {
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {
                            qid: _answer_schema(q, "" if na_when is None else na_when.get(qid))
                            for qid, q in sorted(questions.items())
                        },
                        "additionalProperties": False,
                    },
                    {"type": "null"},
                ]
            },
        },
        "required": ["company", "date"],
        "additionalProperties": False,
        "$defs": {**_evidence_defs(), **_respondent_defs()},
    }


def _respondent_defs() -> dict[str, Any]:
    """``#/$defs/Respondent`` and ``#/$defs/Slug``."""
    respondent = RespondentEntry.model_json_schema(mode="validation")
    return {"Respondent": respondent, "Slug": respondent["properties"]["id"]}
