"""The timestamp reader's fast path gives what ``datetime.fromisoformat`` gives, or refuses
what it refuses: the test that fails if the library stops honouring the shortcut."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svclevel.measure.clock import Clock, TimestampError

_OFFSETS = st.sampled_from(["Z", "+00:00", "+02:00", "-05:00", "+05:30", "+0200", "", "+02:00Z"])
_MOMENTS = st.datetimes(
    min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2060, 12, 31)
)


def _expected(text: str) -> float | None:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # refused without a zone
    return moment.timestamp()


@settings(max_examples=400, deadline=None)
@given(
    moments=st.lists(_MOMENTS, min_size=1, max_size=6),
    offsets=st.lists(_OFFSETS, min_size=1, max_size=6),
    sep=st.sampled_from(["T", " "]),
    fraction=st.booleans(),
)
def test_seconds_agree_with_fromisoformat(
    moments: list[datetime.datetime], offsets: list[str], sep: str, fraction: bool
) -> None:
    clock = Clock(None)  # one clock for the whole sequence: its cache is what is tested
    for index, moment in enumerate(moments):
        spec = "microseconds" if fraction else "seconds"
        text = moment.isoformat(sep=sep, timespec=spec) + offsets[index % len(offsets)]
        expected = _expected(text)
        if expected is None:
            with pytest.raises(TimestampError):
                clock.seconds(text)
        else:
            assert clock.seconds(text) == pytest.approx(expected, abs=1e-6)


def test_a_timestamp_without_a_zone_is_refused_without_tz_and_read_in_it_with_tz() -> None:
    with pytest.raises(TimestampError, match="no time zone; name the zone"):
        Clock(None).seconds("2026-07-01 10:00:00")
    berlin = ZoneInfo("Europe/Berlin")
    expected = datetime.datetime(2026, 7, 1, 8, tzinfo=datetime.UTC).timestamp()
    assert Clock(berlin).seconds("2026-07-01 10:00:00") == expected


def test_a_bare_date_is_a_day_only_where_days_are_accepted() -> None:
    with pytest.raises(TimestampError, match="date without a time of day"):
        Clock(None).seconds("2026-07-01")
    start = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC).timestamp()
    assert Clock(datetime.UTC, days=True).seconds("2026-07-01") == start  # type: ignore[arg-type]


def test_an_offset_learned_once_does_not_accept_a_second_offset() -> None:
    clock = Clock(None)
    clock.seconds("2026-07-01T10:00:00+02:00")
    with pytest.raises(TimestampError):
        clock.seconds("2026-07-01T10:00:00+01:00+02:00")
