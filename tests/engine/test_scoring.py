"""The scoring engine: pass marks, required criteria, ladder gating, n/a and unanswered."""

from __future__ import annotations

from typing import Any

import pytest

from svclevel.load.rubrics import LoadedRubric, load_rubric
from svclevel.results import Status
from tests.helpers import DATA, assess_data

MINI = str(DATA / "valid" / "mini-rubric.yaml")

NA = {"value": "n/a", "justification": "The test says it does not apply."}
"""An n/a answer, with the justification a rubric that accepts n/a asks for."""

ALL_MET: dict[str, Any] = {
    "promises_kept": "always",
    "first_response_hours": 2,
    "has_phone_line": True,
    "loyalty_rewards": True,
    "csat_pct": 90,
    "nps": 20,
    "staff_empowered": True,
}


@pytest.fixture(scope="module")
def mini() -> LoadedRubric:
    return load_rubric(MINI)


def test_everything_met_reaches_the_top(mini: LoadedRubric) -> None:
    a = assess_data(mini, ALL_MET)
    assert (a.attained, a.at_top, a.level and a.level.id) == (3, True, "three")


def test_a_higher_level_met_above_a_failed_one_is_not_counted(mini: LoadedRubric) -> None:
    """Fundamentals first: levels two and three are met, level one is not → below the ladder."""
    a = assess_data(mini, {**ALL_MET, "promises_kept": "rarely"})
    assert a.attained == 0
    assert a.below_ladder
    assert [lv.id for lv in a.skipped] == ["two", "three"]
    assert a.next_level is not None
    assert a.next_level.id == "one"
    assert [c.question_id for c in a.gaps] == ["promises_kept"]


def test_gating_in_the_middle_of_the_ladder(mini: LoadedRubric) -> None:
    a = assess_data(mini, {**ALL_MET, "loyalty_rewards": False})
    assert a.attained == 1
    assert [lv.id for lv in a.skipped] == ["three"]


def test_pass_mark_counts_weight_of_applicable_criteria(mini: LoadedRubric) -> None:
    # 3 of 4 weight met = 75 %, exactly the pass mark of level two
    a = assess_data(mini, {**ALL_MET, "nps": -10})
    assert a.levels[1].met
    assert a.levels[1].score == pytest.approx(0.75)
    # 2 of 4 = 50 %: not met
    a = assess_data(mini, {**ALL_MET, "csat_pct": 70})
    assert not a.levels[1].met
    assert a.levels[1].weight_short == pytest.approx(1.0)


def test_a_required_criterion_blocks_the_level_whatever_the_score(mini: LoadedRubric) -> None:
    a = assess_data(mini, {**ALL_MET, "loyalty_rewards": False})
    level = a.levels[1]
    assert level.score == pytest.approx(0.75)
    assert not level.met
    assert [c.question_id for c in level.required_unmet] == ["loyalty_rewards"]


def test_default_pass_mark_is_every_criterion(mini: LoadedRubric) -> None:
    a = assess_data(mini, {**ALL_MET, "has_phone_line": False})
    assert a.levels[0].score == pytest.approx(0.75)
    assert not a.levels[0].met
    assert a.attained == 0


def test_not_applicable_leaves_the_denominator(mini: LoadedRubric) -> None:
    a = assess_data(mini, {**ALL_MET, "csat_pct": NA, "nps": -10})
    level = a.levels[1]
    # loyalty (1) met, csat (2) n/a, nps (1) unmet: 1 of 2 applicable = 50 %
    assert (level.met_weight, level.applicable_weight) == (1, 2)
    assert not level.met
    a = assess_data(mini, {**ALL_MET, "csat_pct": NA})
    assert a.levels[1].met
    assert a.not_applicable == ("csat_pct",)
    status = {c.question_id: c.status for c in a.levels[1].criteria}
    assert status["csat_pct"] is Status.NOT_APPLICABLE


def test_a_level_whose_criteria_are_all_not_applicable_is_not_met(mini: LoadedRubric) -> None:
    a = assess_data(mini, {**ALL_MET, "staff_empowered": NA})
    assert not a.levels[2].met
    assert a.attained == 2


def test_unanswered_is_reported_apart_from_no(mini: LoadedRubric) -> None:
    no = assess_data(mini, {**ALL_MET, "staff_empowered": False})
    missing = {k: v for k, v in ALL_MET.items() if k != "staff_empowered"}
    unknown = assess_data(mini, missing)
    blank = assess_data(mini, {**ALL_MET, "staff_empowered": None})
    assert no.attained == unknown.attained == blank.attained == 2
    assert no.levels[2].criteria[0].status is Status.UNMET
    assert unknown.levels[2].criteria[0].status is Status.UNANSWERED
    assert blank.levels[2].criteria[0].status is Status.UNANSWERED
    assert no.unanswered == ()
    assert unknown.unanswered == blank.unanswered == ("staff_empowered",)
    assert no.levels[2].criteria[0].answer == "no"
    assert unknown.levels[2].criteria[0].answer == "—"


def test_roadmap_orders_gaps_by_impact(mini: LoadedRubric) -> None:
    a = assess_data(
        mini,
        {"promises_kept": "never", "first_response_hours": 48, "has_phone_line": False},
    )
    assert [step.level.id for step in a.roadmap] == ["one", "two", "three"]
    # required first, then by weight (heavier first), then ladder order
    assert [c.question_id for c in a.roadmap[0].actions] == [
        "promises_kept",
        "first_response_hours",
        "has_phone_line",
    ]
    assert [c.question_id for c in a.roadmap[1].actions] == ["loyalty_rewards", "csat_pct", "nps"]


def test_criterion_results_carry_answer_needed_tip_and_source(mini: LoadedRubric) -> None:
    a = assess_data(mini, {**ALL_MET, "first_response_hours": 30})
    c = next(c for c in a.levels[0].criteria if c.question_id == "first_response_hours")
    assert (c.status, c.answer, c.needed) == (Status.UNMET, "30 hours", "≤ 24 hours")
    assert c.tip == "Answer within a day."
    assert str(c.source) == "Test notes — one"
    assert c.assumption == "One day is the test's own assumption."


def test_scale_needed_reads_naturally() -> None:
    a = assess_data("four-level", {})
    exceed = {c.question_id: c.needed for c in a.levels[1].criteria}
    assert exceed["friendly_staff"] == "usually or better"
    meet = {c.question_id: c.needed for c in a.levels[0].criteria}
    assert meet["promises_kept"] == "always"


def test_empty_answers_are_all_unanswered_and_below_the_ladder() -> None:
    a = assess_data("four-level", {})
    assert a.below_ladder
    used = {c.question_id for lv in a.levels for c in lv.criteria}
    assert set(a.unanswered) == used
