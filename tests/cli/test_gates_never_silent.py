"""A gate that does not apply says so: typos, unused thresholds, unmatched baselines, repeated
options, two reports to one file, diffs that do not read as progress, --explain nowhere."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, run_cli

HARBOR = str(EXAMPLES / "harbor-lane-shop.yaml")  # four-level, Exceed (2 of 4)
NORTHWIND = str(EXAMPLES / "northwind-telecom.yaml")  # four-level, below the ladder


def test_a_typo_in_the_rubric_of_a_threshold_is_an_error() -> None:
    result = run_cli("assess", NORTHWIND, "--fail-below", "four-levle=delight", "-f", "json")
    assert result.exit_code == 2
    assert (
        "svclevel: --fail-below four-levle=delight: no rubric four-levle; did you mean "
        "'four-level'?" in result.stderr
    )
    json.loads(result.stdout)  # the report itself is whole


def test_a_threshold_no_input_used_is_a_warning() -> None:
    result = run_cli("assess", NORTHWIND, "--fail-below", "three-tier=proactive")
    assert result.exit_code == 0
    assert result.stderr == (
        "svclevel: warning: --fail-below three-tier=proactive: no input was assessed on "
        "three-tier; this threshold was not applied\n"
    )


@pytest.mark.parametrize("fmt", ["html", "json", "markdown"])
def test_a_level_the_rubric_lacks_stops_the_run_before_any_output(fmt: str) -> None:
    result = run_cli("assess", NORTHWIND, "--fail-below", "four-level=bogus", "-f", fmt)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--fail-below four-level=bogus: no such level in rubric four-level" in result.stderr
    with_rubric = run_cli("assess", NORTHWIND, "-r", "four-level", "--fail-below", "superb")
    assert (with_rubric.exit_code, with_rubric.stdout) == (2, "")


def test_a_plain_level_one_file_lacks_leaves_the_batch_report_whole(tmp_path: Path) -> None:
    for name in ("harbor-lane-shop.yaml", "brightdesk-saas.yaml"):  # four-level, three-tier
        shutil.copy(EXAMPLES / name, tmp_path / name)
    result = run_cli("assess", str(tmp_path), "--fail-below", "delight", "-f", "html")
    assert result.exit_code == 2
    assert result.stdout.rstrip().endswith("</html>")
    assert "--fail-below delight: no such level in rubric three-tier" in result.stderr
    assert f"(assessing {tmp_path / 'brightdesk-saas.yaml'}, on three-tier)" in result.stderr


def test_two_levels_for_one_rubric_are_refused() -> None:
    result = run_cli("assess", HARBOR, "--fail-below", "exceed", "--fail-below", "delight")
    assert result.exit_code == 2
    assert "two thresholds without a rubric: exceed and delight" in result.stderr


def test_compare_checks_its_thresholds_before_output() -> None:
    bad = run_cli("compare", HARBOR, "--fail-below", "three-tier=bogus", "-f", "json")
    assert (bad.exit_code, bad.stdout) == (2, "")
    typo = run_cli("compare", HARBOR, "-r", "four-level", "--fail-below", "four-levle=meet")
    assert typo.exit_code == 2
    assert "did you mean 'four-level'?" in typo.stderr
    crosswalk = run_cli("compare", "--fail-below", "delight")
    assert crosswalk.exit_code == 2
    assert "a crosswalk" in crosswalk.stderr


def test_baseline_names_the_near_miss_and_reports_a_rise(tmp_path: Path) -> None:
    text = Path(HARBOR).read_text(encoding="utf-8")
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(text.replace("Harbor Lane Kitchen Supply", "harbor lane  kitchen supply"))
    result = run_cli("assess", HARBOR, "--baseline", str(renamed))
    assert result.exit_code == 2
    assert "'harbor lane  kitchen supply' differs only in case, accents or spacing" in result.stderr
    worse = tmp_path / "worse.yaml"
    promise = "promises_kept:\n    value: always\n"
    assert promise in text
    worse.write_text(text.replace(promise, promise.replace("always", "rarely")))
    rose = run_cli("assess", HARBOR, "--baseline", str(worse))
    assert rose.exit_code == 0
    assert (
        f"svclevel: {HARBOR}: Harbor Lane Kitchen Supply rose on four-level from below the ladder"
    ) in rose.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-r", "four-level", "-r", "three-tier"], "svclevel compare FILE -r A -r B"),
        (["-f", "json", "-f", "text"], "given more than once"),
        (["--jobs", "1", "--jobs", "2"], "given more than once"),
    ],
)
def test_an_option_given_twice_is_refused(args: list[str], message: str) -> None:
    result = run_cli("assess", HARBOR, *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_a_repeatable_option_and_a_repeated_flag_are_fine() -> None:
    both = run_cli(
        "assess",
        HARBOR,
        "--fail-below",
        "four-level=meet",
        "--fail-below",
        "three-tier=basic",
        "--explain",
        "--explain",
        "-f",
        "text",
    )
    assert both.exit_code == 0, both.stderr


def test_assess_refuses_all_rubrics_and_points_at_compare() -> None:
    result = run_cli("assess", HARBOR, "-r", "all")
    assert result.exit_code == 2
    assert "use svclevel compare FILE" in result.stderr
    assert run_cli("compare", HARBOR, "-r", "all", "-f", "csv").exit_code == 0


def test_two_reports_to_one_file_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli(
        "assess", HARBOR, "--report", f"json={out}/x", "--report", f"html={out}/../out/x"
    )
    assert result.exit_code == 2
    assert "named twice as an output" in result.stderr
    assert list(out.iterdir()) == []


def test_diff_of_two_companies_or_swapped_dates_warns(tmp_path: Path) -> None:
    text = Path(HARBOR).read_text(encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(text.replace("company: Harbor Lane Kitchen Supply", "company: Other Co"))
    two = run_cli("diff", HARBOR, str(other), "-f", "json")
    assert two.exit_code == 0
    assert "this compares two companies" in two.stderr
    record = json.loads(two.stdout)
    assert record["before"]["company"] == "Harbor Lane Kitchen Supply"
    assert [w for w in record["warnings"] if "two companies" in w]
    older = tmp_path / "older.yaml"
    older.write_text(
        text.replace("date: 2026-10-02", "date: 2020-01-01").replace(
            "period: {from: 2025-10-01, to: 2026-09-30}",
            "period: {from: 2019-01-01, to: 2019-12-31}",
        )
    )
    swapped = run_cli("diff", HARBOR, str(older), "-f", "markdown")
    assert "are the files swapped?" in swapped.stderr
    assert "⚠️ **Warning:**" in swapped.stdout
    same = run_cli("diff", str(older), HARBOR, "-f", "text")
    assert (same.stderr, "Warning" in same.stdout) == ("", False)


def test_explain_is_shown_by_markdown_and_html_and_refused_where_it_adds_nothing() -> None:
    markdown = run_cli("assess", HARBOR, "-f", "markdown", "--explain").stdout
    assert "<summary>Explanation: every criterion</summary>" in markdown
    assert "required not met: customers\\_feel\\_valued" in markdown
    assert "Explanation" not in run_cli("assess", HARBOR, "-f", "markdown").stdout
    html = run_cli("assess", HARBOR, "-f", "html", "--explain").stdout
    assert "pass mark 75% → not reached" in html
    assert "(required, weight 3)" in html
    refused = run_cli("assess", HARBOR, "-f", "json", "--explain")
    assert refused.exit_code == 2
    assert "--explain: the json output of this run shows no explanation" in refused.stderr
    mixed = run_cli("assess", HARBOR, "-f", "json", "--explain", "--report", "text=/dev/stdout")
    assert mixed.exit_code in (0, 2)  # allowed: one output explains (the file target aside)


def test_broken_pyproject_is_an_error_not_an_empty_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.svclevel]\nrubric = "four-level"\nfail_below = delight\n'
    )
    for command in (["config"], ["assess", NORTHWIND]):
        result = run_cli(*command)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"{tmp_path / 'pyproject.toml'}:3:14: not valid TOML")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nbroken =\n')
    assert run_cli("config").exit_code == 0  # broken, but not svclevel's: not read


def test_config_checks_the_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".svclevel.yaml").write_text(
        "rubric: four-level\nfail_below: exceeed\nrubric_dirs: [nope]\n"
    )
    result = run_cli("config")
    assert result.exit_code == 2
    assert result.stdout.startswith("configuration file: ")  # the table is still shown
    assert f".svclevel.yaml:3: rubric_dirs: {tmp_path / 'nope'} is not a folder" in result.stderr
    assert "no such level in rubric four-level; did you mean 'exceed'?" in result.stderr
    (tmp_path / ".svclevel.yaml").write_text("rubric: four-levl\nfail_below: three-tear=basic\n")
    result = run_cli("config")
    assert result.exit_code == 2
    assert (
        ".svclevel.yaml:1: rubric: unknown rubric 'four-levl'; did you mean 'four-level'?"
        in result.stderr
    )
    assert (
        ".svclevel.yaml:2: fail_below: three-tear=basic: no rubric three-tear; did you mean "
        "'three-tier'?" in result.stderr
    )
    (tmp_path / ".svclevel.yaml").write_text("rubric: four-level\nfail_below: delight\n")
    assert run_cli("config").exit_code == 0


def test_a_missing_rubric_folder_is_an_error_everywhere() -> None:
    result = run_cli("assess", HARBOR, "--rubric-dir", "/no/such/folder")
    assert result.exit_code == 2
    assert "--rubric-dir /no/such/folder is not a folder" in result.stderr


def test_settings_found_and_not_read_are_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("assess", HARBOR, "-f", "csv", env={"SVCLEVEL_FAILBELOW": "amaze"})
    assert result.exit_code == 0
    assert (
        "svclevel: warning: SVCLEVEL_FAILBELOW is not a setting svclevel reads; did you mean "
        "'SVCLEVEL_FAIL_BELOW'?"
    ) in result.stderr
    (tmp_path / ".svclevel.yaml").write_text("format: csv\n")
    (tmp_path / "pyproject.toml").write_text('[tool.svclevel]\nfail_below = "amaze"\n')
    shadowed = run_cli("config")
    assert shadowed.exit_code == 0
    assert (
        f"{tmp_path / 'pyproject.toml'} [tool.svclevel] is not read: "
        f"{tmp_path / '.svclevel.yaml'} beside it takes precedence"
    ) in shadowed.stderr


def test_exit_zero_without_a_gate_is_a_warning() -> None:
    result = run_cli("assess", HARBOR, "--exit-zero", "-f", "csv", "--isolated")
    assert result.exit_code == 0
    assert "--exit-zero changes nothing" in result.stderr
    gated = run_cli("assess", HARBOR, "--exit-zero", "--fail-below", "amaze", "-f", "csv")
    assert (gated.exit_code, "changes nothing" in gated.stderr) == (0, False)


def test_a_configured_format_a_command_cannot_show_gives_way_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".svclevel.yaml").write_text("format: junit\n")
    result = run_cli("compare", HARBOR)
    assert result.exit_code == 0
    assert "the models side by side" in result.stdout  # text, the default off a terminal
    assert f"format junit ({tmp_path / '.svclevel.yaml'}) cannot show a comparison" in result.stderr
    assert run_cli("compare", HARBOR, "-f", "junit").exit_code == 2  # asked for: refused


def test_init_force_without_output_is_refused() -> None:
    result = run_cli("init", "-r", "four-level", "--force")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "--force applies with --output" in result.stderr


def test_summary_reports_every_file_when_one_rubric_lacks_the_configured_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("alder-grove-hotel.yaml", "brightdesk-saas.yaml", "northwind-telecom.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / ".svclevel.yaml").write_text("fail_below: exceed\n")
    result = run_cli(
        "assess",
        "-f",
        "summary",
        "alder-grove-hotel.yaml",
        "brightdesk-saas.yaml",
        "northwind-telecom.yaml",
    )
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[2].endswith("below the gate Level 2 (Exceed expectations)")
    assert (
        f"{tmp_path / '.svclevel.yaml'}:1: fail_below: exceed: no such level in rubric "
        "three-tier" in result.stderr
    )


def test_a_pyproject_that_is_not_utf8_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_bytes(
        b'[project]\ndescription = "Caf\xe9"\n[tool.svclevel]\nfail_below = "amaze"\n'
    )
    result = run_cli("assess", NORTHWIND, "-f", "csv")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'pyproject.toml'}:2:19: not valid UTF-8")


def test_a_relative_rubric_path_is_found_from_the_answers_file_wherever_svclevel_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(EXAMPLES / "rubrics" / "retail-four-level.yaml", tmp_path / "a" / "r.yaml")
    decoy = (EXAMPLES.parent / "rubrics" / "three-tier.yaml").read_text(encoding="utf-8")
    (tmp_path / "r.yaml").write_text(decoy.replace("id: three-tier", "id: decoy"))
    monkeypatch.chdir(tmp_path / "a")
    assert run_cli("init", "-r", "r.yaml", "-o", "b/t.yaml").exit_code == 0
    # From a/b the rubric is outside both the answers folder and the working directory: it
    # must be allowed (a path inside a file stays in the project).
    allow = ("--allow-path", str(tmp_path / "a"))
    for cwd, options in ((tmp_path / "a", ()), (tmp_path / "a" / "b", allow), (tmp_path, ())):
        monkeypatch.chdir(cwd)
        target = tmp_path / "a" / "b" / "t.yaml"
        result = run_cli("assess", str(target), "-f", "json", "--isolated", *options)
        assert json.loads(result.stdout)["rubric"]["id"] == "retail-four-level", cwd


def test_init_and_interview_use_the_configured_rubric(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".svclevel.yaml").write_text("rubric: three-rung\n")
    assert "rubric: three-rung" in run_cli("init").stdout
    asked = run_cli("interview", "-o", "new.yaml", stdin="Acme\n\n\nquit\n").stdout
    assert re.search(r"\[1/\d+\]", asked)
    from svclevel.author.interview import questions_of
    from svclevel.load.rubrics import load_rubric

    total = len(questions_of([load_rubric("three-rung")]))
    assert f"[1/{total}]" in asked


def test_interview_into_a_missing_folder_asks_nothing(tmp_path: Path) -> None:
    result = run_cli("interview", "-o", str(tmp_path / "no" / "x.yaml"), stdin="Acme\n")
    assert result.exit_code == 2
    assert "does not exist; nothing was asked" in result.stderr
    assert "Company" not in result.stdout


def test_report_to_dash_is_refused() -> None:
    result = run_cli("assess", NORTHWIND, "--report", "json=-")
    assert result.exit_code == 2
    assert "- is standard output" in result.stderr


def test_config_checks_a_plain_level_against_every_known_rubric() -> None:
    assert run_cli("config", env={"SVCLEVEL_FAIL_BELOW": "proactive"}).exit_code == 0
    result = run_cli("config", env={"SVCLEVEL_FAIL_BELOW": "exceeed"})
    assert result.exit_code == 2
    assert "SVCLEVEL_FAIL_BELOW exceeed: no known rubric has that level" in result.stderr


def test_a_gate_at_level_zero_is_a_warning() -> None:
    result = run_cli("assess", NORTHWIND, "--fail-below", "0", "-f", "csv")
    assert result.exit_code == 0
    assert "this gate never fails" in result.stderr


def test_utf16_without_a_bom_is_named(tmp_path: Path) -> None:
    path = tmp_path / "u16.yaml"
    path.write_bytes("company: Acme\ndate: 2026-01-01\nanswers: {}\n".encode("utf-16-le"))
    result = run_cli("assess", str(path))
    assert (result.exit_code, result.stderr) == (
        2,
        f"{path}: this file is UTF-16, not UTF-8; save it as UTF-8\n",
    )


def test_rubrics_show_on_an_answers_file_says_what_it_is() -> None:
    result = run_cli("rubrics", "show", NORTHWIND)
    assert result.exit_code == 2
    assert (
        result.stderr == f"{NORTHWIND}: this is an answers file, not a rubric (a rubric has "
        "`levels:`)\n"
    )


def test_the_configuration_holds_several_thresholds_and_says_what_a_bad_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".svclevel.yaml").write_text(
        "fail_below: [four-level=exceed, three-tier=proactive]\n"
    )
    result = run_cli("assess", NORTHWIND, "-f", "csv")
    assert result.exit_code == 1  # below Exceed on four-level
    assert "three-tier=proactive: no input was assessed on three-tier" in result.stderr
    (tmp_path / ".svclevel.yaml").write_text("fail_below: {four-level: exceed}\n")
    bad = run_cli("config")
    assert bad.exit_code == 2
    assert bad.stderr == (
        f"{tmp_path / '.svclevel.yaml'}:1:13: fail_below: expected a level (an id, a name or a "
        "number), or a list of levels\n"
    )


@pytest.mark.parametrize("command", [["compare", HARBOR], ["diff", HARBOR, HARBOR]])
def test_a_rubric_named_twice_is_shown_twice_and_said(command: list[str]) -> None:
    result = run_cli(*command, "-r", "four-level", "-r", "four-level", "-f", "csv")
    assert result.exit_code == 0
    assert "--rubric four-level given more than once; shown as often" in result.stderr


def test_jobs_for_one_input_is_a_warning() -> None:
    result = run_cli("assess", HARBOR, "-j", "3", "-f", "csv")
    assert result.exit_code == 0
    assert "--jobs 3: one input is assessed in this process" in result.stderr


def test_the_rubric_list_includes_the_configured_rubric_folders() -> None:
    folder = str(EXAMPLES / "rubrics")
    assert "retail-four-level" not in run_cli("rubrics").stdout
    assert "retail-four-level" in run_cli("rubrics", env={"SVCLEVEL_RUBRIC_DIRS": folder}).stdout


@pytest.mark.parametrize("command", ["assess", "compare"])
def test_a_file_named_twice_is_assessed_once_and_said(command: str) -> None:
    result = run_cli(command, HARBOR, str(EXAMPLES), "-f", "csv")
    assert result.exit_code == 0
    rows = [line for line in result.stdout.splitlines() if "harbor-lane-shop.yaml" in line]
    # once: one row on assess, one per rubric on compare (the four built-in ones)
    assert len(rows) == (1 if command == "assess" else 4)
    assert (
        f"svclevel: warning: {EXAMPLES / 'harbor-lane-shop.yaml'}: skipped: named more than "
        "once; it is read once"
    ) in result.stderr


@pytest.mark.parametrize("columns", ["60", "80"])
@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_rich_report_cuts_no_text_at_narrow_widths(columns: str, name: str) -> None:
    result = run_cli("assess", str(EXAMPLES / name), "-f", "rich", env={"COLUMNS": columns})
    assert result.exit_code == 0
    assert "…" not in result.stdout


def test_the_rich_portfolio_cuts_no_path_at_80_columns() -> None:
    result = run_cli("assess", str(EXAMPLES), "-f", "rich", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    summary = result.stdout[result.stdout.index("Portfolio summary") :]
    assert "…" not in summary


def test_a_baseline_that_is_the_file_itself_or_dated_after_it_warns(tmp_path: Path) -> None:
    itself = run_cli("assess", HARBOR, "--baseline", HARBOR, "-f", "csv")
    assert itself.exit_code == 0
    assert "--baseline names this file itself" in itself.stderr
    later = tmp_path / "later.yaml"
    later.write_text(Path(HARBOR).read_text(encoding="utf-8").replace("2026-10-02", "2027-01-05"))
    swapped = run_cli("assess", HARBOR, "--baseline", str(later), "-f", "csv")
    assert "is dated before its --baseline file" in swapped.stderr
    assert "are the two swapped?" in swapped.stderr


def test_a_file_named_twice_as_a_baseline_or_to_validate_is_read_once() -> None:
    baseline = run_cli(
        "assess",
        NORTHWIND,
        "--baseline",
        HARBOR,
        "--baseline",
        str(EXAMPLES / "harbor-lane-s*.yaml"),
        "-f",
        "csv",
    )
    assert "two earlier files" not in baseline.stderr
    validated = run_cli("validate", str(EXAMPLES), HARBOR)
    assert validated.exit_code == 0
    assert "named more than once; it is read once" in validated.stderr


def test_interview_for_a_respondent_fills_their_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLES / "kestrel-insurance.yaml", "k.yaml")
    refused = run_cli("interview", "-o", "k.yaml", "--respondent", "mia", stdin="yes\n")
    assert refused.exit_code == 2
    assert "k.yaml:9: 'mia' is not a declared respondent; did you mean 'mira'?" in refused.stderr
    given = run_cli(
        "interview",
        "-o",
        "k.yaml",
        "--respondent",
        "ana",
        "--group",
        "frontline",
        stdin="no -- scripts are from 2024\nquit\n",
    )
    assert given.exit_code == 0, given.stderr
    result = run_cli("assess", "k.yaml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["panel"]["respondents"][-1]["id"] == "ana"
    criterion = next(
        c
        for level in data["levels"]
        for c in level["criteria"]
        if c["question_id"] == "documented_processes"
    )
    ana = next(r for r in criterion["responses"]["responses"] if r["respondent"] == "ana")
    assert (ana["value"], ana["group"]) == (False, "frontline")
    assert [e["text"] for e in ana["evidence_items"]] == ["scripts are from 2024"]
