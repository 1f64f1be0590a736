"""The golden-output cases: every example on every rubric in every format, compare, crosswalk,
diff and history. Each case is a command line; its exit code, stdout and stderr are kept in
``tests/golden/out/`` and compared byte for byte by ``tests/test_golden.py``.

Regenerate (after a deliberate change, to be reviewed in the diff) with
``python -m tests.golden.cases``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "out"

EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))
RUBRICS = ("four-level", "four-tier", "three-rung", "three-tier")
ASSESS_FORMATS = (
    "rich",
    "text",
    "json",
    "markdown",
    "junit",
    "csv",
    "github",
    "html",
    "summary",
)
COMPARE_FORMATS = ("rich", "text", "json", "markdown", "csv", "html")
DIFF_FORMATS = ASSESS_FORMATS
BEFORE = "tests/golden/inputs/harbor-lane-before.yaml"


def cases() -> dict[str, tuple[str, ...]]:
    """Case name → arguments (paths relative to the repository root)."""
    out: dict[str, tuple[str, ...]] = {}
    for example in EXAMPLES:
        stem = example.removesuffix(".yaml")
        for rubric in RUBRICS:
            for fmt in ASSESS_FORMATS:
                out[f"assess-{stem}-{rubric}.{fmt}"] = (
                    "assess",
                    f"examples/{example}",
                    "-r",
                    rubric,
                    "-f",
                    fmt,
                )
        out[f"assess-{stem}-explain.text"] = ("assess", f"examples/{example}", "--explain")
        for fmt in COMPARE_FORMATS:
            out[f"compare-{stem}.{fmt}"] = ("compare", f"examples/{example}", "-f", fmt)
    for fmt in ASSESS_FORMATS:
        out[f"assess-portfolio.{fmt}"] = ("assess", "examples", "-f", fmt)
    # The pre-commit hook's command line: a rubric and a question bank among the files, one
    # file that is not valid answers, a gate that some fail.
    out["assess-hook.summary"] = (
        "assess",
        "-f",
        "summary",
        "--validate-rubrics",
        "--fail-below",
        "four-level=delight",
        "examples/rubrics/retail-four-level.yaml",
        "rubrics/questions.yaml",
        *(f"examples/{e}" for e in EXAMPLES),
        BEFORE,
        "tests/golden/inputs/invalid-answers.yaml",
        "rubrics/four-level.yaml",
    )
    for fmt in COMPARE_FORMATS:
        every = tuple(f"examples/{e}" for e in EXAMPLES)
        out[f"compare-portfolio.{fmt}"] = ("compare", *every, "-f", fmt)
        out[f"crosswalk.{fmt}"] = ("compare", "-f", fmt)
    for fmt in DIFF_FORMATS:
        out[f"diff.{fmt}"] = ("diff", BEFORE, "examples/harbor-lane-shop.yaml", "-f", fmt)
    for fmt in ("text", "summary"):
        out[f"diff-all-rubrics.{fmt}"] = (
            "diff",
            BEFORE,
            "examples/harbor-lane-shop.yaml",
            *(x for r in RUBRICS for x in ("-r", r)),
            "-f",
            fmt,
        )
    # Exceptions and evidence dates: active, then expired; stale evidence under a fail policy.
    waivers = ("--exceptions", "examples/exceptions/alder-grove-hotel.yaml")
    for fmt in ASSESS_FORMATS:
        out[f"assess-exception.{fmt}"] = (
            "assess",
            "examples/alder-grove-hotel.yaml",
            *waivers,
            "-f",
            fmt,
        )
        out[f"assess-stale-fail.{fmt}"] = (
            "assess",
            "examples/brightdesk-saas.yaml",
            "-r",
            "examples/rubrics/three-tier-fresh-evidence.yaml",
            "--as-of",
            "2027-01-31",
            "-f",
            fmt,
        )
    for fmt in ("text", "summary", "json"):
        out[f"assess-exception-expired.{fmt}"] = (
            "assess",
            "examples/alder-grove-hotel.yaml",
            *waivers,
            "--as-of",
            "2027-01-01",
            "-f",
            fmt,
        )
    for fmt in ASSESS_FORMATS:
        out[f"history.{fmt}"] = ("history", "examples/history", "-f", fmt)
    for fmt in ("text", "summary"):
        out[f"history-two-rubrics.{fmt}"] = (
            "history",
            "examples/history",
            "-r",
            "four-level",
            "-r",
            "three-tier",
            "-f",
            fmt,
        )
    for rubric in RUBRICS:
        out[f"rubrics-show-{rubric}.text"] = ("rubrics", "show", rubric)
    out["rubrics-list.text"] = ("rubrics",)
    return out


def render(exit_code: int, stdout: str, stderr: str) -> str:
    """One case's kept form."""
    return f"exit: {exit_code}\n--- stderr\n{stderr}--- stdout\n{stdout}"


def main() -> None:
    """Write every case's output (run from the repository root)."""
    import os

    from tests.helpers import run_cli

    os.chdir(ROOT)
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*"):
        old.unlink()
    for name, args in cases().items():
        extra = () if args == ("rubrics",) else ("--isolated",)
        result = run_cli(*args, *extra)
        (OUT / name).write_text(render(result.exit_code, result.stdout, result.stderr))


if __name__ == "__main__":
    main()
