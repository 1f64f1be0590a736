"""An independent computation of the five measured figures, written from the definitions in the
measure spec alone (plain Python: sorted lists, ``statistics.median``), never from svclevel.measure.

``reference(exports_dir)`` reads the five files the generator writes (tools/make_exports.py),
each by its name; a file that is not there leaves out the figures that need it. Every figure is
rounded as the measurement file rounds it: hours to 2 decimals, percentages, NPS and interval
bounds to 1. ``sufficient`` says whether the figure reaches the spec's minimum sample.
"""

from __future__ import annotations

import csv
import json
import math
import statistics
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TICKETS = "harbor-lane-zendesk-tickets.json"
METRICS = "harbor-lane-zendesk-ticket-metrics.json"
CSAT = "harbor-lane-csat.csv"
NPS = "harbor-lane-nps.csv"
ORDERS = "harbor-lane-orders.csv"

Z = 1.96
LIVE = frozenset({"voice", "chat"})
MINIMUM = {
    "first_response_hours": 30,
    "resolution_rate_pct": 30,
    "csat_pct": 30,
    "nps": 100,
    "retention_pct": 30,
}


def wilson(k: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of k successes in n, as fractions (unrounded)."""
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def nearest_rank(ascending: list[float], q: float) -> float:
    """The ceil(q n)-th value (1-based) of an ascending list."""
    return ascending[max(1, math.ceil(q * len(ascending))) - 1]


def _day(stamp: str, tz: ZoneInfo) -> date:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {stamp}")
    return moment.astimezone(tz).date()


def _hours(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else round(value, 2)


def _waits(waits: list[float]) -> dict[str, Any]:
    ordered = sorted(waits)
    if not ordered:
        return {"value": None, "n": 0, "unreplied": 0, "p90": None}
    return {
        "value": _hours(statistics.median(ordered)),
        "n": len(ordered),
        "unreplied": sum(1 for w in ordered if math.isinf(w)),
        "p90": _hours(nearest_rank(ordered, 0.9)),
    }


def _proportion(metric: str, k: int, n: int, **counts: int) -> dict[str, Any]:
    if n == 0:
        return {"value": None, "n": 0, **counts, "interval": None, "sufficient": False}
    lo, hi = wilson(k, n)
    return {
        "value": round(100 * k / n, 1),
        "n": n,
        **counts,
        "interval": [round(100 * lo, 1), round(100 * hi, 1)],
        "sufficient": n >= MINIMUM[metric],
    }


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def _first_response(tickets: list[dict[str, Any]], metrics: dict[int, Any]) -> dict[str, Any]:
    by_channel: dict[str, list[float]] = {}
    for ticket in tickets:
        minutes = (metrics.get(ticket["id"]) or {}).get("reply_time_in_minutes") or {}
        calendar = minutes.get("calendar")
        wait = math.inf if calendar is None else calendar / 60
        by_channel.setdefault(ticket["via"]["channel"], []).append(wait)
    written = [w for channel, waits in by_channel.items() if channel not in LIVE for w in waits]
    overall = _waits(written)
    overall["sufficient"] = overall["n"] >= MINIMUM["first_response_hours"]
    overall["channels"] = {c: _waits(by_channel[c]) for c in sorted(by_channel)}
    return overall


def _resolution(tickets: list[dict[str, Any]], metrics: dict[int, Any]) -> dict[str, Any]:
    resolved = sum(
        1
        for t in tickets
        if t["status"] in ("solved", "closed")
        and t["id"] in metrics
        and metrics[t["id"]]["reopens"] == 0
    )
    return _proportion("resolution_rate_pct", resolved, len(tickets), resolved=resolved)


def _csat(rows: Iterable[dict[str, str]], tickets: list[dict[str, Any]]) -> dict[str, Any]:
    positive = rated = 0
    for row in rows:
        if row["scale"] == "1-5":
            rated += 1
            positive += int(row["score"]) >= 4
        elif row["scale"] == "good/bad" and row["score"] in ("good", "bad"):
            rated += 1
            positive += row["score"] == "good"
        else:
            raise ValueError(f"unknown CSAT scale {row['scale']!r}")
    for ticket in tickets:
        score = (ticket.get("satisfaction_rating") or {}).get("score")
        if score in ("good", "bad"):
            rated += 1
            positive += score == "good"
    return _proportion("csat_pct", positive, rated, positive=positive)


def _nps(rows: Iterable[dict[str, str]]) -> dict[str, Any]:
    scores = [int(row["score"]) for row in rows]
    n = len(scores)
    if n == 0:
        return {"value": None, "n": 0, "interval": None, "sufficient": False}
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    value = 100 * (promoters - detractors) / n
    # Adjusted Wald (Rocks 2016; Lewis & Sauro 2021): n + 3, promoters and detractors + 3/4.
    size = n + 3
    p, d = (promoters + 0.75) / size, (detractors + 0.75) / size
    centre = 100 * (p - d)
    half = Z * 100 * math.sqrt((p + d - (p - d) ** 2) / size)
    return {
        "value": round(value, 1),
        "n": n,
        "promoters": promoters,
        "detractors": detractors,
        "interval": [round(max(-100, centre - half), 1), round(min(100, centre + half), 1)],
        "sufficient": n >= MINIMUM["nps"],
    }


def year_before(first: date) -> tuple[date, date]:
    """The twelve calendar months before a period starting on ``first``, as inclusive days (a
    period from 29 February looks back to 28 February)."""
    try:
        start = first.replace(year=first.year - 1)
    except ValueError:
        start = date(first.year - 1, 2, 28)
    return start, date.fromordinal(first.toordinal() - 1)


def _retention(
    rows: Iterable[dict[str, str]], first: date, last: date, tz: ZoneInfo
) -> dict[str, Any]:
    window = year_before(first)
    before: set[str] = set()
    during: set[str] = set()
    for row in rows:
        day = _day(row["ordered_at"], tz)
        if window[0] <= day <= window[1]:
            before.add(row["customer_id"])
        if first <= day <= last:
            during.add(row["customer_id"])
    retained = len(before & during)
    result = _proportion("retention_pct", retained, len(before), retained=retained)
    result["window"] = [window[0].isoformat(), window[1].isoformat()]
    return result


def reference(
    exports_dir: Path,
    period: tuple[str, str] | None = ("2026-07-01", "2026-09-30"),
    tz: str = "UTC",
) -> dict[str, Any]:
    """The five figures of the exports in ``exports_dir`` for ``period`` (inclusive days in
    ``tz``; None: the first to the last day of the ticket and survey records)."""
    zone = ZoneInfo(tz)
    folder = Path(exports_dir)
    tickets: list[dict[str, Any]] = []
    if (folder / TICKETS).is_file():
        tickets = json.loads((folder / TICKETS).read_text(encoding="utf-8"))["tickets"]
    metrics: dict[int, Any] = {}
    if (folder / METRICS).is_file():
        records = json.loads((folder / METRICS).read_text(encoding="utf-8"))["ticket_metrics"]
        metrics = {m["ticket_id"]: m for m in records}
    surveys = {
        name: _rows(folder / file) if (folder / file).is_file() else None
        for name, file in (("csat", CSAT), ("nps", NPS))
    }
    if period is None:
        days = [_day(t["created_at"], zone) for t in tickets]
        days += [_day(r["submitted_at"], zone) for rows in surveys.values() for r in rows or []]
        first, last = min(days), max(days)
    else:
        first, last = date.fromisoformat(period[0]), date.fromisoformat(period[1])

    def inside(stamp: str) -> bool:
        return first <= _day(stamp, zone) <= last

    result: dict[str, Any] = {"period": [first.isoformat(), last.isoformat()], "tz": tz}
    if (folder / TICKETS).is_file():
        in_period = [t for t in tickets if inside(t["created_at"])]
        result["first_response_hours"] = _first_response(in_period, metrics)
        result["resolution_rate_pct"] = _resolution(in_period, metrics)
    csat_rows = [
        r for r in surveys["csat"] or [] if r["survey"] == "csat" and inside(r["submitted_at"])
    ]
    if surveys["csat"] is not None or tickets:
        in_period = [t for t in tickets if inside(t["created_at"])]
        result["csat_pct"] = _csat(csat_rows, in_period)
    if surveys["nps"] is not None:
        rows = [r for r in surveys["nps"] if r["survey"] == "nps" and inside(r["submitted_at"])]
        result["nps"] = _nps(rows)
    if (folder / ORDERS).is_file():
        result["retention_pct"] = _retention(_rows(folder / ORDERS), first, last, zone)
    return result


if __name__ == "__main__":
    import pprint
    import sys

    pprint.pprint(reference(Path(sys.argv[1]), tz=sys.argv[2] if len(sys.argv) > 2 else "UTC"))
