"""The result types the scoring engine returns. Plain, immutable data; reporters render them.

They are named tuples rather than frozen dataclasses: a batch makes thousands of them, and a
named tuple is made several times faster (its class, too, at start-up).
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class Status(enum.Enum):
    """How one criterion stands."""

    MET = "met"
    UNMET = "unmet"
    UNANSWERED = "unanswered"
    NOT_APPLICABLE = "n/a"


class SourceCitation(NamedTuple):
    """Where a criterion or tip comes from."""

    title: str
    """The source document's title."""
    section: str
    """The section or passage of that document."""

    def __str__(self) -> str:
        return f"{self.title} — {self.section}"


class CriterionSpec(NamedTuple):
    """What one criterion of one level asks, whatever the answers (made once per rubric)."""

    level_id: str
    """The level the criterion belongs to."""
    question_id: str
    """The question it uses (the key in the answers file)."""
    question: str
    """The question as asked."""
    needed: str
    """The answer the criterion needs, as text (``yes``, ``usually or better``, ``≤ 4 hours``)."""
    weight: float
    """How much the criterion counts towards its level's pass mark."""
    required: bool
    """A required criterion must be met whatever the rest of the level scores."""
    tip: str
    """The concrete next step when it is not met."""
    source: SourceCitation
    """Where in the source texts the criterion comes from."""
    assumption: str | None
    """Why the threshold is what it is, when the source gives no number."""


class CriterionResult(NamedTuple):
    """One criterion of one level, scored against the answers."""

    spec: CriterionSpec
    """The criterion itself (its fields are also readable here: ``result.tip``)."""
    status: Status
    """met, unmet, unanswered (no answer given) or n/a (left out of the score)."""
    answer: str
    """The answer given, as text (``—`` when unanswered)."""
    evidence: str | None
    """The evidence the assessor recorded with the answer."""
    notes: str | None
    """The assessor's notes on the answer."""
    answer_line: int | None
    """Line of the answer in the answers file, when it was answered."""

    @property
    def is_gap(self) -> bool:
        """Unmet or unanswered: something to do to pass the criterion."""
        return self.status is Status.UNMET or self.status is Status.UNANSWERED

    # The criterion's own fields, read through (results are made per company and per
    # criterion: keeping what does not change in one shared object makes scoring cheaper).

    @property
    def level_id(self) -> str:
        return self.spec.level_id

    @property
    def question_id(self) -> str:
        return self.spec.question_id

    @property
    def question(self) -> str:
        return self.spec.question

    @property
    def needed(self) -> str:
        return self.spec.needed

    @property
    def weight(self) -> float:
        return self.spec.weight

    @property
    def required(self) -> bool:
        return self.spec.required

    @property
    def tip(self) -> str:
        return self.spec.tip

    @property
    def source(self) -> SourceCitation:
        return self.spec.source

    @property
    def assumption(self) -> str | None:
        return self.spec.assumption


class AdviceItem(NamedTuple):
    """A 'how to get there' tip from a source."""

    text: str
    source: SourceCitation


class LevelResult(NamedTuple):
    """One rung of the ladder, scored."""

    index: int  # type: ignore[assignment]  # the field hides tuple.index(), unused on results
    """Position on the ladder, 1 for the lowest level."""
    id: str
    name: str
    experience: str
    """What a customer experiences at this level."""
    floor: bool
    """A floor level has no criteria: every company stands on it at least."""
    met: bool
    """Required criteria met and met weight at the pass mark (lower levels not considered)."""
    met_weight: float
    """Weight of the criteria met."""
    applicable_weight: float
    """Weight of the criteria that apply (everything but n/a)."""
    pass_mark: float
    """Fraction of the applicable weight that must be met."""
    criteria: tuple[CriterionResult, ...]
    advice: tuple[AdviceItem, ...]

    @property
    def score(self) -> float:
        """Met weight over applicable weight (1.0 for a floor, 0.0 when nothing applies)."""
        if self.floor:
            return 1.0
        return self.met_weight / self.applicable_weight if self.applicable_weight else 0.0

    @property
    def required_unmet(self) -> tuple[CriterionResult, ...]:
        """Required criteria not met (unmet or unanswered)."""
        return tuple(c for c in self.criteria if c.required and c.is_gap)

    @property
    def weight_short(self) -> float:
        """Weight still missing to reach the pass mark (0 when reached)."""
        return max(0.0, self.pass_mark * self.applicable_weight - self.met_weight)


class RoadmapStep(NamedTuple):
    """The work to reach one level above the attained one."""

    level: LevelResult
    actions: tuple[CriterionResult, ...]
    """This level's gaps, by impact: required first, then by weight."""


class Assessment(NamedTuple):
    """The verdict for one company on one rubric."""

    rubric_id: str
    rubric_title: str
    rubric_version: int
    sources: tuple[str, ...]
    """Titles of the rubric's source documents."""
    company: str
    date: str
    """ISO date of the assessment."""
    assessor: str | None
    answers_file: str
    """The answers file as the user named it."""
    levels: tuple[LevelResult, ...]
    """Every level, lowest first."""
    attained: int
    """Number of levels attained: 0 means below the ladder, ``len(levels)`` the top."""
    skipped: tuple[LevelResult, ...]
    """Levels met on their own but above a lower level that is not met (fundamentals first)."""
    roadmap: tuple[RoadmapStep, ...]
    """Every level above the attained one, with its gaps by impact."""
    rubric_advice: tuple[AdviceItem, ...]
    """Advice from the sources that applies to the whole ladder."""

    @property
    def level(self) -> LevelResult | None:
        """The attained level, or None when the company is below the ladder."""
        return self.levels[self.attained - 1] if self.attained else None

    @property
    def next_level(self) -> LevelResult | None:
        """The level just above the attained one, or None at the top."""
        return self.levels[self.attained] if self.attained < len(self.levels) else None

    @property
    def gaps(self) -> tuple[CriterionResult, ...]:
        """What stands before the next level, by impact."""
        return self.roadmap[0].actions if self.roadmap else ()

    @property
    def below_ladder(self) -> bool:
        """True when even the lowest level is not met."""
        return self.attained == 0

    @property
    def at_top(self) -> bool:
        return self.attained == len(self.levels)

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Ids of the questions the rubric uses that were not answered, in ladder order."""
        return _unique(
            c.question_id
            for lv in self.levels
            for c in lv.criteria
            if c.status is Status.UNANSWERED
        )

    @property
    def not_applicable(self) -> tuple[str, ...]:
        """Ids of the questions answered n/a, in ladder order."""
        return _unique(
            c.question_id
            for lv in self.levels
            for c in lv.criteria
            if c.status is Status.NOT_APPLICABLE
        )


class CriterionChange(NamedTuple):
    """A criterion whose status changed between two assessments on the same rubric."""

    before: CriterionResult
    after: CriterionResult


def criterion_changes(
    before: Assessment, after: Assessment
) -> tuple[tuple[CriterionChange, ...], tuple[CriterionChange, ...]]:
    """The criteria newly met, and those met before and not now, in ladder order.

    Criteria are paired by level and question; one found on only one side is left out.
    """
    old = {(c.level_id, c.question_id): c for lv in before.levels for c in lv.criteria}
    newly_met: list[CriterionChange] = []
    lost: list[CriterionChange] = []
    for lv in after.levels:
        for c in lv.criteria:
            prev = old.get((c.level_id, c.question_id))
            if prev is None:
                continue
            if prev.status is not Status.MET and c.status is Status.MET:
                newly_met.append(CriterionChange(prev, c))
            elif prev.status is Status.MET and c.status is not Status.MET:
                lost.append(CriterionChange(prev, c))
    return tuple(newly_met), tuple(lost)


def _unique(items: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:  # type: ignore[attr-defined]
        seen.setdefault(item, None)
    return tuple(seen)
