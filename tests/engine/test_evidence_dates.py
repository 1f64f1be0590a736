"""Dated evidence: the evaluation date (the file's date or --as-of, never the clock), the
rubric's evidence policy, and what stale evidence does to a verdict."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

import svclevel
from svclevel.engine.score import evidence_age
from svclevel.errors import InputError, UsageError
from svclevel.results import Evidence, Freshness, Status
from tests.helpers import EXAMPLES, run_cli

BRIGHTDESK = EXAMPLES / "brightdesk-saas.yaml"
STRICT = EXAMPLES / "rubrics" / "three-tier-fresh-evidence.yaml"


def _json(*args: str) -> dict[str, object]:
    result = run_cli("assess", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _answers(tmp_path: Path, answers: dict[str, object], **header: object) -> Path:
    path = tmp_path / "answers.yaml"
    doc = {"company": "Acme Outdoor", "date": "2026-10-01", "rubric": "four-level", **header}
    doc = {**doc, "answers": answers}
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_a_year_later_the_same_file_has_stale_evidence_and_under_fail_a_lower_level() -> None:
    on_the_day = svclevel.assess(BRIGHTDESK)
    a_year_on = svclevel.assess(BRIGHTDESK, as_of="2027-10-30")
    assert on_the_day.level_name == a_year_on.level_name == "Transformational service"
    assert on_the_day.stale == ()
    assert on_the_day.expiring == ("staff_training",)  # checked 2025-11-20: 21 days left
    assert len(a_year_on.stale) == 22
    assert a_year_on.evaluated_on == "2027-10-30"
    strict_then = svclevel.assess(BRIGHTDESK, STRICT)
    strict_now = svclevel.assess(BRIGHTDESK, STRICT, as_of="2027-10-30")
    assert strict_then.level_name == "Transformational service"
    assert strict_now.level_name == "below the ladder"
    stale = [c for lv in strict_now.levels for c in lv.criteria if c.status is Status.STALE]
    assert stale
    assert all(c.is_gap for c in stale)
    assert strict_now.provisional  # renewing the evidence could lift it again
    assert "renew the evidence for" in run_cli(
        "assess", str(BRIGHTDESK), "-r", str(STRICT), "--as-of", "2027-10-30", "-f", "text"
    ).stdout.replace("\n", " ")


def test_every_format_says_the_stale_evidence_and_counts_it_in_the_verdict() -> None:
    args = (str(BRIGHTDESK), "--as-of", "2027-01-31")
    text = run_cli("assess", *args, "-f", "text").stdout
    # Figures of 2026-09-30 (120 days), training records of 2025-11-20 and the service review
    # of 2026-01-29 (365 days) are past their limits.
    assert "Evidence on 2027-01-31: 5 stale." in text.replace("\n", " ")
    assert "staff_training: stale evidence: current until 2026-11-20" in text.replace("\n  ", " ")
    summary = run_cli("assess", *args, "-f", "summary").stdout
    assert summary.endswith("evidence 5 stale\n")
    markdown = run_cli("assess", *args, "-f", "markdown").stdout
    assert "Evidence on 2027\\-01\\-31: 5 stale" in markdown
    github = run_cli("assess", *args, "-f", "github").stdout
    assert "title=svclevel three-tier%3A evidence stale::staff_training: stale evidence" in github
    junit = run_cli("assess", *args, "-f", "junit").stdout
    assert '<property name="evaluated on" value="2027-01-31" />' in junit
    assert '<property name="evidence" value="staff_training: stale evidence' in junit
    (row,) = csv.DictReader(io.StringIO(run_cli("assess", *args, "-f", "csv").stdout))
    assert row["evaluated_on"] == "2027-01-31"
    assert "staff_training" in row["evidence_stale"].split()
    record = _json(*args)
    assert record["evaluated_on"] == "2027-01-31"
    assert "staff_training" in record["evidence"]["stale"]  # type: ignore[index]
    html = run_cli("assess", *args, "-f", "html").stdout
    assert "Evidence dates and exceptions" in html
    assert "stale evidence: current until 2026-11-20" in html


def test_the_evaluation_is_the_same_for_one_date_whatever_the_clock() -> None:
    first = run_cli("assess", str(BRIGHTDESK), "--as-of", "2027-03-01", "-f", "json").stdout
    second = run_cli("assess", str(BRIGHTDESK), "--as-of", "2027-03-01", "-f", "json").stdout
    assert first == second
    record = json.loads(first)
    # The tool's own version is the only thing in the record that is not the file's.
    assert record["date"] == "2026-10-30"
    assert record["evaluated_on"] == "2027-03-01"


def test_the_most_current_item_decides_and_valid_until_overrides_the_maximum_age() -> None:
    on = datetime.date(2026, 10, 1)
    old = Evidence("2024 survey", as_of="2024-09-30")
    new = Evidence("2026 survey", as_of="2026-09-30")
    age = evidence_age((old, new), on, max_age_days=365, on_stale="warn", expiring_days=30)
    assert age is not None
    assert age.freshness is Freshness.FRESH
    assert age.dated == "2026-09-30"
    short = Evidence("audit letter", as_of="2026-01-01", valid_until="2026-10-20")
    age = evidence_age((short,), on, max_age_days=365, on_stale="warn", expiring_days=30)
    assert age is not None
    assert age.freshness is Freshness.EXPIRING
    assert age.limit == "2026-10-20"
    age = evidence_age((old,), on, max_age_days=365, on_stale="fail", expiring_days=30)
    assert age is not None
    assert age.freshness is Freshness.STALE
    assert age.limit == "2025-09-30"
    undated = Evidence("interviews")
    age = evidence_age((undated,), on, max_age_days=365, on_stale="warn", expiring_days=30)
    assert age is not None
    assert age.freshness is Freshness.UNDATED
    assert evidence_age((), on, max_age_days=365, on_stale="warn", expiring_days=30) is None


def test_the_limit_day_itself_is_current_and_the_next_day_stale() -> None:
    item = Evidence("survey", as_of="2025-10-01")
    last = evidence_age(
        (item,), datetime.date(2026, 10, 1), max_age_days=365, on_stale="warn", expiring_days=30
    )
    after = evidence_age(
        (item,), datetime.date(2026, 10, 2), max_age_days=365, on_stale="warn", expiring_days=30
    )
    assert last is not None
    assert last.freshness is Freshness.EXPIRING
    assert after is not None
    assert after.freshness is Freshness.STALE


def test_numbers_stay_current_120_days_and_practices_365_in_the_built_in_rubrics(
    tmp_path: Path,
) -> None:
    path = _answers(
        tmp_path,
        {
            "csat_pct": {"value": 90, "evidence": {"text": "Q1 survey", "as_of": "2026-03-31"}},
            "documented_processes": {
                "value": "yes",
                "evidence": [{"text": "runbooks", "as_of": "2026-03-31"}],
            },
        },
    )
    a = svclevel.assess(path)
    ages = {
        c.question_id: c.evidence_age
        for lv in a.levels
        for c in lv.criteria
        if c.evidence_age is not None
    }
    assert ages["csat_pct"] is not None
    assert ages["csat_pct"].freshness is Freshness.STALE
    assert ages["csat_pct"].max_age_days == 120
    assert ages["documented_processes"] is not None
    assert ages["documented_processes"].freshness is Freshness.FRESH
    assert ages["documented_processes"].max_age_days == 365


def test_a_measured_answer_is_dated_by_its_measurement_period() -> None:
    a = svclevel.assess(EXAMPLES / "harbor-lane-q3.yaml", as_of="2027-03-01")
    measured = [c for lv in a.levels for c in lv.criteria if c.origin == "measured"]
    assert measured
    for c in measured:
        assert c.evidence_age is not None
        assert c.evidence_age.dated == "2026-09-30"
        assert c.evidence_age.freshness is Freshness.STALE  # 152 days > 120


def test_a_policy_by_question_and_an_extension_that_fails_on_stale(tmp_path: Path) -> None:
    rubric = tmp_path / "strict.yaml"
    rubric.write_text(
        yaml.safe_dump(
            {
                "id": "strict",
                "version": 1,
                "extends": "three-tier",
                "evidence_policy": {
                    "questions": {"first_response_hours": {"max_age_days": 20, "on_stale": "fail"}}
                },
            }
        ),
        encoding="utf-8",
    )
    a = svclevel.assess(BRIGHTDESK, rubric)
    reply = next(
        c for lv in a.levels for c in lv.criteria if c.question_id == "first_response_hours"
    )
    assert reply.status is Status.STALE  # figures of 2026-09-30, 30 days old on 2026-10-30
    assert reply.evidence_age is not None
    assert reply.evidence_age.max_age_days == 20
    assert reply.next_step == (
        "Renew the evidence (current until 2026-10-20); the answer '1.5 hours' meets the criterion."
    )
    assert a.level_name == "below the ladder"  # first_response_hours is required at Basic


def test_a_policy_for_an_unknown_question_is_an_error_at_its_line(tmp_path: Path) -> None:
    rubric = tmp_path / "bad.yaml"
    rubric.write_text(
        "id: bad\nversion: 1\nextends: three-tier\nevidence_policy:\n  questions:\n"
        "    staff_trainig: {max_age_days: 30}\n",
        encoding="utf-8",
    )
    result = run_cli("assess", str(BRIGHTDESK), "-r", str(rubric))
    assert result.exit_code == 2
    assert "bad.yaml:6:5: evidence_policy.questions.staff_trainig: unknown question " in (
        result.stderr
    )
    assert "did you mean 'staff_training'?" in result.stderr


def test_as_of_before_the_file_or_not_a_date_is_refused() -> None:
    early = run_cli("assess", str(BRIGHTDESK), "--as-of", "2026-01-01")
    assert early.exit_code == 2
    assert "--as-of 2026-01-01 is before the date of" in early.stderr
    assert "Traceback" not in early.stderr
    bad = run_cli("assess", str(BRIGHTDESK), "--as-of", "next year")
    assert bad.exit_code == 2
    assert "--as-of next year: expected a date such as 2026-10-01" in bad.stderr
    with pytest.raises(UsageError, match="as_of: 31/12/2026: expected a date"):
        svclevel.assess(BRIGHTDESK, as_of="31/12/2026")


def test_evidence_dated_after_the_assessment_is_an_error(tmp_path: Path) -> None:
    path = _answers(
        tmp_path,
        {"csat_pct": {"value": 90, "evidence": [{"text": "survey", "as_of": "2026-11-30"}]}},
    )
    with pytest.raises(InputError) as caught:
        svclevel.assess(path)
    (problem,) = caught.value.problems
    assert problem.line == 9
    assert problem.message.startswith("as_of (2026-11-30) is after the assessment's date")


def test_a_text_a_mapping_and_a_list_of_texts_are_all_evidence(tmp_path: Path) -> None:
    path = _answers(
        tmp_path,
        {
            "csat_pct": {"value": 90, "evidence": "survey"},
            "first_response_hours": {
                "value": 3,
                "evidence": {"text": "help-desk report", "as_of": "2026-09-01"},
            },
            "documented_processes": {"value": "yes", "evidence": ["runbooks", "interviews"]},
        },
    )
    a = svclevel.assess(path)
    by_id = {c.question_id: c for lv in a.levels for c in lv.criteria}
    assert by_id["csat_pct"].evidence == "survey"
    assert by_id["first_response_hours"].evidence_items[0].as_of == "2026-09-01"
    assert by_id["documented_processes"].evidence == "runbooks; interviews"
    assert set(a.undated) == {"csat_pct", "documented_processes"}


def test_a_rubric_that_only_extends_another_is_skipped_as_a_rubric_in_a_folder(
    tmp_path: Path,
) -> None:
    shutil.copy(STRICT, tmp_path / "strict.yaml")
    shutil.copy(BRIGHTDESK, tmp_path / "brightdesk.yaml")
    result = run_cli("assess", str(tmp_path), "-f", "summary")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"{tmp_path / 'strict.yaml'}: skipped: this is a rubric, not an answers file" in (
        result.stderr
    )


def test_validate_checks_the_digest_of_each_evidence_source(tmp_path: Path) -> None:
    export = tmp_path / "exports" / "survey.csv"
    export.parent.mkdir()
    export.write_text("submitted_at,score\n2026-09-01,5\n", encoding="utf-8")
    digest = hashlib.sha256(export.read_bytes()).hexdigest()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.csv"
    outside.write_text("x\n", encoding="utf-8")

    def item(source: str, sha: str) -> dict[str, object]:
        return {"text": "survey", "as_of": "2026-09-30", "source": source, "sha256": sha}

    good = _answers(
        tmp_path, {"csat_pct": {"value": 90, "evidence": [item("exports/survey.csv", digest)]}}
    )
    result = run_cli("validate", str(good))
    assert result.exit_code == 0, result.stdout
    assert "0 errors, 0 warnings" in result.stderr
    export.write_text("submitted_at,score\n2026-09-01,1\n", encoding="utf-8")
    changed = run_cli("validate", str(good))
    assert changed.exit_code == 2
    assert "sha256: does not match exports/survey.csv (its SHA-256 is" in changed.stdout
    missing = _answers(
        tmp_path, {"csat_pct": {"value": 90, "evidence": [item("gone.csv", digest)]}}
    )
    warned = run_cli("validate", str(missing))
    assert warned.exit_code == 1  # warnings only
    assert "source: warning: gone.csv: not found; sha256 not checked" in warned.stdout
    away = _answers(
        tmp_path, {"csat_pct": {"value": 90, "evidence": [item(f"../{outside.name}", digest)]}}
    )
    refused = run_cli("validate", str(away))
    assert refused.exit_code == 2
    assert "is outside the folders svclevel reads from" in refused.stdout


def test_a_blank_or_null_evidence_is_no_evidence(tmp_path: Path) -> None:
    path = tmp_path / "blank.yaml"
    path.write_text(
        "company: Acme\ndate: 2026-10-01\nrubric: four-level\nanswers:\n"
        "  csat_pct:\n    value: 90\n    evidence:\n  first_response_hours:\n    value: 3\n"
        "    evidence: null\n",
        encoding="utf-8",
    )
    result = run_cli("assess", str(path), "-f", "summary")
    assert result.exit_code == 0, result.stdout + result.stderr
    a = svclevel.assess(path)
    by_id = {c.question_id: c for lv in a.levels for c in lv.criteria}
    assert by_id["csat_pct"].evidence is None
    assert by_id["csat_pct"].evidence_age is None


def test_under_fail_undated_or_missing_evidence_does_not_count(tmp_path: Path) -> None:
    text = BRIGHTDESK.read_text(encoding="utf-8")
    undated = tmp_path / "undated.yaml"
    undated.write_text(
        "\n".join(line for line in text.splitlines() if "as_of:" not in line) + "\n",
        encoding="utf-8",
    )
    a = svclevel.assess(undated, STRICT)
    assert a.level_name == "below the ladder"
    reply = next(c for lv in a.levels for c in lv.criteria if c.question_id == "staff_training")
    assert reply.status is Status.STALE
    assert reply.next_step.startswith("Date the evidence behind the answer 'yes' (as_of)")
    bare = tmp_path / "bare.yaml"
    bare.write_text(
        "company: Acme\ndate: 2026-10-01\nanswers:\n  staff_training: yes\n", encoding="utf-8"
    )
    training = next(
        c
        for lv in svclevel.assess(bare, STRICT).levels
        for c in lv.criteria
        if c.question_id == "staff_training"
    )
    assert training.status is Status.UNEVIDENCED


def test_valid_until_can_shorten_the_limit_but_never_extend_it() -> None:
    on = datetime.date(2026, 10, 1)
    late = Evidence("old audit", as_of="2020-01-01", valid_until="2099-12-31")
    age = evidence_age((late,), on, max_age_days=365, on_stale="warn", expiring_days=30)
    assert age is not None
    assert age.freshness is Freshness.STALE
    assert age.limit == "2020-12-31"
    early = Evidence("certificate", as_of="2026-09-01", valid_until="2026-09-15")
    age = evidence_age((early,), on, max_age_days=365, on_stale="warn", expiring_days=30)
    assert age is not None
    assert age.describe() == (
        "stale evidence: current until 2026-09-15 (evidence of 2026-09-01, its valid_until)"
    )
    far = Evidence("far", as_of="9999-12-01")
    age = evidence_age((far,), on, max_age_days=365, on_stale="warn", expiring_days=30)
    assert age is not None
    assert age.limit == "9999-12-31"


def test_a_period_ending_after_the_assessment_is_an_error(tmp_path: Path) -> None:
    path = _answers(
        tmp_path,
        {
            "csat_pct": {
                "value": 90,
                "evidence": {
                    "text": "survey",
                    "period": {"from": "2026-07-01", "to": "2026-12-31"},
                },
            }
        },
    )
    result = run_cli("assess", str(path))
    assert result.exit_code == 2
    assert "answers.csat_pct.evidence.period.to: the period ends on 2026-12-31, after the " in (
        result.stderr
    )


def test_as_of_takes_only_the_form_the_files_use() -> None:
    result = run_cli("assess", str(BRIGHTDESK), "--as-of", "20270101")
    assert result.exit_code == 2
    assert "--as-of 20270101: expected a date such as 2026-10-01" in result.stderr
    with pytest.raises(UsageError, match="max_exception_days"):
        svclevel.assess(BRIGHTDESK, max_exception_days=-5)
    with pytest.raises(UsageError, match="as_of: expected a date"):
        svclevel.assess(BRIGHTDESK, as_of=datetime.datetime(2027, 1, 1))


def test_the_editor_schemas_accept_and_refuse_what_svclevel_does() -> None:
    answers = json.loads(run_cli("schema", "answers").stdout)
    exceptions = json.loads(run_cli("schema", "exceptions").stdout)
    item = {"text": "survey", "as_of": "2026-09-30", "sha256": "abc"}
    doc = {"company": "Acme", "date": "2026-10-01", "answers": {"csat_pct": {"evidence": [item]}}}
    assert not jsonschema.Draft202012Validator(answers).is_valid(doc)
    item["sha256"] = "a" * 64
    assert jsonschema.Draft202012Validator(answers).is_valid(doc)
    entry = {
        "criterion": " four-level/meet/promises_kept ",
        "effect": "exempt",
        "justification": "A sentence of twenty characters or more.",
        "approved_by": "COO",
        "granted": "2026-01-01",
        "expires": "2026-06-30",
    }
    file = {"svclevel_exceptions": 1, "exceptions": [entry]}
    assert jsonschema.Draft202012Validator(exceptions).is_valid(file)
    entry["criterion"] = "a/b"
    assert not jsonschema.Draft202012Validator(exceptions).is_valid(file)
