"""svclevel diff: progress between two assessments, in every output format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml
from markdown_it import MarkdownIt

from svclevel import __version__
from svclevel.report import Format
from svclevel.report.json_records import SCHEMA_VERSION
from tests.conftest import WriteAnswers
from tests.helpers import EXAMPLES, run_cli

HARBOR = str(EXAMPLES / "harbor-lane-shop.yaml")  # Exceed; customers feel valued "sometimes"


@pytest.fixture
def before(write_answers: WriteAnswers) -> Path:
    return write_answers(
        {
            "promises_kept": "always",
            "expectations_known": True,
            "documented_processes": True,
            "complaint_frequency": "rare",
            "friendly_staff": "usually",
            "first_response_hours": 6,
            "follow_up_after_sale": "usually",
            "differentiator": True,
            "surprise_gestures": "sometimes",
            "customers_feel_valued": "usually",
        },
        company="Harbor Lane Kitchen Supply",
        date="2026-04-02",
        rubric="four-level",
    )


def test_text_diff(before: Path) -> None:
    result = run_cli("diff", str(before), HARBOR)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "four-level: Meet expectations → Exceed expectations (up 1)" in lines
    assert "  + newly met: first_response_hours (exceed): 6 hours → 3 hours" in lines
    assert (
        "  - regressed: customers_feel_valued (delight): usually → sometimes, needed usually or "
        "better" in lines
    )
    assert "  friendly_staff: usually → always" in lines
    assert "  nps: — → 41 points" in lines


def test_json_diff(before: Path) -> None:
    record = json.loads(run_cli("diff", str(before), HARBOR, "-f", "json").stdout)
    (rubric,) = record["rubrics"]
    assert rubric["level_change"] == 1
    assert [c["question_id"] for c in rubric["regressed"]] == ["customers_feel_valued"]
    assert [c["question_id"] for c in rubric["newly_met"]] == ["first_response_hours"]
    assert {"question_id": "friendly_staff", "before": "usually", "after": "always"} in record[
        "answers_changed"
    ]


@pytest.mark.parametrize("rubrics", [(), ("four-level", "three-rung", "four-tier")])
def test_json_diff_validates_against_svclevel_schema_diff(
    before: Path, rubrics: tuple[str, ...]
) -> None:
    schema = json.loads(run_cli("schema", "diff").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    args = [x for r in rubrics for x in ("-r", r)]
    record = json.loads(run_cli("diff", str(before), HARBOR, *args, "-f", "json").stdout)
    jsonschema.Draft202012Validator(schema).validate(record)
    # the envelope of every record svclevel writes
    assert record["schema_version"] == SCHEMA_VERSION
    assert record["kind"] == "diff"
    assert record["tool"] == {"name": "svclevel", "version": __version__}


def test_diff_schema_rejects_a_record_of_another_kind(before: Path) -> None:
    schema = json.loads(run_cli("schema", "diff").stdout)
    record = json.loads(run_cli("assess", HARBOR, "-f", "json").stdout)
    assert not jsonschema.Draft202012Validator(schema).is_valid(record)


def test_diff_on_several_rubrics(before: Path) -> None:
    record = json.loads(
        run_cli(
            "diff", str(before), HARBOR, "-r", "four-level", "-r", "three-rung", "-f", "json"
        ).stdout
    )
    assert [r["rubric"] for r in record["rubrics"]] == ["four-level", "three-rung"]


def test_every_format(before: Path, tmp_path: Path) -> None:
    for fmt in Format:
        result = run_cli("diff", str(before), HARBOR, "-f", fmt.value)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert result.stdout
    html = (
        MarkdownIt("commonmark")
        .enable("table")
        .render(run_cli("diff", str(before), HARBOR, "-f", "markdown").stdout)
    )
    assert "<td>Meet expectations</td>" in html
    assert "<strong>customers_feel_valued</strong> regressed" in html
    rows = list(
        csv.DictReader(io.StringIO(run_cli("diff", str(before), HARBOR, "-f", "csv").stdout))
    )
    assert (rows[0]["before"], rows[0]["after"], rows[0]["level_change"]) == (
        "Meet expectations",
        "Exceed expectations",
        "1",
    )
    target = tmp_path / "diff.xml"
    run_cli("diff", str(before), HARBOR, "--report", f"junit={target}")
    (suite,) = list(JUnitXml.fromfile(str(target)))
    failed = [case.name for case in suite if any(isinstance(r, Failure) for r in case.result)]
    assert failed == ["customers_feel_valued"]
    github = run_cli("diff", str(before), HARBOR, "-f", "github").stdout.splitlines()
    line = next(
        n
        for n, text in enumerate(Path(HARBOR).read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("  customers_feel_valued:")
    )
    assert github[0].startswith(f"::warning file={HARBOR},line={line},title=svclevel four-level%3A")
    assert github[-1].startswith("::notice ")


def test_diff_of_a_broken_file_is_bad_input(before: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: X\ndate: 2026-01-01\nanswers:\n  nps: 900\n")
    result = run_cli("diff", str(before), str(broken), "-r", "four-level")
    assert result.exit_code == 2
    assert result.stderr == f"{broken}:4:8: answers.nps: must be ≤ 100 points, got 900\n"


def test_csv_shows_a_drop_as_a_number(before: Path) -> None:
    """Numbers are not text: a level change of -1 is not a formula to neutralise."""
    result = run_cli("diff", HARBOR, str(before), "-f", "csv")
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["level_change"] == "-1"
