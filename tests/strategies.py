"""Hypothesis strategies shared by the property tests: answers, rubrics and improvements."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from svclevel.load.checks import Answer, Answers
from svclevel.load.rubrics import LoadedRubric, load_bank
from svclevel.models import (
    NA,
    Criterion,
    Level,
    NumberQuestion,
    Question,
    Rubric,
    ScaleQuestion,
    SourceDoc,
    SourceRef,
)

BANK = load_bank()
"""The shared question bank, by id."""
QIDS = sorted(BANK)
SOURCE = SourceRef(doc="s", section="x")

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
"""Any short text (evidence, notes, names), control characters included."""


def values(question: Question) -> st.SearchStrategy[Any]:
    """Any valid answer to ``question`` (as checked: a bool, a label or a float)."""
    if isinstance(question, ScaleQuestion):
        return st.sampled_from(question.labels)
    if isinstance(question, NumberQuestion):
        return st.floats(question.min, question.max, allow_nan=False)
    return st.booleans()


def better(question: Question, value: Any) -> st.SearchStrategy[Any]:
    """Any answer at least as good as ``value`` (any answer when it is blank or n/a)."""
    if value is None or value is NA:
        return values(question)
    if isinstance(question, ScaleQuestion):
        return st.sampled_from(question.labels[question.labels.index(value) :])
    if isinstance(question, NumberQuestion):
        if question.better == "higher":
            return st.floats(value, question.max, allow_nan=False)
        return st.floats(question.min, value, allow_nan=False)
    return st.just(True)


def thresholds(question: Question) -> st.SearchStrategy[dict[str, Any]]:
    """The keys of a valid condition on ``question`` (``{"at_least": ...}``, or none)."""
    if isinstance(question, ScaleQuestion):
        return st.sampled_from(question.labels).map(lambda label: {"at_least": label})
    if isinstance(question, NumberQuestion):
        key = "at_least" if question.better == "higher" else "at_most"
        return st.floats(question.min, question.max, allow_nan=False).map(lambda v: {key: v})
    return st.just({})


@st.composite
def criteria(draw: st.DrawFn) -> tuple[Criterion, ...]:
    """A level's criteria on distinct questions of the bank."""
    qids = draw(st.lists(st.sampled_from(QIDS), min_size=1, max_size=6, unique=True))
    return tuple(
        Criterion(
            question=qid,
            weight=draw(st.floats(0.5, 5)),
            required=draw(st.booleans()),
            tip="Do it.",
            source=SOURCE,
            **draw(thresholds(BANK[qid])),
        )
        for qid in qids
    )


@st.composite
def rubrics(draw: st.DrawFn) -> LoadedRubric:
    """A valid rubric on the bank's questions: 1 to 5 levels, perhaps above a floor."""
    levels = []
    if draw(st.booleans()):
        levels.append(Level(id="floor", name="Floor", experience="x"))
    for i in range(draw(st.integers(1, 5))):
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


def answer_values(
    questions: dict[str, Question] = BANK, *, na: bool = True
) -> st.SearchStrategy[dict[str, Any]]:
    """A checked value for every question: blank, n/a (unless ``na`` is false) or an answer."""
    blank = st.one_of(st.none(), st.just(NA)) if na else st.none()
    return st.fixed_dictionaries(
        {qid: st.one_of(blank, values(q)) for qid, q in sorted(questions.items())}
    )


def answers_of(answers: dict[str, Any], *, rubric: str | None = None) -> Answers:
    """Checked answers holding ``answers`` (question id → checked value)."""
    return Answers(
        "p.yaml", "P", "2026-01-01", None, rubric, {q: Answer(v) for q, v in answers.items()}
    )


@st.composite
def answers_with_text(draw: st.DrawFn) -> Answers:
    """Checked answers with any text in the header, the evidence and the notes."""
    drawn = draw(answer_values())
    return Answers(
        draw(TEXT),
        draw(TEXT),
        "2026-01-01",
        draw(st.none() | TEXT),
        None,
        {
            qid: Answer(v, draw(st.none() | TEXT), draw(st.none() | TEXT), draw(st.integers(1)))
            for qid, v in drawn.items()
        },
    )
