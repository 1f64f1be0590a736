"""``svclevel history``: one company's level over time, from its dated answers files. Pure.

Each answers file is one date; each is assessed on the same rubrics. Per rubric, the points are
in date order, and between two consecutive dates the criteria gained and lost are named (as
``diff`` names them). The trend compares the first date with the last.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from svclevel.errors import Problem, UsageError
from svclevel.load.rubrics import AnswersDocument
from svclevel.results import (
    Assessment,
    CriterionChange,
    ExceptionChanges,
    JsonDict,
    LevelResult,
    criterion_changes,
    exception_changes,
)

Direction = Literal["up", "down", "same"]
"""Which way a level moved."""


def direction(change: int) -> Direction:
    """``up`` for a positive change of level, ``down`` for a negative one, else ``same``."""
    return "up" if change > 0 else "down" if change < 0 else "same"


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """Where the company stood on one rubric on one date."""

    assessment: Assessment
    """The assessment of that date's answers file on the rubric."""

    @property
    def date(self) -> str:
        """The answers file's date (ISO)."""
        return self.assessment.date

    @property
    def answers_file(self) -> str:
        """The answers file, as the user named it."""
        return self.assessment.answers_file

    @property
    def attained(self) -> int:
        """Levels attained: 0 below the ladder."""
        return self.assessment.attained

    @property
    def level(self) -> LevelResult | None:
        """The attained level, or None below the ladder."""
        return self.assessment.level

    @property
    def level_name(self) -> str:
        """The attained level's name, or ``below the ladder``."""
        return self.assessment.level_name

    @property
    def levels_total(self) -> int:
        """The levels of the ladder."""
        return len(self.assessment.levels)

    @property
    def provisional(self) -> bool:
        """The verdict of that date could still rise (open questions)."""
        return self.assessment.provisional

    def to_dict(self) -> JsonDict:
        """The point as in the JSON record of ``svclevel history``."""
        level = self.level
        return {
            "date": self.date,
            "answers_file": self.answers_file,
            "attained": self.attained,
            "level": None if level is None else level.ref_dict(),
            "level_name": self.level_name,
            "levels_total": self.levels_total,
            "provisional": self.provisional,
        }


def _change_dict(change: CriterionChange) -> JsonDict:
    before, after = change.before, change.after
    return {
        "level_id": after.level_id,
        "question_id": after.question_id,
        "question": after.question,
        "before": before.answer,
        "after": after.answer,
        "status_before": before.status.value,
        "status_after": after.status.value,
        "needed": after.needed,
    }


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """What changed on one rubric from one date to the next."""

    before: HistoryPoint
    """The earlier date."""
    after: HistoryPoint
    """The next date."""
    gained: tuple[CriterionChange, ...]
    """Criteria not met at the earlier date and met at the next, in ladder order."""
    lost: tuple[CriterionChange, ...]
    """Criteria met at the earlier date and not at the next, in ladder order."""
    exceptions: ExceptionChanges = field(default_factory=ExceptionChanges)
    """Exceptions added, removed and expired from the earlier date to the next."""

    @property
    def level_change(self) -> int:
        """Levels gained (positive) or lost (negative)."""
        return self.after.attained - self.before.attained

    @property
    def direction(self) -> Direction:
        """``up``, ``down`` or ``same``."""
        return direction(self.level_change)

    def to_dict(self) -> JsonDict:
        """The step as in the JSON record: the two dates, the level change, the criteria."""
        return {
            "from": self.before.date,
            "to": self.after.date,
            "level_change": self.level_change,
            "direction": self.direction,
            "gained": [_change_dict(c) for c in self.gained],
            "lost": [_change_dict(c) for c in self.lost],
            "exceptions": self.exceptions.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class RubricHistory:
    """The company's level on one rubric over time."""

    points: tuple[HistoryPoint, ...]
    """One point per date, oldest first (at least two)."""
    steps: tuple[HistoryStep, ...]
    """The change between each pair of consecutive dates, oldest first."""

    @property
    def rubric_id(self) -> str:
        """The rubric's id."""
        return self.points[-1].assessment.rubric_id

    @property
    def rubric_title(self) -> str:
        """The rubric's title."""
        return self.points[-1].assessment.rubric_title

    @property
    def rubric_version(self) -> int:
        """The rubric's version."""
        return self.points[-1].assessment.rubric_version

    @property
    def levels(self) -> tuple[LevelResult, ...]:
        """The rubric's levels, lowest first (as the latest assessment scored them)."""
        return self.points[-1].assessment.levels

    @property
    def first(self) -> HistoryPoint:
        """The oldest date."""
        return self.points[0]

    @property
    def latest(self) -> HistoryPoint:
        """The newest date."""
        return self.points[-1]

    @property
    def level_change(self) -> int:
        """Levels gained (positive) or lost (negative) from the first date to the last."""
        return self.latest.attained - self.first.attained

    @property
    def trend(self) -> Direction:
        """The overall trend, first date to last: ``up``, ``down`` or ``same``."""
        return direction(self.level_change)

    @property
    def dropped(self) -> bool:
        """The latest level is below the one of the date before it."""
        return self.steps[-1].level_change < 0

    def to_dict(self) -> JsonDict:
        """The rubric's history as in the JSON record."""
        return {
            "rubric": {
                "id": self.rubric_id,
                "version": self.rubric_version,
                "title": self.rubric_title,
            },
            "levels": [lv.ref_dict() for lv in self.levels],
            "points": [p.to_dict() for p in self.points],
            "steps": [s.to_dict() for s in self.steps],
            "level_change": self.level_change,
            "trend": self.trend,
            "dropped": self.dropped,
        }


@dataclass(frozen=True, slots=True)
class History:
    """One company's dated assessments, on each rubric, oldest first."""

    company: str
    """The company every answers file names."""
    rubrics: tuple[RubricHistory, ...]
    """The history on each rubric, in the order the rubrics were given."""

    @property
    def dates(self) -> tuple[str, ...]:
        """The dates of the answers files, oldest first."""
        return tuple(p.date for p in self.rubrics[0].points)

    @property
    def files(self) -> tuple[str, ...]:
        """The answers files, oldest first."""
        return tuple(p.answers_file for p in self.rubrics[0].points)

    @property
    def dropped(self) -> tuple[RubricHistory, ...]:
        """The rubrics on which the latest level is below the previous one."""
        return tuple(r for r in self.rubrics if r.dropped)

    def to_dict(self) -> JsonDict:
        """The history as in the JSON record of ``svclevel history`` (without its envelope)."""
        return {
            "company": self.company,
            "dates": list(self.dates),
            "files": list(self.files),
            "rubrics": [r.to_dict() for r in self.rubrics],
        }


MIN_FILES = 2
"""A history needs at least this many dated answers files."""


def timeline_problems(documents: Sequence[AnswersDocument]) -> list[Problem]:
    """What keeps ``documents`` from being one company's timeline: a file that names another
    company than the first one (at its ``company:``), a file of the same date as an earlier one
    (at its ``date:``, naming both). Files whose header is not valid are left to their own
    problems."""
    problems: list[Problem] = []
    first: tuple[str, str] | None = None  # the first file's company and name
    dated: dict[str, str] = {}  # the first file of each date, by date
    for document in documents:
        parsed = document.parsed
        if parsed is None:
            continue
        if first is None:
            first = (parsed.company, document.doc.name)
        elif parsed.company != first[0]:
            problems.append(
                document.doc.problem(
                    ("company",),
                    f"'{parsed.company}' differs from '{first[0]}' ({first[1]}): a history is "
                    "of one company",
                )
            )
        day = parsed.date.isoformat()
        if day in dated:
            problems.append(
                document.doc.problem(
                    ("date",),
                    f"{day} is also the date of {dated[day]}: a history takes one "
                    "answers file per date",
                )
            )
        else:
            dated[day] = document.doc.name
    return problems


def too_few(files: Sequence[str]) -> UsageError:
    """The error for fewer than :data:`MIN_FILES` answers files."""
    named = f": {', '.join(files)}" if files else ""
    return UsageError(
        f"history needs at least {MIN_FILES} answers files of one company, each with its own "
        f"date; got {len(files)}{named}"
    )


def history(assessed: Sequence[Sequence[Assessment]]) -> History:
    """The history of one company from its assessments: for each answers file, its assessment
    on each rubric (the same rubrics, in the same order, for every file). The files may come in
    any order: they are put in date order here. The caller checks that they are one company's,
    each of its own date (:func:`timeline_problems`); :class:`UsageError` for fewer than two."""
    if len(assessed) < MIN_FILES:
        raise too_few([a[0].answers_file for a in assessed if a])
    ordered = sorted(assessed, key=lambda file: file[0].date)
    rubrics = []
    for i in range(len(ordered[0])):
        points = tuple(HistoryPoint(file[i]) for file in ordered)
        steps = tuple(
            HistoryStep(
                before,
                after,
                *criterion_changes(before.assessment, after.assessment),
                exception_changes(before.assessment, after.assessment),
            )
            for before, after in itertools.pairwise(points)
        )
        rubrics.append(RubricHistory(points, steps))
    return History(ordered[0][0].company, tuple(rubrics))
