"""Thresholds, baselines, --exit-zero, batches and atomic report files: the exit-code contract.

0 ok; 1 threshold or regression; 2 bad input or usage; 3 internal error; 130 interrupted.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import WriteAnswers
from tests.helpers import DATA, EXAMPLES, ROOT, WALKED_EXAMPLES, answers_doc, run_cli

HARBOR = str(EXAMPLES / "harbor-lane-shop.yaml")  # Exceed expectations, level 2 of 4


@pytest.mark.parametrize(
    ("threshold", "code"),
    [
        ("exceed", 0),
        ("Exceed expectations", 0),
        ("2", 0),
        ("meet", 0),
        ("0", 0),
        ("delight", 1),
        ("DELIGHT CUSTOMERS", 1),
        ("3", 1),
        ("four-level=exceed", 0),
        ("four-level=amaze", 1),
        ("three-tier=transformational", 0),  # applies to another rubric only (a warning)
    ],
)
def test_fail_below(threshold: str, code: int) -> None:
    result = run_cli("assess", HARBOR, "--fail-below", threshold)
    assert result.exit_code == code, result.stderr
    if code:
        assert result.stderr.startswith(
            f"svclevel: {HARBOR}: Harbor Lane Kitchen Supply is at Exceed expectations on "
            "four-level, below the threshold"
        )


def test_fail_below_with_an_unknown_level_is_a_usage_error() -> None:
    result = run_cli("assess", HARBOR, "--fail-below", "delite")
    assert result.exit_code == 2
    assert "--fail-below delite: no such level in rubric four-level; did you mean 'delight'?" in (
        result.stderr
    )
    assert run_cli("assess", HARBOR, "--fail-below", "9").exit_code == 2


def test_exit_zero_turns_1_into_0_but_never_hides_2(tmp_path: Path) -> None:
    assert run_cli("assess", HARBOR, "--fail-below", "amaze", "--exit-zero").exit_code == 0
    missing = str(tmp_path / "missing.yaml")
    result = run_cli("assess", HARBOR, missing, "--fail-below", "amaze", "--exit-zero")
    assert result.exit_code == 2


MET = {  # Meet expectations, level 1 of four-level
    "promises_kept": "always",
    "complaint_frequency": "rare",
    "expectations_known": True,
    "documented_processes": True,
}
MISSED = {**MET, "promises_kept": "sometimes"}


def test_baseline_regression_exits_1_and_lists_what_regressed(
    write_answers: WriteAnswers,
) -> None:
    # follow_up_after_sale is asked on two levels (Exceed: usually, Delight: always)
    before = write_answers(
        {**MET, "follow_up_after_sale": "always"},
        company="Acme",
        date="2026-01-10",
        rubric="four-level",
    )
    after = write_answers(
        {**MISSED, "follow_up_after_sale": "sometimes"},
        company="Acme",
        date="2026-07-10",
        rubric="four-level",
    )
    result = run_cli("assess", str(after), "--baseline", str(before))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"svclevel: {after}: Acme dropped on four-level from Meet expectations (2026-01-10) "
        "to below the ladder (2026-07-10)",
        "svclevel:   promises_kept (meet): was always, now sometimes; needed always",
        "svclevel:   follow_up_after_sale (exceed): was always, now sometimes; needed usually "
        "or better",
        "svclevel:   follow_up_after_sale (delight): was always, now sometimes; needed always",
    ]
    # no drop the other way round, and --exit-zero hides it
    assert run_cli("assess", str(before), "--baseline", str(after)).exit_code == 0
    assert run_cli("assess", str(after), "--baseline", str(before), "--exit-zero").exit_code == 0


def test_baseline_of_another_company_is_not_compared_and_says_so(
    write_answers: WriteAnswers,
) -> None:
    # Nothing compared is not a pass: the gate was switched off, so the run says it and exits 2.
    other = write_answers({"promises_kept": "always"}, company="Other", rubric="four-level")
    result = run_cli("assess", HARBOR, "--baseline", str(other))
    assert result.exit_code == 2
    assert (
        f"svclevel: warning: {HARBOR}: no earlier file for Harbor Lane Kitchen Supply in "
        "--baseline; not compared"
    ) in result.stderr
    assert "none of the 1 earlier files is of a company assessed now" in result.stderr


def test_broken_baseline_is_bad_input(tmp_path: Path) -> None:
    broken = tmp_path / "old.yaml"
    broken.write_text("company: [\n")
    result = run_cli("assess", HARBOR, "--baseline", str(broken))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{broken}:2:1: invalid YAML")


def _answers(folder: Path, name: str, answers: dict[str, object], **header: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(answers_doc(answers, **header), sort_keys=False))
    return path


def test_baseline_folder_is_matched_to_a_batch_by_company(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    january = {"date": "2026-01-10", "rubric": "four-level"}
    july = {"date": "2026-07-10", "rubric": "four-level"}
    _answers(old, "acme.yaml", MET, company="Acme", **january)
    _answers(old, "beta.yaml", MISSED, company="Beta", **january)
    (old / "rubrics").mkdir()  # found by walking the folder: skipped, it is not answers
    shutil.copy(DATA / "valid" / "mini-rubric.yaml", old / "rubrics" / "mini-rubric.yaml")
    acme = _answers(new, "acme.yaml", MISSED, company="Acme", **july)
    _answers(new, "beta.yaml", MET, company="Beta", **july)
    _answers(new, "gamma.yaml", MISSED, company="Gamma", **july)

    result = run_cli("assess", str(new), "-f", "json", "--baseline", str(old))

    assert result.exit_code == 1, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"svclevel: {acme}: Acme dropped on four-level from Meet expectations (2026-01-10) "
        "to below the ladder (2026-07-10)"
    )
    assert result.stderr.splitlines()[-2:] == [  # after the criteria Acme lost
        f"svclevel: {new / 'beta.yaml'}: Beta rose on four-level from below the ladder "
        "(2026-01-10) to Meet expectations (2026-07-10)",
        f"svclevel: warning: {new / 'gamma.yaml'}: no earlier file for Gamma in --baseline; "
        "not compared",
    ]
    assert len(result.stdout.splitlines()) == 3
    # the same with a glob and with --jobs 2 (assessments come back from the workers)
    pattern = str(old / "*.yaml")
    again = run_cli("assess", str(new), "-f", "json", "--baseline", pattern, "--jobs", "2")
    assert (again.exit_code, again.stderr) == (1, result.stderr)


def test_baseline_is_repeatable_and_one_file_per_company_and_rubric(tmp_path: Path) -> None:
    first = _answers(tmp_path / "a", "acme.yaml", MET, company="Acme", rubric="four-level")
    second = _answers(tmp_path / "b", "acme.yaml", MET, company="Acme", rubric="four-level")
    result = run_cli("assess", HARBOR, "--baseline", str(first), "--baseline", str(second))
    assert result.exit_code == 2
    assert result.stderr == (
        f"--baseline: two earlier files for Acme on four-level: {first} and {second}\n"
    )
    # one per rubric is fine: each current assessment takes the one on its own rubric
    other = _answers(tmp_path / "b", "acme-tier.yaml", MET, company="Acme", rubric="three-tier")
    now = _answers(tmp_path / "now", "acme.yaml", MET, company="Acme", rubric="four-level")
    ok = run_cli("assess", str(now), "--baseline", str(first), "--baseline", str(other))
    assert (ok.exit_code, ok.stderr) == (0, "")


def test_baseline_that_matches_no_answers_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("assess", HARBOR, "--baseline", str(tmp_path / "nothing-*.yaml"))
    assert result.exit_code == 2
    assert "the pattern matches no file" in result.stderr
    rubrics = str(ROOT / "rubrics")
    only_rubrics = run_cli("assess", HARBOR, "--baseline", rubrics)
    assert only_rubrics.exit_code == 2
    assert only_rubrics.stderr == f"--baseline {rubrics}: no answers files there, only rubrics\n"


def test_invalid_answers_in_an_earlier_file_are_reported_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    broken = _answers(old, "acme.yaml", {**MET, "nps": 500}, company="Acme", rubric="four-level")
    _answers(old, "beta.yaml", MET, company="Beta", rubric="four-level")
    _answers(new, "acme.yaml", MISSED, company="Acme", rubric="four-level")
    beta = _answers(new, "beta.yaml", MISSED, company="Beta", rubric="four-level")
    result = run_cli("assess", str(new), "-f", "json", "--baseline", str(old))
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 2  # both assessed and reported
    assert result.stderr.splitlines() == [
        f"{broken}:9:8: answers.nps: must be ≤ 100 points, got 500",
        f"svclevel: {beta}: Beta dropped on four-level from Meet expectations (2026-11-01) "
        "to below the ladder (2026-11-01)",
        "svclevel:   promises_kept (meet): was always, now sometimes; needed always",
    ]


def test_baseline_is_scored_on_the_rubric_given_by_path(tmp_path: Path) -> None:
    rubric = str(DATA / "valid" / "mini-rubric.yaml")
    good = {"promises_kept": "always", "first_response_hours": 2, "has_phone_line": True}
    before = _answers(tmp_path, "before.yaml", good, company="Acme")
    after = _answers(tmp_path, "after.yaml", {**good, "promises_kept": "never"}, company="Acme")
    result = run_cli("assess", str(after), "--rubric", rubric, "--baseline", str(before))
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith(f"svclevel: {after}: Acme dropped on mini from Level one")


def test_batch_assesses_every_good_file_and_reports_the_broken_one(tmp_path: Path) -> None:
    folder = tmp_path / "audits"
    shutil.copytree(EXAMPLES, folder)
    (folder / "nested").mkdir()
    shutil.copy(EXAMPLES / "harbor-lane-shop.yaml", folder / "nested" / "copy.yml")
    (folder / "notes.txt").write_text("not yaml, not read")
    (folder / "broken.yaml").write_text(
        "company: Broken Co\ndate: 2026-01-01\nrubric: four-level\nanswers:\n  csat_pct: lots\n"
    )
    result = run_cli("assess", str(folder), "-f", "json")
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assessed = [r["answers_file"] for r in records if r["kind"] == "assessment"]
    assert len(assessed) == len(WALKED_EXAMPLES) + 1  # the examples and the nested copy
    assert str(folder / "nested" / "copy.yml") in assessed
    assert result.stderr.splitlines() == [
        f"{folder / 'broken.yaml'}:5:13: answers.csat_pct: expected a number from 0 to 100 %, "
        "got 'lots'",
        # a rubric found in the folder is not assessed, and the run says so
        # so is an exceptions file, and a measurement file
        f"svclevel: warning: {folder / 'exceptions' / 'alder-grove-hotel.yaml'}: skipped: this is "
        "an exceptions file, not an answers file: an answers file names it under exceptions:, or "
        "give it with --exceptions",
        f"svclevel: warning: {folder / 'measured' / 'harbor-lane-q3.yaml'}: skipped: this is a "
        "measurement file (from svclevel measure), not an answers file: an answers file names it "
        "under measurements:",
        *(
            f"svclevel: warning: {folder / 'respondents' / f'kestrel-{who}.yaml'}: skipped: one "
            f"respondent's answers (respondent: {who}), not a company's assessment: combine the "
            "interviews with svclevel merge, or name the file to assess it alone"
            for who in ("coo", "cx-lead", "mira", "tom")
        ),
        f"svclevel: warning: {folder / 'rubrics' / 'retail-four-level.yaml'}: skipped: this is "
        "a rubric, not an answers file (check it with `svclevel validate`)",
        f"svclevel: warning: {folder / 'rubrics' / 'three-tier-fresh-evidence.yaml'}: skipped: "
        "this is a rubric, not an answers file (check it with `svclevel validate`)",
    ]


def test_batch_text_report_closes_with_a_portfolio_summary(tmp_path: Path) -> None:
    missing = tmp_path / "gone.yaml"
    result = run_cli("assess", str(EXAMPLES / "*.yaml"), str(missing))
    assert result.exit_code == 2
    summary = result.stdout.split("Portfolio summary (8 inputs)")[1]
    assert "Northwind Telecom" in summary
    assert "below the ladder" in summary
    assert "invalid input" in summary
    assert f"Not assessed: {missing}" in result.stdout


def test_glob_that_matches_nothing(tmp_path: Path) -> None:
    result = run_cli("assess", str(tmp_path / "*.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / '*.yaml'}: the pattern matches no file\n"


def test_one_run_writes_many_reports(tmp_path: Path) -> None:
    out = {fmt: tmp_path / f"report.{fmt}" for fmt in ("json", "markdown", "junit", "csv")}
    args = [arg for fmt, path in out.items() for arg in ("--report", f"{fmt}={path}")]
    result = run_cli("assess", HARBOR, "-f", "text", *args)
    assert result.exit_code == 0
    assert "Verdict: Harbor Lane" in result.stdout
    assert json.loads(out["json"].read_text())["level"]["id"] == "exceed"
    assert out["markdown"].read_text().startswith("## Harbor Lane Kitchen Supply")
    assert out["junit"].read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert out["csv"].read_text().startswith("file,status,company")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in out.values())


def test_report_option_errors(tmp_path: Path) -> None:
    bad = run_cli("assess", HARBOR, "--report", f"docx={tmp_path / 'out.docx'}")
    assert bad.exit_code == 2
    assert f"--report docx={tmp_path / 'out.docx'}: unknown format 'docx'" in bad.stderr
    assert list(tmp_path.iterdir()) == []
    assert run_cli("assess", HARBOR, "--report", "json").exit_code == 2
    nowhere = run_cli("assess", HARBOR, "--report", f"json={tmp_path / 'no' / 'x.json'}")
    assert nowhere.exit_code == 2
    assert "does not exist" in nowhere.stderr


def test_interrupted_run_leaves_the_previous_report_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "audit.json"
    target.write_text("previous report\n")
    import svclevel.engine.run

    real = svclevel.engine.run.assess_with_rubric
    calls = []

    def interrupt_on_second(*args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(svclevel.engine.run, "assess_with_rubric", interrupt_on_second)
    result = run_cli("assess", str(EXAMPLES), "-f", "text", "--report", f"json={target}")
    assert result.exit_code == 130
    assert target.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["audit.json"]  # no temp file left


def test_internal_error_mid_batch_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import svclevel.engine.run

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(svclevel.engine.run, "assess_with_rubric", boom)
    target = tmp_path / "audit.csv"
    result = run_cli("assess", str(EXAMPLES), "--report", f"csv={target}")
    assert result.exit_code == 3
    assert list(tmp_path.iterdir()) == []


def test_parallel_batch_gives_the_same_output_in_the_same_order(tmp_path: Path) -> None:
    """Worker processes change the speed, never the result (ordering, errors, exit code)."""
    folder = tmp_path / "many"
    folder.mkdir()
    sources = sorted(p for p in EXAMPLES.glob("*.yaml") if p.name != "harbor-lane-q3.yaml")
    for i in range(70):
        shutil.copy(sources[i % len(sources)], folder / f"c{i:03d}.yaml")
    (folder / "c035.yaml").write_text("company: [\n")
    serial = run_cli("assess", str(folder), "-f", "csv", "--jobs", "1")
    parallel = run_cli("assess", str(folder), "-f", "csv", "--jobs", "2")
    auto = run_cli("assess", str(folder), "-f", "csv")
    assert serial.exit_code == parallel.exit_code == auto.exit_code == 2
    assert serial.stdout == parallel.stdout == auto.stdout
    assert serial.stderr == parallel.stderr
    assert len(serial.stdout.splitlines()) == 71  # header and one row per file
    assert serial.stderr.startswith(f"{folder / 'c035.yaml'}:2:1: invalid YAML")
