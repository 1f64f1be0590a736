"""Measure how svclevel handles the costliest hostile inputs: time and peak memory.

Each case runs ``svclevel assess FILE --rubric four-level`` as a subprocess (median of several
runs) against the floor of the same command on a small valid answers file, measured in the
same run. Run: ``python benchmarks/hostile.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "svclevel")

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

CASES: dict[str, Callable[[], str]] = {
    "valid example (floor)": (ROOT / "examples" / "harbor-lane-shop.yaml").read_text,
    "billion laughs (9^9 aliases)": lambda: BILLION_LAUGHS,
    "100,000 nested lists": lambda: "[" * 100_000 + "]" * 100_000,
    "4 MB of evidence": lambda: (
        "company: X\ndate: 2026-01-01\nanswers:\n  nps:\n    value: 1\n"
        "    evidence: " + "x" * 4_000_000 + "\n"
    ),
    "100 MB file": lambda: "#" * (100 * 1024 * 1024),
}
TIME = "/usr/bin/time"  # GNU time: its own small process, so max RSS is svclevel's alone


def run(path: Path) -> tuple[float, int, int]:
    """Median wall time (s), max RSS (KiB) and exit code of svclevel on ``path``."""
    times, rss, code = [], 0, 0
    for _ in range(5):
        with tempfile.NamedTemporaryFile("r") as stats:
            start = time.perf_counter()
            proc = subprocess.run(
                [
                    TIME,
                    "-o",
                    stats.name,
                    "-f",
                    "%M",
                    EXE,
                    "assess",
                    str(path),
                    "--rubric",
                    "four-level",
                    "-f",
                    "json",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            times.append(time.perf_counter() - start)
            rss = max(rss, int(stats.read().split()[-1]))
            code = proc.returncode
    return statistics.median(times), rss, code


def main() -> None:
    print(f"{'case':32} {'exit':>4} {'time':>8} {'ratio':>6} {'peak RSS':>9}")
    floor = None
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CASES.items():
            path = Path(tmp) / "case.yaml"
            path.write_text(make(), encoding="utf-8")
            seconds, rss, code = run(path)
            floor = floor or seconds
            print(
                f"{name:32} {code:>4} {seconds * 1000:>6.0f}ms {seconds / floor:>5.2f}x "
                f"{rss / 1024:>6.1f} MB"
            )


if __name__ == "__main__":
    main()
