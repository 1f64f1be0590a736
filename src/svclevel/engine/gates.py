"""Thresholds for scripted audits: ``--fail-below`` and ``--baseline``. Pure functions."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from svclevel.errors import UsageError, did_you_mean
from svclevel.results import Assessment, CriterionChange, criterion_changes

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison
    from svclevel.load.rubrics import LoadedRubric


FLAG = "--fail-below"
"""How messages name a threshold given on the command line."""


def level_index(a: Assessment, spec: str, named: str = FLAG) -> int:
    """The ladder position (0 = below the ladder) that ``spec`` names in ``a``'s rubric.

    ``spec`` is a level id, a level name (case-insensitive) or a number from 0 to the number
    of levels; ``rubric=level`` pairs are resolved by the caller. ``named`` is where the value
    was given, as messages say it: the flag, an environment variable, ``file:line: key``.
    """
    return level_position(a.rubric_id, [(lv.id, lv.name) for lv in a.levels], spec, named=named)


def level_position(
    rubric_id: str,
    levels: Sequence[tuple[str, str]],
    spec: str,
    shown: str | None = None,
    named: str = FLAG,
) -> int:
    """The ladder position that ``spec`` names among ``levels`` (id, name), lowest first;
    ``shown`` is the whole threshold value and ``named`` where it was given, for the message."""
    text = spec.strip()
    spec = shown or spec
    if text.isdigit():
        number = int(text)
        if number <= len(levels):
            return number
        raise UsageError(f"{named} {spec}: rubric {rubric_id} has only {len(levels)} levels")
    lowered = text.lower()
    for index, (level_id, name) in enumerate(levels, start=1):
        if lowered in (level_id.lower(), name.lower()):
            return index
    ids = [level_id for level_id, _ in levels]
    raise UsageError(
        f"{named} {spec}: no such level in rubric {rubric_id}{did_you_mean(lowered, ids)} "
        f"(levels: {', '.join(ids)}, or a number from 0 to {len(levels)})"
    )


def rubric_levels(rubric: LoadedRubric) -> list[tuple[str, str]]:
    """The (id, name) of each level of ``rubric``, lowest first."""
    return [(level.id, level.name) for level in rubric.rubric.levels]


def split_threshold(spec: str, named: str = FLAG) -> tuple[str | None, str]:
    """``RUBRIC=LEVEL`` as (rubric, level); a plain ``LEVEL`` as (None, level)."""
    if "=" not in spec:
        return None, spec
    rubric, _, level = spec.partition("=")
    rubric, level = rubric.strip(), level.strip()
    if not rubric or not level:
        raise UsageError(f"{named} {spec}: expected LEVEL or RUBRIC=LEVEL")
    return rubric, level


def check_thresholds(
    specs: Sequence[str], rubrics: Mapping[str, LoadedRubric], named: str = FLAG
) -> None:
    """Refuse, before a run starts, a ``RUBRIC=LEVEL`` whose level ``RUBRIC`` does not have
    (for the rubrics known now), and the same rubric given two levels."""
    seen: dict[str | None, str] = {}
    for spec in specs:
        rubric_id, level = split_threshold(spec)
        if rubric_id in seen and seen[rubric_id] != spec:
            which = f"for {rubric_id}" if rubric_id else "without a rubric"
            raise UsageError(f"{named}: two thresholds {which}: {seen[rubric_id]} and {spec}")
        seen[rubric_id] = spec
        if rubric_id is not None and rubric_id in rubrics:
            level_position(rubric_id, rubric_levels(rubrics[rubric_id]), level, spec, named)


def check_thresholds_now(
    specs: Sequence[str],
    *,
    rubric_dirs: Sequence[str],
    rubric: LoadedRubric | None,
    named: str = FLAG,
    allow_paths: Sequence[str] = (),
) -> None:
    """``--fail-below`` checked before anything is read, against the rubrics known now (the
    built-in ones, those in ``rubric_dirs``, and ``rubric`` when one rubric decides for every
    input): each ``RUBRIC=LEVEL`` of a known rubric, and the plain ``LEVEL`` on ``rubric``."""
    from svclevel.load.rubrics import builtin_rubric_ids, load_rubric, rubric_ids_in

    rubric_ids = {r for r, _ in map(split_threshold, specs) if r is not None}
    known: dict[str, LoadedRubric] = {rubric.id: rubric} if rubric is not None else {}
    if rubric_ids - set(known):
        ids = {*builtin_rubric_ids(), *rubric_ids_in(rubric_dirs)}
        known |= {
            i: load_rubric(i, rubric_dirs=rubric_dirs, allow_paths=allow_paths)
            for i in rubric_ids & ids - set(known)
        }
    check_thresholds(specs, known, named)
    if rubric is not None and rubric.id not in rubric_ids:
        for spec in specs:
            rubric_id, level = split_threshold(spec)
            if rubric_id is None:
                level_position(rubric.id, rubric_levels(rubric), level, spec, named)


def unapplied_thresholds(
    specs: Sequence[str], assessed: Collection[str], known: Collection[str], named: str = FLAG
) -> tuple[list[str], list[str]]:
    """After a run: the ``RUBRIC=LEVEL`` thresholds no assessment was checked against, as
    (errors, warnings). A rubric nobody knows is an error (a typo switches a gate off); a
    known rubric no input used is a warning."""
    errors, warnings = [], []
    for spec in specs:
        rubric_id, _ = split_threshold(spec)
        if rubric_id is None or rubric_id in assessed:
            continue
        if rubric_id in known:
            warnings.append(
                f"{named} {spec}: no input was assessed on {rubric_id}; "
                "this threshold was not applied"
            )
        else:
            errors.append(
                f"{named} {spec}: no rubric {rubric_id}"
                f"{did_you_mean(rubric_id, sorted(known))} (known: {', '.join(sorted(known))})"
            )
    return errors, warnings


def threshold_for(a: Assessment, specs: Sequence[str]) -> str | None:
    """The ``--fail-below`` value that applies to ``a``: ``rubric=level`` first, then plain."""
    plain = None
    for spec in specs:
        rubric_id, level = split_threshold(spec)
        if rubric_id is None:
            plain = level
        elif rubric_id == a.rubric_id:
            return level
    return plain


def below_threshold(a: Assessment, spec: str, named: str = FLAG) -> str | None:
    """A message when ``a`` is below the level ``spec`` names, else None."""
    needed = level_index(a, spec, named)
    if a.attained >= needed:
        return None
    want = a.levels[needed - 1].name
    return (
        f"{a.answers_file}: {a.company} is {a.standing} on {a.rubric_id}, "
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
        before, after = self.before.level_name, self.after.level_name
        head = (
            f"{self.after.answers_file}: {self.after.company} dropped on {self.after.rubric_id} "
            f"from {before} ({self.before.evaluated_on}) to {after} ({self.after.evaluated_on})"
        )
        return [head] + [
            f"  {c.before.question_id} ({c.before.level_id}): was {c.before.answer}"
            f"{c.before.status_reason}, now {c.after.answer}{c.after.status_reason}; needed "
            f"{c.after.needed}"
            for c in self.criteria
        ]


def improvement(before: Assessment, after: Assessment) -> str | None:
    """The rise from ``before`` to ``after`` in words, or None when the level did not rise."""
    if after.attained <= before.attained:
        return None
    was, now = before.level_name, after.level_name
    return (
        f"{after.answers_file}: {after.company} rose on {after.rubric_id} "
        f"from {was} ({before.evaluated_on}) to {now} ({after.evaluated_on})"
    )


def regression(before: Assessment, after: Assessment) -> Regression | None:
    """The regression from ``before`` to ``after``, or None when the level did not drop."""
    if after.attained >= before.attained:
        return None
    return Regression(before, after, criterion_changes(before, after)[1])


def check_compare_thresholds(
    specs: Sequence[str], rubrics: Sequence[LoadedRubric], named: str = FLAG
) -> None:
    """``--fail-below`` for ``compare``, checked before anything is read: a ``RUBRIC=LEVEL``
    names a compared rubric and one of its levels; a plain ``LEVEL`` is a level of at least one
    compared rubric (it applies to every rubric that has it)."""
    by_id = {r.id: r for r in rubrics}
    ids = ", ".join(by_id)
    check_thresholds(specs, by_id, named)
    for spec in specs:
        rubric_id, level = split_threshold(spec)
        if rubric_id is not None and rubric_id not in by_id:
            raise UsageError(
                f"{named} {spec}: {rubric_id} is not among the compared rubrics "
                f"({ids}){did_you_mean(rubric_id, list(by_id))}"
            )
        if rubric_id is None and not any(has_level(r, level) for r in rubrics):
            raise UsageError(f"{named} {spec}: no compared rubric has that level ({ids})")


def has_level(rubric: LoadedRubric, spec: str) -> bool:
    """Whether ``spec`` names a level of ``rubric``."""
    try:
        level_position(rubric.id, rubric_levels(rubric), spec)
    except UsageError:
        return False
    return True


def comparison_shortfalls(
    comparison: Comparison, specs: Sequence[str], named: str = FLAG
) -> list[str]:
    """``--fail-below`` for ``compare`` (checked by :func:`check_compare_thresholds`): the
    messages for the positions below their threshold."""
    messages = []
    for position in comparison.positions:
        a = position.assessment
        for spec in specs:
            rubric_id, level = split_threshold(spec)
            if rubric_id not in (None, a.rubric_id):
                continue
            if rubric_id is None and any(split_threshold(s)[0] == a.rubric_id for s in specs):
                continue  # RUBRIC=LEVEL beats a plain LEVEL
            try:
                message = below_threshold(a, level, named)
            except UsageError:
                continue  # a plain level this rubric does not have
            if message:
                messages.append(message)
    return messages
