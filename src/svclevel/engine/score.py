"""The scoring engine: ``score(rubric, answers) -> Assessment``. Pure: no I/O, no printing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from svclevel.load.checks import Answers
from svclevel.models import EPSILON, NotApplicable
from svclevel.results import (
    Assessment,
    CriterionResult,
    LevelResult,
    RoadmapStep,
    Status,
)

if TYPE_CHECKING:
    from svclevel.load.ladder import LevelPlan
    from svclevel.load.rubrics import LoadedRubric


def by_impact(criteria: tuple[CriterionResult, ...]) -> tuple[CriterionResult, ...]:
    """Gaps ordered by impact: required first, then heavier first, then ladder order."""
    gaps = [c for c in criteria if c.is_gap]
    return tuple(sorted(gaps, key=lambda c: (not c.required, -c.weight)))


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
