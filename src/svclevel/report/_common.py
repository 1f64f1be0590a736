"""Wording shared by the human-readable reports, so every format says the same thing."""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple, TypeVar

from svclevel import results
from svclevel.errors import printable
from svclevel.results import Assessment, CriterionResult, LevelResult, Status

T = TypeVar("T")


def terminal_safe(value: T) -> T:
    """A copy of a result with every string made printable (no control or escape characters).

    Text in results comes from untrusted files; terminal reports must not let it move the cursor,
    retitle the window or break a line.
    """
    return _clean(value)  # type: ignore[no-any-return]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.isprintable() else _one_line(value)
    make = getattr(value, "_make", None)
    if isinstance(value, tuple) and make is not None:  # a named tuple (a result)
        return make(_clean(v) for v in value)
    if isinstance(value, tuple | list):
        return type(value)(_clean(v) for v in value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def _one_line(text: str) -> str:
    """Line breaks and tabs become spaces; other control characters are escaped."""
    for space in "\r\n\t":
        text = text.replace(space, " ")
    return printable(text)


def percent(fraction: float) -> str:
    """``0.785`` → ``79%``; never rounds a shortfall up to 100%."""
    return results.percent(fraction)


def verdict(a: Assessment) -> str:
    """One sentence saying where the company stands."""
    total = len(a.levels)
    if a.below_ladder:
        first = a.levels[0]
        return (
            f"Below the ladder: {a.company} does not reach the first level, "
            f"{first.name}, so no level is attained."
        )
    level = a.level
    assert level is not None
    if level.floor:
        return (
            f"{a.company} stands at {level.name}, the floor of the ladder "
            f"(level {level.index} of {total}): the next level is not met."
        )
    where = "the top of the ladder" if a.at_top else f"level {level.index} of {total}"
    return f"{a.company} reaches {level.name} ({where})."


def gating_note(a: Assessment) -> str | None:
    """Explain levels met on their own but not counted because a lower level is not met."""
    if not a.skipped:
        return None
    blocked_by = a.next_level
    assert blocked_by is not None
    names = ", ".join(lv.name for lv in a.skipped)
    return (
        f"Fundamentals first: {names} {'is' if len(a.skipped) == 1 else 'are'} met on its own, "
        f"but {blocked_by.name} below it is not, so the company is placed "
        + (f"at {a.level.name}." if a.level else "below the ladder.")
    )


def level_state(level: LevelResult) -> str:
    """``met``, ``not met`` or ``floor``."""
    if level.floor:
        return "floor"
    return "met" if level.met else "not met"


def arithmetic(level: LevelResult) -> str:
    """The computation behind one level's verdict, in one line."""
    if level.floor:
        return "floor level: no criteria, every company stands here"
    na = sum(c.weight for c in level.criteria if c.status is Status.NOT_APPLICABLE)
    text = f"met weight {level.met_weight:g} of {level.applicable_weight:g} applicable"
    if na:
        text += f" ({na:g} n/a left out)"
    if level.applicable_weight:
        reached = "not reached" if level.weight_short > 1e-9 else "reached"
        text += f" = {percent(level.score)}, pass mark {percent(level.pass_mark)} → {reached}"
    else:
        text += ": nothing applies (every criterion n/a), so the level cannot be met"
    missing = level.required_unmet
    if missing:
        text += "; required not met: " + ", ".join(c.question_id for c in missing)
    elif any(c.required for c in level.criteria):
        text += "; every required criterion met"
    return text


def gap_reason(level: LevelResult) -> str:
    """What stands between the company and ``level``, in one sentence."""
    return level.gap_reason


def status_word(c: CriterionResult) -> str:
    """Short status text for one criterion."""
    return {
        Status.MET: "met",
        Status.UNMET: "not met",
        Status.UNANSWERED: "unanswered",
        Status.NOT_APPLICABLE: "n/a",
    }[c.status]


class SummaryRow(NamedTuple):
    """One line of a portfolio summary."""

    company: str
    rubric: str
    level: str
    gaps: int
    file: str

    @classmethod
    def of(cls, a: Assessment) -> SummaryRow:
        level = "below the ladder" if a.level is None else f"{a.level.index}. {a.level.name}"
        return cls(a.company, a.rubric_id, level, len(a.gaps), a.answers_file)

    @classmethod
    def failed(cls, file: str) -> SummaryRow:
        return cls("—", "—", "invalid input", 0, file)
