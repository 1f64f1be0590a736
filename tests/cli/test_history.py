"""svclevel history on the command line: its output, its exit codes, its errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from svclevel.report import Format
from tests.helpers import BUILTIN_IDS, EXAMPLES, HISTORY, ROOT, require_pdf, run_cli

YEARS = [str(HISTORY / f"wrenfield-{year}.yaml") for year in (2024, 2025, 2026)]


@pytest.fixture
def dropped(tmp_path: Path) -> str:
    """A fourth year, a level lower: the first reply slips to 7 hours (Exceed needs 4)."""
    data = yaml.safe_load(Path(YEARS[2]).read_text(encoding="utf-8"))
    data["date"] = "2027-10-12"
    data["period"] = {"from": "2026-10-01", "to": "2027-09-30"}
    data["answers"]["first_response_hours"]["value"] = 7
    path = tmp_path / "wrenfield-2027.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def test_the_text_report_of_three_years(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    result = run_cli("history", "examples/history", "-f", "text")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "Wrenfield Bicycle Works: 3 assessments, 2024-10-15 to 2026-10-13",
        "",
        "four-level: up 2 levels from 2024-10-15 to 2026-10-13",
        "  2024-10-15  1. Meet expectations    examples/history/wrenfield-2024.yaml",
        "  2025-10-14  2. Exceed expectations  examples/history/wrenfield-2025.yaml",
        "  2026-10-13  3. Delight customers    examples/history/wrenfield-2026.yaml",
        "  2024-10-15 → 2025-10-14: Meet expectations → Exceed expectations (up 1)",
        "    + gained: documented_processes (meet): no → yes",
        "    + gained: first_response_hours (exceed): 9 hours → 3 hours",
        "    + gained: follow_up_after_sale (exceed): sometimes → usually",
        "    + gained: differentiator (exceed): no → yes",
        "    + gained: surprise_gestures (exceed): rarely → sometimes",
        "    + gained: differentiator (delight): no → yes",
        "  2025-10-14 → 2026-10-13: Exceed expectations → Delight customers (up 1)",
        "    + gained: customers_feel_valued (delight): sometimes → usually",
        "    + gained: csat_pct (delight): 86 % → 91 %",
        "    - lost: surprise_gestures (exceed): sometimes → rarely, needed sometimes or better",
    ]


def test_the_summary_is_a_line_per_rubric() -> None:
    result = run_cli("history", *YEARS, "-r", "four-level", "-r", "three-rung", "-f", "summary")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{YEARS[2]}: Wrenfield Bicycle Works on four-level — Meet expectations → Exceed "
        "expectations → Delight customers (up), 2024-10-15 to 2026-10-13",
        f"{YEARS[2]}: Wrenfield Bicycle Works on three-rung — Rung 2 - Satisfactory "
        "(provisional) → Rung 2 - Satisfactory (provisional) → Rung 2 - Satisfactory "
        "(provisional) (same), 2024-10-15 to 2026-10-13",
    ]


def test_rubric_all_follows_every_built_in_rubric() -> None:
    record = json.loads(run_cli("history", *YEARS, "-r", "all", "-f", "json").stdout)
    assert [r["rubric"]["id"] for r in record["rubrics"]] == list(BUILTIN_IDS)


def test_a_drop_exits_1_under_fail_on_drop_only(dropped: str) -> None:
    assert run_cli("history", *YEARS, dropped).exit_code == 0
    result = run_cli("history", *YEARS, dropped, "--fail-on-drop", "-f", "text")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"svclevel: {dropped}: Wrenfield Bicycle Works dropped on four-level from Delight "
        "customers (2026-10-13) to Meet expectations (2027-10-12)",
        "svclevel:   first_response_hours (exceed): was 3 hours, now 7 hours; needed ≤ 4 hours",
    ]
    assert run_cli("history", *YEARS, dropped, "--fail-on-drop", "--exit-zero").exit_code == 0
    assert run_cli("history", *YEARS, "--fail-on-drop").exit_code == 0  # it rose


def test_a_drop_is_said_in_the_formats_that_say_failed_gates(dropped: str) -> None:
    summary = run_cli("history", *YEARS, dropped, "--fail-on-drop", "-f", "summary")
    assert summary.exit_code == 1
    assert summary.stderr == ""  # the summary on stdout says it
    assert summary.stdout.splitlines()[-1] == (
        f"{dropped}: Wrenfield Bicycle Works dropped on four-level from Delight customers "
        "(2026-10-13) to Meet expectations (2027-10-12)"
    )
    github = run_cli("history", *YEARS, dropped, "--fail-on-drop", "-f", "github").stdout
    assert f"::error file={dropped},title=svclevel%3A dropped since the previous date::" in github
    markdown = run_cli("history", *YEARS, dropped, "--fail-on-drop", "-f", "markdown").stdout
    assert "> **❌ Dropped since the previous date:**" in markdown


def test_exit_zero_without_fail_on_drop_is_a_warning() -> None:
    result = run_cli("history", *YEARS, "--exit-zero")
    assert result.exit_code == 0
    assert result.stderr == "svclevel: warning: --exit-zero changes nothing: no --fail-on-drop\n"


def _other_company(tmp_path: Path) -> str:
    path = tmp_path / "other.yaml"
    path.write_text(
        Path(YEARS[1])
        .read_text(encoding="utf-8")
        .replace("company: Wrenfield Bicycle Works", "company: Wrenfield Bikes"),
        encoding="utf-8",
    )
    return str(path)


def test_a_file_of_another_company_is_bad_input_and_nothing_is_written(tmp_path: Path) -> None:
    report = tmp_path / "history.json"
    result = run_cli("history", YEARS[0], _other_company(tmp_path), "--report", f"json={report}")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{tmp_path / 'other.yaml'}:3:10: company: 'Wrenfield Bikes' differs from 'Wrenfield "
        f"Bicycle Works' ({YEARS[0]}): a history is of one company\n"
    )
    assert not report.exists()


def test_two_files_of_one_date_are_bad_input_naming_both(tmp_path: Path) -> None:
    again = tmp_path / "again.yaml"
    again.write_text(Path(YEARS[0]).read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("history", YEARS[0], str(again))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{again}:4:7: date: 2024-10-15 is also the date of {YEARS[0]}: a history takes one "
        "answers file per date\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            YEARS[:1],
            f"history needs at least 2 answers files of one company, each with its own "
            f"date; got 1: {YEARS[0]}",
        ),
        (
            [YEARS[0], YEARS[0]],
            f"history needs at least 2 answers files of one company, each "
            f"with its own date; got 1: {YEARS[0]}",
        ),
        ([YEARS[0], "missing.yaml"], "missing.yaml: no such file"),
        ([*YEARS, "-r", "four-levle"], "unknown rubric 'four-levle'"),
        ([*YEARS, "-f", "docx"], "unknown format 'docx'"),
    ],
)
def test_bad_input_and_usage_exit_2(args: list[str], message: str) -> None:
    result = run_cli("history", *args, env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_a_rubric_in_a_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    for path in YEARS[:2]:
        (tmp_path / Path(path).name).write_text(Path(path).read_text(encoding="utf-8"))
    rubric = EXAMPLES / "rubrics" / "retail-four-level.yaml"
    (tmp_path / rubric.name).write_text(rubric.read_text(encoding="utf-8"))
    result = run_cli("history", str(tmp_path), "-f", "summary")
    assert result.exit_code == 0
    assert result.stderr == (
        f"svclevel: warning: {tmp_path / rubric.name}: skipped: this is a rubric, not an answers "
        "file (check it with `svclevel validate`)\n"
    )
    assert "Meet expectations → Exceed expectations (up)" in result.stdout


def test_standard_input_is_one_of_the_files() -> None:
    stdin = Path(YEARS[0]).read_text(encoding="utf-8")
    result = run_cli("history", "-", YEARS[1], "-f", "json", stdin=stdin)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"] == ["<stdin>", YEARS[1]]


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_the_same_input_gives_the_same_bytes(fmt: str, tmp_path: Path) -> None:
    if fmt == "pdf":
        require_pdf()
    first, second = tmp_path / "first", tmp_path / "second"
    for target in (first, second):
        result = run_cli("history", *reversed(YEARS), "-f", "text", "--report", f"{fmt}={target}")
        assert result.exit_code == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 0


def test_readme_history_is_what_svclevel_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- history:start -->\n```text\n(.*?)\n```\n<!-- history:end -->", readme, re.S
    )
    assert match, "README.md lacks the history block"
    shown = run_cli("history", "examples/history", "-f", "text", "--isolated")
    assert match.group(1) == shown.stdout.rstrip()
