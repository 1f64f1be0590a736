"""Benchmark: ``svclevel measure`` on a generated tickets CSV of N tickets (issue #18).

The floor is Python's ``csv`` module reading the same file and doing nothing with the rows,
in a fresh interpreter (``python -c``), measured in the same run. svclevel's time is the whole
``svclevel measure FILE --period 2026-07-01..2026-09-30 -o OUT`` (start-up included), run as a
subprocess of the same interpreter. The peer is what an analyst would write: pandas
``read_csv``, the three timestamp columns parsed with ``to_datetime(utc=True)``, then the same
figures (the median and nearest-rank p90 of the first-reply hours over the written channels,
an unreplied ticket as an infinite wait; the resolution rate). The peer's figures are checked
against svclevel's measurement file and both are printed: a benchmark that compared different
work would be worthless.

The three take turns, round after round (after one warm-up round); each ratio is the median
of the per-round ratios, with their range. svclevel's bytecode is written first, as
installing the wheel does. Peak memory is each subprocess's own maximum resident set size,
from ``os.wait4`` (the kernel's ``ru_maxrss`` of that one child, which is what
``/usr/bin/time -v`` prints too; ``getrusage(RUSAGE_CHILDREN)`` would give the largest of
all children so far).

Two shapes of file, both of N tickets:

* ``narrow``: only the seven columns svclevel's generic tickets CSV has (id, created_at,
  first_reply_at, resolved_at, reopens, channel, status);
* ``export-like``: those seven among the columns a help-desk export carries (subject,
  description snippet, priority, type, requester e-mail, agent, group, tags, satisfaction),
  with quoted fields, doubled quotes and a few line breaks inside descriptions.

pandas is a benchmark-only dependency (``pip install -e '.[bench]'``); without it the peer is
skipped, and the benchmark says so.

Run: ``python benchmarks/measure.py [--tickets N] [--rounds R] [--shape narrow|export-like]``
(default: 1,000,000 tickets, 3 rounds, both shapes).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import importlib.util
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from _common import compile_svclevel, interleaved, median_ratio

import svclevel

PERIOD = "2026-07-01..2026-09-30"
SHAPES = ("narrow", "export-like")
NARROW = ["id", "created_at", "first_reply_at", "resolved_at", "reopens", "channel", "status"]
EXPORT_LIKE = [
    "id",
    "subject",
    "description",
    "status",
    "priority",
    "type",
    "channel",
    "requester",
    "agent",
    "group",
    "tags",
    "created_at",
    "first_reply_at",
    "resolved_at",
    "reopens",
    "satisfaction",
]

FLOOR = (
    'import csv, sys\nfor row in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")): pass'
)

PEER = """
import json, math, sys
import numpy as np
import pandas as pd

path = sys.argv[1]
start, end = pd.Timestamp(sys.argv[2], tz="UTC"), pd.Timestamp(sys.argv[3], tz="UTC")
df = pd.read_csv(path)
for column in ("created_at", "first_reply_at", "resolved_at"):
    df[column] = pd.to_datetime(df[column], utc=True, format="ISO8601")
df = df[(df["created_at"] >= start) & (df["created_at"] < end)]
channel = df["channel"].str.lower()
status = df["status"].str.lower()
written = df[~channel.isin(["chat", "phone"])]
hours = ((written["first_reply_at"] - written["created_at"]).dt.total_seconds() / 3600)
waits = np.sort(hours.fillna(np.inf).to_numpy())
n = len(waits)
median = float(np.median(waits))
p90 = float(waits[math.ceil(0.9 * n) - 1])
resolved = int((status.isin(["solved", "closed"]) & (df["reopens"] == 0)).sum())
finite = lambda x: round(x, 2) if math.isfinite(x) else None
print(json.dumps({
    "first_response_hours": {"value": finite(median), "n": n, "p90": finite(p90),
                             "unreplied": int(hours.isna().sum())},
    "resolution_rate_pct": {"value": round(100 * resolved / len(df), 1), "n": len(df),
                            "resolved": resolved},
}))
"""

# --------------------------------------------------------------------------- the data

CHANNELS = (("email", 40), ("web", 25), ("messaging", 15), ("chat", 12), ("phone", 8))
STATUSES = (("solved", 60), ("closed", 25), ("open", 10), ("pending", 5))
OFFSETS = (("+02:00", 70), ("Z", 20), ("-04:00", 10))
"""The UTC offsets the timestamps are written with: a European help desk in summer, some
API clients in UTC, an American team. Q3 is spread in local time, so a few tickets at each
end fall outside the period in UTC (the period is counted in UTC)."""

WORDS = (
    "order", "refund", "delivery", "invoice", "password", "account", "login", "payment", "card",
    "parcel", "tracking", "return", "exchange", "size", "colour", "damaged", "missing", "late",
    "cancel", "subscription", "discount", "code", "warranty", "repair", "address", "change",
    "email", "update", "app", "error", "checkout", "basket", "stock", "voucher", "shipping",
    "label", "courier", "customs", "charge", "twice", "receipt", "store", "opening", "hours",
    "gift", "wrap",
)  # fmt: skip
FIRST = (
    "Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas", "Karin",
    "Liam", "Mia", "Noah", "Olga", "Paul",
)  # fmt: skip
LAST = (
    "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen",
    "Kowalski", "Lopez",
)  # fmt: skip
GROUPS = ("Tier 1", "Tier 2", "Billing", "Returns", "Logistics", "VIP", "Wholesale", "Tech")
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")
TYPES = ("question", "incident", "problem", "task")
TLDS = ("com", "net", "org")
SATISFACTION = ("unoffered", "unoffered", "offered", "good", "good", "bad")
EPOCH = datetime.datetime(1970, 1, 1)
Q3_START = int((datetime.datetime(2026, 7, 1) - EPOCH).total_seconds())
Q3_END = int((datetime.datetime(2026, 10, 1) - EPOCH).total_seconds())


def _weighted(pairs: tuple[tuple[Any, int], ...]) -> tuple[list[Any], list[int]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _stamp(local: int, suffix: str) -> str:
    return (EPOCH + datetime.timedelta(seconds=local)).isoformat() + suffix


def _text(rng: random.Random, low: int, high: int, *, punctuated: bool) -> str:
    words: list[str] = []
    size = rng.randint(low, high)
    while sum(map(len, words)) + len(words) < size:
        word = rng.choice(WORDS)
        if punctuated and rng.random() < 0.1:
            word += ","
        words.append(word)
    text = " ".join(words)[:size].strip()
    return text[0].upper() + text[1:]


def generate(path: Path, n: int, shape: str, seed: int = 18) -> None:
    """N tickets of Q3 2026 as a generic tickets CSV of the given shape, deterministically."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    channels, channel_weights = _weighted(CHANNELS)
    statuses, status_weights = _weighted(STATUSES)
    offsets, offset_weights = _weighted(OFFSETS)
    wide = shape == "export-like"
    subjects = [_text(rng, 40, 60, punctuated=False) for _ in range(5000)]
    descriptions = []
    for _ in range(20000):
        text = _text(rng, 90, 110, punctuated=True)
        if rng.random() < 0.05:
            text = text.replace(" ", "\n", 1)  # a line break inside a quoted field
        if rng.random() < 0.1:
            text = f'"{text[:30].strip()}" {text[30:]}'  # doubled quotes in the CSV
        descriptions.append(text)
    agents = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(60)]
    customers = [
        f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}{i}@example.{rng.choice(TLDS)}"
        for i in range(50000)
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(EXPORT_LIKE if wide else NARROW)
        for i in range(n):
            suffix = rng.choices(offsets, offset_weights)[0]
            local = rng.randrange(Q3_START, Q3_END)
            channel = rng.choices(channels, channel_weights)[0]
            status = rng.choices(statuses, status_weights)[0]
            live = channel in ("chat", "phone")
            done = status in ("solved", "closed")
            replied = rng.random() >= (0.01 if done else 0.35)
            # Long-tailed waits: log-normal, a median of 3 h in writing and of 1-3 min live.
            median_hours = (0.02 if channel == "phone" else 0.05) if live else 3.0
            wait = max(1, round(3600 * rng.lognormvariate(math.log(median_hours), 1.4)))
            reply = _stamp(local + wait, suffix) if replied else ""
            resolved = ""
            if done:
                after = (wait if replied else 0) + round(
                    3600 * rng.lognormvariate(math.log(20), 1.2)
                )
                resolved = _stamp(local + after, suffix)
            reopens = rng.choices((0, 1, 2, 3), (90, 7, 2, 1))[0]
            created = _stamp(local, suffix)
            record = [i + 1, created, reply, resolved, reopens, channel, status]
            if wide:
                record = [
                    i + 1,
                    rng.choice(subjects),
                    rng.choice(descriptions),
                    status,
                    rng.choice(PRIORITIES),
                    rng.choice(TYPES),
                    channel,
                    rng.choice(customers),
                    rng.choice(agents) if replied else "",
                    rng.choice(GROUPS),
                    ",".join(rng.sample(WORDS, rng.randint(0, 4))),
                    created,
                    reply,
                    resolved,
                    reopens,
                    rng.choice(SATISFACTION) if done else "unoffered",
                ]
            out.writerow(record)


# --------------------------------------------------------------------------- the runs


def child_env() -> dict[str, str]:
    """The environment of every subprocess: svclevel from the tree this benchmark imported."""
    source = str(Path(svclevel.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": source + (os.pathsep + path if path else "")}


@dataclass
class Subprocess:
    """One candidate: a command run to completion; its wall times and peak memory."""

    argv: list[str]
    stdout: Path | None = None
    times: list[float] = field(default_factory=list)
    peak_kib: int = 0

    def __call__(self) -> float:
        with tempfile.TemporaryFile() as err:
            out = self.stdout.open("wb") if self.stdout else subprocess.DEVNULL
            try:
                start = time.perf_counter()
                proc = subprocess.Popen(self.argv, stdout=out, stderr=err, env=child_env())
                _, status, usage = os.wait4(proc.pid, 0)
                elapsed = time.perf_counter() - start
                proc.returncode = os.waitstatus_to_exitcode(status)
            finally:
                if not isinstance(out, int):
                    out.close()
            if proc.returncode != 0:
                err.seek(0)
                raise SystemExit(
                    f"{' '.join(self.argv[:4])} ... exited {proc.returncode}:\n"
                    + err.read().decode(errors="replace")[-3000:]
                )
        self.peak_kib = max(self.peak_kib, usage.ru_maxrss)  # KiB on Linux
        return elapsed


def same_figures(measured: dict[str, Any], peer: dict[str, Any]) -> list[str]:
    """Where the pandas peer's figures differ from svclevel's measurement file."""
    wrong = []
    for question, values in peer.items():
        for key, value in values.items():
            ours = measured[question].get(key)
            if ours != value:
                wrong.append(f"{question}.{key}: svclevel {ours!r}, pandas {value!r}")
    return wrong


def show(label: str, figures: dict[str, Any]) -> str:
    first, rate = figures["first_response_hours"], figures["resolution_rate_pct"]
    return (
        f"  {label:<9} first_response_hours median {first['value']} h, p90 {first['p90']} h,"
        f" n {first['n']:,} ({first['unreplied']:,} unreplied);"
        f" resolution_rate_pct {rate['value']} % ({rate['resolved']:,} of {rate['n']:,})"
    )


def bench(folder: Path, n: int, shape: str, rounds: int, peer: bool) -> dict[str, Any]:
    """Generate one shape, time the candidates in turns, check the figures; the results."""
    data = folder / f"tickets-{shape}.csv"
    started = time.perf_counter()
    generate(data, n, shape)
    size = data.stat().st_size
    print(
        f"{shape}: {n:,} tickets, {size / 1e6:,.1f} MB ({size / n:.0f} bytes per ticket),"
        f" generated in {time.perf_counter() - started:.1f}s",
        flush=True,
    )
    measured_file = folder / f"measured-{shape}.yaml"
    peer_out = folder / f"peer-{shape}.json"
    py = sys.executable
    floor = Subprocess([py, "-c", FLOOR, str(data)])
    ours = Subprocess(
        [py, "-m", "svclevel", "measure", str(data), "--period", PERIOD, "-o", str(measured_file)]
    )
    start, end = PERIOD.split("..")
    after_end = (datetime.date.fromisoformat(end) + datetime.timedelta(days=1)).isoformat()
    pandas = Subprocess([py, "-c", PEER, str(data), start, after_end], stdout=peer_out)
    candidates: list[Callable[[], float]] = [floor, ours, *([pandas] if peer else [])]
    samples = interleaved(candidates, rounds)
    floor.times, ours.times = samples[0], samples[1]
    measured = yaml.safe_load(measured_file.read_text(encoding="utf-8"))
    print(show("svclevel", measured))
    result: dict[str, Any] = {"shape": shape, "bytes": size / n, "floor": floor, "ours": ours}
    if peer:
        pandas.times = samples[2]
        figures = json.loads(peer_out.read_text(encoding="utf-8"))
        print(show("pandas", figures))
        wrong = same_figures(measured, figures)
        if wrong:
            raise SystemExit("the pandas peer and svclevel disagree:\n  " + "\n  ".join(wrong))
        print("  the figures agree")
        result["pandas"] = pandas
    return result


def ratios(ours: list[float], base: list[float]) -> str:
    each = [o / b for o, b in zip(ours, base, strict=True)]
    return f"{median_ratio(ours, base):.2f} ({min(each):.2f}-{max(each):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000, metavar="N")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shape", choices=SHAPES, action="append", help="default: both")
    args = parser.parse_args()
    compile_svclevel()
    peer = importlib.util.find_spec("pandas") is not None
    if not peer:
        print(
            "pandas is not installed: the pandas peer is skipped"
            " (pip install -e '.[bench]' installs it)"
        )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shape or SHAPES:
            results.append(bench(Path(tmp), args.tickets, shape, args.rounds, peer))
    budget = "budget: ≤ 1.5× the csv floor, ≤ 150 MB peak RSS"
    print(f"\n{args.tickets:,} tickets, {args.rounds} rounds; {budget}")
    head = (
        f"{'shape':<12} {'bytes/row':>9} {'csv floor':>9} {'svclevel':>9} {'ratio (range)':>17}"
        f" {'peak RSS':>9} {'rows/s':>9}"
    )
    if peer:
        head += f" {'pandas':>8} {'pandas RSS':>10} {'svclevel/pandas':>17}"
    print(head)
    for r in results:
        floor, ours = r["floor"], r["ours"]
        line = (
            f"{r['shape']:<12} {r['bytes']:>9.0f} {statistics.median(floor.times):>8.2f}s"
            f" {statistics.median(ours.times):>8.2f}s {ratios(ours.times, floor.times):>17}"
            f" {ours.peak_kib / 1024:>6.1f} MB"
            f" {args.tickets / statistics.median(ours.times):>9,.0f}"
        )
        if peer:
            pandas = r["pandas"]
            line += (
                f" {statistics.median(pandas.times):>7.2f}s {pandas.peak_kib / 1024:>7.1f} MB"
                f" {ratios(ours.times, pandas.times):>17}"
            )
        fast = median_ratio(ours.times, floor.times) <= 1.5
        small = ours.peak_kib / 1024 <= 150
        print(line)
        print(
            f"{'':<12} time {'met' if fast else 'NOT MET'}, memory {'met' if small else 'NOT MET'}"
        )
        if peer:
            print(
                f"{'':<12} pandas against the csv floor: {ratios(r['pandas'].times, floor.times)}"
            )


if __name__ == "__main__":
    main()
