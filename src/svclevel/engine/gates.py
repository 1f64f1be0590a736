"""Thresholds for scripted audits: ``--fail-below`` and ``--baseline``. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from svclevel.errors import UsageError, did_you_mean
from svclevel.results import Assessment, CriterionChange, criterion_changes

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison


FLAG = "--fail-below"
"""How messages name a threshold given on the command line."""


def level_index(a: Assessment, spec: str, named: str = FLAG) -> int:
    """The ladder position (0 = below the ladder) that ``spec`` names in ``a``'s rubric.

    ``spec`` is a level id, a level name (case-insensitive) or a number from 0 to the number
    of levels; ``rubric=level`` pairs are resolved by the caller. ``named`` is where the value
    was given, as messages say it: the flag, an environment variable, ``file:line: key``.
    """
    text = spec.strip()
    if text.isdigit():
        number = int(text)
        if number <= len(a.levels):
            return number
        raise UsageError(f"{named} {spec}: rubric {a.rubric_id} has only {len(a.levels)} levels")
    lowered = text.lower()
    for level in a.levels:
        if lowered in (level.id.lower(), level.name.lower()):
            return level.index
    ids = [lv.id for lv in a.levels]
    raise UsageError(
        f"{named} {spec}: no such level in rubric {a.rubric_id}{did_you_mean(lowered, ids)} "
        f"(levels: {', '.join(ids)}, or a number from 0 to {len(a.levels)})"
    )


def threshold_for(a: Assessment, specs: list[str]) -> str | None:
    """The ``--fail-below`` value that applies to ``a``: ``rubric=level`` first, then plain."""
    plain = None
    for spec in specs:
        if "=" in spec:
            rubric, _, level = spec.partition("=")
            if rubric.strip() == a.rubric_id:
                return level
        else:
            plain = spec
    return plain


def below_threshold(a: Assessment, spec: str, named: str = FLAG) -> str | None:
    """A message when ``a`` is below the level ``spec`` names, else None."""
    needed = level_index(a, spec, named)
    if a.attained >= needed:
        return None
    have = a.level.name if a.level else "below the ladder"
    want = a.levels[needed - 1].name
    return (
        f"{a.answers_file}: {a.company} is at {have} on {a.rubric_id}, "
        f"below the threshold {want} (level {needed})"
    )


@dataclass(frozen=True, slots=True)
class Regression:
    """A drop against an earlier assessment of the same company on the same rubric."""

    before: Assessment
    """The earlier assessment."""
    after: Assessment
    """The current assessment, at a lower level."""
    criteria: tuple[CriterionChange, ...]
    """Criteria met before and not now."""

    def messages(self) -> list[str]:
        """The drop in words: a head line, then one line per criterion lost."""
        before = self.before.level.name if self.before.level else "below the ladder"
        after = self.after.level.name if self.after.level else "below the ladder"
        head = (
            f"{self.after.answers_file}: {self.after.company} dropped on {self.after.rubric_id} "
            f"from {before} ({self.before.date}) to {after} ({self.after.date})"
        )
        return [head] + [
            f"  {c.before.question_id} ({c.before.level_id}): was {c.before.answer}, "
            f"now {c.after.answer}; needed {c.after.needed}"
            for c in self.criteria
        ]


def regression(before: Assessment, after: Assessment) -> Regression | None:
    """The regression from ``before`` to ``after``, or None when the level did not drop."""
    if after.attained >= before.attained:
        return None
    return Regression(before, after, criterion_changes(before, after)[1])


def comparison_shortfalls(comparison: Comparison, specs: list[str], named: str = FLAG) -> list[str]:
    """``--fail-below`` for ``compare``: ``RUBRIC=LEVEL`` for one rubric; a plain ``LEVEL``
    applies to every rubric that has such a level (and is an error if none has)."""
    messages = []
    plain = [s for s in specs if "=" not in s]
    assessments = [p.assessment for p in comparison.positions]
    for spec in plain:
        matching = []
        for a in assessments:
            try:
                level_index(a, spec, named)
            except UsageError:
                continue
            matching.append(a)
        if not matching:
            ids = ", ".join(a.rubric_id for a in assessments)
            raise UsageError(f"{named} {spec}: no compared rubric has that level ({ids})")
        messages += [m for a in matching if (m := below_threshold(a, spec, named))]
    for spec in specs:
        if "=" not in spec:
            continue
        rubric, _, level = spec.partition("=")
        found = [a for a in assessments if a.rubric_id == rubric.strip()]
        if not found:
            ids = ", ".join(a.rubric_id for a in assessments)
            raise UsageError(f"{named} {spec}: {rubric} is not among the compared rubrics ({ids})")
        messages += [m for a in found if (m := below_threshold(a, level, named))]
    return messages
