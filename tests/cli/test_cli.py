"""The command line: reports, exit codes, messages on stderr, escaping, help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import WriteAnswers
from tests.helpers import DATA, EXAMPLES, ROOT, run_cli

HARBOR = str(EXAMPLES / "harbor-lane-shop.yaml")


def test_assess_prints_the_verdict_ladder_gaps_and_next_steps() -> None:
    result = run_cli("assess", HARBOR)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Verdict: Harbor Lane Kitchen Supply reaches Exceed expectations (level 2 of 4)." in out
    assert "> 2. Exceed expectations" in out
    assert "<- you are here" in out
    assert "Gaps to level 3, Delight customers" in out
    assert "answer: sometimes   needed: usually or better   [not met]" in out
    assert "Next steps, by impact" in out
    # the first next step is the required, heaviest gap, with its tip
    steps = out.split("Next steps, by impact")[1].splitlines()[2]
    assert steps.startswith(" 1. Add a question about feeling cared for")
    assert "(customers_feel_valued, required)" in out
    assert "Roadmap to the top" in out
    assert result.stderr == ""


def test_plain_text_when_not_a_terminal_has_no_escape_codes() -> None:
    result = run_cli("assess", HARBOR, env={"NO_COLOR": ""})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout


def test_rich_format_renders_progress_bars_and_colour_on_request() -> None:
    result = run_cli("assess", HARBOR, "--format", "rich", env={"NO_COLOR": ""})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "━" in result.stdout
    assert "◀ you are here" in result.stdout


def test_rich_format_without_colour_when_no_color_is_set() -> None:
    result = run_cli("assess", HARBOR, "--format", "rich")
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "Exceed expectations" in result.stdout


def test_below_the_ladder_is_said_plainly() -> None:
    result = run_cli("assess", str(EXAMPLES / "northwind-telecom.yaml"))
    assert result.exit_code == 0
    assert (
        "Verdict: Below the ladder: Northwind Telecom does not reach the first level, "
        "Meet expectations, so no level is attained." in " ".join(result.stdout.split())
    )
    assert "> 0. (below the ladder)" in result.stdout


def test_skipped_fundamentals_are_named(write_answers: WriteAnswers) -> None:
    # Desired in full, but frequent complaints fail a required criterion of Expected
    path = write_answers(
        {
            "complaint_frequency": "frequent",
            "first_response_hours": 4,
            "resolution_rate_pct": 95,
            "friendly_staff": "always",
            "csat_pct": 85,
            "policies_transparent": True,
            "loyalty_rewards": True,
            "customers_feel_valued": "always",
            "retention_vs_benchmark_pts": 5,
            "surprise_gestures": "usually",
            "nps": 40,
            "feedback_frequency": "monthly",
            "service_review": True,
        },
        rubric="four-tier",
    )
    result = run_cli("assess", str(path))
    assert result.exit_code == 0, result.stderr
    assert (
        "Fundamentals first: Desired is met on its own, but Expected below it is not, so the "
        "company is placed at Unsatisfactory." in result.stdout.replace("\n", " ")
    )
    assert "3. Desired" in result.stdout
    assert "not counted (a lower level is not met)" in result.stdout


def test_explain_shows_every_criterion_and_the_arithmetic() -> None:
    result = run_cli("assess", HARBOR, "--explain")
    assert result.exit_code == 0
    out = result.stdout
    assert "Explanation: every criterion" in out
    assert (
        "met weight 8 of 8 applicable = 100%, pass mark 85% → reached; every required "
        "criterion met" in out.replace("\n  ", " ")
    )
    assert "Level 3, Delight customers: not met" in out
    assert out.count("answer: ") >= 18  # every criterion of every level


def test_rubric_option_overrides_the_file_default() -> None:
    result = run_cli("assess", HARBOR, "--rubric", "three-rung")
    assert result.exit_code == 0
    assert "reaches Rung 2 - Satisfactory" in result.stdout


def test_rubric_option_accepts_a_path(write_answers: WriteAnswers) -> None:
    path = write_answers({"promises_kept": "always", "has_phone_line": True})
    result = run_cli("assess", str(path), "--rubric", str(DATA / "valid" / "mini-rubric.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "Mini ladder for tests" in result.stdout
    assert "has_phone_line" not in result.stderr


def test_rubric_named_in_the_file_is_found_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "rubrics").mkdir()
    rubric = (DATA / "valid" / "mini-rubric.yaml").read_text()
    (tmp_path / "rubrics" / "mini.yaml").write_text(rubric)
    answers = tmp_path / "acme.yaml"
    answers.write_text("company: Acme\ndate: 2026-01-01\nrubric: rubrics/mini.yaml\nanswers: {}\n")
    result = run_cli("assess", str(answers))
    assert result.exit_code == 0, result.stderr
    assert "Below the ladder: Acme" in result.stdout


def test_no_rubric_at_all_is_a_usage_error(write_answers: WriteAnswers) -> None:
    path = write_answers({})
    result = run_cli("assess", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}: no rubric chosen: pass --rubric ID|PATH or add 'rubric: ID' to the file "
        "(built-in: four-level, four-tier, three-rung, three-tier)\n"
    )


def test_unknown_rubric_option_suggests_the_closest() -> None:
    result = run_cli("assess", HARBOR, "--rubric", "three-tiers")
    assert result.exit_code == 2
    assert "unknown rubric 'three-tiers'; did you mean 'three-tier'?" in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli("assess", str(tmp_path / "nope.yaml"), "--rubric", "four-level")
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'nope.yaml'}: no such file\n"
    assert result.stdout == ""


def test_folder_without_answers_files(tmp_path: Path) -> None:
    result = run_cli("assess", str(tmp_path), "--rubric", "four-level")
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}: no *.yaml or *.yml files in folder\n"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"company: Caf\xe9\ndate: 2026-01-01\n")
    result = run_cli("assess", str(path), "--rubric", "four-level")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}:1:13: not valid UTF-8 at byte 0xE9 ('é' in Windows-1252): the file looks like "
        "Windows-1252 / Latin-1; save it as UTF-8\n"
    )


def test_markup_in_file_text_prints_literally(write_answers: WriteAnswers) -> None:
    path = write_answers(
        {"promises_kept": {"value": "never", "evidence": "[red]fake[/red] evidence"}},
        company="[bold]X[/bold] Ltd",
    )
    for fmt in ("text", "rich"):
        result = run_cli("assess", str(path), "-r", "four-level", "-f", fmt, "--explain")
        assert result.exit_code == 0, result.stderr
        assert "[bold]X[/bold] Ltd" in result.stdout
        assert "[red]fake[/red] evidence" in result.stdout


def test_internal_errors_exit_3_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import svclevel.engine.facade

    def boom(*_: object, **__: object) -> None:
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(svclevel.engine.facade, "score", boom)
    result = run_cli("assess", HARBOR)
    assert result.exit_code == 3
    assert result.stderr == (
        "svclevel: internal error: ZeroDivisionError: float division by zero "
        "(this is a bug; set SVCLEVEL_DEBUG=1 for the traceback)\n"
    )
    debug = run_cli("assess", HARBOR, env={"SVCLEVEL_DEBUG": "1"})
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.stderr
    assert "ZeroDivisionError" in debug.stderr


def test_unknown_option_is_a_usage_error() -> None:
    result = run_cli("assess", HARBOR, "--frobnicate")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_unknown_format_is_a_usage_error() -> None:
    result = run_cli("assess", HARBOR, "--format", "docx")
    assert result.exit_code == 2
    assert "docx" in result.stderr


@pytest.mark.parametrize("args", [[], ["assess"], ["rubrics"], ["rubrics", "show"]])
def test_help_on_every_command(args: list[str]) -> None:
    result = run_cli(*args, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_help_documents_exit_codes() -> None:
    result = run_cli("--help")
    text = " ".join(result.stdout.split())
    assert (
        "Exit codes: 0 assessed; 1 below --fail-below, dropped against --baseline, or dropped "
        "since the previous date with history --fail-on-drop" in text
    )
    assert "2 bad input or usage" in text


def test_version() -> None:
    from svclevel import __version__

    result = run_cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"svclevel {__version__}\n")


def test_rubrics_lists_the_built_ins() -> None:
    result = run_cli("rubrics")
    assert result.exit_code == 0
    for rubric_id in ("four-level", "three-tier", "three-rung", "four-tier"):
        assert rubric_id in result.stdout
    assert "Meet expectations → Exceed expectations" in result.stdout


def test_rubrics_show_prints_ladder_criteria_tips_and_sources() -> None:
    result = run_cli("rubrics", "show", "four-tier")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "Levels of Customer Service: Definitions and Tips" in out
    for level in ("4. Exceptional", "3. Desired", "2. Expected", "1. Unsatisfactory"):
        assert level in out
    assert out.index("4. Exceptional") < out.index("1. Unsatisfactory")
    assert "Floor level: no criteria" in out
    # a level whose ids fit is a table (id, needed, weight) ...
    assert "| complaint_frequency | occasional | 3 |" in out
    assert "| (required) |" in out
    # ... and one where a column would cut an id (retention_vs_benchmark_pts) is a list
    assert "retention_vs_benchmark_pts (required)" in out
    assert (
        "loyalty_rewards (required) Do repeat customers receive rewards for their loyalty (a "
        "loyalty programme, special discounts, birthday or anniversary gifts)? needed: yes "
        "weight: 3 recommendation and basis: recommendation: Start a simple loyalty reward"
    ) in out
    assert "source: Levels of Customer Service: Definitions and Tips — 3. Desired, line 23" in out
    assert "the rubric's choice:" in out


def test_rubrics_show_a_path() -> None:
    result = run_cli("rubrics", "show", str(DATA / "valid" / "mini-rubric.yaml"))
    assert result.exit_code == 0
    assert "has_phone_line" in result.stdout


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "svclevel", "assess", HARBOR, "--rubric", "nope"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "unknown rubric 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_cites_the_sources_advice_for_the_next_level() -> None:
    result = run_cli("assess", HARBOR)
    out = " ".join(result.stdout.split())
    assert "How the sources say to reach Delight customers" in out
    assert (
        "(Which Level of Customer support do you provide? — 3. Delight your Customers, line 19)"
        in out
    )


def test_top_of_the_ladder_has_no_gaps() -> None:
    result = run_cli("assess", str(EXAMPLES / "brightdesk-saas.yaml"))
    assert result.exit_code == 0
    assert "reaches Transformational service (the top of the ladder)" in result.stdout
    assert "None: every level of the ladder is met." in result.stdout
    assert "Next steps" not in result.stdout


def test_control_characters_from_files_never_reach_the_terminal(
    write_answers: WriteAnswers,
) -> None:
    path = write_answers(
        {"promises_kept": {"value": "never", "evidence": "line one\nline two \x1b[2J cleared"}},
        company="Evil\x1b]0;title\x07 Corp",
    )
    for fmt in ("text", "rich"):
        result = run_cli("assess", str(path), "-r", "four-level", "-f", fmt, "--explain")
        assert result.exit_code == 0
        assert "\x1b]0;" not in result.stdout
        assert "\x1b[2J" not in result.stdout
        assert "\x07" not in result.stdout


def test_rubrics_show_escapes_control_characters(tmp_path: Path) -> None:
    text = (DATA / "valid" / "mini-rubric.yaml").read_text(encoding="utf-8")
    path = tmp_path / "evil.yaml"
    path.write_text(
        text.replace("title: Mini ladder for tests", 'title: "Mini\\e[2J ladder"'), encoding="utf-8"
    )
    result = run_cli("rubrics", "show", str(path), env={"NO_COLOR": ""})
    assert result.exit_code == 0, result.stderr
    assert "\x1b[2J" not in result.stdout
    assert "Mini\\x1b[2J ladder" in result.stdout


def test_dash_reads_answers_from_standard_input() -> None:
    harbor = (EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8")
    result = run_cli("assess", "-", "-f", "text", stdin=harbor)
    assert result.exit_code == 0, result.stderr
    assert "answers from <stdin>" in result.stdout
    assert "reaches Exceed expectations (level 2 of 4)" in result.stdout
    # with other inputs, in order, and named <stdin> in the records
    both = run_cli(
        "assess", "-", str(EXAMPLES / "alder-grove-hotel.yaml"), "-f", "json", stdin=harbor
    )
    assert both.exit_code == 0, both.stderr
    records = [json.loads(line) for line in both.stdout.splitlines()]
    assert [r["answers_file"] for r in records] == [
        "<stdin>",
        str(EXAMPLES / "alder-grove-hotel.yaml"),
    ]


def test_dash_names_standard_input_in_messages() -> None:
    result = run_cli(
        "assess",
        "-",
        "-f",
        "json",
        stdin="company: X\ndate: 2026-01-01\nrubric: four-level\nanswers:\n  nps: 500\n",
    )
    assert result.exit_code == 2
    assert result.stderr == "<stdin>:5:8: answers.nps: must be ≤ 100 points, got 500\n"
    empty = run_cli("assess", "-", stdin="")
    assert empty.exit_code == 2
    assert empty.stderr.startswith("<stdin>: ")


def test_dash_among_many_inputs_is_read_once(tmp_path: Path) -> None:
    """Standard input in a batch big enough for worker processes: read here, once."""
    for i in range(70):
        (tmp_path / f"c{i:02d}.yaml").write_text(
            (EXAMPLES / "alder-grove-hotel.yaml").read_text(encoding="utf-8")
        )
    harbor = (EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8")
    result = run_cli("assess", str(tmp_path), "-", "-", "-f", "csv", stdin=harbor)
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    assert len(rows) == 71
    assert rows[-1].startswith("<stdin>,assessed,Harbor Lane Kitchen Supply,")


def test_dash_works_for_validate_compare_and_diff() -> None:
    harbor = (EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8")
    assert run_cli("validate", "-", stdin=harbor).exit_code == 0
    bad = run_cli("validate", "-", stdin=harbor.replace("value: 41", "value: 410"))
    assert bad.exit_code == 2
    assert bad.stdout.startswith("<stdin>:")
    assert "answers.nps.value: must be ≤ 100 points, got 410" in bad.stdout
    compared = run_cli("compare", "-", "-f", "text", stdin=harbor)
    assert compared.stdout.startswith(
        "Harbor Lane Kitchen Supply (<stdin>): the models side by side"
    )
    diffed = run_cli("diff", "-", str(EXAMPLES / "harbor-lane-shop.yaml"), stdin=harbor)
    assert diffed.exit_code == 0
    assert "(unchanged)" in diffed.stdout


def test_dash_reads_no_more_than_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import svclevel.load.yamlfile

    monkeypatch.setattr(svclevel.load.yamlfile, "MAX_BYTES", 1000)
    result = run_cli("assess", "-", stdin="company: " + "x" * 2000 + "\n")
    assert result.exit_code == 2
    assert result.stderr == "<stdin>: input is too large (more than 1000 bytes)\n"
