"""Growth: does svclevel scale linearly with the size of a rubric and of a portfolio?

* rubric size: a synthetic rubric with Q questions of its own over 10 levels (Q up to 500):
  load and validate it, then assess one answers file against it (in-process, median of runs);
* portfolio size: ``compare`` of N companies on the four built-in rubrics (N up to 1,000).

Each table prints time per unit (flat columns mean linear growth) and the ratio to parsing
the same files with PyYAML's libyaml loader, measured in the same run, taking turns (median
of the per-run ratios). Run: ``python benchmarks/growth.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from _common import compile_svclevel, interleaved, median_ratio, timed

from svclevel.engine.run import compare_many, expand_inputs
from svclevel.engine.score import score
from svclevel.load import rubrics as loading
from svclevel.load.rubrics import check_answers_for, load_all_builtin, load_rubric, read_answers

ROOT = Path(__file__).resolve().parent.parent


def synthetic_rubric(questions: int, levels: int = 10) -> tuple[str, str]:
    """A rubric with ``questions`` questions of its own, and answers to all of them."""
    rng = random.Random(questions)  # noqa: S311 - reproducible test data
    qs: list[dict[str, object]] = []
    answers: dict[str, object] = {}
    for i in range(questions):
        kind = ("yes_no", "scale", "number")[i % 3]
        q: dict[str, object] = {
            "id": f"q{i}",
            "type": kind,
            "text": f"Question {i}?",
            "guidance": "Synthetic.",
        }
        if kind == "scale":
            q["labels"] = ["never", "rarely", "sometimes", "usually", "always"]
            answers[f"q{i}"] = rng.choice(["never", "rarely", "sometimes", "usually", "always"])
        elif kind == "number":
            q.update(unit="%", min=0, max=100, better="higher")
            answers[f"q{i}"] = rng.randint(0, 100)
        else:
            answers[f"q{i}"] = rng.choice(["yes", "no"])
        qs.append(q)
    per_level = max(1, questions // levels)
    level_list = []
    for n in range(levels):
        criteria = []
        for i in range(n * per_level, min(questions, (n + 1) * per_level)):
            c: dict[str, object] = {
                "question": f"q{i}",
                "tip": "Do it.",
                "source": {"doc": "s", "section": "x"},
            }
            if i % 3 == 1:
                c["at_least"] = "usually"
            elif i % 3 == 2:
                c.update(at_least=50, assumption="Synthetic.")
            criteria.append(c)
        level_list.append(
            {
                "id": f"l{n}",
                "name": f"Level {n}",
                "experience": "x",
                "pass_mark": 0.5,
                "criteria": criteria,
            }
        )
    rubric = {
        "id": "synthetic",
        "version": 1,
        "title": "Synthetic",
        "description": "Synthetic.",
        "sources": [{"id": "s", "title": "S"}],
        "questions": qs,
        "levels": level_list,
    }
    doc = {"company": "Synthetic", "date": "2026-01-01", "answers": answers}
    return yaml.safe_dump(rubric), yaml.safe_dump(doc)


def parse_floor(paths: list[Path]) -> Callable[[], float]:
    """The floor: parsing the same files with PyYAML's libyaml loader, timed."""

    def run() -> float:
        start = time.perf_counter()
        for path in paths:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        return time.perf_counter() - start

    return run


def rubric_growth(runs: int) -> None:
    print("Rubric size (10 levels): load + validate + assess one answers file")
    print(f"{'questions':>9} {'time':>9} {'per question':>13} {'ratio to parsing':>17}")
    with tempfile.TemporaryDirectory() as tmp:
        for questions in (50, 100, 250, 500):
            rubric_text, answers_text = synthetic_rubric(questions)
            rubric_path = Path(tmp) / f"r{questions}.yaml"
            answers_path = Path(tmp) / f"a{questions}.yaml"
            rubric_path.write_text(rubric_text)
            answers_path.write_text(answers_text)

            def run(rp: Path = rubric_path, ap: Path = answers_path) -> None:
                loading._FILE_CACHE.clear()
                loaded = load_rubric(str(rp))
                score(loaded, check_answers_for(read_answers(ap), loaded))

            ours, base = interleaved([timed(run), parse_floor([rubric_path, answers_path])], runs)
            seconds = statistics.median(ours)
            print(
                f"{questions:>9} {seconds * 1000:>7.1f}ms {seconds / questions * 1e6:>10.1f}µs"
                f" {median_ratio(ours, base):>16.2f}x"
            )


def portfolio_growth(runs: int) -> None:
    print("Portfolio size: compare N companies on the four built-in rubrics")
    print(f"{'companies':>9} {'time':>9} {'per company':>12} {'ratio to parsing':>17}")
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    rubrics = load_all_builtin()
    with tempfile.TemporaryDirectory() as tmp:
        for n in (125, 250, 500, 1000):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            for i in range(n):
                (folder / f"c{i:04d}.yaml").write_text(examples[i % len(examples)].read_text())

            def run(f: Path = folder) -> None:
                for _ in compare_many(expand_inputs([str(f)]), rubrics):
                    pass

            files = sorted(folder.glob("*.yaml"))
            ours, base = interleaved([timed(run), parse_floor(files)], max(3, runs // 3))
            seconds = statistics.median(ours)
            print(
                f"{n:>9} {seconds * 1000:>7.0f}ms {seconds / n * 1000:>9.2f}ms"
                f" {median_ratio(ours, base):>16.2f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    compile_svclevel()
    rubric_growth(runs)
    print()
    portfolio_growth(runs)


if __name__ == "__main__":
    main()
