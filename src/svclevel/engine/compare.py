"""Compare ladder models: one company on several rubrics, and rubrics with each other. Pure.

The common scale puts every ladder on 0-100: a company's position is the share of the ladder's
non-floor levels it has attained. Below the ladder, or on a floor level (a level with no
criteria), is 0; the top level is 100. So Meet/Exceed/Delight/Amaze are 25/50/75/100 and
Unsatisfactory/Expected/Desired/Exceptional are 0/33/67/100.

The crosswalk maps each level of one rubric to the level of another that demands the same
things: for every criterion of a level, find the lowest level of the other rubric that asks the
same question at least as demandingly (or, if none does, its highest level that asks it at all);
the corresponding level is the one where most of the criteria's weight lands (ties go to the
lower level). A rubric crosswalked with itself is therefore the identity. The crosswalk keeps the
ladders' order: a level whose criteria land below the counterpart of a lower level is placed at
that counterpart, and the cell says where its criteria landed (``raised_from``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from svclevel.load.rubrics import LoadedRubric
from svclevel.models import Criterion, Level
from svclevel.results import Assessment, CriterionResult, JsonDict, LevelResult, Status


def climbable(levels: Sequence[Level]) -> int:
    """Levels that can be climbed: the ladder's levels less its floor."""
    return sum(1 for level in levels if level.criteria)


def common_scale(a: Assessment) -> float:
    """The company's position on the common 0-100 scale."""
    steps = sum(1 for lv in a.levels if not lv.floor)
    climbed = sum(1 for lv in a.levels[: a.attained] if not lv.floor)
    return 100.0 * climbed / steps if steps else 0.0


def level_scale(levels: Sequence[Level], index: int) -> float:
    """The common-scale value of standing at level ``index`` (1-based) of a ladder."""
    steps = climbable(levels)
    climbed = sum(1 for level in levels[:index] if level.criteria)
    return 100.0 * climbed / steps if steps else 0.0


@dataclass(frozen=True)
class Position:
    """Where one rubric places the company."""

    assessment: Assessment
    scale: float
    """Position on the common 0-100 scale."""

    @property
    def rubric_id(self) -> str:
        return self.assessment.rubric_id

    @property
    def level_name(self) -> str:
        """The attained level's name, or ``below the ladder``."""
        return self.assessment.level_name


@dataclass(frozen=True)
class Deciding:
    """A criterion that holds a company back on one model but not on another."""

    criterion: CriterionResult
    """The unmet criterion of the lower model's next level."""
    other: str
    """What the higher model asks of the same question up to the level it grants."""


@dataclass(frozen=True)
class Disagreement:
    """Two models place the company at different points of the common scale."""

    higher: Position
    lower: Position
    deciding: tuple[Deciding, ...]
    """The answers that explain the gap: what the lower model's next level requires and the
    higher model does not (or asks for less)."""


@dataclass(frozen=True)
class Comparison:
    """One company on several rubrics."""

    company: str
    answers_file: str
    positions: tuple[Position, ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def strictest(self) -> Position:
        """The rubric that places the company lowest (the first, on ties)."""
        return min(self.positions, key=lambda p: p.scale)

    def to_dict(self) -> JsonDict:
        """The comparison as in the JSON record of ``svclevel compare`` (without its envelope):
        each model's position, and the answers that explain where they disagree, in words and
        as data (``value``, ``threshold``)."""
        return {
            "company": self.company,
            "answers_file": self.answers_file,
            "positions": [
                {
                    "rubric": {
                        "id": p.assessment.rubric_id,
                        "version": p.assessment.rubric_version,
                        "title": p.assessment.rubric_title,
                    },
                    "level": _level_ref(p.assessment.level),
                    "attained": p.assessment.attained,
                    "levels_total": len(p.assessment.levels),
                    "scale": p.scale,
                    "next_level": _level_ref(p.assessment.next_level),
                    "gaps": len(p.assessment.gaps),
                    "provisional": p.assessment.provisional,
                    "evaluated_on": p.assessment.evaluated_on,
                    "evidence": {
                        "stale": list(p.assessment.stale),
                        "expiring": list(p.assessment.expiring),
                        "undated": list(p.assessment.undated),
                    },
                    "exceptions": [e.to_dict() for e in p.assessment.exceptions],
                }
                for p in self.positions
            ],
            "strictest": self.strictest.rubric_id,
            "disagreements": [
                {
                    "higher": d.higher.rubric_id,
                    "lower": d.lower.rubric_id,
                    "higher_scale": d.higher.scale,
                    "lower_scale": d.lower.scale,
                    "deciding": [
                        {
                            "level_id": item.criterion.level_id,
                            "question_id": item.criterion.question_id,
                            "needed": item.criterion.needed,
                            "answer": item.criterion.answer,
                            "status": item.criterion.status.value,
                            "required": item.criterion.required,
                            "other": item.other,
                            "value": item.criterion.to_dict()["value"],
                            "threshold": item.criterion.threshold.to_dict(),
                        }
                        for item in d.deciding
                    ],
                }
                for d in self.disagreements
            ],
        }


def _level_ref(level: LevelResult | None) -> JsonDict | None:
    return None if level is None else {"index": level.index, "id": level.id, "name": level.name}


def compare(assessments: Sequence[Assessment], rubrics: Sequence[LoadedRubric]) -> Comparison:
    """Compare the assessments of one answers file on several rubrics (same order)."""
    by_id = {r.rubric.id: r for r in rubrics}
    positions = tuple(Position(a, common_scale(a)) for a in assessments)
    top = max(positions, key=lambda p: p.scale)
    disagreements = tuple(
        Disagreement(top, p, _deciding(p, top, by_id[top.rubric_id]))
        for p in positions
        if p.scale < top.scale
    )
    first = assessments[0]
    return Comparison(first.company, first.answers_file, positions, disagreements)


def _deciding(
    lower: Position, higher: Position, higher_rubric: LoadedRubric
) -> tuple[Deciding, ...]:
    """The lower model's gaps, with what the higher model makes of the same questions."""
    granted = higher.assessment.levels[: higher.assessment.attained]
    asked: dict[str, CriterionResult] = {}
    for level in granted:
        for result in level.criteria:
            asked[result.question_id] = result  # the highest granted level that asks it
    names = {lv.id: lv.name for lv in higher.assessment.levels}
    out = []
    for c in lower.assessment.gaps:
        theirs = asked.get(c.question_id)
        if theirs is None:
            other = f"{higher.rubric_id} does not ask it up to {higher.level_name}"
        elif theirs.status is Status.MET:
            same = "the same" if theirs.needed == c.needed else f"only {theirs.needed}"
            other = f"{higher.rubric_id} asks {same} (for {names[theirs.level_id]}), which is met"
        else:
            other = (
                f"{higher.rubric_id} asks {theirs.needed} too (for {names[theirs.level_id]}) but "
                f"grants the level without it (weight {theirs.weight:g}, not required)"
            )
        out.append(Deciding(c, other))
    return tuple(out)


@dataclass(frozen=True)
class CrosswalkCell:
    """Where one level of the reference rubric lands on another rubric."""

    level: Level | None
    """The corresponding level of the other rubric; None when it asks none of the questions."""
    index: int
    """Its 1-based position (0 when none)."""
    scale: float
    """Its common-scale value."""
    shared: tuple[str, ...]
    """Questions of the reference level the other rubric also requires somewhere."""
    only_here: tuple[str, ...]
    """Questions of the reference level the other rubric never asks."""
    raised_from: Level | None = None
    """Where the level's criteria land on their own, when that is below the counterpart of a
    lower reference level: the counterpart is then raised to keep the ladder's order."""


@dataclass(frozen=True)
class CrosswalkRow:
    """One level of the reference rubric and its counterparts."""

    index: int
    level: Level
    scale: float
    cells: tuple[CrosswalkCell, ...]
    """One per other rubric, in order."""


@dataclass(frozen=True)
class Crosswalk:
    """The reference rubric's levels mapped onto other rubrics."""

    reference: LoadedRubric
    others: tuple[LoadedRubric, ...]
    rows: tuple[CrosswalkRow, ...]
    only_there: tuple[tuple[str, ...], ...]
    """For each other rubric, the questions it requires that the reference never asks."""

    def to_dict(self) -> JsonDict:
        """The crosswalk as in the JSON record of ``svclevel compare`` without answers."""
        return {
            "reference": self.reference.rubric.id,
            "others": [o.rubric.id for o in self.others],
            "rows": [
                {
                    "level": {"index": row.index, "id": row.level.id, "name": row.level.name},
                    "scale": row.scale,
                    "counterparts": [
                        {
                            "rubric": other.rubric.id,
                            "level": None
                            if cell.level is None
                            else {
                                "index": cell.index,
                                "id": cell.level.id,
                                "name": cell.level.name,
                            },
                            "scale": cell.scale,
                            "shared": list(cell.shared),
                            "only_here": list(cell.only_here),
                            "raised_from": None
                            if cell.raised_from is None
                            else {"id": cell.raised_from.id, "name": cell.raised_from.name},
                        }
                        for other, cell in zip(self.others, row.cells, strict=True)
                    ],
                }
                for row in self.rows
            ],
            "only_there": {
                other.rubric.id: list(qs)
                for other, qs in zip(self.others, self.only_there, strict=True)
            },
        }


Asks = dict[str, list[tuple[int, float]]]
"""For each question, the (level index, demand) of every criterion that asks it."""


def _asks(rubric: LoadedRubric) -> Asks:
    asks: Asks = {}
    for index, level in enumerate(rubric.rubric.levels, start=1):
        for criterion in level.criteria:
            demand = rubric.questions[criterion.question].demand(criterion)
            asks.setdefault(criterion.question, []).append((index, demand))
    return asks


def _counterpart(criterion: Criterion, demand: float, asks: Asks) -> int | None:
    """The level of the other rubric that asks this criterion's question as demandingly."""
    uses = asks.get(criterion.question)
    if not uses:
        return None
    as_demanding = [index for index, d in uses if d >= demand - 1e-9]
    return min(as_demanding) if as_demanding else max(index for index, _ in uses)


def crosswalk(reference: LoadedRubric, others: Sequence[LoadedRubric]) -> Crosswalk:
    """Map every level of ``reference`` onto each of ``others`` (see the module docstring)."""
    all_asks = [_asks(other) for other in others]
    rows = []
    ref_levels = reference.rubric.levels
    highest = [0] * len(others)  # the highest counterpart so far, per other rubric
    for index, level in enumerate(ref_levels, start=1):
        cells = []
        for k, (other, asks) in enumerate(zip(others, all_asks, strict=True)):
            weight_at: dict[int, float] = {}
            shared, only_here = [], []
            for criterion in level.criteria:
                demand = reference.questions[criterion.question].demand(criterion)
                at = _counterpart(criterion, demand, asks)
                if at is None:
                    only_here.append(criterion.question)
                    continue
                shared.append(criterion.question)
                weight_at[at] = weight_at.get(at, 0.0) + max(criterion.weight, 1e-9)
            other_levels = other.rubric.levels
            if not level.criteria:
                target = 1 if other_levels and not other_levels[0].criteria else 0
            elif weight_at:
                target = min(weight_at, key=lambda at: (-weight_at[at], at))
            else:
                target = 0
            raised_from = None
            if 0 < target < highest[k]:
                # A higher level never corresponds to a lower one: its criteria ask less of
                # the other rubric than the level below did, so it takes that counterpart.
                raised_from, target = other_levels[target - 1], highest[k]
            highest[k] = max(highest[k], target)
            cells.append(
                CrosswalkCell(
                    level=other_levels[target - 1] if target else None,
                    index=target,
                    scale=level_scale(other_levels, target) if target else 0.0,
                    shared=tuple(shared),
                    only_here=tuple(only_here),
                    raised_from=raised_from,
                )
            )
        rows.append(CrosswalkRow(index, level, level_scale(ref_levels, index), tuple(cells)))
    ref_questions = set(_asks(reference))
    only_there = tuple(tuple(q for q in asks if q not in ref_questions) for asks in all_asks)
    return Crosswalk(reference, tuple(others), tuple(rows), only_there)
