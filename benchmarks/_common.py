"""What the benchmarks share: bytecode as an installed wheel has it, and interleaved timing."""

from __future__ import annotations

import compileall
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import svclevel


def compile_svclevel() -> None:
    """Write svclevel's bytecode, as pip does when it installs the wheel.

    An editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as on CI machines) would
    otherwise compile every module from source on every run, which no user pays.
    """
    compileall.compile_dir(Path(svclevel.__file__).parent, quiet=1)


def interleaved(candidates: Sequence[Callable[[], float]], rounds: int) -> list[list[float]]:
    """Time each candidate once per round, in turn, for ``rounds`` rounds (after one warm-up).

    Taking turns means a change in the machine's load affects every candidate alike, so the
    ratio of two candidates *within a round* is steadier than the ratio of separate medians.
    """
    for run in candidates:
        run()
    samples: list[list[float]] = [[] for _ in candidates]
    for _ in range(rounds):
        for run, times in zip(candidates, samples, strict=True):
            times.append(run())
    return samples


def median_ratio(ours: Sequence[float], floor: Sequence[float]) -> float:
    """The median of the per-round ratios."""
    return statistics.median(o / f for o, f in zip(ours, floor, strict=True))


def timed(action: Callable[[], object]) -> Callable[[], float]:
    """A candidate for :func:`interleaved`: the wall time of one call of ``action``."""

    def run() -> float:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    return run
