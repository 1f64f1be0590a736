"""Benchmark: ``svclevel assess DIR --format json`` over N generated answers files.

The floor is parsing the same files with PyYAML's libyaml loader (``CSafeLoader``) in one
process, measured in the same run; svclevel's time is the whole command (start-up included),
run as a subprocess so that its peak memory (max RSS) can be read separately.

Run: ``python benchmarks/batch.py [N ...]`` (default: 1000 10000).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

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


def svclevel(folder: Path, jobs: int = 0) -> tuple[float, int, int]:
    """Wall time, peak RSS in KiB, and the number of JSON lines written."""
    exe = str(Path(sys.executable).parent / "svclevel")
    cmd = [exe, "assess", str(folder), "--format", "json", "--jobs", str(jobs)]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"svclevel exited {proc.returncode}")
        out.seek(0)
        lines = sum(1 for _ in out)
    return elapsed, usage.ru_maxrss, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args()
    print(
        f"{'N':>6}  {'floor (libyaml)':>15}  {'jobs':>5}  {'svclevel json':>13}  {'ratio':>5}"
        f"  {'peak RSS':>9}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, n)
            base = min(floor(folder) for _ in range(3))
            for jobs, label in ((1, "1"), (0, "auto")):
                ours, rss, lines = min(svclevel(folder, jobs) for _ in range(3))
                assert lines == n, (lines, n)
                print(
                    f"{n:>6}  {base:>14.2f}s  {label:>5}  {ours:>12.2f}s  {ours / base:>5.2f}"
                    f"  {rss / 1024:>7.1f} MB"
                )


if __name__ == "__main__":
    main()
