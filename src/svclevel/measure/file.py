"""The measurement file: what ``svclevel measure`` writes and an answers file's
``measurements:`` names. Read like every YAML file, as untrusted: shape checked by Pydantic,
every problem located."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt

from svclevel.models import Day, Text

if TYPE_CHECKING:
    from svclevel.measure.engine import Measurement

HEADER = """\
# svclevel measurement file, written by `svclevel measure` from the exports under `sources`.
# Aggregates only: counts, medians and shares. No ticket text, subject, comment, customer name,
# e-mail address or customer id is copied from the exports. Each figure says how it is defined;
# an answers file uses it by naming this file under `measurements:`.
"""

QUESTION_IDS = (
    "first_response_hours",
    "resolution_rate_pct",
    "csat_pct",
    "nps",
    "retention_pct",
)
"""The questions a measurement file can answer, in the question bank's order of them."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Interval = Annotated[tuple[float, float], Field(description="95 % interval")]


class ChannelFigures(_Strict):
    """One channel's first-reply figures."""

    median: float | None
    n: NonNegativeInt
    p90: float | None
    unreplied: NonNegativeInt
    written: bool


class DayRange(_Strict):
    """Days from ... to (inclusive)."""

    start: Day = Field(alias="from")
    end: Day = Field(alias="to")
    stated: bool | None = None


class FigureEntry(_Strict):
    """One measured figure."""

    value: float | None
    n: NonNegativeInt
    sources: tuple[Text, ...] = ()
    unit: Literal["hours", "%", "points"]
    definition: Text
    not_used: Text | None = None
    interval: Interval | None = None
    # first_response_hours
    p90: float | None = None
    unreplied: NonNegativeInt | None = None
    by_channel: dict[str, ChannelFigures] | None = None
    # resolution_rate_pct
    resolved: NonNegativeInt | None = None
    reopened: NonNegativeInt | None = None
    # csat_pct
    scale: Literal["1-5", "good/bad"] | None = None
    positive: NonNegativeInt | None = None
    # nps
    promoters: NonNegativeInt | None = None
    passives: NonNegativeInt | None = None
    detractors: NonNegativeInt | None = None
    # retention_pct
    retained: NonNegativeInt | None = None
    before: DayRange | None = None


class SourceEntry(_Strict):
    """One export the figures come from."""

    file: Text
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    system: Text
    kind: Literal["tickets", "ticket_metrics", "survey", "orders"]
    records: NonNegativeInt
    skipped: NonNegativeInt = 0
    skipped_examples: tuple[Text, ...] = ()
    columns_not_read: tuple[str, ...] = ()


class MeasurementFile(_Strict):
    """A measurement file's content."""

    svclevel_measurements: Literal[1]
    """The format version."""
    period: DayRange
    timezone: Text
    channels: tuple[Text, ...] = ()
    sources: tuple[SourceEntry, ...]
    first_response_hours: FigureEntry | None = None
    resolution_rate_pct: FigureEntry | None = None
    csat_pct: FigureEntry | None = None
    nps: FigureEntry | None = None
    retention_pct: FigureEntry | None = None
    warnings: tuple[Text, ...] = ()


def dump(measurement: Measurement) -> str:
    """The measurement file's text: blocks, with the small records (a period, an interval, a
    channel's figures) on one line each."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def mapping(dumper: yaml.SafeDumper, data: dict[str, object]) -> yaml.Node:
        small = not isinstance(data, _Block) and all(
            not isinstance(v, dict | list) for v in data.values()
        )
        return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=small)

    def sequence(dumper: yaml.SafeDumper, data: list[object]) -> yaml.Node:
        small = all(
            isinstance(v, int | float) or (isinstance(v, str) and len(v) < 40) for v in data
        )
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=small)

    Dumper.add_representer(dict, mapping)
    Dumper.add_representer(_Block, mapping)
    Dumper.add_representer(list, sequence)
    data = measurement.to_dict()
    data["period"] = _days(data["period"])
    for qid in QUESTION_IDS:
        if "before" in data.get(qid, {}):
            data[qid]["before"] = _days(data[qid]["before"])
    data["sources"] = [_Block(s) for s in data["sources"]]
    body = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=96)
    return HEADER + body


class _Block(dict[str, object]):
    """A mapping written as a block whatever its size."""


def _days(span: dict[str, object]) -> dict[str, object]:
    return {k: datetime.date.fromisoformat(v) if isinstance(v, str) else v for k, v in span.items()}
