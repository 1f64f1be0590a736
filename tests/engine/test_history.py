"""svclevel.history: one company's level over time, from its dated answers files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import svclevel
from svclevel.engine.history import History
from tests.helpers import HISTORY

YEARS = [HISTORY / f"wrenfield-{year}.yaml" for year in (2024, 2025, 2026)]


def _data(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _gained_lost(h: History, rubric: int = 0) -> list[tuple[list[str], list[str]]]:
    return [
        (
            [f"{c.after.level_id}.{c.after.question_id}" for c in step.gained],
            [f"{c.after.level_id}.{c.after.question_id}" for c in step.lost],
        )
        for step in h.rubrics[rubric].steps
    ]


def test_three_dates_rise_from_meet_to_delight_on_the_rubric_the_files_name() -> None:
    h = svclevel.history(YEARS)
    assert h.company == "Wrenfield Bicycle Works"
    assert h.dates == ("2024-10-15", "2025-10-14", "2026-10-13")
    [r] = h.rubrics
    assert r.rubric_id == "four-level"
    assert [(p.attained, p.level_name) for p in r.points] == [
        (1, "Meet expectations"),
        (2, "Exceed expectations"),
        (3, "Delight customers"),
    ]
    assert [p.provisional for p in r.points] == [False, False, False]
    assert [s.level_change for s in r.steps] == [1, 1]
    assert (r.trend, r.level_change, r.dropped) == ("up", 2, False)


def test_the_criteria_gained_and_lost_between_consecutive_dates_are_named() -> None:
    h = svclevel.history(YEARS)
    assert _gained_lost(h) == [
        (
            [
                "meet.documented_processes",
                "exceed.first_response_hours",
                "exceed.follow_up_after_sale",
                "exceed.differentiator",
                "exceed.surprise_gestures",
                "delight.differentiator",
            ],
            [],
        ),
        (["delight.customers_feel_valued", "delight.csat_pct"], ["exceed.surprise_gestures"]),
    ]
    lost = h.rubrics[0].steps[1].lost[0]
    assert (lost.before.answer, lost.after.answer, lost.after.needed) == (
        "sometimes",
        "rarely",
        "sometimes or better",
    )


def test_files_in_any_order_are_put_in_date_order() -> None:
    shuffled = svclevel.history([YEARS[2], YEARS[0], YEARS[1]])
    assert shuffled.to_dict() == svclevel.history(YEARS).to_dict()
    assert shuffled.files[0].endswith("wrenfield-2024.yaml")


def test_a_drop_at_the_latest_date_is_a_drop_and_the_trend_is_first_to_last() -> None:
    later = _data(YEARS[2])
    later["date"] = "2027-10-12"
    later["period"] = {"from": "2026-10-01", "to": "2027-09-30"}
    later["answers"]["first_response_hours"]["value"] = 7  # Exceed requires 4 hours or less
    h = svclevel.history([*YEARS, later])
    [r] = h.rubrics
    assert [p.attained for p in r.points] == [1, 2, 3, 1]
    assert (r.trend, r.level_change, r.dropped) == ("same", 0, True)
    assert h.dropped == (r,)
    assert _gained_lost(h)[-1] == ([], ["exceed.first_response_hours"])
    assert r.to_dict()["steps"][-1]["direction"] == "down"


def test_rubrics_given_are_used_instead_of_the_files_own() -> None:
    h = svclevel.history(YEARS, ["four-level", "three-tier"])
    assert [r.rubric_id for r in h.rubrics] == ["four-level", "three-tier"]
    three_tier = h.rubrics[1]
    assert [p.level_name for p in three_tier.points] == ["below the ladder"] * 3
    assert [p.provisional for p in three_tier.points] == [True] * 3  # its questions are open


def test_without_a_rubric_in_the_files_the_default_then_every_built_in_one() -> None:
    bare = [{k: v for k, v in _data(p).items() if k != "rubric"} for p in YEARS]
    assert [r.rubric_id for r in svclevel.history(bare, default_rubric="three-rung").rubrics] == [
        "three-rung"
    ]
    assert [r.rubric_id for r in svclevel.history(bare).rubrics] == list(svclevel.builtin_rubrics())


def test_the_record_holds_each_point_and_step() -> None:
    record = svclevel.history(YEARS).to_dict()
    assert record["dates"] == ["2024-10-15", "2025-10-14", "2026-10-13"]
    [r] = record["rubrics"]
    assert r["rubric"]["id"] == "four-level"
    assert [lv["name"] for lv in r["levels"]][:2] == ["Meet expectations", "Exceed expectations"]
    assert r["points"][1] == {
        "date": "2025-10-14",
        "answers_file": str(YEARS[1]),
        "attained": 2,
        "level": {"index": 2, "id": "exceed", "name": "Exceed expectations"},
        "level_name": "Exceed expectations",
        "levels_total": 4,
        "provisional": False,
    }
    lost = r["steps"][1]["lost"][0]
    assert lost["question"].startswith("How often do customers receive something positive")
    assert (lost["status_before"], lost["status_after"]) == ("met", "unmet")
    assert (r["trend"], r["level_change"], r["dropped"]) == ("up", 2, False)


def test_a_file_of_another_company_is_an_input_error_at_its_company_line(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        YEARS[1]
        .read_text(encoding="utf-8")
        .replace("company: Wrenfield Bicycle Works", "company: Wrenfield Bikes"),
        encoding="utf-8",
    )
    with pytest.raises(svclevel.InputError) as caught:
        svclevel.history([YEARS[0], other])
    [problem] = caught.value.problems
    assert str(problem) == (
        f"{other}:3:10: company: 'Wrenfield Bikes' differs from 'Wrenfield Bicycle Works' "
        f"({YEARS[0]}): a history is of one company"
    )


def test_two_files_of_one_date_are_an_input_error_naming_both(tmp_path: Path) -> None:
    again = tmp_path / "again.yaml"
    again.write_text(YEARS[2].read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(svclevel.InputError) as caught:
        svclevel.history([YEARS[2], YEARS[1], again])
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (str(again), 4, "date")
    assert problem.message == (
        f"2026-10-13 is also the date of {YEARS[2]}: a history takes one answers file per date"
    )


def test_every_file_s_problems_are_reported_together(tmp_path: Path) -> None:
    broken = _data(YEARS[1])
    broken["answers"]["csat_pct"] = {"value": 140}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, sort_keys=False), encoding="utf-8")
    other = _data(YEARS[2]) | {"company": "Someone Else"}
    with pytest.raises(svclevel.InputError) as caught:
        svclevel.history([YEARS[0], path, other])
    assert {(p.file, p.path) for p in caught.value.problems} == {
        ("<data>", "company"),
        (str(path), "answers.csat_pct.value"),
    }


def test_one_file_is_not_a_history() -> None:
    with pytest.raises(svclevel.UsageError, match=r"at least 2 answers files .* got 1"):
        svclevel.history(YEARS[:1])
