"""Benchmark: ``svclevel assess DIR --format json`` over N generated answers files.

The floor is parsing the same files with PyYAML's libyaml loader (``CSafeLoader``) in one
process, measured in the same run; svclevel's time is the whole command (start-up included),
run as a subprocess so that its peak memory (max RSS) can be read separately. The floor and
the svclevel runs take turns, round after round; each ratio is the median of the per-round
ratios. svclevel's bytecode is written first, as installing the wheel does.

Two more candidates take turns with them, to show how low a ratio this machine and the fixed
stack allow (the last line of each size):

* the floor again, its files split over one forked process per CPU: what parsing gains from
  the CPUs here (a virtual machine's two CPUs give well under twice the speed);
* the bare Typer app of ``benchmarks/startup.py`` (svclevel's commands and parameters, no
  svclevel code) running ``assess`` on the folder: what any Typer command costs before it
  does anything.

Their sum is about the least a Typer tool that only parsed the files, on all CPUs, could take.

With ``--csv``, ``--format csv`` is timed too: the same reading, parsing, validating and
scoring, with a short row per file instead of a JSON record.

Run: ``python benchmarks/batch.py [N ...] [--rounds R] [--csv]`` (default: 1000 10000, 5 rounds).
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
from startup import bare_app_source

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
        doc.pop("measurements", None)  # a copy elsewhere: its measurement file is not beside it
        answers = dict(doc["answers"])
        for qid in rng.sample(sorted(choices), 6):
            answers[qid] = rng.choice([*choices[qid], None])
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


def cpus() -> int:
    return len(os.sched_getaffinity(0))


def floor_on_cpus(folder: Path) -> float:
    """The floor with its files dealt to one forked process per CPU; the wall time."""
    start = time.perf_counter()
    paths = sorted(folder.glob("*.yaml"))
    children = []
    for k in range(cpus()):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            for path in paths[k :: cpus()]:
                yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    return time.perf_counter() - start


def bare_typer(script: Path, folder: Path) -> float:
    """The bare Typer app running its empty ``assess`` on the folder; the wall time."""
    cmd = [sys.executable, str(script), "assess", str(folder), "--format", "json"]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


@dataclass
class Run:
    """svclevel's runs with one format and --jobs value: wall times and peak memory."""

    jobs: int
    fmt: str = "json"
    times: list[float] = field(default_factory=list)
    peak_kib: int = 0

    def __call__(self, folder: Path, n: int) -> float:
        exe = str(Path(sys.executable).parent / "svclevel")
        cmd = [exe, "assess", str(folder), "--format", self.fmt, "--jobs", str(self.jobs)]
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"svclevel exited {os.waitstatus_to_exitcode(status)}")
            out.seek(0)
            lines = sum(1 for _ in out)
        assert lines == (n if self.fmt == "json" else n + 1), (lines, n)  # csv: a header
        # ru_maxrss of a process that has waited for its children: the largest of them.
        self.peak_kib = max(self.peak_kib, usage.ru_maxrss)
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--csv",
        action="store_true",
        help="also time --format csv (jobs auto): the same work with a 170-byte record per "
        "file instead of a 19 KB one",
    )
    args = parser.parse_args()
    compile_svclevel()
    print(
        f"{'N':>6}  {'floor (libyaml)':>15}  {'jobs':>5}  {'svclevel':>13}  {'ratio':>5}"
        f"  {'(range)':>11}  {'peak RSS':>9}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "answers"
            folder.mkdir()
            generate(folder, n)
            script = Path(tmp) / "bare_app.py"
            script.write_text(bare_app_source())
            runs = [Run(1), Run(0), *([Run(0, "csv")] if args.csv else [])]
            base, parallel, typer_alone, *ours = interleaved(
                [
                    functools.partial(floor, folder),
                    functools.partial(floor_on_cpus, folder),
                    functools.partial(bare_typer, script, folder),
                    *(functools.partial(r, folder, n) for r in runs),
                ],
                args.rounds,
            )
            for run, times in zip(runs, ours, strict=True):
                ratios = [o / f for o, f in zip(times, base, strict=True)]
                print(
                    f"{n:>6}  {statistics.median(base):>14.2f}s  {run.jobs or 'auto':>5}"
                    f"  {run.fmt:>4} {statistics.median(times):>7.2f}s"
                    f"  {median_ratio(times, base):>5.2f}"
                    f"  ({min(ratios):.2f}-{max(ratios):.2f})  {run.peak_kib / 1024:>7.1f} MB"
                )
            least = [p + t for p, t in zip(parallel, typer_alone, strict=True)]
            print(
                f"{'':>6}  floor on {cpus()} CPUs {statistics.median(parallel):.2f}s"
                f" + bare Typer running assess {statistics.median(typer_alone):.2f}s"
                f" = {statistics.median(least):.2f}s, ratio {median_ratio(least, base):.2f}"
            )


if __name__ == "__main__":
    main()
