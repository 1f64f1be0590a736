"""Benchmark: how much svclevel adds on top of bare YAML parsing, and its start-up cost.

Floors are measured in the same run, so the ratios are comparable across machines:

* assess: load + validate + score + render (text) of every example against every built-in
  rubric, in-process, versus bare libyaml parsing (``yaml.load(..., CSafeLoader)``) of the
  same answers files plus the rubric and question-bank files each assessment reads.
* start-up: ``svclevel --version`` and ``svclevel assess EXAMPLE`` as subprocesses, versus
  ``python -c pass``.

Run: ``python benchmarks/bench_assess.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from svclevel import loading
from svclevel.loading import builtin_rubric_ids, check_answers_for, load_rubric, read_answers
from svclevel.report import ReportOptions
from svclevel.report.text_report import render_text
from svclevel.scoring import score

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
RUBRIC_FILES = [ROOT / "rubrics" / f"{rid}.yaml" for rid in builtin_rubric_ids()]
BANK = ROOT / "rubrics" / "questions.yaml"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Median of ``repeat`` timings of ``fn`` in seconds (after one warm-up)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def floor_parse() -> None:
    """Bare libyaml parsing of every file one round of assessments reads."""
    yaml.load(BANK.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for rubric in RUBRIC_FILES:
        yaml.load(rubric.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for example in EXAMPLES:
            yaml.load(example.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def assess_all() -> None:
    """What ``svclevel assess`` does for every example and rubric, without the cache."""
    loading._load_builtin.cache_clear()
    loading.load_bank.cache_clear()
    for rubric_id in builtin_rubric_ids():
        loaded = load_rubric(rubric_id)
        for example in EXAMPLES:
            answers = check_answers_for(read_answers(example), loaded)
            render_text(score(loaded, answers), ReportOptions(explain=True))


def run(*args: str) -> Callable[[], object]:
    return lambda: subprocess.run(args, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    n = len(EXAMPLES) * len(RUBRIC_FILES)

    floor = best_of(floor_parse, args.repeat)
    ours = best_of(assess_all, args.repeat)
    print(f"assess, in-process ({n} assessments, text report with --explain)")
    print(f"  floor: libyaml parse of the same files  {floor * 1000:8.2f} ms")
    print(f"  svclevel load+validate+score+render     {ours * 1000:8.2f} ms")
    print(f"  ratio                                   {ours / floor:8.1f}x")
    print(f"  per assessment                          {ours / n * 1000:8.2f} ms")

    exe = str(Path(sys.executable).parent / "svclevel")
    python = best_of(run(sys.executable, "-c", "pass"), max(5, args.repeat // 3))
    version = best_of(run(exe, "--version"), max(5, args.repeat // 3))
    assess = best_of(
        run(exe, "assess", str(EXAMPLES[0]), "--format", "text"), max(5, args.repeat // 3)
    )
    print("start-up, subprocess")
    print(f"  floor: python -c pass                   {python * 1000:8.1f} ms")
    print(
        f"  svclevel --version                      {version * 1000:8.1f} ms"
        f"  ({version / python:.1f}x)"
    )
    print(
        f"  svclevel assess EXAMPLE                 {assess * 1000:8.1f} ms"
        f"  ({assess / python:.1f}x)"
    )


if __name__ == "__main__":
    main()
