"""Measure how svclevel handles the costliest hostile inputs: time and peak memory.

Each case runs ``svclevel assess`` as a subprocess (on a file, a folder or a pattern, in an
environment) against the floor of the same command on a small valid answers file; the two take
turns, five runs each, and the ratio is the median of the per-run ratios. A run that takes
longer than a minute is a hang, killed. Run: ``python benchmarks/hostile.py``.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from _common import compile_svclevel, interleaved, median_ratio

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "svclevel")

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

FLOOR = "valid example (floor)"


class Case(NamedTuple):
    """What one case runs: ``svclevel assess ARGS -f json`` (unless it says ``-f``), in ``env``."""

    args: list[str]
    env: Mapping[str, str] | None = None


def _file(make: Callable[[], str]) -> Callable[[Path], Case]:
    """A case that is one answers file."""

    def setup(tmp: Path) -> Case:
        path = tmp / "case.yaml"
        path.write_text(make(), encoding="utf-8")
        return Case([str(path), "--rubric", "four-level"])

    return setup


def _symlink_loop(tmp: Path) -> Case:
    """``loop/`` holds the example and two links to folders that lead back into it."""
    loop = tmp / "loop"
    loop.mkdir()
    (loop / "a.yaml").write_text(_example(), encoding="utf-8")
    (loop / "up").symlink_to("..")
    (loop / "here").symlink_to(".")
    return Case([str(loop / "**" / "*.yaml")])


def _deep_folder(tmp: Path) -> Case:
    """The example at the bottom of 1,100 nested folders (one-letter names: 2,200 characters
    of path, within PATH_MAX). Made and removed one folder at a time: ``mkdir(parents=True)``
    and ``shutil.rmtree`` recurse, and would overflow Python's stack."""
    path = tmp / "deep"
    path.mkdir()
    for _ in range(1_100):
        path /= "d"
        path.mkdir()
    (path / "a.yaml").write_text(_example(), encoding="utf-8")
    _REMOVE.append(path)
    return Case([str(tmp / "deep")])


_REMOVE: list[Path] = []
"""Bottoms of deep trees to remove before the temporary folder is."""


def _remove_deep(bottom: Path) -> None:
    for child in bottom.iterdir():
        child.unlink()
    while bottom.name == "d":
        bottom.rmdir()
        bottom = bottom.parent


def _extends_chain(tmp: Path) -> Case:
    """An answers file whose rubric extends another, 300 deep."""
    for i in range(300):
        base = f"r{i + 1}.yaml" if i < 299 else "four-level"
        (tmp / f"r{i}.yaml").write_text(
            f"extends: {base}\nid: r{i}\nversion: 1\n", encoding="utf-8"
        )
    answers = tmp / "answers.yaml"
    answers.write_text(_example().replace("rubric: four-level", "rubric: r0.yaml"), "utf-8")
    return Case([str(answers)])


def _wide(columns: str) -> Callable[[Path], Case]:
    def setup(tmp: Path) -> Case:
        path = tmp / "case.yaml"
        path.write_text(_example(), encoding="utf-8")
        return Case([str(path), str(path), "-f", "rich"], {"COLUMNS": columns})

    return setup


def _example() -> str:
    return (ROOT / "examples" / "harbor-lane-shop.yaml").read_text(encoding="utf-8")


CASES: dict[str, Callable[[Path], Case]] = {
    FLOOR: _file(_example),
    "billion laughs (9^9 aliases)": _file(lambda: BILLION_LAUGHS),
    "100,000 nested lists": _file(lambda: "[" * 100_000 + "]" * 100_000),
    "4 MB of evidence": _file(
        lambda: (
            "company: X\ndate: 2026-01-01\nanswers:\n  nps:\n    value: 1\n"
            "    evidence: " + "x" * 4_000_000 + "\n"
        )
    ),
    "100 MB file": _file(lambda: "#" * (100 * 1024 * 1024)),
    "'loop/**/*.yaml', 2 symlink loops": _symlink_loop,
    "folder 1,100 levels deep": _deep_folder,
    "extends chain of 300 rubrics": _extends_chain,
    "COLUMNS=10000000 -f rich, 2 files": _wide("10000000"),
    "COLUMNS=99999999999 -f rich": _wide("99999999999"),
}
TIME = "/usr/bin/time"  # GNU time: its own small process, so max RSS is svclevel's alone
TIMEOUT = 60.0
"""Seconds after which a case counts as a hang (and is killed)."""


def command(case: Case, seen: dict[str, int]) -> Callable[[], float]:
    """A candidate for :func:`interleaved`: one run of svclevel on ``case``, timed; its peak
    RSS (KiB) and exit code are kept in ``seen``."""
    fmt = [] if "-f" in case.args else ["-f", "json"]
    cmd = [EXE, "assess", *case.args, *fmt]
    env = {**os.environ, **(case.env or {})}

    def run() -> float:
        with tempfile.NamedTemporaryFile("r") as stats:
            start = time.perf_counter()
            try:
                proc = subprocess.run(
                    [TIME, "-f", "%M", "-o", stats.name, *cmd],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=False,
                    env=env,
                    timeout=TIMEOUT,
                )
                seen["code"] = proc.returncode
            except subprocess.TimeoutExpired:
                seen["code"] = -1  # a hang
            elapsed = time.perf_counter() - start
            with contextlib.suppress(ValueError, IndexError):
                seen["rss"] = max(seen.get("rss", 0), int(stats.read().split()[-1]))
        return elapsed

    return run


def main() -> None:
    compile_svclevel()
    print(f"{'case':36} {'exit':>4} {'time':>8} {'ratio':>6} {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        floor_dir = Path(tmp) / "floor"
        floor_dir.mkdir()
        floor = CASES[FLOOR](floor_dir)
        for i, (name, setup) in enumerate(CASES.items()):
            where = Path(tmp) / f"case{i}"
            where.mkdir()
            seen: dict[str, int] = {}
            ours, base = interleaved([command(setup(where), seen), command(floor, {})], 5)
            while _REMOVE:
                _remove_deep(_REMOVE.pop())
            code = "hang" if seen["code"] == -1 else str(seen["code"])
            print(
                f"{name:36} {code:>4} {statistics.median(ours) * 1000:>6.0f}ms "
                f"{median_ratio(ours, base):>5.2f}x {seen.get('rss', 0) / 1024:>6.1f} MB"
            )


if __name__ == "__main__":
    main()
