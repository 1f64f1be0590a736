"""The history of a company in every format, each read back by a real consumer."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from junitparser import Failure, JUnitXml
from markdown_it import MarkdownIt

from svclevel import __version__
from svclevel.report import Format
from svclevel.report.json_records import SCHEMA_VERSION
from tests.helpers import HISTORY, pdf_text, require_pdf, run_cli

YEARS = [str(HISTORY / f"wrenfield-{year}.yaml") for year in (2024, 2025, 2026)]
TWO = ("-r", "four-level", "-r", "three-tier")


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


def _line_of(path: str, key: str) -> int:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith(f"  {key}:"))


@pytest.mark.parametrize("rubrics", [(), TWO])
def test_json_validates_against_svclevel_schema_history(
    rubrics: tuple[str, ...], dropped: str
) -> None:
    schema = json.loads(run_cli("schema", "history").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    record = json.loads(run_cli("history", *YEARS, dropped, *rubrics, "-f", "json").stdout)
    jsonschema.Draft202012Validator(schema).validate(record)
    assert (record["schema_version"], record["kind"]) == (SCHEMA_VERSION, "history")
    assert record["tool"] == {"name": "svclevel", "version": __version__}
    assert [p["attained"] for p in record["rubrics"][0]["points"]] == [1, 2, 3, 1]
    assessment = json.loads(run_cli("assess", YEARS[0], "-f", "json").stdout)
    assert not jsonschema.Draft202012Validator(schema).is_valid(assessment)


def test_junit_is_a_suite_per_rubric_and_a_case_per_date_failing_where_it_dropped(
    dropped: str, tmp_path: Path
) -> None:
    target = tmp_path / "history.xml"
    assert run_cli("history", *YEARS, dropped, *TWO, "--report", f"junit={target}").exit_code == 0
    four_level, three_tier = list(JUnitXml.fromfile(str(target)))
    assert four_level.name == "Wrenfield Bicycle Works · four-level · history"
    assert [case.name for case in four_level] == [
        "2024-10-15: Meet expectations",
        "2025-10-14: Exceed expectations",
        "2026-10-13: Delight customers",
        "2027-10-12: Meet expectations",
    ]
    failures = [
        (case.name, r) for case in four_level for r in case.result if isinstance(r, Failure)
    ]
    [(name, failure)] = failures
    assert name == "2027-10-12: Meet expectations"
    assert failure.message == "dropped since 2026-10-13: Delight customers → Meet expectations"
    assert "lost first_response_hours (exceed): 3 hours → 7 hours" in failure.text
    assert (four_level.tests, four_level.failures) == (4, 1)
    assert (three_tier.tests, three_tier.failures) == (4, 0)


def test_csv_is_a_row_per_date_and_rubric() -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("history", *YEARS, *TWO, "-f", "csv").stdout)))
    assert [(r["rubric"], r["date"], r["level_name"]) for r in rows] == [
        ("four-level", "2024-10-15", "Meet expectations"),
        ("four-level", "2025-10-14", "Exceed expectations"),
        ("four-level", "2026-10-13", "Delight customers"),
        ("three-tier", "2024-10-15", "below the ladder"),
        ("three-tier", "2025-10-14", "below the ladder"),
        ("three-tier", "2026-10-13", "below the ladder"),
    ]
    first, _, last = rows[:3]
    assert (first["level_change"], first["gained"], first["lost"]) == ("", "", "")
    assert (last["level_change"], last["gained"], last["lost"]) == ("1", "2", "1")
    assert last["lost_criteria"] == "exceed.surprise_gestures"
    assert last["gained_criteria"] == "delight.customers_feel_valued delight.csat_pct"
    assert rows[3]["provisional"] == "yes"


def test_markdown_has_a_table_of_levels_by_date_and_the_changes() -> None:
    html = (
        MarkdownIt("commonmark")
        .enable("table")
        .render(run_cli("history", *YEARS, *TWO, "-f", "markdown").stdout)
    )
    assert "<th><code>four-level</code></th>" in html
    assert "<td>2. Exceed expectations</td>" in html
    assert "<td>below the ladder (provisional)</td>" in html
    assert "lost <strong>surprise_gestures</strong> (exceed): sometimes → rarely" in html


def test_github_gives_a_notice_per_change_and_warns_of_a_drop_and_each_loss(dropped: str) -> None:
    lines = run_cli("history", *YEARS, dropped, "-f", "github").stdout.splitlines()
    line = _line_of(YEARS[2], "surprise_gestures")
    assert lines == [
        f"::notice file={YEARS[1]},title=svclevel four-level%3A change::Wrenfield Bicycle Works "
        "on four-level, 2024-10-15 → 2025-10-14: Meet expectations → Exceed expectations (up 1); "
        "6 criteria gained, 0 criteria lost",
        f"::warning file={YEARS[2]},line={line},title=svclevel four-level%3A criterion lost::"
        "surprise_gestures: sometimes (2025-10-14) → rarely (2026-10-13), needed sometimes or "
        "better",
        f"::notice file={YEARS[2]},title=svclevel four-level%3A change::Wrenfield Bicycle Works "
        "on four-level, 2025-10-14 → 2026-10-13: Exceed expectations → Delight customers (up 1); "
        "2 criteria gained, 1 criterion lost",
        f"::warning file={dropped},line={_line_of(dropped, 'first_response_hours')},"
        "title=svclevel four-level%3A criterion lost::first_response_hours: 3 hours (2026-10-13) "
        "→ 7 hours (2027-10-12), needed ≤ 4 hours",
        f"::warning file={dropped},title=svclevel four-level%3A level dropped::Wrenfield Bicycle "
        "Works on four-level, 2026-10-13 → 2027-10-12: Delight customers → Meet expectations "
        "(down 2); 0 criteria gained, 1 criterion lost",
        f"::notice file={dropped},title=svclevel four-level%3A history::Wrenfield Bicycle Works "
        "on four-level: Meet expectations → Exceed expectations → Delight customers → Meet "
        "expectations (same)",
    ]


def _charts(html: str) -> list[str]:
    return re.findall(r'<svg [^>]*class="chart-(?:wide|narrow)".*?</svg>', html, re.DOTALL)


@pytest.mark.parametrize("rubrics", [(), TWO, (*TWO, "-r", "four-tier")])
def test_html_draws_a_line_per_rubric_in_each_chart(rubrics: tuple[str, ...]) -> None:
    html = run_cli("history", *YEARS, *rubrics, "-f", "html").stdout
    assert "<script" not in html
    assert "Content-Security-Policy" in html
    charts = _charts(html)
    assert len(charts) == 2  # for a page and for a phone
    count = max(1, len(rubrics) // 2)
    for chart in charts:
        polylines = re.findall(r'<polyline points="([^"]+)"', chart)
        assert len(polylines) == count
        for points in polylines:
            xs = [float(p.split(",")[0]) for p in points.split()]
            assert len(xs) == 3
            assert xs == sorted(xs)
        for date in ("2024-10-15", "2025-10-14", "2026-10-13"):
            assert f">{date}</text>" in chart
    wide = charts[0]
    assert 'viewBox="0 0 880 ' in wide
    assert 'viewBox="0 0 360 ' in charts[1]
    if not rubrics:  # one rubric: its levels by name on the y axis
        for name in ("below the ladder", "1. Meet expectations", "4. Amaze customers"):
            assert f">{name}</text>" in wide
    else:  # several: the common scale, each line named at its end
        assert ">four-level</text>" in wide
        assert ">three-tier</text>" in wide


def test_html_tables_the_levels_by_date_and_names_the_criteria_by_question() -> None:
    html = run_cli("history", *YEARS, "-f", "html").stdout
    table = html[html.index("<h2>Levels by date</h2>") :]
    assert re.search(r"<td[^>]*>2025-10-14</td>.*?<td[^>]*>Exceed expectations</td>", table)
    assert "wrenfield-2025.yaml" in table
    assert str(HISTORY) not in html
    lost = html[html.index('<p class="lead">Criteria lost</p>') :]
    assert "How often do customers receive something positive they did not ask for" in lost
    assert "Wrenfield Bicycle Works rose 2 levels: from Meet expectations (level 1 of 4)" in html


def test_the_pdf_prints_the_chart_the_table_and_the_changes(tmp_path: Path) -> None:
    require_pdf()
    target = tmp_path / "history.pdf"
    result = run_cli("history", *YEARS, "-f", "text", "--isolated", "--report", f"pdf={target}")
    assert result.exit_code == 0, result.stderr
    pages = pdf_text(target.read_bytes()).split("\f")
    text = " ".join(" ".join(pages).split())
    assert "CUSTOMER-SERVICE LEVEL OVER TIME" in text  # the kicker, in capitals
    assert "3. Delight customers" in text  # the chart's axis
    assert "Levels by date" in text
    assert "Criteria lost" in text
    pages = [p for p in pages if p.strip()]
    for number, page in enumerate(pages, 1):
        assert f"page {number} of {len(pages)}" in page
        assert page.strip().splitlines()[0].startswith("Wrenfield Bicycle Works")


def test_every_format_shows_a_history() -> None:
    for fmt in Format:
        if fmt is Format.PDF:
            continue  # above
        result = run_cli("history", *YEARS, "-f", fmt.value)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert "Wrenfield Bicycle Works" in result.stdout, fmt


def test_dates_close_together_keep_their_labels_apart(tmp_path: Path) -> None:
    base = yaml.safe_load(Path(YEARS[2]).read_text(encoding="utf-8"))
    files = [YEARS[0]]
    for month in range(1, 8):  # a monthly audit after a yearly one
        data = dict(
            base, date=f"2027-{month:02}-28", period={"from": "2026-03-01", "to": "2027-01-27"}
        )
        path = tmp_path / f"month-{month}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        files.append(str(path))
    html = run_cli("history", *files, "-f", "html").stdout
    for chart in _charts(html):
        [points] = re.findall(r'<polyline points="([^"]+)"', chart)
        xs = [float(p.split(",")[0]) for p in points.split()]
        size = re.search(r'font-size="(\d+)"', chart)
        assert size is not None
        line = int(size.group(1)) * 1.7 - 0.1  # a line of text (points are rounded to 0.1)
        assert min(b - a for a, b in itertools.pairwise(xs)) >= line
        assert xs[1] - xs[0] > 2 * (xs[2] - xs[1])  # a year is still wider than a month
        assert chart.count('transform="rotate(-45 ') == 8  # slanted, so that they fit
