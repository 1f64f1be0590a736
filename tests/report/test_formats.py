"""Every output format, checked by a real consumer: jsonschema, markdown-it-py, junitparser, csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from junitparser import Error, Failure, JUnitXml, Skipped
from markdown_it import MarkdownIt

from svclevel.models import Question
from svclevel.report import Format
from svclevel.report.json_schema import result_schema
from tests.conftest import WriteAnswers
from tests.helpers import DATA, EXAMPLES, WALKED_EXAMPLES, best_value, run_cli

MINI = str(DATA / "valid" / "mini-rubric.yaml")
JUSTIFIED_NA = {"value": "n/a", "justification": "No survey is run."}

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
HARBOR = str(EXAMPLES / "harbor-lane-shop.yaml")
HOSTILE_COMPANY = '*Evil* | <script>alert(1)</script> =HYPERLINK("x") & [link](javascript:x)'


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_format_is_tested_here() -> None:
    """Adding a format without a test here fails."""
    tested = {"rich", "text", "json", "markdown", "junit", "csv", "github", "html", "pdf"}
    tested.add("summary")
    assert {f.value for f in Format} == tested


def test_every_format_renders_every_example() -> None:
    for fmt in Format:
        for path in EXAMPLE_FILES:
            result = run_cli("assess", str(path), "-f", fmt.value)
            assert result.exit_code == 0, (fmt, path, result.stderr)
            assert result.stdout


# ---------------------------------------------------------------- json


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_json_validates_against_the_shipped_schema(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    result = run_cli("assess", str(path), "-f", "json")
    record = json.loads(result.stdout)
    validator.validate(record)
    assert record["schema_version"] == 2
    assert record["kind"] == "assessment"
    assert record["tool"]["name"] == "svclevel"


def test_json_content() -> None:
    record = json.loads(run_cli("assess", HARBOR, "-f", "json").stdout)
    assert record["rubric"]["id"] == "four-level"
    assert record["company"] == "Harbor Lane Kitchen Supply"
    assert record["date"] == "2026-10-02"
    assert record["level"] == {"index": 2, "id": "exceed", "name": "Exceed expectations"}
    assert record["next_level"]["id"] == "delight"
    assert [lv["counted"] for lv in record["levels"]] == [True, True, False, False]
    assert [g["question_id"] for g in record["gaps"]][:2] == [
        "customers_feel_valued",  # required first
        "csat_pct",
    ]
    assert record["gaps"][0]["line"] == _line_of_answer("customers_feel_valued")
    assert [step["level"]["id"] for step in record["roadmap"]] == ["delight", "amaze"]


def _line_of_answer(question_id: str) -> int:
    """The line of an answer in the Harbor Lane example."""
    return next(
        n
        for n, text in enumerate(Path(HARBOR).read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith(f"  {question_id}:")
    )


def _criterion(record: dict[str, Any], level: int, question_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        c for c in record["levels"][level]["criteria"] if c["question_id"] == question_id
    )
    return found


def test_json_gives_answers_and_thresholds_as_data_beside_the_words() -> None:
    record = json.loads(run_cli("assess", HARBOR, "-f", "json").stdout)
    pairs = {
        qid: {k: c[k] for k in ("answer", "value", "needed", "threshold", "status")}
        for qid, c in (
            (qid, _criterion(record, level, qid))
            for level, qid in (
                (2, "csat_pct"),
                (1, "first_response_hours"),
                (1, "friendly_staff"),
                (2, "expectations_documented"),
            )
        )
    }
    assert pairs == {
        "csat_pct": {
            "answer": "88 %",
            "value": 88,
            "needed": "≥ 90 %",
            "threshold": {"type": "number", "at_least": 90, "unit": "%"},
            "status": "unmet",
        },
        "first_response_hours": {
            "answer": "3 hours",
            "value": 3,
            "needed": "≤ 4 hours",
            "threshold": {"type": "number", "at_most": 4, "unit": "hours"},
            "status": "met",
        },
        "friendly_staff": {
            "answer": "always",
            "value": "always",
            "needed": "usually or better",
            "threshold": {"type": "scale", "at_least": "usually"},
            "status": "met",
        },
        "expectations_documented": {
            "answer": "no",
            "value": False,
            "needed": "yes",
            "threshold": {"type": "yes_no", "equals": True},
            "status": "unmet",
        },
    }


def test_json_value_is_null_for_unanswered_and_na(
    write_answers: WriteAnswers, validator: jsonschema.Draft202012Validator
) -> None:
    path = write_answers({"csat_pct": JUSTIFIED_NA, "first_response_hours": 2.5})
    record = json.loads(run_cli("assess", str(path), "-r", MINI, "-f", "json").stdout)
    validator.validate(record)
    na = _criterion(record, 1, "csat_pct")
    assert (na["status"], na["answer"], na["value"]) == ("n/a", "n/a", None)
    assert na["justification"] == "No survey is run."
    blank = _criterion(record, 0, "promises_kept")
    assert (blank["status"], blank["answer"], blank["value"]) == ("unanswered", "—", None)
    assert _criterion(record, 0, "first_response_hours")["value"] == 2.5


def test_the_result_schema_requires_value_and_threshold(
    validator: jsonschema.Draft202012Validator,
) -> None:
    record = json.loads(run_cli("assess", HARBOR, "-f", "json").stdout)
    criterion = record["levels"][0]["criteria"][0]
    for broken in (
        {k: v for k, v in criterion.items() if k != "value"},
        {k: v for k, v in criterion.items() if k != "threshold"},
        {**criterion, "threshold": {"at_least": "usually"}},
        {**criterion, "threshold": {"type": "number", "at_least": 90}},
    ):
        record["levels"][0]["criteria"][0] = broken
        assert not validator.is_valid(record), broken


def test_json_is_byte_identical_across_runs() -> None:
    first = run_cli("assess", HARBOR, "-f", "json").stdout
    second = run_cli("assess", HARBOR, "-f", "json").stdout
    assert first == second
    assert "generated" not in first  # no timestamps


def test_schema_command_prints_the_schema() -> None:
    result = run_cli("schema", "result")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == result_schema()


def test_json_lines_file_report_is_stdout_byte_for_byte(tmp_path: Path) -> None:
    # Records are written as UTF-8 bytes, between text (an error record) in the same stream.
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: X\ndate: 2026-01-01\nrubric: four-level\nanswers:\n  nps: 500\n")
    out = tmp_path / "out.jsonl"
    result = run_cli("assess", str(EXAMPLES), str(broken), "-f", "json", "--report", f"json={out}")
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == result.stdout
    assert '"needed":"≥ ' in result.stdout  # non-ASCII text is written as it is
    assert [json.loads(line)["kind"] for line in result.stdout.splitlines()] == [
        *["assessment"] * len(WALKED_EXAMPLES),
        "error",
    ]


def test_json_lines_for_a_batch_with_an_error_record(
    tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: X\ndate: 2026-01-01\nrubric: four-level\nanswers:\n  nps: 500\n")
    result = run_cli("assess", str(EXAMPLES), str(broken), "-f", "json")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == len(WALKED_EXAMPLES) + 1
    records = [json.loads(line) for line in lines]
    for record in records:
        validator.validate(record)
    errors = [r for r in records if r["kind"] == "error"]
    assert errors == [
        {
            "schema_version": 2,
            "kind": "error",
            "tool": records[0]["tool"],
            "file": str(broken),
            "problems": [
                {
                    "file": str(broken),
                    "line": 5,
                    "column": 8,
                    "path": "answers.nps",
                    "message": "must be ≤ 100 points, got 500",
                }
            ],
        }
    ]


# ---------------------------------------------------------------- markdown


def _html(markdown: str) -> str:
    html: str = MarkdownIt("commonmark").enable("table").render(markdown)
    return html


def test_markdown_renders_the_verdict_ladder_and_gap_checklist() -> None:
    html = _html(run_cli("assess", HARBOR, "-f", "markdown").stdout)
    assert "<h2>Harbor Lane Kitchen Supply: Four levels of customer service" in html
    assert (
        "<strong>Harbor Lane Kitchen Supply reaches Exceed expectations (level 2 of 4). Evidence "
        "on 2026-10-02: 12 undated.</strong>" in html
    )
    assert "<table>" in html
    assert "<td>Exceed expectations</td>" in html
    assert "<h3>Gaps to Delight customers</h3>" in html
    assert "<li>[ ] <strong>customers_feel_valued</strong> (required): answer sometimes" in html
    assert "Add a question about feeling cared for to your surveys" in html
    assert "<h3>Roadmap to the top</h3>" in html


def test_markdown_escapes_text_from_files(write_answers: WriteAnswers) -> None:
    path = write_answers(
        {"promises_kept": {"value": "never", "evidence": "<img src=x onerror=alert(1)> | `x`"}},
        company=HOSTILE_COMPANY,
        rubric="four-level",
    )
    html = _html(run_cli("assess", str(path), "-f", "markdown").stdout)
    assert "<script>" not in html
    assert "<img" not in html
    assert "<em>Evil</em>" not in html
    assert '<a href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "*Evil* | " in html


def test_markdown_says_which_gate_failed(
    write_answers: WriteAnswers, bank: dict[str, Question]
) -> None:
    """In a job summary stderr is not shown: the report itself says why the run failed."""
    result = run_cli("assess", HARBOR, "-f", "markdown", "--fail-below", "amaze")
    assert result.exit_code == 1
    html = _html(result.stdout)
    assert (
        "<blockquote>\n<p><strong>❌ Below --fail-below:</strong> "
        f"{HARBOR}: Harbor Lane Kitchen Supply is at Exceed expectations on four-level, below "
        "the threshold Amaze customers (level 4)</p>\n</blockquote>"
    ) in html
    before = _harbor_at_delight(write_answers, bank)
    dropped = _html(run_cli("assess", HARBOR, "-f", "markdown", "--baseline", str(before)).stdout)
    assert "<strong>❌ Dropped against --baseline:</strong>" in dropped
    assert "<li>customers_feel_valued (delight): was always, now sometimes;" in dropped
    assert "❌" not in _html(run_cli("assess", HARBOR, "-f", "markdown").stdout)


def test_markdown_batch_ends_with_a_portfolio_summary() -> None:
    html = _html(run_cli("assess", str(EXAMPLES), "-f", "markdown").stdout)
    assert "<h2>Portfolio summary</h2>" in html
    assert html.count("<h2>") == len(WALKED_EXAMPLES) + 1
    assert "<td>Northwind Telecom</td>" in html


# ---------------------------------------------------------------- junit


def _junit(tmp_path: Path, *args: str, code: int | None = None) -> JUnitXml:
    target = tmp_path / "junit.xml"
    result = run_cli("assess", *args, "-f", "text", "--report", f"junit={target}")
    assert result.exit_code in ((0, 2) if code is None else (code,)), result.stderr
    return JUnitXml.fromfile(str(target))


def test_junit_suite_per_company_and_case_per_criterion(tmp_path: Path) -> None:
    xml = _junit(tmp_path, HARBOR)
    (suite,) = list(xml)
    assert suite.name == "Harbor Lane Kitchen Supply · four-level"
    # levels 1 and 2 (attained) and 3 (the next): 4 + 5 + 5 criteria
    assert suite.tests == 14
    assert suite.failures == 4
    failures = {
        case.name.split(":")[0]: case.result[0]
        for case in suite
        if case.result and isinstance(case.result[0], Failure)
    }
    assert set(failures) == {
        "customers_feel_valued",
        "csat_pct",
        "follow_up_after_sale",
        "expectations_documented",
    }
    gap = failures["customers_feel_valued"]
    assert gap.message == "answer sometimes, needed usually or better (required)"
    assert gap.type == "unmet"
    assert "Tip: Add a question about feeling cared for" in (gap.text or "")


def test_junit_a_failed_gate_is_a_failing_case(tmp_path: Path) -> None:
    xml = _junit(tmp_path, HARBOR, "--fail-below", "amaze", code=1)
    company, gates = list(xml)
    assert company.name == "Harbor Lane Kitchen Supply · four-level"
    assert (gates.name, gates.tests, gates.failures) == (f"{HARBOR} · gates", 1, 1)
    (case,) = list(gates)
    assert case.name == "below --fail-below"
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert failure.type == "gate"
    assert failure.message == (
        f"{HARBOR}: Harbor Lane Kitchen Supply is at Exceed expectations on four-level, below "
        "the threshold Amaze customers (level 4)"
    )


def test_junit_batch_with_skips_and_an_invalid_input(
    tmp_path: Path, write_answers: WriteAnswers
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: [\n")
    met = {"promises_kept": "always", "first_response_hours": 2, "has_phone_line": True}
    answers = {**met, "loyalty_rewards": True, "csat_pct": JUSTIFIED_NA, "nps": 20}
    na = write_answers(answers, company="NA Co", rubric=MINI)
    xml = _junit(tmp_path, str(EXAMPLES), str(na), str(broken), "--allow-path", str(DATA))
    assert len(list(xml)) == len(WALKED_EXAMPLES) + 2
    suites = {s.name: s for s in xml}
    skipped = [
        case for case in suites["NA Co · mini"] if any(isinstance(r, Skipped) for r in case.result)
    ]
    assert [case.name.split(":")[0] for case in skipped] == ["csat_pct"]
    assert skipped[0].result[0].message == "answered n/a: No survey is run."
    (case,) = list(suites[str(broken)])
    assert isinstance(case.result[0], Error)
    assert "invalid YAML" in (case.result[0].text or "")


def test_junit_is_well_formed_with_hostile_text(
    tmp_path: Path, write_answers: WriteAnswers
) -> None:
    path = write_answers(
        {"promises_kept": {"value": "never", "evidence": "]]> <x> \x1b[31m & \x00"}},
        company=HOSTILE_COMPANY + "\x07",
        rubric="four-level",
    )
    xml = _junit(tmp_path, str(path))
    (suite,) = list(xml)
    assert suite.name.startswith("*Evil* | <script>")


# ---------------------------------------------------------------- csv


def _rows(text: str) -> list[dict[str, Any]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_row_per_company_and_rubric() -> None:
    rows = _rows(run_cli("assess", str(EXAMPLES), "-f", "csv").stdout)
    assert len(rows) == len(WALKED_EXAMPLES)
    harbor = next(r for r in rows if r["company"] == "Harbor Lane Kitchen Supply")
    assert harbor["rubric"] == "four-level"
    assert harbor["level_index"] == "2"
    assert harbor["level_name"] == "Exceed expectations"
    assert harbor["gaps"] == "4"
    assert harbor["required_gaps"] == "1"
    northwind = next(r for r in rows if r["company"] == "Northwind Telecom")
    assert (northwind["level_index"], northwind["level_name"]) == ("0", "below the ladder")


def test_csv_neutralises_formulas(write_answers: WriteAnswers) -> None:
    for company in ("=HYPERLINK(1)", "+1", "-1+2", "@SUM(A1)"):
        path = write_answers({}, company=company, assessor="=cmd", rubric="four-level")
        (row,) = _rows(run_cli("assess", str(path), "-f", "csv").stdout)
        assert row["company"] == "'" + company
        assert row["assessor"] == "'=cmd"


def test_csv_reports_an_invalid_input_as_a_row(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: X\n")
    result = run_cli("assess", HARBOR, str(broken), "-f", "csv")
    rows = _rows(result.stdout)
    assert [r["status"] for r in rows] == ["assessed", "invalid"]
    assert "date: required key is missing" in rows[1]["error"]
    assert "no rubric chosen" in rows[1]["error"]


# ---------------------------------------------------------------- github


def test_github_annotations_point_at_the_blocking_answers() -> None:
    lines = run_cli("assess", HARBOR, "-f", "github").stdout.splitlines()
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(warnings) == 4
    line = _line_of_answer("customers_feel_valued")
    assert warnings[0].startswith(
        f"::warning file={HARBOR},line={line},title=svclevel four-level%3A blocks Delight "
        "customers::"
        "customers_feel_valued (required): answer sometimes, needed usually or better."
    )
    assert "88 %25" in warnings[1]  # % is escaped
    assert lines[-1] == (
        f"::notice file={HARBOR},title=svclevel four-level::"
        "Harbor Lane Kitchen Supply reaches Exceed expectations (level 2 of 4). Evidence on "
        "2026-10-02: 12 undated."
    )


def test_github_escapes_so_files_cannot_inject_commands(write_answers: WriteAnswers) -> None:
    path = write_answers({}, company="X\n::error::injected", rubric="four-level")
    out = run_cli("assess", str(path), "-f", "github").stdout
    assert "\n::error::injected" not in out
    assert "%0A: :error: :injected" in out  # and no "::" that a line could start with


def test_github_errors_for_invalid_input(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: X\ndate: 2026-01-01\nanswers:\n  nps: 500\n")
    result = run_cli("assess", str(broken), "-f", "github", "-r", "four-level")
    assert result.exit_code == 2
    assert result.stdout == (
        f"::error file={broken},line=4,col=8,title=svclevel%3A invalid input::"
        "answers.nps: must be ≤ 100 points, got 500\n"
    )


def _harbor_at_delight(write_answers: WriteAnswers, bank: dict[str, Question]) -> Path:
    """An earlier answers file of Harbor Lane, from when it had none of its gaps to Delight."""
    earlier = yaml.safe_load(Path(HARBOR).read_text(encoding="utf-8"))
    gaps = json.loads(run_cli("assess", HARBOR, "-f", "json").stdout)["gaps"]
    for gap in gaps:
        earlier["answers"][gap["question_id"]] = best_value(bank[gap["question_id"]])
    return write_answers(earlier["answers"], company=earlier["company"], rubric="four-level")


def test_github_errors_for_a_failed_gate(
    write_answers: WriteAnswers, bank: dict[str, Question]
) -> None:
    result = run_cli("assess", HARBOR, "-f", "github", "--fail-below", "delight")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        f"::error file={HARBOR},title=svclevel%3A below --fail-below::{HARBOR}: Harbor Lane "
        "Kitchen Supply is at Exceed expectations on four-level, below the threshold Delight "
        "customers (level 3)"
    )
    before = _harbor_at_delight(write_answers, bank)
    dropped = run_cli("assess", HARBOR, "-f", "github", "--baseline", str(before))
    assert dropped.exit_code == 1, dropped.stderr
    error = dropped.stdout.splitlines()[-1]
    assert error.startswith(
        f"::error file={HARBOR},title=svclevel%3A dropped against --baseline::{HARBOR}: "
        "Harbor Lane Kitchen Supply dropped on four-level from Delight customers"
    )
    assert "%0A  customers_feel_valued (delight): was always, now sometimes" in error
    # the other formats show it through the exit code and stderr only
    plain = run_cli("assess", HARBOR, "-f", "text", "--baseline", str(before))
    assert plain.stdout == run_cli("assess", HARBOR, "-f", "text").stdout


# ---------------------------------------------------------------- summary


def test_summary_is_one_line_per_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("company: Bad\ndate: 2026-01-01\nrubric: four-level\nanswers: {csat_pct: x}\n")
    alder = str(EXAMPLES / "alder-grove-hotel.yaml")
    northwind = str(EXAMPLES / "northwind-telecom.yaml")
    result = run_cli("assess", alder, HARBOR, northwind, str(bad), "-f", "summary")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{alder}: Alder Grove Hotel — Level 3 of 4 (Delight customers), evidence 14 undated",
        f"{HARBOR}: Harbor Lane Kitchen Supply — Level 2 of 4 (Exceed expectations), evidence 12 "
        "undated",
        f"{northwind}: Northwind Telecom — Level 0 of 4 (below the ladder), evidence 9 undated",
        f"{bad}:4:21: answers.csat_pct: expected a number from 0 to 100 %, got 'x'",
    ]
    assert result.stderr == ""  # said once, on stdout


def test_summary_says_the_gate_on_the_line_and_in_report_files(tmp_path: Path) -> None:
    report = tmp_path / "summary.txt"
    result = run_cli(
        "assess",
        HARBOR,
        "-f",
        "summary",
        "--fail-below",
        "delight",
        "--report",
        f"summary={report}",
    )
    assert result.exit_code == 1
    line = (
        f"{HARBOR}: Harbor Lane Kitchen Supply — Level 2 of 4 (Exceed expectations), evidence 12 "
        "undated, below the gate Level 3 (Delight customers)\n"
    )
    assert result.stdout == line
    assert result.stderr == ""
    assert report.read_text() == line
    passed = run_cli("assess", HARBOR, "-f", "summary", "--fail-below", "four-level=exceed")
    assert passed.exit_code == 0
    assert passed.stdout.endswith("(Exceed expectations), evidence 12 undated\n")
    # on stdout in another format, the summary file leaves stderr as it was
    text = run_cli("assess", HARBOR, "--fail-below", "delight", "--report", f"summary={report}")
    assert "below the threshold Delight customers" in text.stderr


def test_summary_gives_a_drop_against_the_baseline_its_line(
    write_answers: WriteAnswers, bank: dict[str, Question]
) -> None:
    before = _harbor_at_delight(write_answers, bank)
    result = run_cli("assess", HARBOR, "-f", "summary", "--baseline", str(before))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{HARBOR}: Harbor Lane Kitchen Supply — Level 2 of 4 (Exceed expectations), evidence 12 "
        "undated",
        f"{HARBOR}: Harbor Lane Kitchen Supply dropped on four-level from Delight customers "
        f"(2026-11-01) to Exceed expectations (2026-10-02)",
    ]


def test_summary_keeps_hostile_text_on_its_line(write_answers: WriteAnswers) -> None:
    path = write_answers({}, company="Evil\nother.yaml: Fake Co — Level 4 of 4 (Amaze)\x1b[2J")
    result = run_cli("assess", str(path), "-r", "four-level", "-f", "summary")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1
    assert "\x1b" not in result.stdout
    assert result.stdout.startswith(f"{path}: Evil\\nother.yaml: Fake Co")


@pytest.mark.parametrize(
    "command",
    [
        ("compare", HARBOR),
        ("compare",),
    ],
)
def test_summary_refuses_comparisons_which_have_no_single_level(command: tuple[str, ...]) -> None:
    result = run_cli(*command, "-f", "summary")
    assert result.exit_code == 2
    assert "the summary format cannot show" in result.stderr
    assert result.stdout == ""


def test_every_format_is_offered_by_the_help_and_by_report() -> None:
    help_text = run_cli("assess", "--help", env={"COLUMNS": "400"}).stdout
    assert f"Report format on stdout: {', '.join(f.value for f in Format)}." in help_text
    unknown = run_cli("assess", HARBOR, "--report", "bogus=x.txt")
    assert unknown.exit_code == 2
    assert f"(choose from {', '.join(f.value for f in Format)})" in unknown.stderr


def test_schema_models_and_emitted_records_share_one_version() -> None:
    from svclevel.report.json_records import SCHEMA_VERSION
    from svclevel.report.json_schema import schema_version

    assert schema_version() == SCHEMA_VERSION


def test_json_lines_when_stdout_is_a_text_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    # Embedded use: stdout replaced by a StringIO (no binary buffer) still gets every record.
    import contextlib
    import io

    from svclevel.cli import main

    monkeypatch.setattr("sys.argv", ["svclevel", "assess", str(EXAMPLES), "-f", "json"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == len(WALKED_EXAMPLES)
    assert {r["kind"] for r in records} == {"assessment"}
