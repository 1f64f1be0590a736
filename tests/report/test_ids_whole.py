"""Ids a user types (question ids, rubric ids) appear whole at any terminal width, never cut
with "…": a table that cannot show them becomes one block per row."""

from __future__ import annotations

import pytest

from svclevel.load.rubrics import load_rubric
from tests.helpers import BUILTIN_IDS, EXAMPLES, run_cli

WIDTHS = ["80", "40"]
EXAMPLE_FILES = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))


def _question_ids(rubric: str) -> set[str]:
    loaded = load_rubric(rubric)
    return {c.question for level in loaded.rubric.levels for c in level.criteria}


def _whole_words(text: str) -> set[str]:
    return set(text.replace("(", " ").replace(")", " ").replace(",", " ").split())


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("rubric", BUILTIN_IDS)
def test_rubrics_show_never_cuts_a_question_id(rubric: str, columns: str) -> None:
    result = run_cli("rubrics", "show", rubric, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    assert _question_ids(rubric) <= _whole_words(result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("fmt", ["rich", "text"])
def test_compare_never_cuts_a_rubric_or_question_id(fmt: str, columns: str) -> None:
    result = run_cli("compare", *EXAMPLE_FILES, "-f", fmt, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    assert set(BUILTIN_IDS) <= _whole_words(result.stdout)
    assert "customers_feel_valued" in _whole_words(result.stdout)  # in "why they disagree"


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("fmt", ["rich", "text"])
def test_crosswalk_never_cuts_a_rubric_id(fmt: str, columns: str) -> None:
    result = run_cli("compare", "-f", fmt, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    assert set(BUILTIN_IDS) <= _whole_words(result.stdout)


@pytest.mark.parametrize("columns", WIDTHS)
def test_assess_never_cuts_a_question_id(columns: str) -> None:
    harbor = str(EXAMPLES / "harbor-lane-shop.yaml")
    result = run_cli("assess", harbor, "-f", "rich", "--explain", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert _question_ids("four-level") <= _whole_words(result.stdout)
