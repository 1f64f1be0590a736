"""svclevel compare: the common scale, disagreements explained from data, crosswalks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt

from svclevel.engine.compare import compare, crosswalk
from svclevel.load.rubrics import load_all_builtin, load_rubric
from svclevel.report.json_schema import compare_schema
from tests.conftest import WriteAnswers
from tests.helpers import BUILTIN_IDS, DATA, EXAMPLES, WALKED_EXAMPLES, assess_data, run_cli

ALDER = str(EXAMPLES / "alder-grove-hotel.yaml")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = compare_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _json(*args: str) -> list[dict[str, Any]]:
    result = run_cli("compare", *args, "-f", "json")
    assert result.exit_code in (0, 1, 2), result.stderr
    text = result.stdout.strip()
    return [json.loads(line) for line in text.splitlines()] if "\n{" in text else [json.loads(text)]


def test_top_of_every_ladder_is_100_on_every_row(
    write_answers: WriteAnswers, best: dict[str, Any], validator: jsonschema.Draft202012Validator
) -> None:
    (record,) = _json(str(write_answers(best)))
    validator.validate(record)
    assert [p["rubric"]["id"] for p in record["positions"]] == list(BUILTIN_IDS)
    assert [p["scale"] for p in record["positions"]] == [100.0] * 4
    assert record["disagreements"] == []


def test_bottom_of_every_ladder_is_0_on_every_row(
    write_answers: WriteAnswers, worst: dict[str, Any]
) -> None:
    (record,) = _json(str(write_answers(worst)))
    assert [p["scale"] for p in record["positions"]] == [0.0] * 4
    # floors: below the ladder on four-level and three-tier, on the floor elsewhere
    assert [p["attained"] for p in record["positions"]] == [0, 1, 1, 0]


def test_common_scale_values_of_each_ladder() -> None:
    expected = {
        "four-level": [25, 50, 75, 100],
        "three-tier": [33, 67, 100],
        "three-rung": [0, 50, 100],
        "four-tier": [0, 33, 67, 100],
    }
    for loaded in load_all_builtin():
        cw = crosswalk(loaded, [loaded])
        assert [round(row.scale) for row in cw.rows] == expected[loaded.rubric.id]


def test_disagreement_is_explained_by_the_deciding_criteria(write_answers: WriteAnswers) -> None:
    """Hand-built: the basics of four-level are all met; three-tier's Basic needs a resolution
    rate and a response time that four-level's Meet does not ask for."""
    path = write_answers(
        {
            "promises_kept": "always",
            "complaint_frequency": "rare",
            "expectations_known": True,
            "documented_processes": True,
            "resolution_rate_pct": 60,
            "first_response_hours": 30,
            "staff_training": True,
            "policies_transparent": True,
            "self_service": True,
        },
        company="Split Co",
    )
    result = run_cli("compare", str(path), "-r", "four-level", "-r", "three-tier")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "four-level  Meet expectations  1 of 4    25           Exceed expectations       5" in (
        lines
    )
    assert (
        "three-tier places Split Co below the ladder (0), four-level at Meet expectations (25):"
        in lines
    )
    assert (
        "  - Basic service (reactive) needs resolution_rate_pct ≥ 90 % (required), answer 60 %; "
        "four-level does not ask it up to Meet expectations" in lines
    )
    assert (
        "  - Basic service (reactive) needs first_response_hours ≤ 24 hours (required), answer "
        "30 hours; four-level does not ask it up to Meet expectations" in lines
    )


def test_disagreement_names_what_the_higher_model_grants_without(tmp_path: Path) -> None:
    """BrightDesk with rare memorable moments: four-level requires them for Amaze, three-rung
    weighs them at Iconic without requiring them."""
    doc = yaml.safe_load((EXAMPLES / "brightdesk-saas.yaml").read_text(encoding="utf-8"))
    doc["answers"]["memorable_moments"] = "rarely"
    path = tmp_path / "brightdesk.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = run_cli("compare", str(path), "-r", "four-level", "-r", "three-rung")
    text = " ".join(result.stdout.split())
    assert (
        "Amaze customers needs memorable_moments sometimes or better (required), answer rarely; "
        "three-rung asks sometimes or better too (for Rung 3 - Iconic) but grants the level "
        "without it (weight 1, not required)" in text
    )


def test_crosswalk_of_a_rubric_with_itself_is_the_identity() -> None:
    for loaded in [*load_all_builtin(), load_rubric(str(DATA / "valid" / "mini-rubric.yaml"))]:
        cw = crosswalk(loaded, [loaded])
        for row in cw.rows:
            (cell,) = row.cells
            assert cell.index == row.index, (loaded.rubric.id, row.level.id)
            assert cell.only_here == ()
        assert cw.only_there == ((),)


def test_crosswalk_command_and_its_schema(validator: jsonschema.Draft202012Validator) -> None:
    result = run_cli("compare", "-r", "four-level", "-r", "four-level", "-f", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    validator.validate(record)
    assert [
        (row["level"]["id"], row["counterparts"][0]["level"]["id"]) for row in record["rows"]
    ] == [("meet", "meet"), ("exceed", "exceed"), ("delight", "delight"), ("amaze", "amaze")]


def test_crosswalk_of_the_built_ins_in_text() -> None:
    result = run_cli("compare")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Crosswalk from four-level")
    assert "Delight customers (75)    Desired (67)" in out
    assert "Where they really differ" in out


def test_several_companies_name_the_strictest_model(
    validator: jsonschema.Draft202012Validator,
) -> None:
    result = run_cli("compare", str(EXAMPLES))
    assert result.exit_code == 0
    assert "Portfolio: which model is strictest" in result.stdout
    companies = len(WALKED_EXAMPLES)
    assert (
        f"The strictest model for this portfolio of {companies} companies is four-tier"
        in " ".join(result.stdout.split())
    )
    records = _json(str(EXAMPLES))
    assert len(records) == companies
    for record in records:
        validator.validate(record)


def test_markdown_and_csv(tmp_path: Path) -> None:
    target = tmp_path / "compare.csv"
    result = run_cli("compare", ALDER, "-f", "markdown", "--report", f"csv={target}")
    assert result.exit_code == 0
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert "<h2>Alder Grove Hotel: the models side by side</h2>" in html
    assert "<h3>Why the models disagree</h3>" in html
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [(r["rubric"], r["scale_0-100"]) for r in rows] == [
        ("four-level", "75"),
        ("four-tier", "67"),
        ("three-rung", "100"),
        ("three-tier", "100"),
    ]


def test_rich_format() -> None:
    result = run_cli("compare", ALDER, "-f", "rich")
    assert result.exit_code == 0
    assert "the models side by side" in result.stdout
    assert "Why the models disagree" in result.stdout


ABLE = "use one of rich, text, json, markdown, csv, html, pdf"


@pytest.mark.parametrize("fmt", ["junit", "github"])
def test_formats_without_meaning_for_compare_are_refused(fmt: str) -> None:
    result = run_cli("compare", ALDER, "-f", fmt)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"compare: the {fmt} format cannot show a comparison; {ABLE}\n"


@pytest.mark.parametrize("fmt", ["junit", "github"])
def test_a_crosswalk_is_refused_in_the_same_words(fmt: str) -> None:
    result = run_cli("compare", "-f", fmt)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"compare: the {fmt} format cannot show a crosswalk; {ABLE}\n"


def test_a_refused_report_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    target = tmp_path / "compare.xml"
    result = run_cli("compare", ALDER, "-f", "json", "--report", f"junit={target}")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"compare: the junit format cannot show a comparison; {ABLE}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("specs", "code"),
    [
        (["four-level=delight"], 0),
        (["four-level=amaze"], 1),
        (["four-tier=exceptional"], 1),
        (["four-tier=expected", "three-tier=transformational"], 0),
        (["exceptional"], 1),  # only four-tier has a level called exceptional
        (["nowhere"], 2),
        (["five-level=meet"], 2),
    ],
)
def test_fail_below_per_rubric(specs: list[str], code: int) -> None:
    args = [a for spec in specs for a in ("--fail-below", spec)]
    result = run_cli("compare", ALDER, *args)
    assert result.exit_code == code, result.stderr


def test_invalid_file_among_many(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: X\ndate: 2026-01-01\nanswers:\n  nps: 900\n")
    result = run_cli("compare", ALDER, str(broken), "-f", "json")
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["kind"] for r in records] == ["comparison", "error"]
    for record in records:
        jsonschema.Draft202012Validator(compare_schema()).validate(record)
        assert record["schema_version"] == 2
    assert result.stderr == f"{broken}:4:8: answers.nps: must be ≤ 100 points, got 900\n"


def test_compare_engine_is_pure() -> None:
    loaded = [load_rubric(r) for r in BUILTIN_IDS]
    assessments = [assess_data(r, {"promises_kept": "always"}) for r in loaded]
    first = compare(assessments, loaded)
    second = compare(assessments, loaded)
    assert first == second
    assert first.strictest.scale == 0


def test_readme_crosswalk_is_what_svclevel_prints() -> None:
    import re

    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- crosswalk:start -->\n```text\n(.*?)\n```\n<!-- crosswalk:end -->", readme, re.S
    )
    assert match, "README.md lacks the crosswalk block"
    assert match.group(1) == run_cli("compare").stdout.rstrip()


def _broken(tmp_path: Path) -> Path:
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: X\ndate: 2026-01-01\nanswers:\n  nps: 900\n")
    return broken


def test_an_invalid_input_is_the_same_json_record_as_for_assess(tmp_path: Path) -> None:
    broken = str(_broken(tmp_path))
    compared = run_cli("compare", broken, "-f", "json")
    assessed = run_cli("assess", broken, "-r", "four-level", "-f", "json")
    assert compared.exit_code == assessed.exit_code == 2
    assert compared.stdout == assessed.stdout
    assert json.loads(compared.stdout)["kind"] == "error"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_documents_say_which_input_could_not_be_compared(fmt: str, tmp_path: Path) -> None:
    # Markdown and HTML are read where stderr is not (a job summary, a client's inbox).
    broken = str(_broken(tmp_path))
    result = run_cli("compare", ALDER, broken, "-f", fmt)
    assert result.exit_code == 2
    assert result.stderr == f"{broken}:4:8: answers.nps: must be ≤ 100 points, got 900\n"
    page = result.stdout
    if fmt == "markdown":
        page = MarkdownIt("commonmark").enable("table").render(page)
    else:  # a client document names the file, not the folder it was in on this machine
        assert str(tmp_path) not in page
        broken = Path(broken).name
    assert (
        f"<h2>❗ Not compared: {broken}</h2>" in page or f"<h1>Not compared: {broken}</h1>" in page
    )
    assert f"{broken}:4:8: answers.nps: must be ≤ 100 points, got 900" in page
    if fmt == "html":
        assert page.rstrip().endswith("</html>")


def test_markdown_says_a_failed_gate_under_the_comparison() -> None:
    result = run_cli("compare", ALDER, "--fail-below", "four-tier=exceptional", "-f", "markdown")
    assert result.exit_code == 1
    message = (
        f"{ALDER}: Alder Grove Hotel is at Desired on four-tier, below the threshold Exceptional"
    )
    assert result.stderr == f"svclevel: {message} (level 4)\n"
    rendered = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert f"<strong>❌ Below --fail-below:</strong> {message} (level 4)" in rendered


def test_csv_of_a_comparison_starts_with_its_header_even_without_a_row(tmp_path: Path) -> None:
    result = run_cli("compare", str(_broken(tmp_path)), "-f", "csv")
    assert result.exit_code == 2
    assert result.stdout == (
        "file,company,rubric,level,position,scale_0-100,next_level,gaps,provisional,evaluated_on,"
        "evidence_stale,exceptions_active\n"
    )
