"""Property tests on random valid rubrics and answers (not only the built-in ones)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pydantic
import pydantic_core
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svclevel.engine.score import score
from svclevel.load.checks import NA, Answer, Answers
from svclevel.load.rubrics import LoadedRubric, load_bank
from svclevel.models import (
    AnswersFile,
    Criterion,
    Level,
    NumberQuestion,
    ParsedAnswers,
    Question,
    Rubric,
    ScaleQuestion,
    SourceDoc,
    SourceRef,
    parse_answers_fast,
)
from svclevel.report.json_records import assessment_json, assessment_record
from svclevel.report.json_schema import result_schema

BANK = load_bank()
QIDS = sorted(BANK)
SOURCE = SourceRef(doc="s", section="x")
VALIDATOR = jsonschema.Draft202012Validator(result_schema())


def _threshold(question: Question) -> st.SearchStrategy[dict[str, Any]]:
    if isinstance(question, ScaleQuestion):
        return st.sampled_from(question.labels).map(lambda label: {"at_least": label})
    if isinstance(question, NumberQuestion):
        key = "at_least" if question.better == "higher" else "at_most"
        return st.floats(question.min, question.max, allow_nan=False).map(lambda v: {key: v})
    return st.just({})


@st.composite
def criteria(draw: st.DrawFn) -> tuple[Criterion, ...]:
    qids = draw(st.lists(st.sampled_from(QIDS), min_size=1, max_size=6, unique=True))
    out = []
    for qid in qids:
        out.append(
            Criterion(
                question=qid,
                weight=draw(st.floats(0.5, 5)),
                required=draw(st.booleans()),
                tip="Do it.",
                source=SOURCE,
                **draw(_threshold(BANK[qid])),
            )
        )
    return tuple(out)


@st.composite
def rubrics(draw: st.DrawFn) -> LoadedRubric:
    floor = draw(st.booleans())
    count = draw(st.integers(1, 5))
    levels = []
    if floor:
        levels.append(Level(id="floor", name="Floor", experience="x"))
    for i in range(count):
        levels.append(
            Level(
                id=f"l{i}",
                name=f"Level {i}",
                experience="x",
                pass_mark=draw(st.one_of(st.none(), st.floats(0.1, 1.0))),
                criteria=draw(criteria()),
            )
        )
    rubric = Rubric(
        id="random",
        version=1,
        title="Random",
        description="Random",
        sources=(SourceDoc(id="s", title="S"),),
        levels=tuple(levels),
    )
    return LoadedRubric(rubric=rubric, questions=BANK, origin="test")


def _value(question: Question) -> st.SearchStrategy[Any]:
    if isinstance(question, ScaleQuestion):
        return st.sampled_from(question.labels)
    if isinstance(question, NumberQuestion):
        return st.floats(question.min, question.max, allow_nan=False)
    return st.booleans()


@st.composite
def answer_values(draw: st.DrawFn) -> dict[str, Any]:
    return {qid: draw(st.one_of(st.none(), st.just(NA), _value(q))) for qid, q in BANK.items()}


def _answers(values: dict[str, Any]) -> Answers:
    return Answers(
        "p.yaml", "P", "2026-01-01", None, None, {qid: Answer(value=v) for qid, v in values.items()}
    )


def _better(question: Question, value: Any) -> st.SearchStrategy[Any]:
    if value is None or value is NA:
        return _value(question)
    if isinstance(question, ScaleQuestion):
        return st.sampled_from(question.labels[question.labels.index(value) :])
    if isinstance(question, NumberQuestion):
        if question.better == "higher":
            return st.floats(value, question.max, allow_nan=False)
        return st.floats(question.min, value, allow_nan=False)
    return st.just(True)


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@st.composite
def answers_with_text(draw: st.DrawFn) -> Answers:
    values = draw(answer_values())
    return Answers(
        draw(TEXT),
        draw(TEXT),
        "2026-01-01",
        draw(st.none() | TEXT),
        None,
        {
            qid: Answer(v, draw(st.none() | TEXT), draw(st.none() | TEXT), draw(st.integers(1)))
            for qid, v in values.items()
        },
    )


COMMON = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(rubric=rubrics(), values=answer_values())
def test_random_rubrics_and_answers_never_crash_and_output_validates(
    rubric: LoadedRubric, values: dict[str, Any]
) -> None:
    a = score(rubric, _answers(values))
    assert 0 <= a.attained <= len(rubric.rubric.levels)
    record = assessment_record(a)
    VALIDATOR.validate(json.loads(json.dumps(record)))
    # deterministic
    assert assessment_record(score(rubric, _answers(values))) == record


@COMMON
@given(rubric=rubrics(), values=answer_values(), data=st.data())
def test_improving_an_answer_never_lowers_the_level(
    rubric: LoadedRubric, values: dict[str, Any], data: st.DataObject
) -> None:
    qid = data.draw(st.sampled_from(QIDS))
    if values[qid] is NA:
        values[qid] = None
    improved = data.draw(_better(BANK[qid], values[qid]))
    before = score(rubric, _answers(values))
    after = score(rubric, _answers({**values, qid: improved}))
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
    before = score(rubric, _answers(values))
    after = score(rubric, _answers({**values, qid: NA}))
    for old, new in zip(before.levels, after.levels, strict=True):
        assert new.met or not old.met, (old.id, qid)
    assert after.attained >= before.attained


@COMMON
@given(rubric=rubrics(), answers=answers_with_text())
def test_batch_json_lines_are_the_compact_form_of_the_record(
    rubric: LoadedRubric, answers: Answers
) -> None:
    # Batches write records through a faster encoder: it must give the very same bytes.
    a = score(rubric, answers)
    assert assessment_json(a) == pydantic_core.to_json(assessment_record(a))


STRINGS = st.one_of(st.sampled_from(["", " ", " padded", "padded\n", "x" * 4001, "x" * 4000]), TEXT)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.dates(), STRINGS
)
ENTRY_MAPPING = st.fixed_dictionaries(
    {},
    optional={
        "value": SCALARS,
        "evidence": st.one_of(st.none(), STRINGS, st.integers()),
        "notes": st.one_of(st.none(), STRINGS),
    },
)
OTHER_ENTRY = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=2),
    st.dictionaries(st.sampled_from(["value", "evidense", 1]), SCALARS, max_size=2),
)
# Half of the answers are {value, evidence, notes} mappings (one_of alone would flatten the
# alternatives and make them rare).
ENTRY = st.booleans().flatmap(lambda mapping: ENTRY_MAPPING if mapping else OTHER_ENTRY)
HEADER = st.fixed_dictionaries(
    {
        # Mostly valid headers, so that the answers decide.
        "company": st.sampled_from(["Acme"] * 4 + ["", " Acme", 42]),
        "date": st.sampled_from(["2026-01-02"] * 4 + ["someday"]),
        "answers": st.dictionaries(st.sampled_from(["a", "b", "c"]), ENTRY, max_size=3),
    },
    optional={"assessor": st.one_of(st.none(), STRINGS)},
)


@settings(max_examples=400, deadline=None)
@given(data=HEADER)
def test_the_fast_answers_path_agrees_with_the_model(data: dict[str, Any]) -> None:
    # Valid files skip validating each answer as a Pydantic model; whatever that path accepts,
    # the model must accept and read the same way.
    fast = parse_answers_fast(data)
    try:
        model = AnswersFile.model_validate(data)
    except pydantic.ValidationError:
        assert fast is None
        return
    if fast is not None:
        assert fast == ParsedAnswers.of(model)
