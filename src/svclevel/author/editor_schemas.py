"""JSON Schemas of svclevel's files, generated from the Pydantic models (and the question bank).

Editors use them to autocomplete and check rubrics and answers files (``yaml-language-server``
reads a ``# yaml-language-server: $schema=...`` first line); ``svclevel schema NAME`` prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from svclevel.models import Question, Rubric

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_TEXT_OR_NULL: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "null"}]}


def rubric_schema() -> dict[str, Any]:
    """The schema of a rubric file."""
    return {
        "$schema": DRAFT,
        "title": "svclevel rubric",
        **Rubric.model_json_schema(mode="validation"),
    }


def _answer_schema(question: Question) -> dict[str, Any]:
    value = {"anyOf": [question.value_schema(), {"const": "n/a"}, {"type": "null"}]}
    return {
        "description": question.schema_description(),
        "anyOf": [
            value,
            {
                "type": "object",
                "properties": {
                    "value": value,
                    "evidence": _TEXT_OR_NULL,
                    "notes": _TEXT_OR_NULL,
                    "justification": {
                        **_TEXT_OR_NULL,
                        "description": "Why the question does not apply (an n/a answer only; "
                        "n/a is accepted only where the rubric says when).",
                    },
                },
                "additionalProperties": False,
            },
        ],
    }


def answers_schema(questions: Mapping[str, Question]) -> dict[str, Any]:
    """The schema of an answers file whose answers use ``questions``."""
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
            "answers": {
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {
                            qid: _answer_schema(q) for qid, q in sorted(questions.items())
                        },
                        "additionalProperties": False,
                    },
                    {"type": "null"},
                ]
            },
        },
        "required": ["company", "date"],
        "additionalProperties": False,
    }
