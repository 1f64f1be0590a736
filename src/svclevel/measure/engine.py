"""``measure(exports) -> Measurement``: the figures the rubric questions ask for, from exports.

Pure but for reading the exports: nothing printed, nothing written (the CLI writes the
measurement file).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from svclevel.errors import UsageError
from svclevel.measure import figures
from svclevel.measure.clock import Clock, day_of, day_start, zone
from svclevel.measure.figures import Figure
from svclevel.measure.sources import (
    LIVE,
    READERS,
    WRITTEN,
    Export,
    Rows,
    TooManyProblems,
    detect,
)

FORMAT = 1
"""The measurement file's format version."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One export as the measurement file records it."""

    file: str
    """Its name (as given on the command line)."""
    sha256: str
    """The SHA-256 of its bytes, so the figures can be traced to the very file."""
    system: str
    """zendesk, freshdesk, tickets (generic CSV), survey or orders."""
    kind: str
    """tickets, ticket_metrics, survey or orders."""
    records: int
    """Records read (bad ones included)."""
    skipped: int = 0
    """Bad records skipped with ``--skip-bad-rows``."""
    skipped_examples: tuple[str, ...] = ()
    """The first few skipped records and why."""
    columns_not_read: tuple[str, ...] = ()
    """Columns of a CSV that no figure uses (never copied)."""

    def to_dict(self) -> dict[str, Any]:
        """As in the measurement file."""
        out: dict[str, Any] = {
            "file": self.file,
            "sha256": self.sha256,
            "system": self.system,
            "kind": self.kind,
            "records": self.records,
        }
        if self.skipped:
            out["skipped"] = self.skipped
            out["skipped_examples"] = list(self.skipped_examples)
        if self.columns_not_read:
            out["columns_not_read"] = list(self.columns_not_read)
        return out


@dataclass(frozen=True, slots=True)
class Measurement:
    """The result of :func:`measure`: the figures, the period, the sources."""

    period: tuple[str, str]
    """The first and last day measured (ISO dates, in ``timezone``)."""
    period_stated: bool
    """Whether the period was given (else: the span of the ticket and survey records)."""
    timezone: str
    """The time zone the period's days are counted in."""
    sources: tuple[SourceFile, ...]
    """Every export read."""
    figures: tuple[Figure, ...]
    """The figures measured, in question order (only those the exports allow)."""
    channels: tuple[str, ...] = ()
    """The channels measured when ``--channel`` restricted them (empty: every channel)."""
    warnings: tuple[str, ...] = ()
    """What the user should know: unknown channels, ratings left out, ..."""

    def figure(self, question_id: str) -> Figure | None:
        """The figure for a question, if measured."""
        return next((f for f in self.figures if f.question_id == question_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The measurement file's content."""
        out: dict[str, Any] = {
            "svclevel_measurements": FORMAT,
            "period": {"from": self.period[0], "to": self.period[1], "stated": self.period_stated},
            "timezone": self.timezone,
        }
        if self.channels:
            out["channels"] = list(self.channels)
        out["sources"] = [s.to_dict() for s in self.sources]
        for fig in self.figures:
            out[fig.question_id] = fig.to_dict()
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass
class Collector:
    """Counts the records of every export into the five figures."""

    tz: Any
    start: float | None
    end: float | None
    channels: frozenset[str] | None
    waits: dict[str, figures.Waits] = field(default_factory=dict)
    resolution: figures.Resolution = field(default_factory=figures.Resolution)
    satisfaction: figures.Satisfaction = field(default_factory=figures.Satisfaction)
    promoters: figures.Promoters = field(default_factory=figures.Promoters)
    retention: figures.Retention = field(default_factory=figures.Retention)
    first: float | None = None
    last: float | None = None
    first_order: float | None = None
    tickets_seen: int = 0
    zendesk: dict[int, tuple[bool, str]] = field(default_factory=dict)
    missing_waits: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    order_window: tuple[float, float, float] | None = None
    """The twelve months before the period start at [0]; the period is [1] to [2]."""
    last_order: float | None = None
    ticket_ids: set[int | str] = field(default_factory=set)
    fed: dict[str, list[str]] = field(default_factory=dict)
    """The exports each figure was counted from, by question id."""

    def snapshot(self) -> tuple[int, int, int, int]:
        """Counts that tell which figures an export fed."""
        s = self.satisfaction
        return (self.tickets_seen + len(self.zendesk), s.five_point, s.good_bad, self.promoters.n)

    def fed_by(self, name: str, before: tuple[int, int, int, int], kind: str) -> None:
        """Note the figures the export ``name`` fed, from the counts before it was read."""
        after = self.snapshot()
        fed = {
            "first_response_hours": after[0] > before[0] or kind == "ticket_metrics",
            "resolution_rate_pct": after[0] > before[0] or kind == "ticket_metrics",
            "csat_five": after[1] > before[1],
            "csat_good_bad": after[2] > before[2],
            "nps": after[3] > before[3],
            "retention_pct": kind == "orders",
        }
        for key, yes in fed.items():
            if yes:
                self.fed.setdefault(key, []).append(name)

    def _in_period(self, moment: float) -> bool:
        if self.start is None:
            self._span(moment)
            return True
        return self.start <= moment < self.end  # type: ignore[operator]

    def _span(self, moment: float) -> None:
        """Without a period, the first and last moment seen make the default one."""
        if self.first is None or moment < self.first:
            self.first = moment
        if self.last is None or moment > self.last:
            self.last = moment

    def warn(self, message: str) -> None:
        """Something the user should know, said once."""
        if message not in self.warnings:
            self.warnings.append(message)

    def no_waits(self, shown: str, why: str) -> None:
        """A tickets export without first replies: the median cannot be measured."""
        self.missing_waits.append(f"{shown}: {why}")

    def ticket(
        self, created: float, wait: float | None, solved: bool, reopens: int | None, channel: str
    ) -> None:
        """One ticket: its creation, first-reply wait (hours; None: no reply), whether it is
        solved, its reopen count (None: unknown) and its channel."""
        if self.start is None:
            self._span(created)
        elif not self.start <= created < self.end:  # type: ignore[operator]
            return
        if self.channels is not None and channel not in self.channels:
            return
        self.tickets_seen += 1
        waits = self.waits.get(channel)
        if waits is None:
            waits = self.waits[channel] = figures.Waits()
        if wait is None:
            waits.unreplied += 1
        else:
            waits.hours.append(wait)
        self.resolution.add(solved, reopens)

    def zendesk_ticket(self, ident: int, created: float, solved: bool, channel: str) -> None:
        """A Zendesk ticket, kept until its metrics arrive."""
        if self._in_period(created) and (self.channels is None or channel in self.channels):
            self.zendesk[ident] = (solved, channel)

    def zendesk_metric(self, ticket: int, wait: float | None, reopens: int) -> None:
        """A Zendesk ticket metric: counted with its ticket, if that is in the period."""
        found = self.zendesk.pop(ticket, None)
        if found is None:
            return
        solved, channel = found
        self.tickets_seen += 1
        waits = self.waits.get(channel)
        if waits is None:
            waits = self.waits[channel] = figures.Waits()
        waits.add(wait)
        self.resolution.add(solved, reopens)

    def csat(
        self, moment: float, score: int | None, good: bool | None, channel: str | None = None
    ) -> None:
        """One CSAT rating: 1 to 5 (``score``) or good/bad (``good``); ``channel``: the
        ticket's, when the rating is a ticket's (the channel filter applies)."""
        if channel is not None and self.channels is not None and channel not in self.channels:
            return
        if not self._in_period(moment):
            return
        if score is not None:
            self.satisfaction.add_five_point(score)
        else:
            self.satisfaction.add_good_bad(bool(good))

    def nps(self, moment: float, score: int) -> None:
        """One 0-10 response."""
        if self._in_period(moment):
            self.promoters.add(score)

    def order(self, moment: float, customer: str) -> None:
        """One order (``before`` and the period are settled before orders are read)."""
        assert self.order_window is not None
        before, start, end = self.order_window
        if self.first_order is None or moment < self.first_order:
            self.first_order = moment
        if self.last_order is None or moment > self.last_order:
            self.last_order = moment
        if before <= moment < start:
            self.retention.before.add(customer)
        elif start <= moment < end:
            self.retention.during.add(customer)


def _twelve_months_before(start: datetime.date) -> datetime.date:
    year, month = start.year - 1, start.month
    day = start.day
    while True:
        try:
            return datetime.date(year, month, day)
        except ValueError:
            day -= 1


def measure(
    exports: Sequence[str | os.PathLike[str]],
    *,
    period: tuple[datetime.date, datetime.date] | None = None,
    timezone: str | None = None,
    system: str | None = None,
    channels: Sequence[str] = (),
    columns: dict[str, str] | None = None,
    skip_bad_rows: bool = False,
) -> Measurement:
    """Measure the question bank's figures from help-desk, survey and order exports.

    Each file is recognised from its content (``system`` names the help-desk system the ticket
    exports must come from). ``period``: the first and last day counted (default: the span of
    the ticket and survey records), as days in ``timezone`` (default UTC). A timestamp
    written without an offset is read in ``timezone``, and refused when none is given.
    ``channels``: count only tickets of these channels. ``columns``: CSV headers by key
    (``{"created": "Opened"}``).

    A bad record is an :class:`~svclevel.errors.InputError` naming the file and line (the
    first 20 of a file), unless ``skip_bad_rows``: then it is counted and reported in the
    source's ``skipped``.
    """
    tz = zone(timezone or "UTC")
    if not exports:
        raise UsageError("no export to measure: name the files (tickets, metrics, surveys, orders)")
    found: list[Export] = []
    seen: set[Path] = set()
    for name in exports:
        path = Path(name)
        shown = os.fspath(name)
        real = path.resolve()
        if real in seen:
            raise UsageError(f"{shown}: named twice")
        seen.add(real)
        if not path.is_file():
            raise UsageError(
                f"{shown}: no such file" if not path.exists() else f"{shown}: not a regular file"
            )
        found.append(detect(path, shown, system, columns or {}))
    found.sort(key=lambda e: e.order)
    _check_options(found, system, columns or {})
    wanted = frozenset(c.lower() for c in channels) if channels else None
    start = end = None
    if period is not None:
        start, end = day_start(period[0], tz), day_start(period[1] + datetime.timedelta(days=1), tz)
    collector = Collector(tz, start, end, wanted)
    kinds = {e.kind for e in found}
    if "ticket_metrics" in kinds and not any(
        e.system == "zendesk" and e.kind == "tickets" for e in found
    ):
        raise UsageError(
            "Zendesk ticket metrics are counted with their tickets: give the tickets export too "
            '({"tickets": [...]} or JSON Lines of tickets)'
        )
    sources: list[SourceFile] = []
    for export in found:
        counts = collector.snapshot()
        sources.append(_read(export, collector, tz, naive=timezone is not None, skip=skip_bad_rows))
        collector.fed_by(sources[-1].file, counts, export.kind)
        fed_nothing = collector.snapshot() == counts
        if sources[-1].records and fed_nothing and export.kind in ("tickets", "survey"):
            collector.warn(
                f"{export.shown}: none of its {sources[-1].records:,} records is of the period"
                + (" and the channels measured" if wanted else "")
            )
        if (
            export.system == "zendesk"
            and export.kind == "tickets"
            and "ticket_metrics" not in kinds
        ):
            collector.no_waits(
                export.shown,
                "first replies and reopens are in the ticket metrics export, which is not given",
            )
    if collector.start is None:
        _settle_default_period(collector, tz, [e.shown for e in found])
    collector.ticket_ids.clear()  # read: the memory goes to sorting the waits
    results = _figures(collector, kinds, tz)
    _channel_warnings(collector, wanted)
    assert collector.start is not None
    assert collector.end is not None
    first_day = day_of(collector.start, tz)
    last_day = day_of(collector.end, tz) - datetime.timedelta(days=1)
    return Measurement(
        period=(first_day.isoformat(), last_day.isoformat()),
        period_stated=period is not None,
        timezone=timezone or "UTC",
        sources=tuple(sources),
        figures=tuple(results),
        channels=tuple(sorted(wanted)) if wanted else (),
        warnings=tuple(collector.warnings),
    )


def _read(export: Export, collector: Collector, tz: Any, *, naive: bool, skip: bool) -> SourceFile:
    """Read one export into the collector."""
    if export.kind == "orders":
        if collector.start is None:
            _settle_default_period(collector, tz)
        assert collector.start is not None
        assert collector.end is not None
        before = day_start(_twelve_months_before(day_of(collector.start, tz)), tz)
        collector.order_window = (before, collector.start, collector.end)
    rows = Rows(export.shown, skip)
    clock = Clock(tz if naive else None, days=export.kind in ("orders", "survey"))
    try:
        records = READERS[(export.system, export.kind)](export, collector, rows, clock)
    except TooManyProblems:
        rows.raise_if_bad(more=1)
        raise
    rows.raise_if_bad()
    used = set(export.columns.values())
    return SourceFile(
        file=PurePath(export.shown).name,
        sha256=_sha256(export.path),
        system=export.system,
        kind=export.kind,
        records=records,
        skipped=rows.skipped,
        skipped_examples=tuple(rows.examples),
        columns_not_read=tuple(h for h in export.header if h not in used),
    )


def _check_options(found: Sequence[Export], system: str | None, columns: dict[str, str]) -> None:
    """Refuse a ``--columns`` header no export has, and ``--system`` without a ticket export:
    options that would do nothing."""
    headers = {h for e in found for h in e.header}
    unused = [
        f"--columns {key}={header}: no export given has a column '{header}'"
        for key, header in columns.items()
        if header not in headers
    ]
    if system is not None and not any(e.kind in ("tickets", "ticket_metrics") for e in found):
        unused.append(f"--system {system}: none of the exports is a ticket export")
    if unused:
        raise UsageError("; ".join(unused))


def _settle_default_period(collector: Collector, tz: Any, names: Sequence[str] = ()) -> None:
    """The default period: the first to the last day of the ticket and survey records."""
    if collector.first is None or collector.last is None:
        if names:
            raise UsageError(
                f"nothing to measure: {', '.join(names)} hold no ticket, rating or response"
            )
        raise UsageError(
            "no period: retention compares the period with the twelve months before it; give "
            "--period FROM..TO (or tickets or surveys, whose span is the default period)"
        )
    collector.start = day_start(day_of(collector.first, tz), tz)
    collector.end = day_start(day_of(collector.last, tz) + datetime.timedelta(days=1), tz)
    # Records already counted all lie in this span: nothing to filter again.


def _figures(collector: Collector, kinds: set[str], tz: Any) -> list[Figure]:
    out: list[Figure] = []
    if "tickets" in kinds:
        if collector.zendesk and not collector.missing_waits:
            collector.warn(
                f"{len(collector.zendesk)} Zendesk tickets of the period have no ticket metrics "
                "record: counted as unreplied, with an unknown reopen count"
            )
        for solved, channel in collector.zendesk.values():
            collector.waits.setdefault(channel, figures.Waits()).add(None)
            collector.resolution.add(solved, None)
        written = {c for c in collector.waits if c not in LIVE}
        first = figures.first_response(collector.waits, written)
        if collector.missing_waits:
            first = Figure(
                "first_response_hours",
                None,
                first.n,
                {"unit": "hours"},
                "first replies are not in the exports (" + "; ".join(collector.missing_waits) + ")",
            )
        out.append(first)
        out.append(collector.resolution.figure())
    if collector.satisfaction.any:
        csat, note = collector.satisfaction.figure()
        if note:
            collector.warn(note)
        out.append(csat)
    if collector.promoters.n:
        out.append(collector.promoters.figure())
    if "orders" in kinds:
        assert collector.order_window is not None
        window_start, period_start, _ = collector.order_window
        before = (
            day_of(window_start, tz).isoformat(),
            (day_of(period_start, tz) - datetime.timedelta(days=1)).isoformat(),
        )
        first_order = (
            None if collector.first_order is None else day_of(collector.first_order, tz).isoformat()
        )
        last_order = (
            None if collector.last_order is None else day_of(collector.last_order, tz).isoformat()
        )
        assert collector.end is not None
        period_end = (day_of(collector.end, tz) - datetime.timedelta(days=1)).isoformat()
        out.append(collector.retention.figure(before, first_order, last_order, period_end))
    order = list(figures.DEFINITIONS)
    scale = "five" if collector.satisfaction.five_point else "good_bad"
    fed = {**collector.fed, "csat_pct": collector.fed.get(f"csat_{scale}", [])}
    return sorted(
        (dataclasses.replace(f, sources=tuple(fed.get(f.question_id, ()))) for f in out),
        key=lambda f: order.index(f.question_id),
    )


def _channel_warnings(collector: Collector, wanted: frozenset[str] | None) -> None:
    if any("@" in c for c in collector.waits) or len(collector.waits) > 50:
        # Not quoted: such a column holds customers' addresses, not channels.
        raise UsageError(
            f"the channel column holds {len(collector.waits):,} different values, some of them "
            "e-mail addresses: that is no channel column; name the right one with "
            "--columns channel=HEADER"
        )
    for channel in sorted(collector.waits):
        if channel not in LIVE and channel not in WRITTEN:
            collector.warn(
                f"channel '{channel}' is not one svclevel knows: its tickets are counted as "
                "written (in first_response_hours)"
            )
    if wanted:
        for channel in sorted(wanted - collector.waits.keys()):
            collector.warn(f"--channel {channel}: no ticket of the period is on that channel")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
