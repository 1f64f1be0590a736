"""Export files: what each one is (detected from its content), and the readers that stream its
records into a :class:`~svclevel.measure.engine.Collector`.

A reader keeps nothing of a record but what the figures count: no text, no name, no address.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from svclevel.errors import InputError, Problem, UsageError, did_you_mean
from svclevel.measure.clock import Clock, TimestampError


class Collector(Protocol):
    """What a reader hands its records to (:class:`svclevel.measure.engine.Collector`)."""

    def ticket(
        self, created: float, wait: float | None, solved: bool, reopens: int | None, channel: str
    ) -> None: ...

    def zendesk_ticket(self, ident: int, created: float, solved: bool, channel: str) -> None: ...

    def zendesk_metric(self, ticket: int, wait: float | None, reopens: int) -> None: ...

    def csat(
        self, moment: float, score: int | None, good: bool | None, channel: str | None = None
    ) -> None: ...

    def nps(self, moment: float, score: int) -> None: ...

    def order(self, moment: float, customer: str) -> None: ...

    def warn(self, message: str) -> None: ...

    def no_waits(self, shown: str, why: str) -> None: ...

    ticket_ids: set[int | str]
    """The id of every ticket read so far (whole-number ids as ints: a million take 45 MB
    as ints, twice that as text)."""


SYSTEMS = ("zendesk", "freshdesk", "helpscout", "intercom", "hubspot", "tickets")
"""The help-desk systems ``--system`` names (``tickets``: svclevel's generic tickets CSV)."""

TICKET_KEYS = ("id", "created", "first_reply", "resolved", "reopens", "channel", "status")
SURVEY_KEYS = ("submitted", "survey", "scale", "score")
ORDER_KEYS = ("customer", "ordered")
COLUMN_KEYS = (*TICKET_KEYS, *SURVEY_KEYS, *ORDER_KEYS)
"""The keys of ``--columns KEY=HEADER``: what svclevel reads, by the export's own header."""

GENERIC_TICKETS = {
    "id": "id",
    "created": "created_at",
    "first_reply": "first_reply_at",
    "resolved": "resolved_at",
    "reopens": "reopens",
    "channel": "channel",
    "status": "status",
}
FRESHDESK_TICKETS = {
    "id": "Ticket ID",
    "created": "Created time",
    "first_reply": "Initial response time",
    "resolved": "Resolved time",
    "channel": "Source",
    "status": "Status",
}
SURVEY_COLUMNS = {
    "submitted": "submitted_at",
    "survey": "survey",
    "scale": "scale",
    "score": "score",
}
ORDER_COLUMNS = {"customer": "customer_id", "ordered": "ordered_at"}

SOLVED = frozenset(("solved", "closed", "resolved"))
"""Statuses of a ticket that is solved (compared in lower case)."""
NOT_TICKETS = frozenset(("deleted", "spam"))
"""Statuses of a record that is not a customer's ticket at all: left out of every figure."""
LIVE = frozenset(
    ("voice", "phone", "call", "chat", "live chat", "live_chat", "phone_call", "phone_switch")
)
"""Channels answered live, left out of first_response_hours (the question bank's rule)."""
WRITTEN = frozenset(
    (
        "email", "e-mail", "web", "web form", "form", "portal", "feedback widget",
        "outbound email", "messaging", "native_messaging", "sms", "whatsapp", "social",
        "facebook", "twitter", "instagram", "api", "mobile", "mobile_sdk", "mobihelp",
        "any_channel", "line", "wechat", "conversation", "push", "beacon", "form",
    )
)  # fmt: skip
"""Written channels svclevel knows by name; any other is counted as written, with a warning."""


_QUOTED = re.compile(r"'[^']*'")
"""A value quoted from a record in a message: ``'2026-13-01'``."""


def _shorten(match: re.Match[str]) -> str:
    text = match.group(0)
    return text if len(text) <= 42 else text[:40] + "…'"


def file_error(shown: str, line: int | None, message: str) -> InputError:
    """An error of a whole export (not of one record): its file, its line if any, what."""
    return InputError([Problem(shown, line, None, "", message)])


class TooManyProblems(Exception):
    """Enough problems in one file to stop reading it."""


@dataclass
class Rows:
    """The bad records of one file: reported, or skipped and counted (``--skip-bad-rows``)."""

    shown: str
    skip: bool
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    examples: list[str] = field(default_factory=list)

    LIMIT = 20

    def bad(self, line: int | None, message: str) -> None:
        """Record one bad record. A value quoted from the record is shortened on stderr, and
        left out of the measurement file (which holds no text of an export)."""
        if self.skip:
            self.skipped += 1
            if len(self.examples) < 3:
                where = f"line {line}" if line is not None else "a record"
                self.examples.append(f"{where}: {_QUOTED.sub('a value', message)}")
            return
        shortened = _QUOTED.sub(_shorten, message)
        self.problems.append(Problem(self.shown, line, None, "", shortened))
        if len(self.problems) >= self.LIMIT:
            raise TooManyProblems

    def raise_if_bad(self, more: int = 0) -> None:
        """The file's problems as one error, with a hint to skip them."""
        if not self.problems:
            return
        hint = (
            f"{self.shown}: "
            + ("stopped after the first 20 problems; " if more else "")
            + "fix the records, or measure without them with --skip-bad-rows (they are "
            "counted and reported)"
        )
        raise BadRecords(self.problems, hint)


class BadRecords(InputError):
    """Records of an export that cannot be read, and what to do about them."""

    def __init__(self, problems: Sequence[Problem], hint: str) -> None:
        super().__init__(problems)
        self.hint = hint

    def messages(self) -> list[str]:
        return [*super().messages(), self.hint]


@dataclass(frozen=True)
class Export:
    """One input file and what it was found to be."""

    path: Path
    shown: str
    system: str
    """zendesk, freshdesk, helpscout, intercom, hubspot, tickets (generic), survey, orders."""
    kind: str
    """tickets, ticket_metrics, survey or orders."""
    form: str
    """csv, json (one document) or jsonl (JSON Lines)."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """For a CSV: the header each key is read from."""
    header: tuple[str, ...] = ()

    @property
    def order(self) -> int:
        """Tickets first, their metrics next (joined to them), then surveys, then orders
        (which need the period the others settle)."""
        return ("tickets", "ticket_metrics", "survey", "orders").index(self.kind)


# --------------------------------------------------------------------------- detection


_JSON_WRAPPERS = {
    "tickets": ("zendesk", "tickets"),
    "ticket_metrics": ("zendesk", "ticket_metrics"),
    "conversations": ("intercom", "tickets"),
    "results": ("hubspot", "tickets"),
    "_embedded": ("helpscout", "tickets"),
}
_JSONL_KEYS = (
    ({"ticket_id", "reply_time_in_minutes"}, ("zendesk", "ticket_metrics")),
    ({"id", "created_at", "status", "via"}, ("zendesk", "tickets")),
)


def detect(path: Path, shown: str, system: str | None, columns: Mapping[str, str]) -> Export:
    """What ``path`` is, from its first bytes; ``system`` (``--system``) must agree."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read ({exc.strerror})") from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]:
        message = "UTF-16 text (Excel's 'Unicode text'): save it as a UTF-8 CSV"
        raise file_error(shown, 1, message)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        export = _detect_json(path, shown, text)
    else:
        export = _detect_csv(path, shown, text, columns)
    if (
        system is not None
        and export.kind in ("tickets", "ticket_metrics")
        and export.system != system
    ):
        raise file_error(
            shown, 1, f"this is a {_named(export)}, not a {system} export (--system {system})"
        )
    return export


def _named(export: Export) -> str:
    what = {"tickets": "tickets", "ticket_metrics": "ticket metrics"}.get(export.kind, export.kind)
    system = "svclevel tickets CSV" if export.system == "tickets" else export.system
    return (
        f"{system} {what} export"
        if export.system not in ("survey", "orders")
        else (f"{export.kind} export")
    )


def _detect_json(path: Path, shown: str, text: str) -> Export:
    first = text.split("\n", 1)[0]
    try:
        record = json.loads(first)
    except ValueError:
        record = None
    if isinstance(record, dict) and "\n" in text.strip():
        for keys, (system, kind) in _JSONL_KEYS:
            if keys <= record.keys():
                return Export(path, shown, system, kind, "jsonl")
    import ijson  # type: ignore[import-untyped]

    found: list[str] = []
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(text.encode())):
            if prefix == "" and event == "map_key":
                found.append(value)
                if value in _JSON_WRAPPERS:
                    system, kind = _JSON_WRAPPERS[value]
                    return Export(path, shown, system, kind, "json")
    except ijson.JSONError:
        pass
    known = ", ".join(f'{{"{k}": [...]}}' for k in _JSON_WRAPPERS)
    listed = f" (its keys: {', '.join(found[:6])})" if found else ""
    raise file_error(
        shown,
        1,
        f"not an export svclevel reads{listed}: a JSON export is "
        f"{known}, or JSON Lines of Zendesk tickets or ticket metrics",
    )


_CSV_KINDS: tuple[tuple[str, str, Mapping[str, str], tuple[str, ...]], ...] = (
    ("survey", "survey", SURVEY_COLUMNS, ("submitted", "survey", "scale", "score")),
    ("orders", "orders", ORDER_COLUMNS, ("customer", "ordered")),
    ("freshdesk", "tickets", FRESHDESK_TICKETS, ("id", "created", "status", "channel")),
    ("tickets", "tickets", GENERIC_TICKETS, ("created",)),
)


def _detect_csv(path: Path, shown: str, text: str, columns: Mapping[str, str]) -> Export:
    try:
        header = tuple(next(csv.reader(io.StringIO(text)), []))
    except csv.Error as exc:
        raise file_error(shown, 1, f"not a CSV header: {exc}") from None
    present = set(header)
    for system, kind, preset, required in _CSV_KINDS:
        mapped = {**preset, **{k: v for k, v in columns.items() if k in preset}}
        if all(mapped[key] in present for key in required):
            twice = sorted({name for name in mapped.values() if header.count(name) > 1})
            if twice:
                message = f"column '{twice[0]}' twice: svclevel cannot tell which one to read"
                raise file_error(shown, 1, message)
            return Export(path, shown, system, kind, "csv", mapped, header)
    expected = (
        "a tickets CSV (created_at, first_reply_at, resolved_at, reopens, channel, status; or "
        "columns named with --columns), a Freshdesk ticket export, a survey CSV (submitted_at, "
        "survey, scale, score) or an orders CSV (customer_id, ordered_at)"
    )
    close = ""
    for key, name in {**GENERIC_TICKETS, **SURVEY_COLUMNS, **ORDER_COLUMNS, **columns}.items():
        near = did_you_mean(name, header)
        if near and name not in present:
            close = f"; no column '{name}' ({key}){near}"
            break
    shown_header = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
    raise file_error(
        shown,
        1,
        f"not an export svclevel reads (its columns: {shown_header}){close}; it reads {expected}",
    )


# --------------------------------------------------------------------------- CSV


def _csv_rows(export: Export, rows: Rows) -> Iterator[tuple[int, list[str]]]:
    """The records after the header, with the line each ends on; one of the wrong width is
    bad."""
    with _open_csv(export) as reader:
        width = len(export.header)
        for row in reader:
            if len(row) == width:
                yield reader.line_num, row
            elif row:  # a blank line is no record
                rows.bad(reader.line_num, f"{len(row)} fields, and the header has {width}")


def _first_line_not_utf8(path: Path) -> int | None:
    """The first line that is not UTF-8 (a line end is never inside a UTF-8 sequence)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


@contextlib.contextmanager
def _open_csv(export: Export) -> Iterator[Any]:
    """The file's CSV reader, past the header; text that is not UTF-8 is an error of the file.
    A bad record is named by the line it ends on (``reader.line_num``)."""
    reader: Any = None
    try:
        with export.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            next(reader, None)
            yield reader
    except UnicodeDecodeError:
        line = _first_line_not_utf8(export.path)
        raise file_error(export.shown, line, "not UTF-8 text: save the export as UTF-8") from None
    except csv.Error as exc:
        line = None if reader is None else reader.line_num
        raise file_error(
            export.shown,
            line,
            f"not valid CSV ({exc}): the records after it cannot be told apart, so it "
            "cannot be skipped",
        ) from None


def _index(export: Export, keys: Sequence[str]) -> dict[str, int]:
    where = {name: i for i, name in enumerate(export.header)}
    return {key: where[export.columns[key]] for key in keys if export.columns.get(key) in where}


def read_tickets_csv(export: Export, collector: Collector, rows: Rows, clock: Clock) -> int:
    """A tickets CSV (generic or Freshdesk); returns the number of records read."""
    at = _index(export, TICKET_KEYS)
    ic = at["created"]
    ir, iv, ich, ist, ires = (
        at.get(k) for k in ("first_reply", "reopens", "channel", "status", "resolved")
    )
    if ir is None:
        collector.no_waits(
            export.shown, f"it has no first-reply column ({export.columns['first_reply']})"
        )
    if ist is None and ires is None:
        raise file_error(
            export.shown,
            1,
            "a tickets CSV needs a status or a resolved column to tell solved tickets",
        )
    add = collector.ticket
    seconds = clock.seconds
    count = 0
    iid = at.get("id")
    ids = collector.ticket_ids
    width = len(export.header)
    with _open_csv(export) as reader:
        for row in reader:
            if len(row) != width:
                if row:  # a blank line is no record
                    count += 1
                    rows.bad(reader.line_num, f"{len(row)} fields, and the header has {width}")
                continue
            count += 1
            try:
                created = seconds(row[ic])
                wait = None
                if ir is not None and row[ir]:
                    wait = (seconds(row[ir]) - created) / 3600
                    if wait < 0:
                        early = f"({row[ir]}) comes before the creation ({row[ic]})"
                        rows.bad(reader.line_num, f"the first reply {early}")
                        continue
                status = row[ist].lower() if ist is not None else ""
                if status in NOT_TICKETS:
                    continue
                solved = status in SOLVED if ires is None or ist is not None else bool(row[ires])
                if iid is not None:
                    text = row[iid]
                    key: int | str = int(text) if text.isdigit() else text
                    if key in ids:
                        raise ValueError(
                            f"ticket {text} is listed twice (in this export or another)"
                        )
                    ids.add(key)
                reopens = None
                if iv is not None:
                    text = row[iv]
                    reopens = 0 if text == "0" else _count(text, "reopens")
            except (TimestampError, ValueError) as exc:
                rows.bad(reader.line_num, str(exc))
                continue
            add(
                created,
                wait,
                solved,
                reopens,
                row[ich].lower() if ich is not None else "unknown",
            )
    if ich is None:
        collector.warn(f"{export.shown}: no channel column; every ticket counted as written")
    return count


def _count(text: str, what: str) -> int:
    if text.isdigit():
        return int(text)
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what}: '{text}' is not a whole number") from None
    if value < 0:
        raise ValueError(f"{what}: '{text}' is negative")
    return value


SCALES = ("1-5", "good/bad", "0-10")


def read_survey_csv(export: Export, collector: Collector, rows: Rows, clock: Clock) -> int:
    """A survey CSV: CSAT ratings (1-5 or good/bad) and NPS responses (0-10)."""
    at = _index(export, SURVEY_KEYS)
    i_at, i_survey, i_scale, i_score = at["submitted"], at["survey"], at["scale"], at["score"]
    count = 0
    for line, row in _csv_rows(export, rows):
        count += 1
        survey, scale, score = row[i_survey].lower(), row[i_scale].lower(), row[i_score].strip()
        try:
            moment = clock.seconds(row[i_at])
        except TimestampError as exc:
            rows.bad(line, str(exc))
            continue
        if survey == "csat" and scale == "1-5":
            if score not in ("1", "2", "3", "4", "5"):
                rows.bad(line, f"score '{score}' is not 1 to 5 (scale 1-5)")
                continue
            collector.csat(moment, int(score), None)
        elif survey == "csat" and scale == "good/bad":
            if score.lower() not in ("good", "bad"):
                rows.bad(line, f"score '{score}' is neither good nor bad (scale good/bad)")
                continue
            collector.csat(moment, None, score.lower() == "good")
        elif survey == "nps" and scale == "0-10":
            if not score.isdigit() or int(score) > 10:
                rows.bad(line, f"score '{score}' is not a whole number from 0 to 10 (scale 0-10)")
                continue
            collector.nps(moment, int(score))
        elif survey not in ("csat", "nps"):
            rows.bad(line, f"survey '{row[i_survey]}' is neither csat nor nps")
        else:
            allowed = "1-5 or good/bad" if survey == "csat" else "0-10"
            rows.bad(
                line,
                f"scale '{row[i_scale]}' for {survey}: svclevel measures {survey} on a {allowed} "
                "scale (the question bank's definition)",
            )
    return count


def read_orders_csv(export: Export, collector: Collector, rows: Rows, clock: Clock) -> int:
    """An orders CSV: a customer key and the order's date or time, per order."""
    at = _index(export, ORDER_KEYS)
    i_customer, i_at = at["customer"], at["ordered"]
    count = 0
    add = collector.order
    seconds = clock.seconds
    for line, row in _csv_rows(export, rows):
        count += 1
        customer = row[i_customer].strip()
        if not customer:
            rows.bad(line, f"no customer ({export.columns['customer']} is empty)")
            continue
        try:
            add(seconds(row[i_at]), customer)
        except TimestampError as exc:
            rows.bad(line, str(exc))
    return count


# --------------------------------------------------------------------------- JSON


def _json_records(export: Export, wrapper: str) -> Iterator[tuple[int | None, int, Any]]:
    """(line, index, record) of a JSON document's ``wrapper`` list or of JSON Lines."""
    import ijson

    with export.path.open("rb") as handle:
        if export.form == "jsonl":
            for number, raw in enumerate(handle, 1):
                if raw.strip():
                    try:
                        yield number, number - 1, json.loads(raw)
                    except ValueError as exc:
                        yield number, number - 1, _Broken(f"not valid JSON: {exc}")
            return
        index = 0
        item = f"{wrapper}.item"
        top = wrapper.split(".", 1)[0]
        others: list[str] = []
        builder: Any = None
        try:
            for prefix, event, value in ijson.parse(handle, use_float=True):
                if builder is not None:
                    builder.event(event, value)
                    if prefix == item and event in ("end_map", "end_array"):
                        yield None, index, builder.value
                        index += 1
                        builder = None
                elif prefix == item:
                    if event in ("start_map", "start_array"):
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
                    else:
                        yield None, index, value
                        index += 1
                elif (
                    prefix == "" and event == "map_key" and value != top and value in _JSON_WRAPPERS
                ):
                    others.append(value)
        except ijson.JSONError as exc:
            message = (
                f"not valid JSON after record {index} ({exc}): the records after it cannot be "
                "told apart, so it cannot be skipped"
            )
            raise file_error(export.shown, None, message) from None
        if others:
            message = (
                f"it holds {', '.join(others)} beside {top}: svclevel reads one list per file; "
                f"save {others[0]} to a file of its own"
            )
            raise file_error(export.shown, None, message)


class _Broken:
    def __init__(self, message: str) -> None:
        self.message = message


def _where(export: Export, wrapper: str, line: int | None, index: int, record: Any) -> str:
    if line is not None:
        return ""
    ident = record.get("id") if isinstance(record, dict) else None
    return f"{wrapper}[{index}]" + (f" (id {ident})" if ident is not None else "") + ": "


def read_zendesk_tickets(export: Export, collector: Collector, rows: Rows, clock: Clock) -> int:
    """Zendesk tickets (``{"tickets": [...]}`` or JSON Lines); joined to their metrics."""
    count = 0
    ids = collector.ticket_ids
    for line, index, record in _json_records(export, "tickets"):
        if isinstance(record, _Broken):
            rows.bad(line, record.message)
            if line is None:
                break
            continue
        count += 1
        where = _where(export, "tickets", line, index, record)
        try:
            if not isinstance(record, dict):
                raise ValueError("a ticket is an object")
            ident = record.get("id")
            if not isinstance(ident, int):
                raise ValueError("id: a ticket needs a whole-number id")
            created = clock.seconds(_text(record, "created_at"))
            status = _text(record, "status").lower()
            via = record.get("via")
            channel = via.get("channel") if isinstance(via, dict) else None
            if not isinstance(channel, str):
                raise ValueError("via.channel: missing")
            rating = record.get("satisfaction_rating")
            score = rating.get("score") if isinstance(rating, dict) else None
            if ident in ids:
                raise ValueError(f"ticket {ident} is listed twice (in this export or another)")
        except (ValueError, TimestampError) as exc:
            rows.bad(line, f"{where}{exc}")
            continue
        ids.add(ident)
        if status in NOT_TICKETS:
            continue
        collector.zendesk_ticket(ident, created, status in SOLVED, channel.lower())
        if score in ("good", "bad"):
            collector.csat(created, None, score == "good", channel.lower())
    return count


def read_zendesk_metrics(export: Export, collector: Collector, rows: Rows, clock: Clock) -> int:
    """Zendesk ticket metrics (``{"ticket_metrics": [...]}`` or JSON Lines)."""
    count = 0
    for line, index, record in _json_records(export, "ticket_metrics"):
        if isinstance(record, _Broken):
            rows.bad(line, record.message)
            if line is None:
                break
            continue
        count += 1
        where = _where(export, "ticket_metrics", line, index, record)
        try:
            if not isinstance(record, dict):
                raise ValueError("a ticket metric is an object")
            ticket = record.get("ticket_id")
            if not isinstance(ticket, int):
                raise ValueError("ticket_id: missing or not a whole number")
            reply = record.get("reply_time_in_minutes")
            minutes = reply.get("calendar") if isinstance(reply, dict) else None
            if minutes is not None and (
                not isinstance(minutes, int | float) or not math.isfinite(minutes) or minutes < 0
            ):
                raise ValueError("reply_time_in_minutes.calendar: not a number of minutes")
            reopens = record.get("reopens")
            if not isinstance(reopens, int) or reopens < 0:
                raise ValueError("reopens: missing or not a whole number")
        except ValueError as exc:
            rows.bad(line, f"{where}{exc}")
            continue
        collector.zendesk_metric(ticket, None if minutes is None else minutes / 60, reopens)
    return count


TicketRow = tuple[float, float | None, bool, int | None, str, int | None]
"""A ticket of a JSON export: created, first-reply wait (hours), solved, reopens, channel, and
a 1-5 rating (None: none)."""


def _stamp(value: Any, clock: Clock, what: str) -> float:
    """A timestamp as ISO 8601 text, or as epoch seconds (Intercom) or milliseconds (HubSpot)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and value.isdigit() and len(value) >= 12:
        return int(value) / 1000
    if not isinstance(value, str):
        raise ValueError(f"{what}: missing")
    return clock.seconds(value)


def _object(record: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = record.get(key)
    return value if isinstance(value, dict) else {}


def _wait(created: float, replied: float | None) -> float | None:
    if replied is None:
        return None
    if replied < created:
        raise ValueError("the first reply comes before the conversation was created")
    return (replied - created) / 3600


def _intercom(record: Mapping[str, Any], clock: Clock) -> TicketRow | None:
    source = _object(record, "source")
    if source.get("delivered_as", "customer_initiated") != "customer_initiated":
        return None  # a message the company sent, not a customer's request
    created = _stamp(record.get("created_at"), clock, "created_at")
    stats = _object(record, "statistics")
    replied = stats.get("first_admin_reply_at")
    reopens = stats.get("count_reopens")
    rating = record.get("conversation_rating")
    score = rating.get("rating") if isinstance(rating, dict) else None
    return (
        created,
        _wait(created, None if replied is None else _stamp(replied, clock, "first_admin_reply_at")),
        record.get("state") == "closed",
        reopens if isinstance(reopens, int) and reopens >= 0 else None,
        str(source.get("type", "unknown")).lower(),
        score if isinstance(score, int) and 1 <= score <= 5 else None,
    )


def _hubspot(record: Mapping[str, Any], clock: Clock) -> TicketRow | None:
    props = record.get("properties")
    if not isinstance(props, dict):
        raise ValueError("properties: missing")
    if record.get("archived") is True:
        return None
    created = _stamp(props.get("createdate") or record.get("createdAt"), clock, "createdate")
    replied = props.get("first_agent_reply_date")
    return (
        created,
        _wait(created, _stamp(replied, clock, "first_agent_reply_date") if replied else None),
        bool(props.get("closed_date")),
        None,  # HubSpot has no reopen count
        str(props.get("source_type") or "unknown").lower(),
        None,
    )


def _helpscout(record: Mapping[str, Any], clock: Clock) -> TicketRow | None:
    status = record.get("status")
    if status == "spam" or record.get("state") in ("draft", "deleted"):
        return None
    created = _stamp(record.get("createdAt"), clock, "createdAt")
    embedded = record.get("_embedded")
    threads = embedded.get("threads") if isinstance(embedded, dict) else None
    if not isinstance(threads, list):
        raise ValueError("_embedded.threads: missing (export with embed=threads)")
    replies = [
        _stamp(t.get("createdAt"), clock, "threads.createdAt")
        for t in threads
        if isinstance(t, dict)
        and t.get("type") == "reply"
        and isinstance(t.get("createdBy"), dict)
        and t["createdBy"].get("type") == "user"
        and t.get("state", "published") == "published"
    ]
    return (
        created,
        _wait(created, min(replies) if replies else None),
        status == "closed",
        None,  # Help Scout has no reopen count
        str(record.get("type") or "unknown").lower(),
        None,
    )


_CONVERSATIONS = {
    "intercom": ("conversations", _intercom),
    "hubspot": ("results", _hubspot),
    "helpscout": ("_embedded.conversations", _helpscout),
}


def read_conversations(export: Export, collector: Collector, rows: Rows, clock: Clock) -> int:
    """Intercom conversations, HubSpot tickets or Help Scout conversations (with threads), as
    their APIs list them."""
    wrapper, to_row = _CONVERSATIONS[export.system]
    count = 0
    for line, index, record in _json_records(export, wrapper):
        if isinstance(record, _Broken):
            rows.bad(line, record.message)
            break
        count += 1
        try:
            if not isinstance(record, dict):
                raise ValueError("a record is an object")
            row = to_row(record, clock)
        except (ValueError, TimestampError) as exc:
            rows.bad(line, f"{_where(export, wrapper, line, index, record)}{exc}")
            continue
        if row is None:
            continue
        created, wait, solved, reopens, channel, score = row
        collector.ticket(created, wait, solved, reopens, channel)
        if score is not None:
            collector.csat(created, score, None, channel)
    return count


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key}: missing")
    return value


READERS = {
    ("zendesk", "tickets"): read_zendesk_tickets,
    ("zendesk", "ticket_metrics"): read_zendesk_metrics,
    ("freshdesk", "tickets"): read_tickets_csv,
    ("tickets", "tickets"): read_tickets_csv,
    ("survey", "survey"): read_survey_csv,
    ("orders", "orders"): read_orders_csv,
    ("intercom", "tickets"): read_conversations,
    ("hubspot", "tickets"): read_conversations,
    ("helpscout", "tickets"): read_conversations,
}
"""The reader of each (system, kind)."""


def parse_columns(values: Sequence[str]) -> dict[str, str]:
    """``--columns KEY=HEADER`` values, checked."""
    out: dict[str, str] = {}
    for value in values:
        key, sep, header = value.partition("=")
        key = key.strip()
        if not sep or not header:
            raise UsageError(f"--columns {value}: expected KEY=HEADER (for example created=Opened)")
        if key not in COLUMN_KEYS:
            raise UsageError(
                f"--columns {value}: unknown key '{key}'{did_you_mean(key, COLUMN_KEYS)} "
                f"(keys: {', '.join(COLUMN_KEYS)})"
            )
        if key in out:
            raise UsageError(f"--columns: {key} is given twice ({out[key]}, {header})")
        out[key] = header
    return out
