"""What each format shows of several respondents: per question the distribution, the aggregate,
the consensus and the flags; once the respondents, the policy, the alpha and the disputed
questions; the calibrate step; and nothing of it for a file without respondents."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, Properties
from markdown_it import MarkdownIt

from svclevel.report.csv_report import COLUMNS
from tests.conftest import WriteAnswers
from tests.helpers import EXAMPLES, run_cli

KESTREL = str(EXAMPLES / "kestrel-insurance.yaml")
HARBOR = str(EXAMPLES / "harbor-lane-shop.yaml")

VALUED = (
    "always 2 · sometimes 1 · rarely 1 → sometimes (lower median); disagreement: range 3 "
    "steps; deviation 1.25 > 0.83; groups 3 steps apart: management always, frontline rarely"
)
CALIBRATE = "Calibrate the respondents in a workshop on the disputed questions"
EXAMPLE_STEP = "ask each for one recent example, then rule a consensus."


def _flat(text: str) -> str:
    """Text with its line breaks (and a box's borders) gone, to find wrapped sentences."""
    text = "".join(ch for ch in text if ch not in "│╭╮╰╯─")
    return " ".join(text.split())


def _kestrel(fmt: str) -> str:
    result = run_cli("assess", KESTREL, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["text", "rich"])
def test_terminal_formats_show_the_panel_the_responses_and_the_calibrate_step(fmt: str) -> None:
    shown = _flat(_kestrel(fmt))
    assert "Proactive service (level 2 of 3). Respondents disagree on 9 questions." in shown
    assert "coo (Chief Operating Officer, management)" in shown
    assert "tom (Contact-centre agent, frontline)" in shown
    assert "Answers combined by the median" in shown
    assert "ordinal alpha 0.05 on 8 scale questions: calibrate" in shown
    assert "9 of 19 rated questions disputed" in shown
    assert f"customers_feel_valued: {VALUED}" in shown
    # The aggregate and the consensus that replaces it are both shown, with the note.
    assert "yes 2 · no 2 → no (majority, a tie is no); consensus yes (The assessor checked" in shown
    assert "each: coo=always; cx-lead=always; mira=sometimes; tom=rarely" in shown
    assert CALIBRATE in shown
    assert EXAMPLE_STEP in shown


def test_text_explanation_shows_every_criterions_responses() -> None:
    shown = _flat(run_cli("assess", KESTREL, "--explain", "-f", "text").stdout)
    # A question everyone agrees on shows its distribution and groups, with no flag.
    assert "responses: yes 4 → yes (majority, a tie is no); groups: management yes" in shown


def test_markdown_renders_the_disputed_table_and_the_calibrate_task() -> None:
    html = MarkdownIt("commonmark").enable("table").render(_kestrel("markdown"))
    assert "Respondents disagree on 9 questions." in html
    assert "<th>Each respondent</th>" in html
    assert "<td>coo=always; cx-lead=always; mira=sometimes; tom=rarely</td>" in html
    assert "range 3 steps; deviation 1.25 &gt; 0.83" in html
    assert "nominal alpha 0.41 on 11 yes/no questions: calibrate" in html
    assert f"<li>[ ] {CALIBRATE}" in html


def test_csv_adds_the_respondents_columns_at_the_end() -> None:
    text = _kestrel("csv")
    header = next(csv.reader(io.StringIO(text)))
    assert header[: header.index("error") + 1] == list(COLUMNS[: COLUMNS.index("error") + 1])
    assert header[-10:] == [
        "respondents",
        "aggregation",
        "alpha",
        "disputed",
        "disputed_questions",
        "responses",
        "distribution",
        "aggregate",
        "consensus",
        "flags",
    ]
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["level_index"] == "2"
    assert row["disputed"] == "9"
    assert row["aggregation"] == "median (default)"
    assert row["alpha"].startswith("ordinal alpha 0.05 on 8 scale questions: calibrate")
    assert (
        "customers_feel_valued: coo=always; cx-lead=always; mira=sometimes; tom=rarely"
        in (row["responses"])
    )
    assert "customers_feel_valued: always 2 · sometimes 1 · rarely 1" in row["distribution"]
    assert "customers_feel_valued: sometimes (lower median)" in row["aggregate"]
    assert row["consensus"] == "policies_transparent: yes"
    assert (
        "customers_feel_valued: range 3 steps; deviation 1.25 > 0.83; groups 3 steps apart: "
        "management always, frontline rarely" in row["flags"]
    )


def test_csv_leaves_the_respondents_columns_empty_without_respondents() -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("assess", HARBOR, "-f", "csv").stdout)))
    assert rows[0]["level_index"] == "2"
    assert all(rows[0][c] == "" for c in COLUMNS[COLUMNS.index("error") + 1 :])


def test_junit_has_properties_and_keeps_disagreement_apart_from_failure(tmp_path: Path) -> None:
    target = tmp_path / "report.xml"
    run_cli("assess", KESTREL, "--report", f"junit={target}")
    (suite,) = list(JUnitXml.fromfile(str(target)))
    props = {
        p.name: p.value
        for group in suite.iterchildren(Properties)  # type: ignore[no-untyped-call]
        for p in group
    }
    assert props["alpha"].startswith("ordinal alpha 0.05")
    assert props["disputed"] == "9"
    assert props["next step"].startswith(CALIBRATE)
    cases = {case.name.split(":")[0]: case for case in suite}
    case_props = {
        name: [
            (p.name, p.value)
            for group in case.iterchildren(Properties)  # type: ignore[no-untyped-call]
            for p in group
        ]
        for name, case in cases.items()
    }
    flags = [v for n, v in case_props["customers_feel_valued"] if n == "flag"]
    assert flags == [
        "range 3 steps",
        "deviation 1.25 > 0.83",
        "groups 3 steps apart: management always, frontline rarely",
    ]
    (failure,) = cases["customers_feel_valued"].result
    assert isinstance(failure, Failure)
    assert "respondents disagree: range 3 steps" in (failure.message or "")
    # documented_processes is disputed and met: it passes, and says why it is disputed.
    met = cases["documented_processes"]
    assert met.is_passed
    assert "agreement 75% < 80%" in (met.system_out or "")
    each = dict(case_props["documented_processes"])["responses"]
    assert each == "coo=yes; cx-lead=yes; mira=yes; tom=no"


def test_github_warns_at_each_disputed_answers_line() -> None:
    lines = _kestrel("github").splitlines()
    disputed = [line for line in lines if "respondents disagree::" in line]
    assert len(disputed) == 9
    # at the line anticipate_needs is answered on
    source = (EXAMPLES / "kestrel-insurance.yaml").read_text().splitlines()
    at = source.index("  anticipate_needs:") + 1
    assert any(
        line.startswith("::warning file=")
        and f",line={at}," in line
        and "::anticipate_needs: always 1 · usually 2 · sometimes 1" in line
        for line in disputed
    )
    assert any("::notice" in line and "alpha 0.05" in line for line in lines)


def test_summary_line_counts_the_disputed_questions() -> None:
    assert _kestrel("summary").endswith(
        "(Proactive service), 4 respondents disagree on 9 questions (calibrate)\n"
    )


def test_respondents_who_agree_get_no_calibrate_step(write_answers: WriteAnswers) -> None:
    path = write_answers(
        {"staff_training": {"responses": {"ann": "yes", "bob": "yes"}}},
        rubric="three-tier",
        respondents=[{"id": "ann", "group": "management"}, {"id": "bob", "group": "frontline"}],
    )
    for fmt in ("text", "markdown", "rich"):
        shown = run_cli("assess", str(path), "-f", fmt).stdout
        if fmt == "markdown":
            shown = MarkdownIt("commonmark").enable("table").render(shown)
        shown = _flat(shown)
        assert "ann (management); bob (frontline)" in shown, fmt
        assert "alpha not computed" in shown, fmt
        assert "No question disputed" in shown, fmt
        assert "disagree" not in shown, fmt
        assert CALIBRATE not in shown, fmt


@pytest.mark.parametrize("fmt", ["text", "rich", "markdown", "github", "summary"])
def test_a_file_without_respondents_says_nothing_of_them(fmt: str) -> None:
    shown = run_cli("assess", HARBOR, "-f", fmt, "--explain").stdout
    for word in ("espondent", "alpha", "alibrate", "disagree"):
        assert word not in shown, (fmt, word)
