"""Measure how svclevel handles the costliest hostile inputs: time and peak memory.

Each case runs ``svclevel assess FILE --rubric four-level`` as a subprocess against the floor
of the same command on a small valid answers file; the two take turns, five runs each, and
the ratio is the median of the per-run ratios. Run: ``python benchmarks/hostile.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import compile_svclevel, interleaved, median_ratio

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "svclevel")

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

FLOOR = "valid example (floor)"
CASES: dict[str, Callable[[], str]] = {
    FLOOR: (ROOT / "examples" / "harbor-lane-shop.yaml").read_text,
    "billion laughs (9^9 aliases)": lambda: BILLION_LAUGHS,
    "100,000 nested lists": lambda: "[" * 100_000 + "]" * 100_000,
    "4 MB of evidence": lambda: (
        "company: X\ndate: 2026-01-01\nanswers:\n  nps:\n    value: 1\n"
        "    evidence: " + "x" * 4_000_000 + "\n"
    ),
    "100 MB file": lambda: "#" * (100 * 1024 * 1024),
}
TIME = "/usr/bin/time"  # GNU time: its own small process, so max RSS is svclevel's alone


def command(path: Path, seen: dict[str, int]) -> Callable[[], float]:
    """A candidate for :func:`interleaved`: one run of svclevel on ``path``, timed; its peak
    RSS (KiB) and exit code are kept in ``seen``."""
    cmd = [TIME, "-f", "%M", EXE, "assess", str(path), "--rubric", "four-level", "-f", "json"]

    def run() -> float:
        with tempfile.NamedTemporaryFile("r") as stats:
            start = time.perf_counter()
            proc = subprocess.run(
                [cmd[0], "-o", stats.name, *cmd[1:]],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            elapsed = time.perf_counter() - start
            seen["rss"] = max(seen.get("rss", 0), int(stats.read().split()[-1]))
            seen["code"] = proc.returncode
        return elapsed

    return run


def main() -> None:
    compile_svclevel()
    print(f"{'case':32} {'exit':>4} {'time':>8} {'ratio':>6} {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        floor_path = Path(tmp) / "floor.yaml"
        floor_path.write_text(CASES[FLOOR](), encoding="utf-8")
        for name, make in CASES.items():
            path = Path(tmp) / "case.yaml"
            path.write_text(make(), encoding="utf-8")
            seen: dict[str, int] = {}
            ours, base = interleaved([command(path, seen), command(floor_path, {})], 5)
            print(
                f"{name:32} {seen['code']:>4} {statistics.median(ours) * 1000:>6.0f}ms "
                f"{median_ratio(ours, base):>5.2f}x {seen['rss'] / 1024:>6.1f} MB"
            )


if __name__ == "__main__":
    main()
