"""Property tests on random valid rubrics and answers (not only the built-in ones)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svclevel.engine.score import score
from svclevel.load.checks import Answers
from svclevel.load.rubrics import LoadedRubric
from svclevel.models import NA
from svclevel.report.json_records import assessment_record, json_text
from svclevel.report.json_schema import result_schema
from tests.strategies import (
    BANK,
    QIDS,
    answer_values,
    answers_of,
    answers_with_text,
    better,
    rubrics,
)

VALIDATOR = jsonschema.Draft202012Validator(result_schema())

COMMON = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(rubric=rubrics(), values=answer_values())
def test_random_rubrics_and_answers_never_crash_and_output_validates(
    rubric: LoadedRubric, values: dict[str, Any]
) -> None:
    a = score(rubric, answers_of(values))
    assert 0 <= a.attained <= len(rubric.rubric.levels)
    record = assessment_record(a)
    VALIDATOR.validate(json.loads(json.dumps(record)))
    # deterministic
    assert assessment_record(score(rubric, answers_of(values))) == record


@COMMON
@given(rubric=rubrics(), values=answer_values(), data=st.data())
def test_improving_an_answer_never_lowers_the_level(
    rubric: LoadedRubric, values: dict[str, Any], data: st.DataObject
) -> None:
    qid = data.draw(st.sampled_from(QIDS))
    if values[qid] is NA:
        values[qid] = None
    improved = data.draw(better(BANK[qid], values[qid]))
    before = score(rubric, answers_of(values))
    after = score(rubric, answers_of({**values, qid: improved}))
    assert after.attained >= before.attained


@COMMON
@given(rubric=rubrics(), values=answer_values(), data=st.data())
def test_marking_an_unanswered_question_na_never_unmeets_a_met_level(
    rubric: LoadedRubric, values: dict[str, Any], data: st.DataObject
) -> None:
    unanswered = [qid for qid, v in values.items() if v is None]
    if not unanswered:
        return
    qid = data.draw(st.sampled_from(unanswered))
    before = score(rubric, answers_of(values))
    after = score(rubric, answers_of({**values, qid: NA}))
    for old, new in zip(before.levels, after.levels, strict=True):
        assert new.met or not old.met, (old.id, qid)
    assert after.attained >= before.attained


def _meets(value: Any, threshold: dict[str, Any], labels: tuple[str, ...]) -> bool:
    """Whether a JSON reader, given only ``value`` and ``threshold`` (and a scale's labels),
    finds the criterion met."""
    kind = threshold["type"]
    if kind == "yes_no":
        return bool(value == threshold["equals"])
    if kind == "scale":
        return labels.index(value) >= labels.index(threshold["at_least"])
    if "at_least" in threshold:
        return bool(value >= threshold["at_least"] - 1e-9)
    return bool(value <= threshold["at_most"] + 1e-9)


@COMMON
@given(rubric=rubrics(), answers=answers_with_text())
def test_the_json_values_and_thresholds_give_the_statuses(
    rubric: LoadedRubric, answers: Answers
) -> None:
    record = json.loads(json_text(assessment_record(score(rubric, answers)), pretty=False))
    for level in record["levels"]:
        for c in level["criteria"]:
            if c["status"] in ("unanswered", "n/a"):
                assert c["value"] is None
            else:
                labels = getattr(BANK[c["question_id"]], "labels", ())
                assert _meets(c["value"], c["threshold"], labels) == (c["status"] == "met"), c
