"""Assessing on data: an answers file names its measurement files; number questions left
unanswered take the measured figures, and every format says which answers are measured and
which typed answers disagree with their measurement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.helpers import EXAMPLES, run_cli
from tests.measure.reference import reference

Q3 = EXAMPLES / "harbor-lane-q3.yaml"
MEASURED = EXAMPLES / "measured" / "harbor-lane-q3.yaml"


def _criteria(record: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {c["question_id"]: c for lv in record["levels"] for c in lv["criteria"]}


@pytest.mark.parametrize("rubric", ["four-level", "four-tier", "three-rung", "three-tier"])
def test_the_number_criteria_are_measured_with_the_independent_figures(rubric: str) -> None:
    run = run_cli("assess", str(Q3), "--rubric", rubric, "-f", "json")
    assert run.exit_code in (0, 1), run.stderr
    record = json.loads(run.stdout)
    expected = reference(EXAMPLES / "exports")
    numbers = {
        qid: c
        for qid, c in _criteria(record).items()
        if qid in expected and qid not in {"period", "tz"}
    }
    assert numbers, f"{rubric} uses none of the measured questions"
    for qid, c in numbers.items():
        assert c["origin"] == "measured", qid
        assert c["value"] == expected[qid]["value"], qid
        assert c["measurement"]["n"] == expected[qid]["n"], qid
        assert c["evidence"].startswith("Measured by svclevel from"), qid
    others = [c for qid, c in _criteria(record).items() if qid not in numbers and c["value"]]
    assert {c["origin"] for c in others} == {"self-reported"}
    assert record["measurements"]["files"] == ["measured/harbor-lane-q3.yaml"]
    assert record["measurements"]["notes"] == []


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "88.1 % (measured)"),
        ("markdown", "Measured from measured/harbor\\-lane\\-q3\\.yaml"),
        ("html", "Measured from harbor-lane-q3.yaml: first_response_hours 3.28 hours"),
        ("junit", '<property name="origin" value="measured" />'),
        ("csv", "first_response_hours csat_pct"),
        ("summary", "2 measured"),
    ],
)
def test_every_format_marks_the_measured_answers(fmt: str, expected: str) -> None:
    run = run_cli("assess", str(Q3), "-f", fmt)
    assert run.exit_code == 0, run.stderr
    assert expected in run.stdout


def _copy(tmp_path: Path, **answers: object) -> Path:
    folder = tmp_path / "audit"
    (folder / "measured").mkdir(parents=True)
    shutil.copy(MEASURED, folder / "measured" / MEASURED.name)
    data = yaml.safe_load(Q3.read_text(encoding="utf-8"))
    data["answers"].update(answers)
    path = folder / "q3.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


FORMATS_WITH_WARNING = {
    "text": "Warning: csat_pct: the answer 95 % differs from the measured 88.1 %",
    "rich": "csat_pct: the answer 95 % differs from the measured 88.1 %",
    "markdown": "csat\\_pct: the answer 95 % differs from the measured 88\\.1 %",
    "html": "Warning: csat_pct: the answer 95 % differs from the measured 88.1 %",
    "junit": 'name="measurement warning" value="csat_pct: the answer 95 % differs',
    "github": "::warning file=",
    "json": '"kind": "differs"',
}


@pytest.mark.parametrize("fmt", sorted(FORMATS_WITH_WARNING))
def test_a_typed_answer_that_differs_is_a_warning_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = _copy(tmp_path, csat_pct={"value": 95, "evidence": "Survey, Q3."})
    run = run_cli("assess", str(path), "-f", fmt)
    assert run.exit_code == 0, run.stderr
    assert FORMATS_WITH_WARNING[fmt] in run.stdout


def test_the_typed_answer_is_kept_and_marked_self_reported(tmp_path: Path) -> None:
    path = _copy(tmp_path, csat_pct={"value": 95, "evidence": "Survey, Q3."})
    record = json.loads(run_cli("assess", str(path), "-f", "json").stdout)
    csat = _criteria(record)["csat_pct"]
    assert csat["value"] == 95
    assert csat["origin"] == "self-reported"
    assert csat["measurement"]["value"] == 88.1


def test_strict_measured_fails_the_run_on_a_difference(tmp_path: Path) -> None:
    path = _copy(tmp_path, csat_pct={"value": 95, "evidence": "Survey, Q3."})
    run = run_cli("assess", str(path), "--strict-measured", "-f", "summary")
    assert run.exit_code == 1
    said = run.stdout + run.stderr
    assert "answer(s) differ from their measurement (--strict-measured): csat_pct" in said


def test_an_answer_within_the_tolerance_agrees(tmp_path: Path) -> None:
    path = _copy(
        tmp_path,
        csat_pct={"value": 88, "evidence": "Survey, Q3."},
        first_response_hours={"value": 3, "evidence": "Zendesk, Q3."},
    )
    run = run_cli("assess", str(path), "--strict-measured", "-f", "json")
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["measurements"]["notes"] == []


def test_a_measurement_file_outside_the_allowed_folders_is_refused(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["measurements"] = ["/etc/passwd"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    run = run_cli("assess", str(path))
    assert run.exit_code == 2
    assert f"{path}:" in run.stderr
    assert "/etc/passwd is outside the folders svclevel reads from" in run.stderr
    assert "--measurements" in run.stderr


def test_a_broken_measurement_file_is_located(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    measured = path.parent / "measured" / MEASURED.name
    text = measured.read_text(encoding="utf-8").replace("  n: 604\n", "  n: many\n")
    measured.write_text(text, encoding="utf-8")
    run = run_cli("assess", str(path))
    assert run.exit_code == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t == "  n: many")
    assert f"measured/harbor-lane-q3.yaml:{line}:" in run.stderr
    assert "csat_pct.n" in run.stderr


def test_measurements_on_the_command_line(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["measurements"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    plain = json.loads(run_cli("assess", str(path), "-f", "json").stdout)
    assert _criteria(plain)["csat_pct"]["origin"] is None
    run = run_cli("assess", str(path), "--measurements", str(MEASURED), "-f", "json")
    assert _criteria(json.loads(run.stdout))["csat_pct"]["origin"] == "measured"
    both = run_cli(
        "assess",
        str(path),
        str(EXAMPLES / "harbor-lane-shop.yaml"),
        "--measurements",
        str(MEASURED),
    )
    assert both.exit_code == 2
    assert "--measurements applies to one answers file" in both.stderr


def test_a_period_that_does_not_match_is_said(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["period"] = {"from": "2026-04-01", "to": "2026-09-30"}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    run = run_cli("assess", str(path), "-f", "text")
    assert (
        "measured/harbor-lane-q3.yaml measures 2026-07-01 to 2026-09-30, and the answers' "
        "period is 2026-04-01 to 2026-09-30" in " ".join(run.stdout.split())
    )


def test_the_api_assesses_on_data_too() -> None:
    import svclevel

    a = svclevel.assess(Q3)
    assert "csat_pct" in a.measured
    csat = next(c for lv in a.levels for c in lv.criteria if c.question_id == "csat_pct")
    assert csat.origin == "measured"
    assert csat.value == 88.1


def test_measurements_on_the_command_line_replace_those_the_file_names(tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    exports = sorted(str(p) for p in (EXAMPLES / "exports").iterdir())
    assert run_cli("measure", *exports, "-o", str(out)).exit_code == 0
    run = run_cli("assess", str(Q3), "--measurements", str(out), "-f", "json")
    assert run.exit_code == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["measurements"]["files"] == [str(out)]
    assert _criteria(record)["csat_pct"]["value"] == 88.1
