"""svclevel validate (errors, lints, self-tests) and the JSON Schemas of svclevel's files."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.helpers import DATA, EXAMPLES, ROOT, WALKED_EXAMPLES, run_cli

SLOPPY = DATA / "lint" / "sloppy-rubric.yaml"


def test_built_in_rubrics_examples_and_bank_validate_cleanly() -> None:
    result = run_cli("validate", str(ROOT / "rubrics"), str(EXAMPLES))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    # the rubrics and bank, the examples, their two rubrics, measurement and exceptions files,
    # and the four interviews (validated like any answers file, though a walk does not assess
    # them)
    files = len(list((ROOT / "rubrics").glob("*.yaml"))) + len(WALKED_EXAMPLES) + 4 + 4
    assert result.stderr == f"{files} files checked: 0 errors, 0 warnings\n"


def test_built_in_rubrics_carry_self_tests() -> None:
    for path in (ROOT / "rubrics").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "levels" in data:
            assert len(data["self_tests"]) >= 3, path.name


def test_lints_and_self_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SLOPPY.parent)
    result = run_cli("validate", SLOPPY.name)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "sloppy-rubric.yaml:32:5: self_tests[1]: self-test 'wrongly expected at the top' "
        "expected level 'two', but the rubric gives level 'one': level 'two' is not met: "
        "loyalty_rewards is unanswered",
        "sloppy-rubric.yaml:36:31: self_tests[2].answers.has_phone_line: expected yes or no, "
        "got 'perhaps'",
        "sloppy-rubric.yaml:10:10: questions[1].id: warning: question 'never_asked' is never used",
        "sloppy-rubric.yaml:17:9: levels[0].criteria[1]: warning: criterion on "
        "'complaint_frequency' can never fail: every answer meets it",
        "sloppy-rubric.yaml:23:5: levels[1]: warning: level 'two' has no advice for reaching it",
    ]
    assert result.stderr == "1 file checked: 2 errors, 3 warnings\n"


RETAIL = EXAMPLES / "rubrics" / "retail-four-level.yaml"


def _retail_expecting(tmp_path: Path, levels: list[str]) -> Path:
    """The shipped extending rubric, its self-tests expecting ``levels`` (YAML scalars)."""
    lines = RETAIL.read_text().splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.startswith("    level: ")]
    assert len(at) == len(levels)
    for i, level in zip(at, levels, strict=True):
        lines[i] = f"    level: {level}\n"
    path = tmp_path / "retail.yaml"
    path.write_text("".join(lines))
    return path


def test_a_failed_self_test_is_located_at_it_and_names_the_deciding_criteria(
    tmp_path: Path,
) -> None:
    """In a rubric that extends another: at the self-test's own line, not at ``extends:``;
    a level too low names what was not met, a level too high what was met."""
    path = _retail_expecting(tmp_path, ["exceed", "null"])
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    lines = path.read_text().splitlines()
    first, second = (i + 1 for i, line in enumerate(lines) if line.startswith("  - name: "))
    assert result.stdout.splitlines() == [
        f"{path}:{first}:5: self_tests[0]: self-test 'fast and friendly, but returns are a "
        "hassle' expected level 'exceed', but the rubric places it below the ladder: level "
        "'meet' is not met: returns_hassle_free is no, needs yes (required)",
        f"{path}:{second}:5: self_tests[1]: self-test 'replies in three hours exceed the base "
        "rubric, not this one' expected it below the ladder, but the rubric gives level 'meet': "
        "level 'meet' is met: promises_kept is always, needs always (required); "
        "complaint_frequency is rare, needs rare or better (required); expectations_known "
        "is yes, needs yes (required); documented_processes is yes, needs yes; "
        "returns_hassle_free is yes, needs yes (required)",
    ]


def test_a_self_test_expecting_too_much_names_the_unmet_criterion(tmp_path: Path) -> None:
    path = _retail_expecting(tmp_path, ["null", "delight"])
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    assert result.stdout.endswith(
        "expected level 'delight', but the rubric gives level 'meet': level 'exceed' is not "
        "met: first_response_hours is 3 hours, needs ≤ 2 hours (required)\n"
    )


def test_warnings_alone_exit_1(tmp_path: Path) -> None:
    text = SLOPPY.read_text().split("self_tests:")[0]
    path = tmp_path / "sloppy.yaml"
    path.write_text(text)
    result = run_cli("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.endswith("0 errors, 3 warnings\n")


def test_unreachable_level_is_flagged(tmp_path: Path) -> None:
    """Validation rejects contradictory conditions, so a valid file cannot hold an unreachable
    level; the lint is the safety net behind it, shown here on a rubric built past validation
    (a response time of at most -1 hours)."""
    from svclevel.author.lint import lint_rubric
    from svclevel.load.rubrics import load_rubric
    from svclevel.load.yamlfile import load_yaml_file

    mini = DATA / "valid" / "mini-rubric.yaml"
    loaded = load_rubric(str(mini))
    broken_level = loaded.rubric.levels[2].model_copy(
        update={
            "pass_mark": 1.0,
            "criteria": (
                loaded.rubric.levels[2]
                .criteria[0]
                .model_copy(update={"question": "first_response_hours", "at_most": -1.0}),
            ),
        }
    )
    rubric = loaded.rubric.model_copy(update={"levels": (*loaded.rubric.levels[:2], broken_level)})
    broken = type(loaded)(rubric=rubric, questions=loaded.questions, origin="test")
    findings = lint_rubric(load_yaml_file(mini), broken)
    assert "level 'three' can never be reached: even the best answers miss it" in [
        f.message for f in findings
    ]


def test_validate_detects_answers_files_and_reports_all_errors(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text("company: Acme\ndate: 2026-01-01\nanswers:\n  nps: 500\n  csat_pct: x\n")
    result = run_cli("validate", str(path), "--rubric", "four-level")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}:4:8: answers.nps: must be ≤ 100 points, got 500",
        f"{path}:5:13: answers.csat_pct: expected a number from 0 to 100 %, got 'x'",
    ]


def test_validate_refuses_unknown_kinds(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("name: something else\n")
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    assert "cannot tell what this file is" in result.stdout


# ---------------------------------------------------------------- schemas


def _schema(name: str, *extra: str) -> dict[str, Any]:
    result = run_cli("schema", name, *extra)
    assert result.exit_code == 0, result.stderr
    schema: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _as_editor_sees_it(data: Any) -> Any:
    """YAML dates are plain strings to a JSON Schema validator in an editor."""
    if isinstance(data, dict):
        return {k: _as_editor_sees_it(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_editor_sees_it(v) for v in data]
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


@pytest.mark.parametrize("name", ["answers", "rubric", "result", "compare", "diff"])
def test_every_schema_is_valid_against_the_metaschema(name: str) -> None:
    _schema(name)


def test_shipped_rubrics_validate_against_the_rubric_schema() -> None:
    validator = jsonschema.Draft202012Validator(_schema("rubric"))
    for path in (ROOT / "rubrics").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "levels" in data:
            validator.validate(_as_editor_sees_it(data))
    validator.validate(
        _as_editor_sees_it(yaml.safe_load((DATA / "valid" / "mini-rubric.yaml").read_text()))
    )


def test_examples_validate_against_the_answers_schema() -> None:
    validator = jsonschema.Draft202012Validator(_schema("answers"))
    for path in EXAMPLES.glob("*.yaml"):
        validator.validate(_as_editor_sees_it(yaml.safe_load(path.read_text(encoding="utf-8"))))


def test_answers_schema_rejects_what_svclevel_rejects() -> None:
    validator = jsonschema.Draft202012Validator(_schema("answers"))
    base = {"company": "X", "date": "2026-01-01"}
    na = {"value": "n/a", "justification": "We run no satisfaction survey."}
    assert validator.is_valid({**base, "answers": {"nps": 10, "csat_pct": na}})
    # n/a needs a justification, and a justification belongs only to an n/a
    assert not validator.is_valid({**base, "answers": {"csat_pct": "n/a"}})
    assert not validator.is_valid({**base, "answers": {"csat_pct": {"value": "n/a"}}})
    assert not validator.is_valid(
        {**base, "answers": {"csat_pct": {"value": 80, "justification": "x"}}}
    )
    assert not validator.is_valid({**base, "answers": {"nps": 500}})
    assert not validator.is_valid({**base, "answers": {"promises_kept": "sometime"}})
    assert not validator.is_valid({**base, "answers": {"unknown_question": True}})
    assert not validator.is_valid({**base, "answers": {"nps": {"value": 1, "evidense": "x"}}})


def test_answers_schema_of_a_custom_rubric_allows_its_questions() -> None:
    schema = _schema("answers", "--rubric", str(DATA / "valid" / "mini-rubric.yaml"))
    assert "has_phone_line" in schema["properties"]["answers"]["anyOf"][0]["properties"]
