"""The scoring engine: ``score(rubric, answers) -> Assessment``. Pure: no I/O, no printing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from svclevel.load.checks import Answers
from svclevel.models import EPSILON, NA, AnswerValue, Criterion, Level, NotApplicable, Question
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

if TYPE_CHECKING:
    from svclevel.load.rubrics import LoadedRubric


def describe_answer(value: AnswerValue, question: Question) -> str:
    """An answer in words: :meth:`~svclevel.models.YesNoQuestion.describe_answer`."""
    return question.describe_answer(value)


def by_impact(criteria: tuple[CriterionResult, ...]) -> tuple[CriterionResult, ...]:
    """Gaps ordered by impact: required first, then heavier first, then ladder order."""
    gaps = [c for c in criteria if c.is_gap]
    return tuple(sorted(gaps, key=lambda c: (not c.required, -c.weight)))


@dataclass(frozen=True, slots=True)
class CriterionPlan:
    """One criterion, with its question and what the results show of it."""

    criterion: Criterion
    """The criterion as the rubric gives it."""
    question: Question
    """The question it uses."""
    spec: CriterionSpec
    """What every result on this criterion shares."""

    def judge(self, value: AnswerValue) -> Status:
        """The criterion's status for a checked answer."""
        if value is None:
            return Status.UNANSWERED
        if value is NA:
            return Status.NOT_APPLICABLE
        return Status.MET if self.question.meets(self.criterion, value) else Status.UNMET


@dataclass(frozen=True, slots=True)
class LevelPlan:
    """One level, with what does not depend on the answers."""

    number: int
    """Position on the ladder, 1 for the lowest level."""
    level: Level
    """The level as the rubric gives it."""
    pass_mark: float
    """The level's own pass mark, or the rubric's."""
    criteria: tuple[CriterionPlan, ...]
    """The level's criteria, in rubric order."""
    advice: tuple[AdviceItem, ...]
    """How to reach the level."""


@dataclass(frozen=True, slots=True)
class ScoringPlan:
    """What scoring a rubric needs that does not depend on the answers.

    Made once per loaded rubric (:attr:`~svclevel.load.rubrics.LoadedRubric.scoring_plan`).
    """

    levels: tuple[LevelPlan, ...]
    """The ladder, lowest level first."""
    advice: tuple[AdviceItem, ...]
    """Advice that applies to the whole ladder."""


def plan_scoring(loaded: LoadedRubric) -> ScoringPlan:
    """The :class:`ScoringPlan` of a rubric."""
    rubric = loaded.rubric
    titles = {s.id: s.title for s in rubric.sources}

    def cite(doc: str, section: str) -> SourceCitation:
        return SourceCitation(titles[doc], section)

    def criterion_plan(level: Level, c: Criterion) -> CriterionPlan:
        question = loaded.questions[c.question]
        return CriterionPlan(
            criterion=c,
            question=question,
            spec=CriterionSpec(
                level_id=level.id,
                question_id=c.question,
                question=question.text,
                needed=question.describe_needed(c),
                threshold=question.threshold(c),
                weight=c.weight,
                required=c.required,
                tip=c.tip,
                source=cite(c.source.doc, c.source.section),
                assumption=c.assumption,
            ),
        )

    levels = tuple(
        LevelPlan(
            number=index,
            level=level,
            pass_mark=level.pass_mark if level.pass_mark is not None else rubric.pass_mark,
            criteria=tuple(criterion_plan(level, c) for c in level.criteria),
            advice=tuple(
                AdviceItem(a.text, cite(a.source.doc, a.source.section)) for a in level.advice
            ),
        )
        for index, level in enumerate(rubric.levels, start=1)
    )
    advice = tuple(AdviceItem(a.text, cite(a.source.doc, a.source.section)) for a in rubric.advice)
    return ScoringPlan(levels, advice)


def score(loaded: LoadedRubric, answers: Answers) -> Assessment:
    """Assess ``answers`` against a rubric, respecting the ladder (fundamentals first)."""
    rubric = loaded.rubric
    plan = loaded.scoring_plan
    given = answers.answers
    scored: list[tuple[LevelPlan, bool, float, float, tuple[CriterionResult, ...]]] = []
    for level_plan in plan.levels:
        results = []
        # The sums run in criterion order from 0, exactly as sum() would.
        applicable: float = 0
        met_weight: float = 0
        required_ok = True
        for cp in level_plan.criteria:
            spec = cp.spec
            answer = given.get(spec.question_id)
            value = None if answer is None else answer.value
            status = cp.judge(value)
            results.append(
                CriterionResult(
                    spec=spec,
                    status=status,
                    answer=cp.question.describe_answer(value),
                    value=None if isinstance(value, NotApplicable) else value,
                    evidence=None if answer is None else answer.evidence,
                    notes=None if answer is None else answer.notes,
                    answer_line=None if answer is None else answer.line,
                )
            )
            if status is Status.MET:
                met_weight += spec.weight
                applicable += spec.weight
            elif status is not Status.NOT_APPLICABLE:
                applicable += spec.weight
                if spec.required:
                    required_ok = False
        floor = not level_plan.level.criteria
        # A level whose every criterion is n/a cannot be shown to be met: it is not.
        met = floor or (
            applicable > 0
            and required_ok
            and met_weight + EPSILON >= level_plan.pass_mark * applicable
        )
        scored.append((level_plan, met, met_weight, applicable, tuple(results)))
    attained = 0
    for _, met, *_rest in scored:
        if not met:
            break
        attained += 1
    levels = tuple(
        LevelResult(
            index=lp.number,
            id=lp.level.id,
            name=lp.level.name,
            experience=lp.level.experience,
            floor=not lp.level.criteria,
            met=met,
            counted=lp.number <= attained,
            met_weight=met_weight,
            applicable_weight=applicable,
            pass_mark=lp.pass_mark,
            criteria=results,
            advice=lp.advice,
        )
        for lp, met, met_weight, applicable, results in scored
    )
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
        levels=levels,
        attained=attained,
        skipped=skipped,
        roadmap=roadmap,
        rubric_advice=plan.advice,
    )
