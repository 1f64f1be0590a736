"""Test helpers: a CLI runner at a fixed width, best/worst answers, scoring plain data."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import yaml
from typer.testing import CliRunner

from svclevel.cli import app
from svclevel.engine.score import score
from svclevel.load.checks import (
    build_answers,
    check_answer_values,
    check_not_applicable,
    parse_answers,
)
from svclevel.load.rubrics import LoadedRubric, load_rubric
from svclevel.load.yamlfile import parse_yaml
from svclevel.models import NumberQuestion, Question, ScaleQuestion
from svclevel.results import Assessment

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HISTORY = EXAMPLES / "history"
"""One company's three yearly audits, for ``svclevel history``."""
RESPONDENTS = EXAMPLES / "respondents"
"""Kestrel's four interviews, one answers file per respondent, for ``svclevel merge``."""
WALKED_EXAMPLES = (*sorted(EXAMPLES.glob("*.yaml")), *sorted(HISTORY.glob("*.yaml")))
"""Every answers file a walk of ``examples/`` assesses: the companies and the history's three
(its rubrics, its measurement file, its exceptions file and the four interviews, each one
respondent's answers, are skipped)."""
DATA = Path(__file__).resolve().parent / "data"
BUILTIN_IDS = ("four-level", "four-tier", "three-rung", "three-tier")


@dataclasses.dataclass(frozen=True)
class Run:
    """What one CLI invocation produced."""

    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = b""
    """Standard output as written (a PDF is bytes)."""


def yearly_examples(folder: Path) -> Path:
    """A copy of the examples with one answers file per company (without Harbor Lane's
    quarterly audit), for runs that match files by company (``--baseline``)."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for path in EXAMPLES.glob("*.yaml"):
        if path.name != "harbor-lane-q3.yaml":
            shutil.copy(path, folder / path.name)
    return folder


def run_cli(*args: str, env: Mapping[str, str] | None = None, stdin: str | None = None) -> Run:
    """Invoke the CLI in-process at a fixed width (100 columns), no colour unless asked."""
    runner = CliRunner()
    full_env = {"COLUMNS": "100", "NO_COLOR": "1", "SVCLEVEL_DEBUG": ""}
    full_env.update(env or {})
    result = runner.invoke(app, list(args), env=full_env, input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)


def poppler(tool: str) -> str:
    """The path of a poppler tool (pdftotext, pdfinfo, pdffonts, pdftoppm); required in CI."""
    import shutil

    import pytest

    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is required in CI (.ci/run installs Debian's poppler-utils)")
    pytest.skip(f"no {tool} on this machine (apt-get install poppler-utils)")
    return ""  # not reached: skip() raises


def require_pdf() -> None:
    """Skip a test of the PDF report where WeasyPrint cannot run (its Pango library is not
    installed); in CI, where .ci/run installs it, fail instead."""
    import pytest

    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the PDF report must be tested in CI ({exc})")
        pytest.skip(f"WeasyPrint cannot run here ({exc}); apt-get install libpango-1.0-0")


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The text a reader sees in a PDF, page after page (form feeds between pages)."""
    args = [poppler("pdftotext"), *(["-layout"] if layout else []), "-enc", "UTF-8", "-", "-"]
    done = subprocess.run(args, input=data, capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def run_process(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: IO[bytes] | int | None = subprocess.DEVNULL,
    close_stdin: bool = False,
) -> subprocess.CompletedProcess[str]:
    """svclevel (the source these tests import) in a child process: memory-capped at 1 GiB, so
    that a run that grows without bound fails instead of the machine, and stopped after 120 s,
    so that a run that waits (on a pipe) fails the test instead of hanging it. ``close_stdin``
    runs it with standard input closed (``<&-``)."""

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))
        if close_stdin:
            os.close(0)

    source = str(ROOT / "src")
    return subprocess.run(
        [sys.executable, "-m", "svclevel", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": source, "NO_COLOR": "1", **(env or {})},
        stdin=None if close_stdin else stdin,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        check=False,
    )


def best_value(question: Question) -> Any:
    """The best possible answer to a question."""
    if isinstance(question, ScaleQuestion):
        return question.labels[-1]
    if isinstance(question, NumberQuestion):
        return question.max if question.better == "higher" else question.min
    return True


def worst_value(question: Question) -> Any:
    """The worst possible answer to a question."""
    if isinstance(question, ScaleQuestion):
        return question.labels[0]
    if isinstance(question, NumberQuestion):
        return question.min if question.better == "higher" else question.max
    return False


def answers_doc(answers: Mapping[str, Any], **header: Any) -> dict[str, Any]:
    """An answers document with a default header."""
    doc: dict[str, Any] = {"company": "Test Co", "date": "2026-11-01"}
    doc.update(header)
    doc["answers"] = dict(answers)
    return doc


def assess_data(rubric: str | LoadedRubric, answers: Mapping[str, Any]) -> Assessment:
    """Score answers given as plain data, through the same checks as a file."""
    loaded = load_rubric(rubric) if isinstance(rubric, str) else rubric
    doc = parse_yaml(yaml.safe_dump(answers_doc(answers)), "answers.yaml")
    parsed, problems = parse_answers(doc)
    assert parsed is not None, problems
    problems = check_answer_values(doc, loaded.questions)
    assert problems == [], problems
    checked = build_answers(doc, parsed, loaded.questions)
    assert checked is not None
    problems = check_not_applicable(doc, loaded.rubric)
    assert problems == [], problems
    return score(loaded, checked)
