"""Benchmark: the client documents (``--format html`` and ``--format pdf``) against JSON.

For one answers file and for folders of N generated files, svclevel runs as a subprocess with
``--format json`` (the floor: the same reading, checking and scoring, one record per file),
``--format html`` and ``--format pdf``, taking turns round after round; each ratio is the
median of the per-round ratios, and the peak memory (max RSS) of each run is printed. The html
and pdf documents are made when the run is complete (they open with the portfolio's summary and
contents), so their memory grows with N where JSON's stays flat: this benchmark shows how much.

Run: ``python benchmarks/report.py [N ...] [--rounds R]`` (default: 100 1000, 3 rounds; PDFs of
more than 300 files are skipped: hundreds of pages, minutes each).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from _common import compile_svclevel, interleaved, median_ratio
from batch import generate

ROOT = Path(__file__).resolve().parent.parent
HARBOR = ROOT / "examples" / "harbor-lane-shop.yaml"
MAX_PDF_FILES = 300


@dataclass
class Run:
    """svclevel's runs in one format on one input: wall times, peak memory, output size."""

    fmt: str
    target: Path
    times: list[float] = field(default_factory=list)
    peak_kib: int = 0
    size: int = 0

    def __call__(self) -> float:
        exe = str(Path(sys.executable).parent / "svclevel")
        cmd = [exe, "assess", str(self.target), "--format", self.fmt, "--isolated"]
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out, cwd=self.target.parent)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"svclevel {self.fmt} exited {os.waitstatus_to_exitcode(status)}")
            self.size = out.seek(0, os.SEEK_END)
        self.peak_kib = max(self.peak_kib, usage.ru_maxrss)
        return elapsed


def report(label: str, target: Path, rounds: int, pdf: bool) -> None:
    runs = [Run("json", target), Run("html", target), *([Run("pdf", target)] if pdf else [])]
    samples = interleaved([functools.partial(r) for r in runs], rounds)
    base = samples[0]
    for run, times in zip(runs, samples, strict=True):
        ratios = [o / f for o, f in zip(times, base, strict=True)]
        print(
            f"{label:>8}  {run.fmt:>4}  {statistics.median(times):>7.2f}s"
            f"  {median_ratio(times, base):>5.2f}  ({min(ratios):.2f}-{max(ratios):.2f})"
            f"  {run.peak_kib / 1024:>7.1f} MB  {run.size / 1024:>9.0f} KB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    compile_svclevel()
    print(
        f"{'input':>8}  {'fmt':>4}  {'time':>8}  {'ratio':>5}  {'(range)':>11}  {'peak RSS':>10}"
        f"  {'output':>12}"
    )
    report("1 file", HARBOR, args.rounds, pdf=True)
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "answers"
            folder.mkdir()
            generate(folder, n)
            report(f"{n} files", folder, args.rounds, pdf=n <= MAX_PDF_FILES)


if __name__ == "__main__":
    main()
