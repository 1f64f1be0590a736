"""Configuration: nearest file wins, environment over file, flags over everything."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, ROOT, run_cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with one answers file that names no rubric; cwd is a subfolder."""
    root = tmp_path / "project"
    (root / "audits" / "2026").mkdir(parents=True)
    text = (EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8")
    (root / "audits" / "harbor.yaml").write_text(text.replace("rubric: four-level\n", ""))
    monkeypatch.chdir(root / "audits" / "2026")
    for name in (
        "SVCLEVEL_RUBRIC",
        "SVCLEVEL_FAIL_BELOW",
        "SVCLEVEL_FORMAT",
        "SVCLEVEL_RUBRIC_DIRS",
    ):
        monkeypatch.delenv(name, raising=False)
    return root


def test_yaml_config_found_upwards_sets_rubric_threshold_and_format(project: Path) -> None:
    (project / ".svclevel.yaml").write_text("rubric: three-rung\nfail_below: iconic\nformat: csv\n")
    result = run_cli("assess", "../harbor.yaml")
    assert result.exit_code == 1  # Satisfactory, below Iconic
    assert result.stdout.startswith("file,status,company")
    assert ",three-rung," in result.stdout


def test_pyproject_table(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.svclevel]\nrubric = "three-tier"\nformat = "json"\n'
    )
    result = run_cli("assess", "../harbor.yaml")
    assert result.exit_code == 0, result.stderr
    assert '"id": "three-tier"' in result.stdout


def test_nearest_file_wins_and_pyproject_without_table_is_skipped(project: Path) -> None:
    (project / ".svclevel.yaml").write_text("rubric: three-rung\n")
    (project / "audits" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (project / "audits" / "2026" / ".svclevel.yaml").write_text("rubric: four-tier\n")
    result = run_cli("config")
    assert result.stdout.splitlines()[0] == f"configuration file: {Path.cwd() / '.svclevel.yaml'}"
    assert re.search(r"^rubric +four-tier ", result.stdout, re.MULTILINE)


def test_environment_beats_file_and_flags_beat_environment(project: Path) -> None:
    (project / ".svclevel.yaml").write_text("rubric: three-rung\nformat: csv\n")
    env = {"SVCLEVEL_RUBRIC": "three-tier", "SVCLEVEL_FORMAT": "json"}
    from_env = run_cli("assess", "../harbor.yaml", env=env)
    assert '"id": "three-tier"' in from_env.stdout
    from_flag = run_cli("assess", "../harbor.yaml", "-r", "four-tier", "-f", "csv", env=env)
    assert ",four-tier," in from_flag.stdout


def test_file_rubric_beats_configured_default(project: Path) -> None:
    (project / ".svclevel.yaml").write_text("rubric: three-rung\nformat: csv\n")
    shutil.copy(EXAMPLES / "northwind-telecom.yaml", project / "audits" / "northwind.yaml")
    result = run_cli("assess", "../northwind.yaml")
    assert ",four-level," in result.stdout  # the file says rubric: four-level


def test_isolated_ignores_files_and_environment(project: Path) -> None:
    (project / ".svclevel.yaml").write_text("rubric: three-rung\n")
    result = run_cli("assess", "../harbor.yaml", "--isolated", env={"SVCLEVEL_RUBRIC": "x"})
    assert result.exit_code == 2
    assert "no rubric chosen" in result.stderr


def test_explicit_config_path(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "ci.yaml"
    other.write_text("rubric: four-tier\nfail_below: exceptional\n")
    result = run_cli("assess", "../harbor.yaml", "--config", str(other))
    assert result.exit_code == 1
    assert "below the threshold Exceptional" in result.stderr


def test_rubric_dirs_from_config_are_relative_to_the_file(project: Path) -> None:
    (project / "rubrics").mkdir()
    mini = (Path(__file__).parents[1] / "data" / "valid" / "mini-rubric.yaml").read_text()
    (project / "rubrics" / "mini.yaml").write_text(mini)
    (project / ".svclevel.yaml").write_text("rubric: mini\nrubric_dirs: [rubrics]\nformat: csv\n")
    result = run_cli("assess", "../harbor.yaml")
    assert result.exit_code == 0, result.stderr
    assert ",mini,2," in result.stdout


def test_config_command_shows_values_and_sources(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.svclevel]\nfail_below = 2\n")
    result = run_cli("config", env={"SVCLEVEL_FORMAT": "markdown"})
    assert result.exit_code == 0
    assert [" ".join(line.split()) for line in result.stdout.splitlines()[:7]] == [
        f"configuration file: {project / 'pyproject.toml'}",
        "rubric (none) (default)",
        f"fail_below 2 ({project / 'pyproject.toml'} [tool.svclevel])",
        "rubric_dirs (none) (default)",
        "format markdown (SVCLEVEL_FORMAT)",
        "exceptions (none) (default)",
        "max_exception_days 365 (default)",
    ]
    assert (
        result.stdout.splitlines()[7:]
        == [  # the white label, by default none but these
            line for line in result.stdout.splitlines()[7:] if line.startswith("report.")
        ]
    )
    assert len(result.stdout.splitlines()) == 7 + 10


def test_invalid_config_is_reported_with_its_position(project: Path) -> None:
    (project / ".svclevel.yaml").write_text("rubric: four-level\nfail_bellow: 2\n")
    result = run_cli("assess", "../harbor.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{project / '.svclevel.yaml'}:2:1: fail_bellow: unknown key 'fail_bellow'; "
        "did you mean 'fail_below'? (allowed: exceptions, fail_below, format, "
        "max_exception_days, report, rubric, rubric_dirs)\n"
    )


def test_invalid_toml_config(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.svclevel]\nformat = "docx"\n')
    result = run_cli("config")
    assert result.exit_code == 2
    assert "tool.svclevel.format" in result.stderr


@pytest.fixture
def mini_folder(project: Path) -> Path:
    (project / "rubrics").mkdir()
    mini = (Path(__file__).parents[1] / "data" / "valid" / "mini-rubric.yaml").read_text()
    (project / "rubrics" / "mini.yaml").write_text(mini)
    (Path.cwd() / "mini-answers.yaml").write_text(
        "company: Mini Co\ndate: 2026-11-01\nrubric: mini\nanswers: {}\n"
    )
    return project / "rubrics"


@pytest.mark.parametrize(
    "command",
    [
        ["rubrics", "show", "mini"],
        ["init", "-r", "mini"],
        ["validate", "mini-answers.yaml"],
        ["assess", "mini-answers.yaml"],
        ["diff", "mini-answers.yaml", "mini-answers.yaml"],
        ["compare", "mini-answers.yaml", "-r", "mini"],
        ["schema", "answers", "-r", "mini"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_every_command_that_loads_a_rubric_honours_the_rubric_folders(
    mini_folder: Path, command: list[str]
) -> None:
    # Unknown without the folder; found with --rubric-dir, with the configuration file and
    # with SVCLEVEL_RUBRIC_DIRS; --isolated ignores the last two.
    assert run_cli(*command).exit_code == 2
    assert run_cli(*command, "--rubric-dir", str(mini_folder)).exit_code == 0
    env = {"SVCLEVEL_RUBRIC_DIRS": str(mini_folder)}
    assert run_cli(*command, env=env).exit_code == 0
    assert run_cli(*command, "--isolated", env=env).exit_code == 2
    (mini_folder.parent / ".svclevel.yaml").write_text("rubric_dirs: [rubrics]\n")
    assert run_cli(*command).exit_code == 0
    assert run_cli(*command, "--isolated").exit_code == 2


def test_options_a_schema_does_not_use_are_refused() -> None:
    result = run_cli("schema", "result", "--rubric", "four-level")
    assert result.exit_code == 2
    assert "apply to `schema answers` only" in result.stderr
    assert run_cli("schema", "answers", "--rubric", "four-level").exit_code == 0


def test_validate_and_diff_use_the_configured_rubric(mini_folder: Path) -> None:
    # An answers file naming no rubric answers a question of the configured one: validate
    # checks it against that rubric, as assess does; without the configuration the question
    # is unknown. diff compares on the configured rubric.
    (Path.cwd() / "plain.yaml").write_text(
        "company: Mini Co\ndate: 2026-11-01\nanswers:\n  has_phone_line: yes\n"
    )
    (mini_folder.parent / ".svclevel.yaml").write_text("rubric: mini\nrubric_dirs: [rubrics]\n")
    assert run_cli("validate", "plain.yaml").exit_code == 0
    isolated = run_cli("validate", "plain.yaml", "--isolated")
    assert isolated.exit_code == 2
    assert "unknown question 'has_phone_line'" in isolated.stdout
    (Path.cwd() / "plain.yaml").write_text("company: Mini Co\ndate: 2026-11-01\nanswers: {}\n")
    diffed = run_cli("diff", "plain.yaml", "plain.yaml", "-f", "json")
    assert diffed.exit_code == 0, diffed.stderr
    assert [r["rubric"] for r in json.loads(diffed.stdout)["rubrics"]] == ["mini"]


def test_init_all_takes_the_rubrics_of_the_rubric_folders_too(mini_folder: Path) -> None:
    plain = run_cli("init").stdout
    with_folder = run_cli("init", "--rubric-dir", str(mini_folder)).stdout
    assert "has_phone_line" not in plain  # a question of the mini rubric's own
    assert "has_phone_line:" in with_folder


# ------------------------------------------------------------------ the white label (report)

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8"/></svg>'


def _html(*args: str) -> str:
    result = run_cli("assess", "../harbor.yaml", "-r", "four-level", "-f", "html", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_report_table_of_pyproject_labels_the_html_report(project: Path) -> None:
    (project / "brand").mkdir()
    (project / "brand" / "logo.svg").write_text(SVG)
    (project / "pyproject.toml").write_text(
        "[tool.svclevel.report]\n"
        'consultancy = "Larkspur Service Partners"\n'
        'logo = "brand/logo.svg"\n'
        'prepared_for = "Harbor Lane board"\n'
        'accent = "#0a7d5a"\n'
    )
    page = _html()
    assert '<span class="consultancy">Larkspur Service Partners</span>' in page
    assert '<img class="logo" src="data:image/svg+xml;base64,' in page
    assert "<dd>Harbor Lane board</dd>" in page
    assert "--accent: #0a7d5a;" in page
    shown = run_cli("config").stdout
    assert re.search(r"^report\.consultancy +Larkspur Service Partners ", shown, re.MULTILINE)
    assert f"({project / 'pyproject.toml'} [tool.svclevel])" in shown


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("report:\n  colour: red\n", "2:3: report.colour: unknown key 'colour'"),
        (
            "report:\n  accent: red\n",
            "2:11: report.accent: expected a colour as #rgb or #rrggbb, such as '#0a5c7d', "
            "got 'red'",
        ),
        ("report:\n  paper: A5\n", "2:10: report.paper: "),
        ("report:\n  consultancy: ''\n", "2:16: report.consultancy: "),
        ("report:\n  issued: yesterday\n", "2:11: report.issued: expected a date such as"),
        ("report:\n  issued: 0\n", "2:11: report.issued: expected a date such as 2026-12-01"),
        (
            'report:\n  consultancy: "A\\nB"\n',
            "2:16: report.consultancy: must be one line of text, without line breaks",
        ),
    ],
)
def test_a_report_table_with_a_mistake_is_bad_input_at_its_line(
    project: Path, yaml_text: str, message: str
) -> None:
    (project / ".svclevel.yaml").write_text(yaml_text)
    result = run_cli("assess", "../harbor.yaml", "-r", "four-level", "-f", "html")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{project / '.svclevel.yaml'}:{message}"), result.stderr


def test_a_logo_outside_the_configuration_files_folder_is_refused(project: Path) -> None:
    """A configuration file that came with a pull request must not embed a file of the
    machine (a key, a document) in the report that goes to the client."""
    secret = project.parent / "elsewhere.png"
    secret.write_bytes((ROOT / "docs" / "report-example.png").read_bytes())
    (project / ".svclevel.yaml").write_text(f"report:\n  logo: {secret}\n")
    result = run_cli("assess", "../harbor.yaml", "-r", "four-level", "-f", "html")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{project / '.svclevel.yaml'}:2: report.logo {secret} is outside the configuration "
        "file's folder, and a configuration file may come with the files it checks: give this "
        "logo with --white-label logo=PATH\n"
    )
    flagged = _html("--isolated", "--white-label", f"logo={secret}")  # the user's own flag
    assert 'src="data:image/png;base64,' in flagged


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a", "not a PNG or SVG image"),
        (b"<html><body>x</body></html>", "not a PNG or SVG image"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 1_000_001, "the logo is larger than 1 MB"),
    ],
)
def test_a_logo_that_is_no_small_png_or_svg_is_refused(
    project: Path, content: bytes, message: str
) -> None:
    (project / "logo.img").write_bytes(content)
    (project / ".svclevel.yaml").write_text("report:\n  logo: logo.img\n")
    result = run_cli("assess", "../harbor.yaml", "-r", "four-level", "-f", "html")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{project / '.svclevel.yaml'}:2: report.logo {project / 'logo.img'}: {message}"
        + ("; a report needs a few kB" if "larger" in message else "")
        + "\n"
    )


def test_white_label_flags_are_checked_and_never_ignored(project: Path) -> None:
    bad = run_cli("assess", "../harbor.yaml", "-r", "four-level", "--white-label", "colour=red")
    assert bad.exit_code == 2
    assert bad.stderr.startswith(
        "--white-label colour=red: unknown key 'colour' (allowed: consultancy, logo, "
    )
    nothing = run_cli(
        "assess", "../harbor.yaml", "-r", "four-level", "-f", "json", "--white-label", "paper=A4"
    )
    assert nothing.exit_code == 0
    assert nothing.stderr == (
        "svclevel: warning: --white-label paper changes nothing: this run makes no html or "
        "pdf report\n"
    )
    paths = _html("--white-label", "show_paths=true")
    assert "(../harbor.yaml)" in paths  # asked for: the path as given
    assert "(harbor.yaml)" in _html()  # by default: the name alone


def test_a_logo_that_is_not_a_file_is_refused_without_waiting(project: Path) -> None:
    import os

    os.mkfifo(project / "logo.png")  # reading a named pipe would wait for a writer forever
    (project / ".svclevel.yaml").write_text("report:\n  logo: logo.png\n")
    result = run_cli("assess", "../harbor.yaml", "-r", "four-level", "-f", "html")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{project / '.svclevel.yaml'}:2: report.logo {project / 'logo.png'}: is not a file; "
        "the logo is a PNG or SVG file\n"
    )


def test_an_svg_logo_with_a_doctype_is_read_and_one_with_entities_refused(project: Path) -> None:
    svg = SVG.replace("<svg ", "<svg:svg xmlns:svg='http://www.w3.org/2000/svg' ", 1)
    (project / "plain.svg").write_text('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">\n' + SVG)
    (project / "prefixed.svg").write_text(svg)
    (project / "entities.svg").write_text(
        '<!DOCTYPE svg [ <!ENTITY a "aaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;"> ]>\n' + SVG
    )
    for name in ("plain.svg", "prefixed.svg"):
        logo = f"logo={project / name}"
        assert 'src="data:image/svg+xml;base64,' in _html("--white-label", logo)
    entities = project / "entities.svg"
    result = run_cli(
        "assess",
        "../harbor.yaml",
        "-r",
        "four-level",
        "-f",
        "html",
        "--white-label",
        f"logo={entities}",
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"--white-label logo {entities}: declares XML entities, which svclevel does not expand"
    )


def test_a_report_file_cannot_be_written_over_the_logo(project: Path) -> None:
    (project / "logo.png").write_bytes((ROOT / "docs" / "report-example.png").read_bytes())
    (project / ".svclevel.yaml").write_text("report:\n  logo: logo.png\n")
    result = run_cli(
        "assess", "../harbor.yaml", "-r", "four-level", "--report", f"html={project / 'logo.png'}"
    )
    assert result.exit_code == 2
    assert (project / "logo.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_config_checks_the_logo_and_shows_every_report_setting(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.svclevel.report]\nlogo = "gone.png"\n')
    result = run_cli("config")
    assert result.exit_code == 2
    assert f"{project / 'pyproject.toml'}:2: report.logo {project / 'gone.png'}: cannot read" in (
        result.stderr
    )
    assert re.search(r"^report\.show_paths +false +\(default\)$", result.stdout, re.MULTILINE)
    assert re.search(r"^report\.accent +#2f5bd3 +\(default\)$", result.stdout, re.MULTILINE)
    bad = '[tool.svclevel]\nformat = "text"\nreport.paper = "A5"\n'
    (project / "pyproject.toml").write_text(bad)
    located = run_cli("config")
    assert located.exit_code == 2
    assert located.stderr.startswith(f"{project / 'pyproject.toml'}:3: tool.svclevel.report.paper")


def test_a_white_label_key_given_twice_is_said(project: Path) -> None:
    result = run_cli(
        "assess",
        "../harbor.yaml",
        "-r",
        "four-level",
        "-f",
        "html",
        "--white-label",
        "consultancy=A",
        "--white-label",
        "consultancy=B",
    )
    assert result.exit_code == 0
    assert result.stderr == (
        "svclevel: warning: --white-label consultancy given more than once; the last one counts "
        "(consultancy=B)\n"
    )
    assert '<span class="consultancy">B</span>' in result.stdout
