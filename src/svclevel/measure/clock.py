"""Timestamps of an export read as seconds since the epoch: the one place they are parsed.

``datetime.fromisoformat`` parses every timestamp. Most exports write every timestamp with the
same few UTC offsets (``Z``, ``+02:00``), and converting an aware datetime costs more than
parsing it, so :meth:`Clock.seconds` strips an offset it has already seen, parses the rest as
a naive time and subtracts the offset itself (tests/measure/test_clock.py holds it to
``fromisoformat(text).timestamp()``).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

_parse = datetime.datetime.fromisoformat
_EPOCH = datetime.datetime(1970, 1, 1)  # naive: the fast path's base


class TimestampError(ValueError):
    """A value that is not an ISO 8601 timestamp, or one without a time zone where none is
    known (the message says which)."""


class Clock:
    """Reads the timestamps of one file.

    ``zone``: the time zone of timestamps written without an offset (``--tz``); None refuses
    them. ``days``: whether a bare date (``2026-07-01``) is accepted, as the start of that day.
    """

    def __init__(self, zone: ZoneInfo | None, *, days: bool = False) -> None:
        self.zone = zone
        self.days = days
        self._offsets: dict[str, float] = {}

    def seconds(self, text: str) -> float:
        """Seconds since 1970-01-01 UTC of an ISO 8601 timestamp."""
        offset = self._offsets.get(text[-6:])
        try:
            if offset is not None:
                return (_parse(text[:-6]) - _EPOCH).total_seconds() - offset
            if text[-1:] == "Z":
                return (_parse(text[:-1]) - _EPOCH).total_seconds()
        except TypeError:  # the part before the offset had an offset of its own
            raise TimestampError(f"'{text}' is not an ISO 8601 timestamp") from None
        except ValueError:
            pass  # said below, by the full parse
        return self._slow(text)

    def _slow(self, text: str) -> float:
        try:
            moment = _parse(text)
        except ValueError:
            raise TimestampError(f"'{text}' is not an ISO 8601 timestamp") from None
        offset = moment.utcoffset()
        if offset is None:
            if len(text) == 10 and not self.days:
                raise TimestampError(f"'{text}' is a date without a time of day")
            if self.zone is None and len(text) > 10:
                raise TimestampError(
                    f"'{text}' has no time zone; name the zone the export was written in with "
                    "--tz (for example --tz Europe/Berlin)"
                )
            return moment.replace(tzinfo=self.zone or datetime.UTC).timestamp()
        tail = text[-6:]
        if tail[0] in "+-" and tail[3] == ":" and _parse(text[:-6]).utcoffset() is None:
            self._offsets[tail] = offset.total_seconds()
        return moment.timestamp()


def zone(name: str) -> ZoneInfo:
    """The time zone named by ``--tz`` (an IANA name such as ``Europe/Berlin``, or ``UTC``)."""
    from svclevel.errors import UsageError

    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        raise UsageError(
            f"--tz {name}: not a time zone svclevel knows (give an IANA name such as "
            "Europe/Berlin, America/New_York or UTC)"
        ) from None


def day_start(day: datetime.date, tz: ZoneInfo) -> float:
    """Seconds since the epoch at the start of ``day`` in ``tz``."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=tz).timestamp()


def day_of(seconds: float, tz: ZoneInfo) -> datetime.date:
    """The day in ``tz`` of a moment."""
    return datetime.datetime.fromtimestamp(seconds, tz).date()
