"""A rubric prepared for scoring: what every assessment on it shares, worked out once per loaded
rubric (:attr:`~svclevel.load.rubrics.LoadedRubric.scoring_plan`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from svclevel.models import NA, AnswerValue, Criterion, Level, Question, Rubric, SourceRef
from svclevel.results import AdviceItem, CriterionSpec, SourceCitation, Status


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


def plan_scoring(rubric: Rubric, questions: Mapping[str, Question]) -> ScoringPlan:
    """The :class:`ScoringPlan` of a rubric."""
    titles = {s.id: s.title for s in rubric.sources}

    def cite(ref: SourceRef) -> SourceCitation:
        return SourceCitation(titles[ref.doc], ref.section, ref.lines, ref.says)

    def criterion_plan(level: Level, c: Criterion) -> CriterionPlan:
        question = questions[c.question]
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
                source=cite(c.source),
                assumption=c.assumption,
                benchmark=None if c.benchmark is None else cite(c.benchmark),
                allow_na=c.allow_na,
            ),
        )

    levels = tuple(
        LevelPlan(
            number=index,
            level=level,
            pass_mark=level.pass_mark if level.pass_mark is not None else rubric.pass_mark,
            criteria=tuple(criterion_plan(level, c) for c in level.criteria),
            advice=tuple(AdviceItem(a.text, cite(a.source)) for a in level.advice),
        )
        for index, level in enumerate(rubric.levels, start=1)
    )
    advice = tuple(AdviceItem(a.text, cite(a.source)) for a in rubric.advice)
    return ScoringPlan(levels, advice)
