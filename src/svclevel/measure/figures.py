"""The five measured figures, each computed exactly as the question bank defines its question.

An aggregator takes one record at a time and keeps counts, or one 8-byte wait per written
ticket (a median needs them all), never a record: memory stays flat in everything but that.
``figure()`` gives the result as a :class:`Figure`; a sample below the bank's minimum gives a
figure without a value, saying why.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Z95 = 1.96
"""The normal quantile of a two-sided 95 % interval, as the literature rounds it (Newcombe 1998)."""

MINIMUM = {
    "first_response_hours": 30,
    "resolution_rate_pct": 30,
    "csat_pct": 30,
    "nps": 100,
    "retention_pct": 30,
}
"""The smallest sample each figure is used from. csat_pct (30 ratings) and nps (100
responses) are the question bank's own minimums; the other three take the bank's sampling
rule of at least 30 cases."""

DEFINITIONS = {
    "first_response_hours": (
        "Median, over the written tickets (every channel but phone and live chat) created in the "
        "period, of the calendar hours from creation to the first public reply by a person; a "
        "ticket with no reply stays in the median as the longest wait."
    ),
    "resolution_rate_pct": (
        "100 × tickets created in the period that are solved or closed and were never reopened "
        "÷ all tickets created in the period."
    ),
    "csat_pct": (
        "100 × satisfied ratings ÷ all ratings of the period (4 or 5 on a 1-5 scale; good on a "
        "good/bad scale); 95 % Wilson interval."
    ),
    "nps": (
        "Percentage of scores 9-10 minus percentage of scores 0-6, over the 0-10 responses of "
        "the period; 95 % adjusted-Wald interval (Rocks 2016)."
    ),
    "retention_pct": (
        "100 × customers who ordered in the twelve months before the period and ordered again "
        "in it ÷ customers who ordered in those twelve months; 95 % Wilson interval."
    ),
}
"""What each figure is, printed with it in the measurement file and on the terminal."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure, ready for the measurement file."""

    question_id: str
    """The question it answers (the key in the measurement file and in an answers file)."""
    value: float | None
    """The figure; None when it cannot be used (``reason`` says why)."""
    n: int
    """The sample it rests on: tickets, ratings, responses or customers."""
    details: dict[str, Any] = field(default_factory=dict)
    """The rest, in the order the file shows it (counts, interval, p90, per channel)."""
    reason: str | None = None
    """Why there is no value (too small a sample, no reply for most tickets, ...)."""
    sources: tuple[str, ...] = ()
    """The exports it was counted from (their names)."""

    @property
    def definition(self) -> str:
        """How the figure is defined (printed with it)."""
        return DEFINITIONS[self.question_id]

    def to_dict(self) -> dict[str, Any]:
        """The figure as in the measurement file."""
        out: dict[str, Any] = {
            "value": self.value,
            "n": self.n,
            "sources": list(self.sources),
            **self.details,
        }
        if self.reason is not None:
            out["not_used"] = self.reason
        out["definition"] = DEFINITIONS[self.question_id]
        return out


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion, in percent (Wilson 1927; Newcombe 1998)."""
    if n == 0:
        return (0.0, 100.0)
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1))


def nps_interval(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    """The 95 % adjusted-Wald interval of an NPS (Rocks 2016, The American Statistician 70:
    365-372): ¾ promoter, ¾ detractor and 1½ passive are added (n + 3), and each response
    scores +1, 0 or −1, so the score's variance is (p + d − (p − d)²) / n. Unlike the plain
    interval it does not shrink to nothing when every response is a promoter."""
    size = n + 3
    p, d = (promoters + 0.75) / size, (detractors + 0.75) / size
    half = 100 * Z95 * math.sqrt((p + d - (p - d) ** 2) / size)
    score = 100 * (p - d)
    return (round(max(-100.0, score - half), 1), round(min(100.0, score + half), 1))


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


def _short(question_id: str, n: int, what: str) -> str:
    return f"{n} {what}; it is measured from at least {MINIMUM[question_id]}"


# --------------------------------------------------------------------------- waits


@dataclass(slots=True)
class Waits:
    """The first-reply waits of one channel, in hours (unreplied tickets counted apart)."""

    hours: array[float] = field(default_factory=lambda: array("d"))
    unreplied: int = 0

    def add(self, hours: float | None) -> None:
        """One ticket's wait; None for a ticket without a reply."""
        if hours is None:
            self.unreplied += 1
        else:
            self.hours.append(hours)

    @property
    def n(self) -> int:
        """Tickets, replied or not."""
        return len(self.hours) + self.unreplied

    def summary(self) -> tuple[float | None, float | None]:
        """The median and the nearest-rank 90th percentile, unreplied tickets ranked last
        (None where the rank falls among them)."""
        ordered = sorted(self.hours)
        return _median(ordered, self.n), _rank(ordered, math.ceil(0.9 * self.n))


def _rank(ordered: list[float], rank: int) -> float | None:
    """The value of 1-based ``rank``; None past the replied tickets (an unreplied one)."""
    return round(ordered[rank - 1], 2) if 0 < rank <= len(ordered) else None


def _median(ordered: list[float], n: int) -> float | None:
    if n == 0:
        return None
    middle = n // 2
    if n % 2:
        return _rank(ordered, middle + 1)
    low, high = _rank(ordered, middle), _rank(ordered, middle + 1)
    if low is None or high is None:
        return None
    return round((ordered[middle - 1] + ordered[middle]) / 2, 2)


def first_response(channels: dict[str, Waits], written: Iterable[str]) -> Figure:
    """``first_response_hours`` over the written channels, with every channel's own figures."""
    written = set(written)
    overall = Waits()
    for name in sorted(written & channels.keys()):
        overall.hours.extend(channels[name].hours)
        overall.unreplied += channels[name].unreplied
    by_channel = {}
    for name in sorted(channels):
        waits = channels[name]
        median, p90 = waits.summary()
        by_channel[name] = {
            "median": median,
            "n": waits.n,
            "p90": p90,
            "unreplied": waits.unreplied,
            "written": name in written,
        }
    qid = "first_response_hours"
    details: dict[str, Any] = {"unit": "hours", "unreplied": overall.unreplied}
    if overall.n < MINIMUM[qid]:
        return Figure(
            qid,
            None,
            overall.n,
            {**details, "by_channel": by_channel},
            _short(qid, overall.n, "written tickets"),
        )
    median, p90 = overall.summary()
    details["p90"] = p90
    details["by_channel"] = by_channel
    if median is None:
        reason = "more than half of the written tickets have no reply: the median wait is unknown"
        return Figure(qid, None, overall.n, details, reason)
    return Figure(qid, median, overall.n, details)


# --------------------------------------------------------------------------- counts


@dataclass(slots=True)
class Resolution:
    """Tickets created in the period, and those solved or closed without a reopen."""

    created: int = 0
    solved: int = 0
    reopened: int = 0
    unknown_reopens: int = 0

    def add(self, solved: bool, reopens: int | None) -> None:
        """One ticket created in the period."""
        self.created += 1
        if reopens is None:
            self.unknown_reopens += 1
        elif reopens > 0:
            self.reopened += 1
        if solved and reopens == 0:
            self.solved += 1

    def figure(self) -> Figure:
        """``resolution_rate_pct``."""
        qid = "resolution_rate_pct"
        details: dict[str, Any] = {"unit": "%", "resolved": self.solved, "reopened": self.reopened}
        if self.unknown_reopens:
            reason = (
                f"{self.unknown_reopens} of {self.created} tickets have no reopen count in the "
                "exports, and a ticket counts only if it stayed solved"
            )
            return Figure(qid, None, self.created, details, reason)
        if self.created < MINIMUM[qid]:
            return Figure(qid, None, self.created, details, _short(qid, self.created, "tickets"))
        details["interval"] = list(wilson(self.solved, self.created))
        return Figure(qid, _pct(self.solved, self.created), self.created, details)


@dataclass(slots=True)
class Satisfaction:
    """CSAT ratings of the period, by scale: a 1-5 survey wins over good/bad ratings."""

    top_two: int = 0
    five_point: int = 0
    good: int = 0
    good_bad: int = 0

    def add_five_point(self, score: int) -> None:
        """A rating of 1 to 5."""
        self.five_point += 1
        if score >= 4:
            self.top_two += 1

    def add_good_bad(self, good: bool) -> None:
        """A good or bad rating."""
        self.good_bad += 1
        if good:
            self.good += 1

    @property
    def any(self) -> bool:
        """Whether any rating was read."""
        return bool(self.five_point or self.good_bad)

    def figure(self) -> tuple[Figure, str | None]:
        """``csat_pct``, and a warning when good/bad ratings were left out for a 1-5 survey."""
        qid = "csat_pct"
        note = None
        if self.five_point:
            positive, n, scale = self.top_two, self.five_point, "1-5"
            if self.good_bad:
                note = (
                    f"csat_pct: {self.good_bad} good/bad ratings not used: the 1-5 survey is the "
                    "question bank's measure, and the two scales do not add up"
                )
        else:
            positive, n, scale = self.good, self.good_bad, "good/bad"
        details: dict[str, Any] = {"unit": "%", "scale": scale, "positive": positive}
        if n < MINIMUM[qid]:
            return Figure(qid, None, n, details, _short(qid, n, "ratings")), note
        details["interval"] = list(wilson(positive, n))
        return Figure(qid, _pct(positive, n), n, details), note


@dataclass(slots=True)
class Promoters:
    """0-10 responses of the period."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    def add(self, score: int) -> None:
        """One response of 0 to 10."""
        if score >= 9:
            self.promoters += 1
        elif score >= 7:
            self.passives += 1
        else:
            self.detractors += 1

    @property
    def n(self) -> int:
        """Responses."""
        return self.promoters + self.passives + self.detractors

    def figure(self) -> Figure:
        """``nps``."""
        qid, n = "nps", self.n
        details: dict[str, Any] = {
            "unit": "points",
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
        }
        if n < MINIMUM[qid]:
            return Figure(qid, None, n, details, _short(qid, n, "responses"))
        details["interval"] = list(nps_interval(self.promoters, self.detractors, n))
        value = round(100 * (self.promoters - self.detractors) / n, 1)
        return Figure(qid, value, n, details)


@dataclass(slots=True)
class Retention:
    """Customers who ordered before the period, and in it."""

    before: set[str] = field(default_factory=set)
    during: set[str] = field(default_factory=set)

    def figure(
        self,
        window: tuple[str, str],
        first_order: str | None,
        last_order: str | None = None,
        period_end: str | None = None,
    ) -> Figure:
        """``retention_pct``; ``window`` is the twelve months before the period. An export
        whose first order comes more than a month after the window's start, or whose last order
        more than a month before the period's end, does not cover them."""
        qid = "retention_pct"
        base = len(self.before)
        retained = len(self.before & self.during)
        details: dict[str, Any] = {
            "unit": "%",
            "retained": retained,
            "before": {"from": window[0], "to": window[1]},
        }
        if first_order is not None and _days_between(window[0], first_order) > 31:
            reason = (
                f"the orders start on {first_order}, more than a month after the start of the "
                f"twelve months before the period ({window[0]})"
            )
            return Figure(qid, None, base, details, reason)
        if (
            last_order is not None
            and period_end is not None
            and _days_between(last_order, period_end) > 31
        ):
            reason = (
                f"the orders end on {last_order}, more than a month before the end of the "
                f"period ({period_end})"
            )
            return Figure(qid, None, base, details, reason)
        if base < MINIMUM[qid]:
            return Figure(qid, None, base, details, _short(qid, base, "customers"))
        details["interval"] = list(wilson(retained, base))
        return Figure(qid, _pct(retained, base), base, details)


def _days_between(first: str, last: str) -> int:
    import datetime

    return (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(first)).days
