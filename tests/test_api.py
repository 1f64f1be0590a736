"""The public Python API: what a notebook user calls is what the CLI calls."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

import svclevel
from tests.helpers import EXAMPLES, ROOT, WALKED_EXAMPLES

HARBOR = EXAMPLES / "harbor-lane-shop.yaml"  # Exceed expectations on four-level (2 of 4)


def test_importing_svclevel_changes_nothing_in_the_process() -> None:
    code = (
        "import os, sys\n"
        "before = dict(os.environ)\n"
        "import svclevel\n"
        "assert dict(os.environ) == before, set(os.environ) ^ set(before)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'yaml', 'typer', 'rich', 'jinja2')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


def test_the_readme_one_liner_prints_the_level() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import svclevel; print(svclevel.assess('examples/harbor-lane-shop.yaml').level.name)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert out.stdout == "Exceed expectations\n"


def test_assess_a_file_names_the_level_and_the_gaps() -> None:
    result = svclevel.assess(HARBOR)
    assert result.rubric_id == "four-level"
    assert result.attained == 2
    assert result.level is not None
    assert result.level.name == "Exceed expectations"
    assert result.next_level is not None
    assert result.next_level.name == "Delight customers"
    assert "customers_feel_valued" in [c.question_id for c in result.gaps]


def test_the_rubric_argument_overrides_the_files_own() -> None:
    assert svclevel.assess(HARBOR, "three-tier").rubric_id == "three-tier"
    assert svclevel.assess(HARBOR, svclevel.load_rubric("three-rung")).rubric_id == "three-rung"


def test_assess_data_given_as_a_mapping() -> None:
    result = svclevel.assess(
        {
            "company": "Notebook Ltd",
            "date": datetime.date(2026, 11, 1),
            "answers": {"promises_kept": "always", "expectations_known": "yes"},
        },
        "four-level",
    )
    assert result.company == "Notebook Ltd"
    assert "documented_processes" in result.unanswered


def test_invalid_data_raises_input_error_with_every_problem() -> None:
    with pytest.raises(svclevel.InputError) as caught:
        svclevel.assess(
            {"company": "X", "date": "2026-11-01", "answers": {"promises_kept": "often"}},
            "four-level",
        )
    [problem] = caught.value.problems
    assert problem.path == "answers.promises_kept"
    assert "expected one of never, rarely, sometimes, usually, always" in problem.message


def test_a_file_without_a_rubric_needs_one() -> None:
    with pytest.raises(svclevel.InputError, match="no rubric chosen"):
        svclevel.assess({"company": "X", "date": "2026-11-01", "answers": {}})
    assert svclevel.assess({"company": "X", "date": "2026-11-01"}, default_rubric="four-tier")


def test_unknown_rubric_is_a_usage_error() -> None:
    with pytest.raises(svclevel.UsageError, match="did you mean 'four-level'"):
        svclevel.load_rubric("four-levle")


def test_assess_many_reads_a_folder_and_keeps_going_past_problems() -> None:
    outcomes = list(svclevel.assess_many(EXAMPLES))
    levels = {o.file.rsplit("/", 1)[-1]: o.assessment.attained for o in outcomes if o.assessment}
    assert levels["harbor-lane-shop.yaml"] == 2
    # the custom rubric and the measurement file are skipped
    assert len(outcomes) == len(WALKED_EXAMPLES)


def test_compare_crosswalk_and_diff() -> None:
    comparison = svclevel.compare(HARBOR)
    assert [p.assessment.rubric_id for p in comparison.positions] == list(
        svclevel.builtin_rubrics()
    )
    walk = svclevel.crosswalk(["four-level", "three-tier"])
    assert walk.reference.rubric.id == "four-level"
    change = svclevel.diff(ROOT / "tests/golden/inputs/harbor-lane-before.yaml", HARBOR)
    [rubric] = change.rubrics
    assert rubric.before.rubric_id == "four-level"


def test_dir_lists_the_public_names() -> None:
    assert {"assess", "assess_many", "compare", "crosswalk", "diff", "load_rubric"} <= set(
        dir(svclevel)
    )
    with pytest.raises(AttributeError):
        _ = svclevel.nothing_here


def test_one_rubric_may_be_named_by_a_plain_string() -> None:
    [position] = svclevel.compare(HARBOR, "three-tier").positions
    assert position.assessment.rubric_id == "three-tier"
    assert svclevel.crosswalk("four-level").reference.rubric.id == "four-level"


def test_comparison_crosswalk_and_diff_have_to_dict_with_values_and_thresholds(
    tmp_path: Path,
) -> None:
    record = svclevel.compare(HARBOR).to_dict()
    deciding = record["disagreements"][0]["deciding"][0]
    assert {"answer", "value", "needed", "threshold"} <= set(deciding)
    assert deciding["threshold"]["type"] in ("yes_no", "scale", "number")
    assert svclevel.crosswalk(["four-level", "three-tier"]).to_dict()["reference"] == "four-level"
    later = tmp_path / "harbor-later.yaml"  # promises slip from always (96 %) to usually
    later.write_text(
        HARBOR.read_text(encoding="utf-8").replace("value: always", "value: usually", 1),
        encoding="utf-8",
    )
    change = svclevel.diff(ROOT / "tests/golden/inputs/harbor-lane-before.yaml", later).to_dict()
    [rubric] = change["rubrics"]
    regressed = {c["question_id"]: c for c in rubric["regressed"]}
    assert regressed["promises_kept"]["value_before"] == "always"
    assert regressed["promises_kept"]["value_after"] == "usually"
    assert regressed["promises_kept"]["threshold"] == {"type": "scale", "at_least": "always"}


def test_a_file_compared_on_a_custom_rubric_may_answer_its_own_questions(
    tmp_path: Path,
) -> None:
    # The retail rubric adds a question the built-in ladder does not know; comparing on both
    # (or diffing on both) must accept its answer, not call it an unknown question.
    custom = EXAMPLES / "rubrics" / "retail-four-level.yaml"
    text = HARBOR.read_text(encoding="utf-8") + "  returns_hassle_free: yes\n"
    answers = tmp_path / "harbor.yaml"
    answers.write_text(text, encoding="utf-8")
    comparison = svclevel.compare(answers, ["four-level", custom])
    assert [p.assessment.rubric_id for p in comparison.positions] == [
        "four-level",
        "retail-four-level",
    ]
    assert svclevel.diff(answers, answers, ["four-level", custom]).rubrics


def test_a_rubric_given_as_answers_is_refused_naming_the_file() -> None:
    with pytest.raises(svclevel.InputError) as caught:
        svclevel.assess(ROOT / "rubrics" / "four-level.yaml")
    [problem] = caught.value.problems
    assert problem.file.endswith("four-level.yaml")
    assert "this is a rubric, not an answers file" in problem.message
