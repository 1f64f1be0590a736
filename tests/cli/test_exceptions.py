"""Exceptions (waivers): they change the verdict until they expire, never silently, and a bad
one is a located error."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from junitparser import JUnitXml, Skipped

import svclevel
from svclevel.errors import InputError
from svclevel.results import ExceptionState, Status
from tests.helpers import EXAMPLES, run_cli

HOTEL = EXAMPLES / "alder-grove-hotel.yaml"
WAIVERS = EXAMPLES / "exceptions" / "alder-grove-hotel.yaml"
CRITERION = "four-level/amaze/amazement_defined"


def _assess(*args: str, fmt: str = "text") -> str:
    result = run_cli("assess", str(HOTEL), "--exceptions", str(WAIVERS), *args, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _exceptions(tmp_path: Path, *entries: dict[str, object]) -> Path:
    path = tmp_path / "exceptions.yaml"
    path.write_text(
        yaml.safe_dump({"svclevel_exceptions": 1, "exceptions": list(entries)}, sort_keys=False),
        encoding="utf-8",
    )
    return path


def _entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "criterion": CRITERION,
        "effect": "not_applicable",
        "justification": "The guest-type plans are being written this autumn.",
        "approved_by": "Ingrid Alder (owner)",
        "granted": "2026-08-01",
        "expires": "2026-12-31",
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def test_an_active_exception_lifts_the_verdict_and_says_so() -> None:
    assert svclevel.assess(HOTEL).level_name == "Delight customers"
    a = svclevel.assess(HOTEL, exception_files=[WAIVERS])
    assert a.level_name == "Amaze customers"
    (grant,) = a.exceptions
    assert grant.state is ExceptionState.ACTIVE
    assert grant.criterion == CRITERION
    amaze = a.levels[-1]
    (waived,) = [c for c in amaze.criteria if c.question_id == "amazement_defined"]
    assert waived.status is Status.NOT_APPLICABLE
    assert waived.raw_status is Status.UNMET
    text = " ".join(_assess().split())
    assert "Alder Grove Hotel reaches Amaze customers (1 exception; the top of the ladder)." in text
    assert "Exceptions: 1 applied." in text
    assert f"{CRITERION}: exception until 2026-12-31: not applicable (approved by Ingrid" in text
    assert "Left out of the score: amazement_defined (by exception until 2026-12-31)" in text


def test_every_format_shows_the_exception() -> None:
    assert "Level 4 of 4 (Amaze customers) (1 exception)" in _assess(fmt="summary")
    assert "1 exception" in _assess(fmt="markdown")
    assert "title=svclevel four-level%3A exception active" in _assess(fmt="github")
    record = json.loads(_assess(fmt="json"))
    assert record["exceptions"][0]["state"] == "active"
    assert record["exceptions"][0]["line"] == 7
    (row,) = csv.DictReader(io.StringIO(_assess(fmt="csv")))
    assert row["exceptions_active"] == CRITERION
    assert row["level_name"] == "Amaze customers"
    xml = JUnitXml.fromstring(_assess(fmt="junit").encode())
    reasons = [
        result.message
        for suite in xml
        for case in suite
        if case.name.startswith("amazement_defined")
        for result in case.result
        if isinstance(result, Skipped)
    ]
    (reason,) = reasons
    assert reason is not None
    assert reason.startswith("exception until 2026-12-31: not applicable")
    assert reason.endswith("(without it: unmet)")
    html = _assess(fmt="html")
    assert "Evidence dates and exceptions" in html
    # The client reads the criterion by its question and level, not by its id.
    assert (
        '<li class="exception-active"><strong>Have you worked out, for each main customer group'
        in html
    )
    assert "(Amaze customers)</strong>: exception until 2026-12-31" in html


def test_the_exception_applies_through_its_last_day_and_not_after() -> None:
    on_the_last_day = svclevel.assess(HOTEL, exception_files=[WAIVERS], as_of="2026-12-31")
    the_day_after = svclevel.assess(HOTEL, exception_files=[WAIVERS], as_of="2027-01-01")
    assert on_the_last_day.level_name == "Amaze customers"
    assert the_day_after.level_name == "Delight customers"
    assert the_day_after.exceptions[0].state is ExceptionState.EXPIRED
    text = " ".join(_assess("--as-of", "2027-01-01").split())
    assert "reaches Delight customers (level 3 of 4)" in text
    assert "Exceptions: 1 expired on 2026-12-31, evaluated normally." in text
    assert "exception expired on 2026-12-31, evaluated normally" in text


def test_an_exception_granted_later_is_not_yet_in_force(tmp_path: Path) -> None:
    path = _exceptions(tmp_path, _entry(granted="2026-09-01", expires="2026-12-31"))
    a = svclevel.assess(HOTEL, exception_files=[path])
    assert a.level_name == "Delight customers"
    assert a.exceptions[0].state is ExceptionState.PENDING


def test_no_exceptions_evaluates_the_raw_answers_and_says_so() -> None:
    text = run_cli(
        "assess", str(HOTEL), "--exceptions", str(WAIVERS), "--no-exceptions", "-f", "text"
    )
    assert text.exit_code == 2
    assert "--exceptions and --no-exceptions contradict each other" in text.stderr
    hotel = Path(HOTEL)
    raw = svclevel.assess(hotel, exception_files=[WAIVERS], exceptions=False)
    assert raw.level_name == "Delight customers"
    assert raw.exceptions[0].state is ExceptionState.IGNORED


def test_an_answers_file_names_its_own_exceptions_and_no_exceptions_ignores_them(
    tmp_path: Path,
) -> None:
    shutil.copy(WAIVERS, tmp_path / "waivers.yaml")
    answers = tmp_path / "hotel.yaml"
    answers.write_text(
        HOTEL.read_text(encoding="utf-8").replace(
            "rubric: four-level\n", "rubric: four-level\nexceptions: [waivers.yaml]\n"
        ),
        encoding="utf-8",
    )
    assert svclevel.assess(answers).level_name == "Amaze customers"
    raw = run_cli("assess", str(answers), "--no-exceptions", "-f", "text")
    assert raw.exit_code == 0
    assert "1 exception not applied (--no-exceptions)." in raw.stdout.replace("\n", " ")
    assert "reaches Delight customers" in raw.stdout


def test_an_exceptions_file_outside_the_answers_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    shutil.copy(WAIVERS, tmp_path / "outside" / "waivers.yaml")
    (tmp_path / "audit").mkdir()
    answers = tmp_path / "audit" / "hotel.yaml"
    answers.write_text(
        HOTEL.read_text(encoding="utf-8").replace(
            "rubric: four-level\n", "rubric: four-level\nexceptions: [../outside/waivers.yaml]\n"
        ),
        encoding="utf-8",
    )
    result = run_cli("assess", str(answers))
    assert result.exit_code == 2
    assert f"{answers}:6: exceptions: " in result.stderr
    assert "--exceptions" in result.stderr


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(criterion="four-level/amaze/amazment_defined"), "level 'amaze' of rubric "),
        (_entry(criterion="four-levels/amaze/amazement_defined"), "no rubric 'four-levels'"),
        (_entry(criterion="four-level/wow/amazement_defined"), "rubric 'four-level' has no level"),
        (_entry(criterion="amazment_defined"), "no question 'amazment_defined'"),
        (_entry(expires=None), "expires: required key is missing"),
        (_entry(expires="2027-12-31"), "the exception lasts 517 days"),
        (_entry(expires="2026-07-01"), "expires (2026-07-01) is before granted (2026-08-01)"),
        (_entry(justification="agreed"), "justification: "),
        (_entry(effect="waived"), "effect: expected 'not_applicable' or 'exempt'"),
        (_entry(granted="31/08/2026"), "granted: expected a date such as 2026-10-01"),
    ],
)
def test_a_bad_exception_is_an_error_at_its_line(
    tmp_path: Path, entry: dict[str, object], message: str
) -> None:
    path = _exceptions(tmp_path, entry)
    result = run_cli("assess", str(HOTEL), "--exceptions", str(path))
    assert result.exit_code == 2, result.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}:")
    assert int(line.split(":")[1]) >= 3  # the line of the exception, not of the file
    assert message in line
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_two_exceptions_for_one_criterion_are_refused(tmp_path: Path) -> None:
    path = _exceptions(tmp_path, _entry(), _entry(criterion="amazement_defined"))
    with pytest.raises(InputError) as caught:
        svclevel.assess(HOTEL, exception_files=[path])
    (problem,) = caught.value.problems
    assert "a second exception for four-level/amaze/amazement_defined" in problem.message


def test_max_exception_days_widens_the_span_from_the_command_line_or_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _exceptions(tmp_path, _entry(expires="2027-06-30"))  # 333 days
    config = tmp_path / ".svclevel.yaml"
    config.write_text("max_exception_days: 180\nexceptions: [exceptions.yaml]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("assess", str(HOTEL), "-f", "summary")
    assert result.exit_code == 2
    assert "at most 180 are allowed (max_exception_days)" in result.stdout + result.stderr
    result = run_cli("assess", str(HOTEL), "-f", "summary", "--max-exception-days", "365")
    assert result.exit_code == 0, result.stderr
    assert "(1 exception)" in result.stdout
    shown = run_cli("config").stdout
    assert "max_exception_days" in shown
    assert "exceptions" in shown
    assert path.name in shown


def test_a_configured_exceptions_file_outside_its_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".svclevel.yaml").write_text(f"exceptions: [{WAIVERS}]\n", encoding="utf-8")
    monkeypatch.chdir(project)
    result = run_cli("assess", str(HOTEL))
    assert result.exit_code == 2
    assert "is outside the configuration file's folder" in result.stderr


def test_a_folder_walk_skips_an_exceptions_file_with_a_warning_and_validate_checks_it(
    tmp_path: Path,
) -> None:
    result = run_cli("assess", str(EXAMPLES), "-f", "summary")
    assert f"{WAIVERS.relative_to(EXAMPLES.parent)}: skipped: this is an exceptions file" in (
        result.stderr.replace(str(EXAMPLES.parent) + "/", "")
    )
    ok = run_cli("validate", str(WAIVERS))
    assert ok.exit_code == 0, ok.stderr
    bad = _exceptions(tmp_path, _entry(criterion="four-level/amaze/nope"))
    refused = run_cli("validate", str(bad))
    assert refused.exit_code == 2
    assert "level 'amaze' of rubric 'four-level' has no criterion on 'nope'" in refused.stdout


def test_diff_and_baseline_report_exceptions_added_removed_and_expired(tmp_path: Path) -> None:
    before = tmp_path / "before.yaml"
    after = tmp_path / "after.yaml"
    shutil.copy(HOTEL, before)
    shutil.copy(WAIVERS, tmp_path / "waivers.yaml")
    after.write_text(
        HOTEL.read_text(encoding="utf-8")
        .replace("date: 2026-08-21", "date: 2026-10-01")
        .replace("rubric: four-level\n", "rubric: four-level\nexceptions: [waivers.yaml]\n"),
        encoding="utf-8",
    )
    d = svclevel.diff(before, after)
    (r,) = d.rubrics
    assert [e.criterion for e in r.exceptions.added] == [CRITERION]
    assert r.level_change == 1
    text = run_cli("diff", str(before), str(after), "-f", "text").stdout
    assert f"exception added: {CRITERION}, not applicable until 2026-12-31" in text
    record = json.loads(run_cli("diff", str(before), str(after), "-f", "json").stdout)
    assert record["rubrics"][0]["exceptions"]["added"][0]["criterion"] == CRITERION
    # Later, the exception has expired; the earlier file had it active.
    later = tmp_path / "later.yaml"
    later.write_text(
        after.read_text(encoding="utf-8").replace("date: 2026-10-01", "date: 2027-02-01"),
        encoding="utf-8",
    )
    (r,) = svclevel.diff(after, later).rubrics
    assert [e.criterion for e in r.exceptions.expired] == [CRITERION]
    assert r.level_change == -1
    baseline = run_cli("assess", str(later), "--baseline", str(after), "-f", "summary")
    assert baseline.exit_code == 1
    assert f"since --baseline: exception expired: {CRITERION}, on 2026-12-31" in (baseline.stderr)
    # And removed: the later file no longer names the exceptions file.
    dropped = tmp_path / "dropped.yaml"
    dropped.write_text(
        after.read_text(encoding="utf-8").replace("exceptions: [waivers.yaml]\n", ""),
        encoding="utf-8",
    )
    (r,) = svclevel.diff(after, dropped).rubrics
    assert [e.criterion for e in r.exceptions.removed] == [CRITERION]


def test_history_evaluates_each_file_on_its_own_date_with_its_exceptions(tmp_path: Path) -> None:
    shutil.copy(HOTEL, tmp_path / "2026.yaml")
    (tmp_path / "2027.yaml").write_text(
        HOTEL.read_text(encoding="utf-8").replace("date: 2026-08-21", "date: 2027-02-01"),
        encoding="utf-8",
    )
    h = svclevel.history(
        [tmp_path / "2026.yaml", tmp_path / "2027.yaml"], exception_files=[WAIVERS]
    )
    (r,) = h.rubrics
    assert [p.assessment.level_name for p in r.points] == ["Amaze customers", "Delight customers"]
    states = [p.assessment.exceptions[0].state for p in r.points]
    assert states == [ExceptionState.ACTIVE, ExceptionState.EXPIRED]
    text = run_cli("history", str(tmp_path), "--exceptions", str(WAIVERS), "-f", "text").stdout
    assert "4. Amaze customers (1 exception)" in text
    assert f"* exception expired: {CRITERION}, on 2026-12-31; evaluated normally" in text
    args = ("history", str(tmp_path), "--exceptions", str(WAIVERS))
    rows = list(csv.DictReader(io.StringIO(run_cli(*args, "-f", "csv").stdout)))
    assert [r["exceptions_active"] for r in rows] == [CRITERION, ""]
    assert rows[1]["exception_changes"].startswith(f"exception expired: {CRITERION}")
    junit = run_cli(*args, "-f", "junit").stdout
    assert f">exception expired: {CRITERION}, on 2026-12-31; evaluated normally</failure>" in junit
    github = run_cli(*args, "-f", "github").stdout
    assert "title=svclevel four-level%3A exception::exception expired" in github
    raw = svclevel.history([tmp_path / "2026.yaml", tmp_path / "2027.yaml"], exceptions=False)
    assert [p.assessment.level_name for p in raw.rubrics[0].points] == ["Delight customers"] * 2


def test_a_renewal_after_the_old_exception_is_kept_and_overlaps_are_refused(
    tmp_path: Path,
) -> None:
    renewed = _exceptions(
        tmp_path,
        _entry(granted="2025-08-21", expires="2026-08-20", approved_by="Old owner"),
        _entry(granted="2026-08-21", expires="2027-08-20", approved_by="Ingrid Alder"),
    )
    a = svclevel.assess(HOTEL, exception_files=[renewed])
    assert a.level_name == "Amaze customers"
    assert a.exceptions[0].approved_by == "Ingrid Alder"
    assert run_cli("validate", str(renewed)).exit_code == 0
    overlapping = _exceptions(
        tmp_path,
        _entry(granted="2025-08-21", expires="2026-08-21"),
        _entry(granted="2026-08-21", expires="2027-08-20"),
    )
    result = run_cli("assess", str(HOTEL), "--exceptions", str(overlapping))
    assert result.exit_code == 2
    assert "overlapping the one of" in result.stderr
    checked = run_cli("validate", str(overlapping))
    assert checked.exit_code == 2
    assert "overlapping the one of" in checked.stdout


def test_the_same_file_named_by_the_answers_and_the_command_line_is_read_once(
    tmp_path: Path,
) -> None:
    shutil.copy(WAIVERS, tmp_path / "waivers.yaml")
    answers = tmp_path / "hotel.yaml"
    answers.write_text(
        HOTEL.read_text(encoding="utf-8").replace(
            "rubric: four-level\n", "rubric: four-level\nexceptions: [waivers.yaml]\n"
        ),
        encoding="utf-8",
    )
    a = svclevel.assess(answers, exception_files=[tmp_path / "waivers.yaml"])
    assert len(a.exceptions) == 1
    assert a.level_name == "Amaze customers"


def test_an_exception_for_a_custom_rubric_applies_there_and_nowhere_else(tmp_path: Path) -> None:
    custom = tmp_path / "acme.yaml"
    custom.write_text("id: acme\nversion: 1\nextends: four-level\n", encoding="utf-8")
    path = _exceptions(tmp_path, _entry(criterion="acme/amaze/amazement_defined"))
    assert svclevel.assess(HOTEL, exception_files=[path]).level_name == "Delight customers"
    assert svclevel.assess(HOTEL, custom, exception_files=[path]).level_name == "Amaze customers"
    checked = run_cli("validate", str(path))
    assert checked.exit_code == 1
    assert "rubric 'acme' is not a built-in rubric" in checked.stdout


def test_diff_says_an_exception_changed_and_why_a_criterion_moved(tmp_path: Path) -> None:
    before = _exceptions(tmp_path, _entry())
    (tmp_path / "later").mkdir()
    after = _exceptions(
        tmp_path / "later", _entry(effect="exempt", expires="2027-06-30", approved_by="New owner")
    )
    old = tmp_path / "old.yaml"
    new = tmp_path / "later" / "new.yaml"
    for path, waivers in ((old, before), (new, after)):
        path.write_text(
            HOTEL.read_text(encoding="utf-8").replace(
                "rubric: four-level\n", f"rubric: four-level\nexceptions: [{waivers.name}]\n"
            ),
            encoding="utf-8",
        )
    (r,) = svclevel.diff(old, new).rubrics
    ((was, now),) = r.exceptions.changed
    assert (was.effect, now.effect) == ("not_applicable", "exempt")
    text = run_cli("diff", str(old), str(new), "-f", "text").stdout
    assert "exception changed: four-level/amaze/amazement_defined, now counted as met" in text
    assert "amazement_defined (amaze): no (by exception) → no (by exception)" in text


def test_compare_shows_the_exception_in_every_format() -> None:
    args = ("compare", str(HOTEL), "--exceptions", str(WAIVERS))
    text = run_cli(*args, "-f", "text").stdout
    assert "Amaze customers (1 exception)" in text
    assert "four-level: Exceptions: 1 applied." in text
    record = json.loads(run_cli(*args, "-f", "json").stdout)
    (four,) = [p for p in record["positions"] if p["rubric"]["id"] == "four-level"]
    assert four["exceptions"][0]["state"] == "active"
    rows = list(csv.DictReader(io.StringIO(run_cli(*args, "-f", "csv").stdout)))
    assert [r["exceptions_active"] for r in rows if r["rubric"] == "four-level"] == [CRITERION]
    assert "Exceptions: 1 applied\\." in run_cli(*args, "-f", "markdown").stdout


def test_an_answers_files_own_exception_for_another_company_is_an_error(tmp_path: Path) -> None:
    _exceptions(tmp_path, _entry(company="Alder Grove Hotl"))
    answers = tmp_path / "hotel.yaml"
    answers.write_text(
        HOTEL.read_text(encoding="utf-8").replace(
            "rubric: four-level\n", "rubric: four-level\nexceptions: [exceptions.yaml]\n"
        ),
        encoding="utf-8",
    )
    result = run_cli("assess", str(answers))
    assert result.exit_code == 2
    assert "company: the exception is for 'Alder Grove Hotl', and the answers file" in (
        result.stderr
    )
    # Given for the whole run, the file may serve other companies: it does not apply here.
    shared = run_cli("assess", str(HOTEL), "--exceptions", str(tmp_path / "exceptions.yaml"))
    assert shared.exit_code == 0
