"""The built-in rubrics: complete, traceable to their sources, and scoring end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from svclevel.load.rubrics import builtin_rubric_ids, load_all_builtin, load_rubric
from svclevel.models import NumberQuestion, Question
from tests.helpers import BUILTIN_IDS, ROOT, assess_data

SEEDS = ROOT.parent / "shared" / "seeds"


def test_the_four_models_are_built_in() -> None:
    assert builtin_rubric_ids() == BUILTIN_IDS


@pytest.mark.parametrize("rubric_id", BUILTIN_IDS)
def test_file_name_is_the_rubric_id(rubric_id: str) -> None:
    assert load_rubric(rubric_id).rubric.id == rubric_id


@pytest.mark.parametrize("rubric_id", BUILTIN_IDS)
def test_all_best_answers_reach_the_top(rubric_id: str, best: dict[str, Any]) -> None:
    assessment = assess_data(rubric_id, best)
    assert assessment.at_top
    assert assessment.gaps == ()
    assert assessment.roadmap == ()


@pytest.mark.parametrize(
    ("rubric_id", "bottom"),
    [("four-level", 0), ("three-tier", 0), ("three-rung", 1), ("four-tier", 1)],
)
def test_all_worst_answers_land_at_the_bottom(
    rubric_id: str, bottom: int, worst: dict[str, Any]
) -> None:
    """Below the ladder where the model has no floor; on the floor level where it names one."""
    assessment = assess_data(rubric_id, worst)
    assert assessment.attained == bottom
    if bottom:
        assert assessment.levels[0].floor


def test_floor_levels_are_the_ones_the_sources_name() -> None:
    floors = {
        r.rubric.id: [lv.name for lv in r.rubric.levels if not lv.criteria]
        for r in load_all_builtin()
    }
    assert floors == {
        "four-level": [],
        "three-tier": [],
        "three-rung": ["Rung 1 - Unacceptable"],
        "four-tier": ["Unsatisfactory"],
    }


def test_ladders_match_the_models() -> None:
    ladders = {r.rubric.id: [lv.id for lv in r.rubric.levels] for r in load_all_builtin()}
    assert ladders == {
        "four-level": ["meet", "exceed", "delight", "amaze"],
        "three-tier": ["basic", "proactive", "transformational"],
        "three-rung": ["unacceptable", "satisfactory", "iconic"],
        "four-tier": ["unsatisfactory", "expected", "desired", "exceptional"],
    }


def test_every_bank_question_is_used_by_some_rubric(bank: dict[str, Question]) -> None:
    used = {c.question for r in load_all_builtin() for lv in r.rubric.levels for c in lv.criteria}
    assert set(bank) - used == set()


def test_every_numeric_threshold_is_marked_as_an_assumption(bank: dict[str, Question]) -> None:
    for loaded in load_all_builtin():
        for level in loaded.rubric.levels:
            for criterion in level.criteria:
                if isinstance(bank[criterion.question], NumberQuestion):
                    assert criterion.assumption, (loaded.rubric.id, criterion.question)


def test_every_non_floor_level_has_advice_from_its_source() -> None:
    for loaded in load_all_builtin():
        for level in loaded.rubric.levels:
            if level.criteria:
                assert level.advice, (loaded.rubric.id, level.id)


@pytest.mark.parametrize("rubric_id", BUILTIN_IDS)
def test_source_files_exist(rubric_id: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip("the source texts (../shared/seeds) are not beside this checkout")
    for source in load_rubric(rubric_id).rubric.sources:
        assert source.file is not None
        assert (SEEDS / source.file).is_file(), source.file


def test_question_bank_is_shipped_as_yaml() -> None:
    assert (ROOT / "rubrics" / "questions.yaml").is_file()
    assert Path(ROOT / "rubrics").joinpath("four-level.yaml").is_file()
