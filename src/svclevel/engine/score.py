"""The scoring engine: ``score(rubric, answers) -> Assessment``. Pure: no I/O, no printing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from svclevel import agreement
from svclevel.load.checks import Answers
from svclevel.models import (
    EPSILON,
    AnswerValue,
    NotApplicable,
    Question,
    ScaleQuestion,
    YesNoQuestion,
)
from svclevel.results import (
    Alpha,
    Assessment,
    Completeness,
    CriterionResult,
    Evidence,
    EvidenceAge,
    ExceptionGrant,
    ExceptionState,
    Freshness,
    LevelResult,
    Panel,
    Responses,
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


def _level_met(
    level_plan: LevelPlan, results: Sequence[CriterionResult], best_case: bool
) -> tuple[bool, float, float]:
    """Whether a level is met, its met weight and its applicable weight.

    ``best_case``: as if every open criterion (unanswered, unevidenced) were met.
    """
    # The sums run in criterion order from 0, exactly as sum() would.
    applicable: float = 0
    met_weight: float = 0
    required_ok = True
    for c in results:
        status = c.status
        if best_case and status in _OPEN:
            status = Status.MET
        if status is Status.MET:
            met_weight += c.weight
            applicable += c.weight
        elif status is not Status.NOT_APPLICABLE:
            applicable += c.weight
            if c.required:
                required_ok = False
    floor = not level_plan.level.criteria
    # A level whose every criterion is n/a cannot be shown to be met: it is not.
    met = floor or (
        applicable > 0 and required_ok and met_weight + EPSILON >= level_plan.pass_mark * applicable
    )
    return met, met_weight, applicable


_OPEN = (Status.UNANSWERED, Status.UNEVIDENCED, Status.STALE)
"""What answering (or giving or renewing evidence) could still turn into met."""


def evidence_age(
    items: Sequence[Evidence],
    on: datetime.date,
    *,
    max_age_days: int,
    on_stale: str,
    expiring_days: int,
) -> EvidenceAge | None:
    """How current evidence is ``on`` a day: that of its most current dated item (the one
    whose limit is latest); undated when no item is dated; None without evidence.

    An item's limit is the day it describes plus ``max_age_days``, or its ``valid_until`` when
    that is earlier (an item may expire sooner than the rubric allows, never later); it is
    stale after its limit and expiring within ``expiring_days`` of it.
    """
    if not items:
        return None
    best: tuple[datetime.date, datetime.date, bool] | None = None
    for item in items:
        dated = item.dated
        if dated is None:
            continue
        day = datetime.date.fromisoformat(dated)
        try:
            limit = day + datetime.timedelta(days=max_age_days)
        except OverflowError:
            limit = datetime.date.max
        until = None if item.valid_until is None else datetime.date.fromisoformat(item.valid_until)
        by_item = until is not None and until < limit
        if by_item:
            assert until is not None
            limit = until
        if best is None or (limit, day) > (best[1], best[0]):
            best = (day, limit, by_item)
    if best is None:
        return EvidenceAge(Freshness.UNDATED, None, None, max_age_days, on_stale)
    day, limit, by_item = best
    if on > limit:
        freshness = Freshness.STALE
    elif (limit - on).days <= expiring_days:
        freshness = Freshness.EXPIRING
    else:
        freshness = Freshness.FRESH
    return EvidenceAge(
        freshness, day.isoformat(), limit.isoformat(), max_age_days, on_stale, by_item
    )


def _excepted(status: Status, grant: ExceptionGrant | None) -> tuple[Status, Status | None]:
    """The status under an exception, and the raw status when the exception decides it."""
    if grant is None or grant.state is not ExceptionState.ACTIVE:
        return status, None
    return (Status.MET if grant.effect == "exempt" else Status.NOT_APPLICABLE), status


def _attained(met: Sequence[bool]) -> int:
    """Levels attained: the met levels from the bottom up to the first one not met."""
    attained = 0
    for level_met in met:
        if not level_met:
            break
        attained += 1
    return attained


def score(loaded: LoadedRubric, answers: Answers, *, require_evidence: bool = False) -> Assessment:
    """Assess ``answers`` against a rubric, respecting the ladder (fundamentals first).

    ``require_evidence``: a required criterion counts as met only when its answer carries
    evidence (also when the rubric says so itself).
    """
    rubric = loaded.rubric
    plan = loaded.scoring_plan
    given = answers.answers
    need_evidence = require_evidence or rubric.require_evidence
    marked = bool(answers.measurement_files)
    on = datetime.date.fromisoformat(answers.as_of or answers.date)
    policy = rubric.evidence_policy
    per_level: list[tuple[CriterionResult, ...]] = []
    for level_plan in plan.levels:
        results = []
        for cp in level_plan.criteria:
            spec = cp.spec
            answer = given.get(spec.question_id)
            value = None if answer is None else answer.value
            status = cp.judge(value)
            unevidenced = answer is None or not answer.evidence
            if status is Status.MET and need_evidence and spec.required and unevidenced:
                status = Status.UNEVIDENCED
            max_age, on_stale = policy.rule_for(spec.question_id, cp.question.type)
            age = (
                None
                if answer is None or value is None
                else evidence_age(
                    answer.evidence_items,
                    on,
                    max_age_days=max_age,
                    on_stale=on_stale,
                    expiring_days=policy.expiring_days,
                )
            )
            if status is Status.MET and on_stale == "fail" and value is not None:
                # Under a fail policy only current evidence counts: none is unevidenced, and
                # undated evidence is no more current than stale evidence.
                if age is None:
                    status = Status.UNEVIDENCED
                elif age.freshness in (Freshness.STALE, Freshness.UNDATED):
                    status = Status.STALE
            grant = answers.exceptions.get((spec.level_id, spec.question_id))
            status, raw_status = _excepted(status, grant)
            results.append(
                CriterionResult(
                    spec=spec,
                    status=status,
                    answer=cp.question.describe_answer(value),
                    value=None if isinstance(value, NotApplicable) else value,
                    evidence=None if answer is None else answer.evidence,
                    notes=None if answer is None else answer.notes,
                    answer_line=None if answer is None else answer.line,
                    justification=None if answer is None else answer.justification,
                    origin=None if answer is None or value is None else answer.origin,
                    measurement=None if answer is None else answer.measured,
                    marked=marked,
                    evidence_items=() if answer is None else answer.evidence_items,
                    evidence_age=age,
                    exception=grant,
                    raw_status=raw_status,
                    responses=None if answer is None else answer.responses,
                )
            )
        per_level.append(tuple(results))
    scored = [
        _level_met(lp, results, best_case=False)
        for lp, results in zip(plan.levels, per_level, strict=True)
    ]
    attained = _attained([met for met, _, _ in scored])
    best = _attained(
        [
            _level_met(lp, results, best_case=True)[0]
            for lp, results in zip(plan.levels, per_level, strict=True)
        ]
    )
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
        for lp, (met, met_weight, applicable), results in zip(
            plan.levels, scored, per_level, strict=True
        )
    )
    skipped = tuple(lv for lv in levels[attained:] if lv.met)
    roadmap = tuple(
        RoadmapStep(level=lv, actions=by_impact(lv.criteria)) for lv in levels[attained:]
    )
    if answers.period is not None:
        period, stated = answers.period, True
    else:
        period, stated = default_period(answers.date), False
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
        completeness=_completeness(levels, attained, best),
        period=period,
        period_stated=stated,
        require_evidence=need_evidence,
        basis=rubric.basis,
        measurement_files=answers.measurement_files,
        measurement_notes=answers.measurement_notes,
        as_of=answers.as_of,
        exceptions=tuple(
            sorted(
                dict.fromkeys(answers.exceptions.values()),
                key=lambda g: (g.file, g.line or 0),
            )
        ),
        exceptions_applied=answers.exceptions_applied,
        panel=panel_of(loaded, answers, levels),
        respondent=answers.respondent,
    )


def panel_of(
    loaded: LoadedRubric, answers: Answers, levels: tuple[LevelResult, ...]
) -> Panel | None:
    """The respondents and their agreement on the rubric's questions; None when the answers
    file records no respondents."""
    if not answers.respondents:
        return None
    heard: dict[str, Responses] = {}
    for lv in levels:
        for c in lv.criteria:
            if c.responses is not None:
                heard.setdefault(c.question_id, c.responses)
    # Rated: answered by two respondents or more, on a scale or yes/no (the questions alpha
    # measures; figures are not opinions to agree on).
    rated = {
        qid: r
        for qid, r in heard.items()
        if r.answered >= 2 and isinstance(loaded.questions[qid], ScaleQuestion | YesNoQuestion)
    }
    alphas: list[Alpha] = []
    if len(answers.respondents) >= 2 and len(rated) >= agreement.MIN_RATED:
        metrics: tuple[tuple[agreement.Metric, type[Question]], ...] = (
            ("ordinal", ScaleQuestion),
            ("nominal", YesNoQuestion),
        )
        for metric, kind in metrics:
            units = [
                [_code(loaded.questions[qid], x.value) for x in r.responses if x.value is not None]
                for qid, r in rated.items()
                if isinstance(loaded.questions[qid], kind)
            ]
            if units:
                value = agreement.krippendorff_alpha(units, metric)
                alphas.append(Alpha(metric, len(units), value))
    return Panel(
        respondents=answers.respondents,
        aggregation=answers.aggregation,
        aggregation_source=answers.aggregation_source,
        rated=len(rated),
        alphas=tuple(alphas),
        disputed=tuple(qid for qid, r in heard.items() if r.disputed),
    )


def _code(question: Question, value: AnswerValue) -> int:
    """A response as Krippendorff's alpha counts it: a label's position, yes 1 and no 0."""
    if isinstance(question, ScaleQuestion):
        return question.position(value)
    return int(value is True)


def _completeness(levels: tuple[LevelResult, ...], attained: int, best: int) -> Completeness:
    """How much of what decides the verdict is answered (see :class:`Completeness`)."""
    reach = min(len(levels), max(best, attained + 1))
    statuses: dict[str, list[Status]] = {}
    for lv in levels[:reach]:
        for c in lv.criteria:
            statuses.setdefault(c.question_id, []).append(c.status)
    open_ = tuple(q for q, st in statuses.items() if Status.UNANSWERED in st)
    unevidenced = tuple(q for q, st in statuses.items() if Status.UNEVIDENCED in st)
    stale = tuple(q for q, st in statuses.items() if Status.STALE in st)
    provisional = best > attained
    return Completeness(
        provisional=provisional,
        answered=len(statuses) - len(open_),
        deciding=len(statuses),
        open=open_,
        unevidenced=unevidenced,
        could_reach=levels[best - 1] if provisional else None,
        stale=stale,
    )


def default_period(date: str) -> tuple[str, str]:
    """The twelve months up to an assessment's date: (first day, last day), ISO."""
    day = datetime.date.fromisoformat(date)
    try:
        start = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        start = day.replace(year=day.year - 1, day=28)
    return (start + datetime.timedelta(days=1)).isoformat(), day.isoformat()
