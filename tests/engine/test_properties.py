"""Property tests: the ladder is monotone in every answer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svclevel.engine.score import score
from svclevel.load.checks import Answer, Answers
from svclevel.load.rubrics import load_rubric
from svclevel.models import NumberQuestion, Question, ScaleQuestion
from svclevel.results import Assessment
from tests.helpers import BUILTIN_IDS


def _value(question: Question) -> st.SearchStrategy[Any]:
    if isinstance(question, ScaleQuestion):
        return st.sampled_from(question.labels)
    if isinstance(question, NumberQuestion):
        return st.floats(min_value=question.min, max_value=question.max, allow_nan=False)
    return st.booleans()


def _better(question: Question, value: Any) -> st.SearchStrategy[Any]:
    """Any answer at least as good as ``value`` (any answer at all when it is unanswered)."""
    if value is None:
        return _value(question)
    if isinstance(question, ScaleQuestion):
        return st.sampled_from(question.labels[question.labels.index(value) :])
    if isinstance(question, NumberQuestion):
        if question.better == "higher":
            return st.floats(min_value=value, max_value=question.max, allow_nan=False)
        return st.floats(min_value=question.min, max_value=value, allow_nan=False)
    return st.just(True)


def _assess(rubric_id: str, values: dict[str, Any]) -> Assessment:
    answers = Answers(
        source="property.yaml",
        company="P",
        date="2026-01-01",
        assessor=None,
        rubric=rubric_id,
        answers={qid: Answer(value=v) for qid, v in values.items()},
    )
    return score(load_rubric(rubric_id), answers)


@st.composite
def answers_and_improvement(draw: st.DrawFn, rubric_id: str) -> tuple[dict[str, Any], str, Any]:
    questions = load_rubric(rubric_id).questions
    values: dict[str, Any] = {}
    for qid, question in sorted(questions.items()):
        values[qid] = draw(st.one_of(st.none(), _value(question)))
    target = draw(st.sampled_from(sorted(questions)))
    improved = draw(_better(questions[target], values[target]))
    return values, target, improved


@pytest.mark.parametrize("rubric_id", BUILTIN_IDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_improving_one_answer_never_lowers_the_level(rubric_id: str, data: st.DataObject) -> None:
    values, target, improved = data.draw(answers_and_improvement(rubric_id))
    before = _assess(rubric_id, values)
    after = _assess(rubric_id, {**values, target: improved})
    assert after.attained >= before.attained, (target, values[target], improved)
    # and no single level's own verdict gets worse either
    for lb, la in zip(before.levels, after.levels, strict=True):
        assert la.met or not lb.met, (lb.id, target)
