"""Benchmark: ``svclevel assess DIR --format json`` over N generated answers files.

The floor is parsing the same files with PyYAML's libyaml loader (``CSafeLoader``) in one
process, measured in the same run; svclevel's time is the whole command (start-up included),
run as a subprocess so that its peak memory (max RSS) can be read separately. The floor and
the svclevel runs take turns, round after round; each ratio is the median of the per-round
ratios. svclevel's bytecode is written first, as installing the wheel does.

Run: ``python benchmarks/batch.py [N ...] [--rounds R]`` (default: 1000 10000, 5 rounds).
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from _common import compile_svclevel, interleaved, median_ratio

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def generate(folder: Path, n: int, seed: int = 7) -> None:
    """N answers files: the examples with some answers changed or blanked, deterministically."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    templates = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    bank = yaml.safe_load((ROOT / "rubrics" / "questions.yaml").read_text(encoding="utf-8"))
    choices: dict[str, list[object]] = {}
    for q in bank["questions"]:
        if q["type"] == "scale":
            choices[q["id"]] = list(q["labels"])
        elif q["type"] == "number":
            choices[q["id"]] = [q["min"], (q["min"] + q["max"]) / 2, q["max"]]
        else:
            choices[q["id"]] = [True, False]
    for i in range(n):
        doc = dict(templates[i % len(templates)])
        answers = dict(doc["answers"])
        for qid in rng.sample(sorted(choices), 6):
            answers[qid] = rng.choice([*choices[qid], "n/a", None])
        doc["answers"] = answers
        doc["company"] = f"{doc['company']} #{i}"
        (folder / f"company-{i:05d}.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )


def floor(folder: Path) -> float:
    start = time.perf_counter()
    for path in sorted(folder.glob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


@dataclass
class Run:
    """svclevel's runs with one --jobs value: wall times and peak memory."""

    jobs: int
    times: list[float] = field(default_factory=list)
    peak_kib: int = 0

    def __call__(self, folder: Path, n: int) -> float:
        exe = str(Path(sys.executable).parent / "svclevel")
        cmd = [exe, "assess", str(folder), "--format", "json", "--jobs", str(self.jobs)]
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"svclevel exited {os.waitstatus_to_exitcode(status)}")
            out.seek(0)
            lines = sum(1 for _ in out)
        assert lines == n, (lines, n)
        # ru_maxrss of a process that has waited for its children: the largest of them.
        self.peak_kib = max(self.peak_kib, usage.ru_maxrss)
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    compile_svclevel()
    print(
        f"{'N':>6}  {'floor (libyaml)':>15}  {'jobs':>5}  {'svclevel json':>13}  {'ratio':>5}"
        f"  {'(range)':>11}  {'peak RSS':>9}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, n)
            runs = [Run(1), Run(0)]
            base, *ours = interleaved(
                [
                    functools.partial(floor, folder),
                    *(functools.partial(r, folder, n) for r in runs),
                ],
                args.rounds,
            )
            for run, times in zip(runs, ours, strict=True):
                ratios = [o / f for o, f in zip(times, base, strict=True)]
                print(
                    f"{n:>6}  {statistics.median(base):>14.2f}s  {run.jobs or 'auto':>5}"
                    f"  {statistics.median(times):>12.2f}s  {median_ratio(times, base):>5.2f}"
                    f"  ({min(ratios):.2f}-{max(ratios):.2f})  {run.peak_kib / 1024:>7.1f} MB"
                )


if __name__ == "__main__":
    main()
