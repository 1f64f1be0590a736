"""A setting read from a configuration file is reported at file:line, in svclevel's words; one
from the environment or a flag by its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, run_cli

HARBOR = str(EXAMPLES / "harbor-lane-shop.yaml")
NO_LEVEL = (
    "exceeed: no such level in rubric four-level; did you mean 'exceed'? (levels: meet, exceed, "
    "delight, amaze, or a number from 0 to 4)"
    # a plain level is checked against each file's rubric: the report itself stays whole
    f" (assessing {HARBOR}, on four-level)\n"
)


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SVCLEVEL_RUBRIC", "SVCLEVEL_FAIL_BELOW", "SVCLEVEL_FORMAT"):
        monkeypatch.delenv(name, raising=False)


def test_fail_below_typo_in_pyproject_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nfail_below = "not ours"\n\n'
        '[tool.svclevel]  # audit settings\nrubric = "four-level"\nfail_below = "exceeed"\n'
    )
    result = run_cli("assess", HARBOR, "-f", "json")
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'pyproject.toml'}:7: fail_below = {NO_LEVEL}"


def test_fail_below_typo_in_svclevel_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / ".svclevel.yaml").write_text("rubric: four-level\n\nfail_below: exceeed\n")
    result = run_cli("assess", HARBOR, "-f", "json")
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / '.svclevel.yaml'}:3: fail_below: {NO_LEVEL}"


def test_fail_below_typo_in_the_environment_is_named_by_its_variable() -> None:
    result = run_cli("assess", HARBOR, "-f", "json", env={"SVCLEVEL_FAIL_BELOW": "exceeed"})
    assert result.exit_code == 2
    assert result.stderr == f"SVCLEVEL_FAIL_BELOW {NO_LEVEL}"


def test_fail_below_typo_on_the_command_line_is_named_by_its_flag() -> None:
    result = run_cli("assess", HARBOR, "-f", "json", "--fail-below", "exceeed")
    assert result.exit_code == 2
    assert result.stderr == f"--fail-below {NO_LEVEL}"


def test_compare_reports_a_file_threshold_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.svclevel]\nfail_below = "exceeed"\n')
    result = run_cli("compare", HARBOR, "-f", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{tmp_path / 'pyproject.toml'}:2: fail_below = exceeed: no compared rubric has that level"
    )


def test_pyproject_problems_are_reported_at_their_lines_in_svclevels_words(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.svclevel]\nrubric_dirs = "x"\nfail_belwo = 2\nformat = "docx"\n')
    result = run_cli("assess", HARBOR)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f"{path}:2: tool.svclevel.rubric_dirs: expected a list, got 'x'",
        f"{path}:3: tool.svclevel.fail_belwo: unknown key 'fail_belwo'; did you mean "
        "'fail_below'? (allowed: exceptions, fail_below, format, max_exception_days, report, "
        "rubric, rubric_dirs)",
    ]
    assert lines[2].startswith(f"{path}:4: tool.svclevel.format: expected 'rich', ")
    assert lines[2].endswith(", got 'docx'")
    assert len(lines) == 3
