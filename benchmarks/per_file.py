"""Per file, in one warm process: what each stage of ``svclevel assess`` costs, against parsing.

The floor is ``CSafeLoader.load`` of the same generated answers files (those of
``benchmarks/batch.py``). Each stage runs in this process after a warm-up, with the cyclic
garbage collector off as in svclevel's workers; stages and floor take turns, round after round,
and each ratio is the median of the per-round ratios.

* assess: read, parse, validate and score each file;
* assess + JSON record: the same, plus the record ``--format json`` writes for it.

Run: ``python benchmarks/per_file.py [N] [--rounds R]`` (default: 1000 files, 7 rounds).
"""

from __future__ import annotations

import argparse
import functools
import gc
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from _common import compile_svclevel, interleaved, median_ratio, timed
from batch import generate

from svclevel.engine.run import Outcome, assess_with_rubric
from svclevel.report import Format, ReportOptions
from svclevel.report.plan import Plan, process


def floor(paths: list[Path]) -> None:
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def assess(paths: list[Path], post: Callable[[Outcome], object] | None = None) -> None:
    for path in paths:
        a, _ = assess_with_rubric(path, rubric=None, rubric_is_default=True)
        if post is not None:
            post(Outcome(str(path), a, ()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    compile_svclevel()
    options = ReportOptions(explain=False, width=100, color=False, batch=True)
    plan = Plan(formats=((Format.JSON, options),), thresholds=(), keep_assessments=False)
    stages = {
        "assess": functools.partial(assess, post=None),
        "assess + JSON record": functools.partial(
            assess, post=functools.partial(process, plan=plan)
        ),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.n)
        paths = sorted(folder.glob("*.yaml"))
        gc.disable()
        base, *ours = interleaved(
            [
                timed(functools.partial(floor, paths)),
                *(timed(functools.partial(stage, paths)) for stage in stages.values()),
            ],
            args.rounds,
        )
    floor_ms = statistics.median(base) / args.n * 1e3
    print(f"{args.n} files; CSafeLoader.load: {floor_ms:.3f} ms per file")
    print(f"{'stage':24} {'per file':>9}  {'ratio':>5}")
    for name, times in zip(stages, ours, strict=True):
        per_file = statistics.median(times) / args.n * 1e3
        print(f"{name:24} {per_file:>6.3f} ms  {median_ratio(times, base):>5.2f}")


if __name__ == "__main__":
    main()
