"""A gate that does not apply says so: typos, unused thresholds, unmatched baselines, repeated
options, two reports to one file, diffs that do not read as progress, --explain nowhere."""

from __future__ import annotations

import json
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
    promise = "value: usually\n    evidence: 96 %"
    worse.write_text(text.replace(promise, promise.replace("usually", "rarely")))
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
    older.write_text(text.replace("date: 2026-10-02", "date: 2020-01-01"))
    swapped = run_cli("diff", HARBOR, str(older), "-f", "markdown")
    assert "are the files swapped?" in swapped.stderr
    assert "⚠️ **Warning:**" in swapped.stdout
    same = run_cli("diff", str(older), HARBOR, "-f", "text")
    assert (same.stderr, "Warning" in same.stdout) == ("", False)


def test_explain_is_shown_by_markdown_and_html_and_refused_where_it_adds_nothing() -> None:
    markdown = run_cli("assess", HARBOR, "-f", "markdown", "--explain").stdout
    assert "<summary>Explanation: every criterion</summary>" in markdown
    assert "required not met: promises\\_kept" in markdown
    assert "Explanation" not in run_cli("assess", HARBOR, "-f", "markdown").stdout
    html = run_cli("assess", HARBOR, "-f", "html", "--explain").stdout
    assert "pass mark 80% → not reached" in html
    assert "(required, weight 3)" in html
    refused = run_cli("assess", HARBOR, "-f", "json", "--explain")
    assert refused.exit_code == 2
    assert "--explain adds nothing to json" in refused.stderr
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
    assert "rubric_dirs: /no/such/folder is not a folder (--rubric-dir)" in result.stderr


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
