"""Verdicts a consultant can defend: no n/a loophole, provisional verdicts, the evidence rule,
one assessment period."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from svclevel import crosswalk
from tests.conftest import WriteAnswers
from tests.helpers import DATA, EXAMPLES, run_cli

MINI = str(DATA / "valid" / "mini-rubric.yaml")
HARBOR = EXAMPLES / "harbor-lane-shop.yaml"

MINI_MET: dict[str, Any] = {
    "promises_kept": "always",
    "first_response_hours": 2,
    "has_phone_line": True,
    "loyalty_rewards": True,
    "csat_pct": 90,
    "nps": 20,
    "staff_empowered": True,
}


def _edited_example(tmp_path: Path, changes: dict[str, Any], name: str = "harbor") -> Path:
    doc = yaml.safe_load(HARBOR.read_text(encoding="utf-8"))
    doc["answers"].update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _line_of(path: Path, key: str) -> int:
    return next(
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip().startswith(f"{key}:")
    )


# --------------------------------------------------------------------------- n/a


def test_n_a_cannot_dodge_the_required_criteria_of_harbor_lane(tmp_path: Path) -> None:
    """The issue's first reproduction: it gave "reaches Delight customers"."""
    path = _edited_example(
        tmp_path,
        {
            "promises_kept": "n/a",
            "customers_feel_valued": "n/a",
            "csat_pct": 92,
            "follow_up_after_sale": "always",
            "expectations_documented": True,
        },
    )
    result = run_cli("assess", str(path), "-r", "four-level", "--explain")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(
        line.startswith(f"{path}:{_line_of(path, 'promises_kept')}:")
        and "n/a is not an answer rubric four-level accepts here" in line
        and "Meet expectations (required)" in line
        for line in lines
    ), lines
    assert any("answers.customers_feel_valued: n/a is not an answer" in line for line in lines)


def test_everything_n_a_but_two_answers_is_refused_on_four_tier(
    write_answers: WriteAnswers,
) -> None:
    """The issue's second reproduction: it gave Desired."""
    from svclevel import load_rubric

    used = {c.question for lv in load_rubric("four-tier").rubric.levels for c in lv.criteria}
    answers: dict[str, Any] = dict.fromkeys(sorted(used), "n/a")
    answers.update(policies_transparent=True, loyalty_rewards=True)
    result = run_cli("assess", str(write_answers(answers, rubric="four-tier")))
    assert result.exit_code == 2
    assert "n/a is not an answer rubric four-tier accepts here" in result.stderr
    assert result.stdout == ""


def test_an_accepted_n_a_needs_a_justification(write_answers: WriteAnswers) -> None:
    path = write_answers({**MINI_MET, "csat_pct": "n/a"})
    result = run_cli("assess", str(path), "-r", MINI)
    assert result.exit_code == 2
    assert (
        "answers.csat_pct: n/a needs a justification (rubric mini accepts n/a here when: the "
        "company runs no satisfaction survey (the test's own rule))" in result.stderr
    )


def test_a_justified_n_a_leaves_the_criterion_out(write_answers: WriteAnswers) -> None:
    why = "The shop has never surveyed its customers."
    path = write_answers({**MINI_MET, "csat_pct": {"value": "n/a", "justification": why}})
    result = run_cli("assess", str(path), "-r", MINI, "-f", "json")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["attained"] == 3
    csat = next(c for c in record["levels"][1]["criteria"] if c["question_id"] == "csat_pct")
    assert (csat["status"], csat["justification"]) == ("n/a", why)
    text = run_cli("assess", str(path), "-r", MINI, "--explain", "-f", "text").stdout
    assert f"why n/a: {why}" in text


def test_a_justification_belongs_to_an_n_a_answer(write_answers: WriteAnswers) -> None:
    path = write_answers({**MINI_MET, "csat_pct": {"value": 90, "justification": "x"}})
    result = run_cli("assess", str(path), "-r", MINI)
    assert result.exit_code == 2
    assert "answers.csat_pct.justification: a justification explains an n/a answer" in (
        result.stderr
    )


# --------------------------------------------------------------------------- provisional


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    target = folder / "acme.yaml"
    assert run_cli("init", "-r", "four-level", "-o", str(target)).exit_code == 0
    return target


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("text", "Provisional: 0 of "),
        ("rich", "Provisional: 0 of "),
        ("markdown", "Provisional: 0 of "),
        ("html", "Provisional: 0 of "),
        ("github", "Provisional: 0 of "),
        ("junit", 'name="provisional" value="true"'),
        ("summary", "(provisional: 0 of "),
        ("csv", ",yes,0,"),
    ],
)
def test_the_untouched_template_is_provisional_in_every_format(
    template: Path, fmt: str, marker: str
) -> None:
    result = run_cli("assess", str(template), "-f", fmt)
    assert result.exit_code == 0
    assert marker in " ".join(result.stdout.split())
    if fmt not in ("summary", "csv"):  # one line: the count only
        assert "Amaze customers" in result.stdout  # as far as completing it could lift it


def test_the_untouched_template_is_provisional_in_json(template: Path) -> None:
    record = json.loads(run_cli("assess", str(template), "-f", "json").stdout)
    assert record["provisional"] is True
    completeness = record["completeness"]
    assert completeness["answered"] == 0
    assert completeness["deciding"] == len(completeness["open"]) > 0
    assert completeness["could_reach"]["id"] == "amaze"


def test_fail_on_provisional_is_a_gate(template: Path) -> None:
    result = run_cli("assess", str(template), "--fail-on-provisional")
    assert result.exit_code == 1
    assert "is provisionally below the ladder" in result.stderr
    assert "(--fail-on-provisional)" in result.stderr
    assert run_cli("assess", str(template), "--fail-on-provisional", "--exit-zero").exit_code == 0


def test_a_final_verdict_passes_fail_on_provisional(write_answers: WriteAnswers) -> None:
    path = write_answers(MINI_MET)
    result = run_cli("assess", str(path), "-r", MINI, "--fail-on-provisional", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["provisional"] is False


def test_open_questions_that_cannot_change_the_verdict_leave_it_final(
    write_answers: WriteAnswers,
) -> None:
    """Level two needs loyalty rewards (required): answered no, its open questions decide
    nothing."""
    answers = {k: v for k, v in MINI_MET.items() if k not in ("csat_pct", "nps")}
    path = write_answers({**answers, "loyalty_rewards": False})
    record = json.loads(run_cli("assess", str(path), "-r", MINI, "-f", "json").stdout)
    assert (record["attained"], record["provisional"]) == (1, False)
    open_ = write_answers({k: v for k, v in MINI_MET.items() if k != "has_phone_line"})
    record = json.loads(run_cli("assess", str(open_), "-r", MINI, "-f", "json").stdout)
    assert (record["attained"], record["provisional"]) == (0, True)
    assert record["completeness"]["open"] == ["has_phone_line"]
    assert record["completeness"]["could_reach"]["id"] == "three"


# --------------------------------------------------------------------------- evidence


def test_require_evidence_makes_a_bare_required_answer_unevidenced(
    write_answers: WriteAnswers,
) -> None:
    path = write_answers(MINI_MET)
    plain = json.loads(run_cli("assess", str(path), "-r", MINI, "-f", "json").stdout)
    assert plain["attained"] == 3
    strict = run_cli("assess", str(path), "-r", MINI, "-f", "json", "--require-evidence")
    record = json.loads(strict.stdout)
    assert (record["attained"], record["provisional"], record["require_evidence"]) == (
        0,
        True,
        True,
    )
    first = record["levels"][0]["criteria"][0]
    assert (first["question_id"], first["status"]) == ("promises_kept", "unevidenced")
    assert record["completeness"]["unevidenced"] == ["promises_kept", "loyalty_rewards"]
    evidenced = write_answers(
        {
            **MINI_MET,
            "promises_kept": {"value": "always", "evidence": "98 % of 40 sampled orders"},
            "loyalty_rewards": {"value": True, "evidence": "Loyalty card since 2024"},
        }
    )
    again = run_cli("assess", str(evidenced), "-r", MINI, "-f", "json", "--require-evidence")
    assert json.loads(again.stdout)["attained"] == 3


def test_a_rubric_can_require_evidence_itself(tmp_path: Path, write_answers: WriteAnswers) -> None:
    rubric = tmp_path / "strict.yaml"
    rubric.write_text(
        f"id: strict\nversion: 1\nextends: {MINI}\nrequire_evidence: true\n", encoding="utf-8"
    )
    path = write_answers(MINI_MET)
    result = run_cli(
        "assess", str(path), "-r", str(rubric), "--allow-path", str(DATA), "-f", "text"
    )
    assert result.exit_code == 0, result.stderr
    assert "Provisional:" in result.stdout
    assert "without the evidence required" in result.stdout


# --------------------------------------------------------------------------- period


def test_the_period_is_shown_and_defaults_to_twelve_months(write_answers: WriteAnswers) -> None:
    plain = write_answers(MINI_MET, date="2026-10-01")
    out = run_cli("assess", str(plain), "-r", MINI, "-f", "text").stdout
    assert "Period: 2025-10-02 to 2026-10-01 (the twelve months up to the assessment date)" in out
    stated = write_answers(
        MINI_MET, date="2026-10-01", period={"from": "2026-04-01", "to": "2026-09-30"}
    )
    record = json.loads(run_cli("assess", str(stated), "-r", MINI, "-f", "json").stdout)
    assert record["period"] == {"from": "2026-04-01", "to": "2026-09-30", "stated": True}


def test_a_period_ending_after_the_date_is_refused(write_answers: WriteAnswers) -> None:
    path = write_answers(
        MINI_MET, date="2026-10-01", period={"from": "2026-04-01", "to": "2026-12-31"}
    )
    result = run_cli("assess", str(path), "-r", MINI)
    assert result.exit_code == 2
    assert ": period: the period ends on 2026-12-31, after the assessment's date" in result.stderr


# --------------------------------------------------------------------------- advice


@pytest.mark.parametrize("fmt", ["text", "rich", "markdown", "html"])
def test_the_ladders_own_advice_is_in_every_report(fmt: str) -> None:
    from svclevel import load_rubric

    advice = load_rubric("four-level").rubric.advice
    assert advice
    out = " ".join(run_cli("assess", str(HARBOR), "-f", fmt).stdout.split())
    assert "Advice for the whole ladder" in out
    for item in advice:
        assert " ".join(item.text.split())[:40] in out


def test_rubrics_show_prints_the_ladders_advice_and_basis() -> None:
    from svclevel import load_rubric

    rubric = load_rubric("four-level").rubric
    out = " ".join(run_cli("rubrics", "show", "four-level").stdout.split())
    assert "Advice for the whole ladder:" in out
    assert " ".join(rubric.advice[0].text.split())[:40] in out
    if rubric.basis:
        assert "Basis:" in out


# --------------------------------------------------------------------------- crosswalk


def test_the_crosswalk_keeps_the_ladders_order(tmp_path: Path) -> None:
    def rubric(rid: str, first: str, second: str) -> Path:
        path = tmp_path / f"{rid}.yaml"
        path.write_text(
            f"""id: {rid}
version: 1
title: {rid}
description: Two levels.
sources: [{{id: s, title: Notes}}]
levels:
  - id: low
    name: {rid} low
    experience: Low.
    criteria:
      - {{question: {first}, tip: Do it., source: {{doc: s, section: a}}}}
  - id: high
    name: {rid} high
    experience: High.
    criteria:
      - {{question: {second}, tip: Do it., source: {{doc: s, section: a}}}}
""",
            encoding="utf-8",
        )
        return path

    a = rubric("a", "staff_training", "self_service")
    b = rubric("b", "self_service", "staff_training")
    cw = crosswalk([a, b])
    low, high = (row.cells[0] for row in cw.rows)
    assert (low.level and low.level.id, high.level and high.level.id) == ("high", "high")
    assert high.raised_from is not None
    assert high.raised_from.id == "low"
    out = run_cli("compare", "-r", str(a), "-r", str(b), "-f", "text").stdout
    assert "b high (100) *" in out
    assert "to keep the ladders' order" in out


# --------------------------------------------------------------------------- every path


def test_diff_checks_n_a_against_every_rubric(write_answers: WriteAnswers) -> None:
    """mini accepts n/a for csat_pct, three-rung does not: diff on both refuses it."""
    answers = {"promises_kept": "always", "csat_pct": {"value": "n/a", "justification": "x"}}
    path = write_answers(answers)
    result = run_cli("diff", "-r", MINI, "-r", "three-rung", str(path), str(path))
    assert result.exit_code == 2
    assert "n/a is not an answer rubric three-rung accepts here" in result.stderr


def test_every_problem_of_a_file_is_said_at_once(write_answers: WriteAnswers) -> None:
    path = write_answers(
        {**MINI_MET, "nps": "n/a", "csat_pct": 140, "promises_kept": {"value": "always"}}
    )
    result = run_cli("assess", str(path), "-r", MINI)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any("answers.csat_pct: must be ≤ 100 %" in line for line in lines)
    assert any(
        "answers.nps: n/a is not an answer rubric mini accepts here" in line for line in lines
    )


def test_validate_without_a_rubric_warns_that_n_a_is_unchecked(
    write_answers: WriteAnswers,
) -> None:
    result = run_cli("validate", str(write_answers({"promises_kept": "n/a"})))
    assert "warning: n/a is accepted only where a rubric says so" in result.stdout


def test_a_rubric_that_requires_evidence_validates(tmp_path: Path) -> None:
    rubric = tmp_path / "strict.yaml"
    rubric.write_text(
        f"id: strict\nversion: 1\nextends: {MINI}\nrequire_evidence: true\n", encoding="utf-8"
    )
    result = run_cli("validate", str(rubric))
    assert "0 errors" in result.stderr  # the mini rubric's levels have no advice: warnings
    assert "can never be reached" not in result.stdout


def test_compare_and_diff_records_say_provisional(write_answers: WriteAnswers) -> None:
    path = write_answers({"promises_kept": "always"})
    compared = json.loads(run_cli("compare", str(path), "-r", MINI, "-f", "json").stdout)
    assert [p["provisional"] for p in compared["positions"]] == [True]
    diffed = json.loads(run_cli("diff", "-r", MINI, str(path), str(path), "-f", "json").stdout)
    assert diffed["rubrics"][0]["after"]["provisional"] is True
    (row,) = csv.DictReader(
        io.StringIO(run_cli("compare", str(path), "-r", MINI, "-f", "csv").stdout)
    )
    assert row["provisional"] == "yes"
    assert "(provisional)" not in row["level"]  # the level column holds the level's name only


@pytest.mark.parametrize("fmt", ["text", "markdown", "rich"])
def test_every_report_gives_the_reason_for_an_n_a(write_answers: WriteAnswers, fmt: str) -> None:
    why = "We have never surveyed customers."
    path = write_answers({**MINI_MET, "csat_pct": {"value": "n/a", "justification": why}})
    out = " ".join(run_cli("assess", str(path), "-r", MINI, "-f", fmt).stdout.split())
    assert "csat" in out
    assert "never surveyed customers" in out


def test_the_next_step_for_an_unevidenced_answer_is_its_evidence(
    write_answers: WriteAnswers,
) -> None:
    path = write_answers(MINI_MET)
    out = run_cli("assess", str(path), "-r", MINI, "--require-evidence", "-f", "text").stdout
    steps = out.split("Next steps, by impact", 1)[1]
    assert "Record the evidence behind the answer 'always'" in " ".join(steps.split())
    assert "Keep your promises." not in steps


def test_the_unanswered_are_not_said_to_firm_up_a_final_verdict(
    write_answers: WriteAnswers,
) -> None:
    answers = {k: v for k, v in MINI_MET.items() if k not in ("csat_pct", "nps")}
    path = write_answers({**answers, "loyalty_rewards": False})
    out = " ".join(run_cli("assess", str(path), "-r", MINI, "-f", "text").stdout.split())
    assert "answering them cannot change the level reached" in out
    assert "provisional" not in out.lower()


def test_the_period_is_in_csv_and_junit(write_answers: WriteAnswers, tmp_path: Path) -> None:
    path = write_answers(
        MINI_MET, date="2026-10-01", period={"from": "2026-04-01", "to": "2026-09-30"}
    )
    rows = run_cli("assess", str(path), "-r", MINI, "-f", "csv").stdout.splitlines()
    header = rows[0].split(",")
    cells = dict(zip(header, rows[1].split(","), strict=True))
    assert (cells["period_from"], cells["period_to"]) == ("2026-04-01", "2026-09-30")
    junit = run_cli("assess", str(path), "-r", MINI, "-f", "junit").stdout
    assert 'name="period" value="2026-04-01 to 2026-09-30"' in junit


def test_an_empty_period_is_an_error(write_answers: WriteAnswers) -> None:
    path = write_answers(MINI_MET, period=None)
    result = run_cli("assess", str(path), "-r", MINI)
    assert result.exit_code == 2
    assert "period: give the period as {from: YYYY-MM-DD, to: YYYY-MM-DD}" in result.stderr


def test_a_scale_label_may_not_read_as_n_a(tmp_path: Path) -> None:
    rubric = tmp_path / "lab.yaml"
    rubric.write_text(
        """id: lab
version: 1
title: Labels
description: A scale with a label that reads as n/a.
sources: [{id: s, title: Notes}]
questions:
  - {id: qq, type: scale, labels: [never, " N/A", always], text: How often?, guidance: Count.}
levels:
  - id: one
    name: One
    experience: One.
    criteria:
      - {question: qq, at_least: always, tip: Do it., source: {doc: s, section: a}}
""",
        encoding="utf-8",
    )
    result = run_cli("validate", str(rubric))
    assert result.exit_code == 2
    assert "'n/a' is reserved" in result.stdout


def test_the_crosswalk_csv_says_where_a_counterpart_was_raised(tmp_path: Path) -> None:
    from svclevel.report.csv_report import CROSSWALK_COLUMNS

    assert CROSSWALK_COLUMNS[-1] == "raised_from"


def test_the_editor_schema_accepts_n_a_only_where_the_rubric_does() -> None:
    import jsonschema

    schema = json.loads(run_cli("schema", "answers", "-r", MINI).stdout)
    validator = jsonschema.Draft202012Validator(schema)

    def valid(answers: dict[str, Any]) -> bool:
        return validator.is_valid({"company": "A", "date": "2026-01-01", "answers": answers})

    assert valid({"csat_pct": {"value": " N/A ", "justification": "No survey is run."}})
    assert not valid({"csat_pct": "n/a"})  # no justification
    assert not valid({"nps": {"value": "n/a", "justification": "x"}})  # not accepted for nps
    assert not valid({"csat_pct": {"value": 80, "justification": "x"}})
