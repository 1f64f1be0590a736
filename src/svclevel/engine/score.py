"""The scoring engine: ``score(rubric, answers) -> Assessment``. Pure: no I/O, no printing."""

from __future__ import annotations

from typing import NamedTuple

from svclevel.load.checks import NA, Answers, AnswerValue
from svclevel.load.rubrics import LoadedRubric
from svclevel.models import (
    Criterion,
    Level,
    NumberQuestion,
    Question,
    ScaleQuestion,
    SourceRef,
    YesNoQuestion,
)
from svclevel.results import (
    AdviceItem,
    Assessment,
    CriterionResult,
    CriterionSpec,
    LevelResult,
    RoadmapStep,
    SourceCitation,
    Status,
)

EPSILON = 1e-9


def format_number(value: float) -> str:
    """``4.0`` → ``4``, ``2.5`` → ``2.5``."""
    return f"{value:g}"


def describe_needed(criterion: Criterion, question: Question) -> str:
    """The condition a criterion sets, in words."""
    if isinstance(question, YesNoQuestion):
        return "yes"
    if isinstance(question, ScaleQuestion):
        at_least = str(criterion.at_least)
        if at_least == question.labels[-1]:
            return at_least
        return f"{at_least} or better"
    if isinstance(criterion.at_most, int | float):
        return f"≤ {format_number(criterion.at_most)} {question.unit}"
    assert isinstance(criterion.at_least, int | float)
    return f"≥ {format_number(criterion.at_least)} {question.unit}"


UNANSWERED = "—"
"""How a missing answer is shown."""


def describe_answer(value: AnswerValue, question: Question) -> str:
    """An answer, in words."""
    if value is None:
        return UNANSWERED
    if value is NA:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        assert isinstance(question, NumberQuestion)
        return f"{format_number(value)} {question.unit}"
    return str(value)


def is_met(criterion: Criterion, question: Question, value: AnswerValue) -> bool:
    """Whether an actual answer (not None, not n/a) meets the criterion."""
    if isinstance(question, YesNoQuestion):
        return value is True
    if isinstance(question, ScaleQuestion):
        assert isinstance(value, str)
        return question.labels.index(value) >= question.labels.index(str(criterion.at_least))
    assert isinstance(value, float)
    if isinstance(criterion.at_most, int | float):
        return value <= criterion.at_most + EPSILON
    assert isinstance(criterion.at_least, int | float)
    return value >= criterion.at_least - EPSILON


def by_impact(criteria: tuple[CriterionResult, ...]) -> tuple[CriterionResult, ...]:
    """Gaps ordered by impact: required first, then heavier first, then ladder order."""
    gaps = [c for c in criteria if c.is_gap]
    return tuple(sorted(gaps, key=lambda c: (not c.required, -c.weight)))


class _CriterionPlan(NamedTuple):
    criterion: Criterion
    question: Question
    spec: CriterionSpec
    verdicts: dict[AnswerValue, tuple[Status, str]]
    """Status and answer text by answer value: they depend on nothing else, and answers repeat."""

    def verdict(self, value: AnswerValue) -> tuple[Status, str]:
        """The criterion's status for an answer, and the answer in words."""
        known = self.verdicts.get(value)
        if known is not None:
            return known
        if value is None:
            status = Status.UNANSWERED
        elif value is NA:
            status = Status.NOT_APPLICABLE
        else:
            status = Status.MET if is_met(self.criterion, self.question, value) else Status.UNMET
        known = (status, describe_answer(value, self.question))
        if len(self.verdicts) < _VERDICTS_MAX:
            self.verdicts[value] = known
        return known


_result = CriterionResult._make  # from a tuple: a third faster than CriterionResult(...)

_VERDICTS_MAX = 256
"""Verdicts remembered per criterion (numbers can take many values)."""


class _LevelPlan(NamedTuple):
    number: int
    """Position on the ladder, 1 for the lowest level."""
    level: Level
    pass_mark: float
    criteria: tuple[_CriterionPlan, ...]
    advice: tuple[AdviceItem, ...]


_PLANS: dict[int, tuple[LoadedRubric, tuple[_LevelPlan, ...], tuple[AdviceItem, ...]]] = {}


def _plan(loaded: LoadedRubric) -> tuple[tuple[_LevelPlan, ...], tuple[AdviceItem, ...]]:
    """What does not depend on the answers, worked out once per rubric."""
    cached = _PLANS.get(id(loaded))
    if cached is not None and cached[0] is loaded:
        return cached[1], cached[2]
    rubric = loaded.rubric
    titles = {s.id: s.title for s in rubric.sources}

    def cite(ref: SourceRef) -> SourceCitation:
        return SourceCitation(titles[ref.doc], ref.section)

    levels = tuple(
        _LevelPlan(
            number=index,
            level=level,
            pass_mark=level.pass_mark if level.pass_mark is not None else rubric.pass_mark,
            criteria=tuple(
                _CriterionPlan(
                    criterion=c,
                    question=loaded.questions[c.question],
                    spec=CriterionSpec(
                        level_id=level.id,
                        question_id=c.question,
                        question=loaded.questions[c.question].text,
                        needed=describe_needed(c, loaded.questions[c.question]),
                        weight=c.weight,
                        required=c.required,
                        tip=c.tip,
                        source=cite(c.source),
                        assumption=c.assumption,
                    ),
                    verdicts={},
                )
                for c in level.criteria
            ),
            advice=tuple(AdviceItem(a.text, cite(a.source)) for a in level.advice),
        )
        for index, level in enumerate(rubric.levels, start=1)
    )
    advice = tuple(AdviceItem(a.text, cite(a.source)) for a in rubric.advice)
    _PLANS[id(loaded)] = (loaded, levels, advice)
    return levels, advice


def score(loaded: LoadedRubric, answers: Answers) -> Assessment:
    """Assess ``answers`` against a rubric, respecting the ladder (fundamentals first)."""
    rubric = loaded.rubric
    plans, rubric_advice = _plan(loaded)
    given = answers.answers
    levels: list[LevelResult] = []
    for plan in plans:
        level = plan.level
        results = []
        # The sums run in criterion order from 0, exactly as sum() would.
        applicable: float = 0
        met_weight: float = 0
        required_ok = True
        for cp in plan.criteria:
            spec = cp.spec
            answer = given.get(spec.question_id)
            if answer is None:
                status, text = Status.UNANSWERED, UNANSWERED
                results.append(_result((spec, status, text, None, None, None)))
            else:
                status, text = cp.verdict(answer.value)
                results.append(
                    _result((spec, status, text, answer.evidence, answer.notes, answer.line))
                )
            if status is Status.MET:
                met_weight += spec.weight
                applicable += spec.weight
            elif status is not Status.NOT_APPLICABLE:
                applicable += spec.weight
                if spec.required:
                    required_ok = False
        pass_mark = plan.pass_mark
        floor = not level.criteria
        # A level whose every criterion is n/a cannot be shown to be met: it is not.
        met = floor or (
            applicable > 0 and required_ok and met_weight + EPSILON >= pass_mark * applicable
        )
        levels.append(
            LevelResult(
                index=plan.number,
                id=level.id,
                name=level.name,
                experience=level.experience,
                floor=floor,
                met=met,
                met_weight=met_weight,
                applicable_weight=applicable,
                pass_mark=pass_mark,
                criteria=tuple(results),
                advice=plan.advice,
            )
        )
    attained = 0
    for level_result in levels:
        if not level_result.met:
            break
        attained += 1
    skipped = tuple(lv for lv in levels[attained:] if lv.met)
    roadmap = tuple(
        RoadmapStep(level=lv, actions=by_impact(lv.criteria)) for lv in levels[attained:]
    )
    return Assessment(
        rubric_id=rubric.id,
        rubric_title=rubric.title,
        rubric_version=rubric.version,
        sources=tuple(s.title for s in rubric.sources),
        company=answers.company,
        date=answers.date,
        assessor=answers.assessor,
        answers_file=answers.source,
        levels=tuple(levels),
        attained=attained,
        skipped=skipped,
        roadmap=roadmap,
        rubric_advice=rubric_advice,
    )
