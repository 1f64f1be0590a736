"""The built-in rubrics: complete, traceable to their sources, and scoring end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from svclevel.load.rubrics import builtin_rubric_ids, load_all_builtin, load_rubric
from svclevel.models import NumberQuestion, Question, Rubric, SourceDoc, SourceRef
from tests.helpers import BUILTIN_IDS, ROOT, assess_data, run_cli

SEEDS = ROOT.parent / "shared" / "seeds"

FEEDS_ANOTHER = {"retention_pct": "retention_vs_benchmark_pts"}
"""Bank questions no rubric scores directly, with the question whose answer they feed (the
retention gap to the sector's published average is scored, not the bare percentage)."""


def is_benchmark(source: SourceDoc) -> bool:
    """A published benchmark behind a number, as opposed to a ladder's source text."""
    return source.kind is not None and source.kind.startswith("benchmark")


def cited(rubric: Rubric) -> Iterator[tuple[str, SourceRef]]:
    """Every citation of a source text: criteria, advice and calibration, with where it is."""
    for i, advice in enumerate(rubric.advice):
        yield f"{rubric.id} advice {i + 1}", advice.source
    for level in rubric.levels:
        for criterion in level.criteria:
            yield f"{rubric.id} {level.id} {criterion.question}", criterion.source
        for i, advice in enumerate(level.advice):
            yield f"{rubric.id} {level.id} advice {i + 1}", advice.source
        for i, example in enumerate(level.calibration):
            yield f"{rubric.id} {level.id} calibration {i + 1}", example.source


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
    assert set(bank) - used == set(FEEDS_ANOTHER)
    assert set(FEEDS_ANOTHER.values()) <= used


def test_every_numeric_threshold_is_cited_or_reasoned(bank: dict[str, Question]) -> None:
    """A number rests on a published benchmark among the rubric's sources, or says why."""
    for loaded in load_all_builtin():
        sources = {s.id: s for s in loaded.rubric.sources}
        for level in loaded.rubric.levels:
            for criterion in level.criteria:
                if not isinstance(bank[criterion.question], NumberQuestion):
                    assert criterion.benchmark is None, (loaded.rubric.id, criterion.question)
                    continue
                where = (loaded.rubric.id, level.id, criterion.question)
                assert criterion.benchmark is not None or criterion.assumption, where
                if criterion.benchmark is not None:
                    assert is_benchmark(sources[criterion.benchmark.doc]), where
                    assert criterion.benchmark.says, where


def test_every_source_says_what_it_is() -> None:
    for loaded in load_all_builtin():
        rubric = loaded.rubric
        assert rubric.basis, rubric.id
        for source in rubric.sources:
            assert source.kind, (rubric.id, source.id)
            assert source.date, (rubric.id, source.id)
            if is_benchmark(source):
                assert source.url, (rubric.id, source.id)
                assert source.publisher, (rubric.id, source.id)
            else:
                assert source.file, (rubric.id, source.id)


def test_every_benchmark_backs_a_number() -> None:
    for loaded in load_all_builtin():
        used = {c.benchmark.doc for lv in loaded.rubric.levels for c in lv.criteria if c.benchmark}
        listed = {s.id for s in loaded.rubric.sources if is_benchmark(s)}
        assert listed == used, loaded.rubric.id


@pytest.mark.parametrize("rubric_id", BUILTIN_IDS)
def test_every_item_cites_lines_of_its_source_text(rubric_id: str) -> None:
    """Criteria, advice and worked examples name the lines they rest on, and what is said there;
    the lines lie within the source text and are not blank."""
    if not SEEDS.is_dir():
        pytest.skip("the source texts (../shared/seeds) are not beside this checkout")
    rubric = load_rubric(rubric_id).rubric
    sources = {s.id: s for s in rubric.sources}
    for where, ref in cited(rubric):
        source = sources[ref.doc]
        assert not is_benchmark(source), f"{where}: cites a benchmark as its source text"
        assert ref.lines, f"{where}: no lines"
        assert ref.says, f"{where}: no says"
        assert source.file is not None
        text = (SEEDS / source.file).read_text(encoding="utf-8").splitlines()
        first, _, last = ref.lines.partition("-")
        start, end = int(first), int(last or first)
        assert 1 <= start <= end <= len(text), f"{where}: lines {ref.lines} of {len(text)}"
        assert any(line.strip() for line in text[start - 1 : end]), f"{where}: blank lines"


WORKED_EXAMPLES = {
    ("four-level", "exceed", "18"),  # the on-time coach flight
    ("four-level", "delight", "18"),  # the first-class flight
    ("four-level", "amaze", "22"),  # the pilot's birthday announcement
    ("three-tier", "basic", "13"),  # the damaged product replaced
    ("three-tier", "proactive", "26"),  # the software guide sent before any trouble
    ("three-tier", "transformational", "39"),  # the luxury hotel's dessert and note
}


def test_the_sources_worked_examples_are_calibration_notes() -> None:
    found = {
        (r.rubric.id, lv.id, example.source.lines)
        for r in load_all_builtin()
        for lv in r.rubric.levels
        for example in lv.calibration
    }
    assert found >= WORKED_EXAMPLES


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({"promises_kept": "usually"}, None),
        ({"complaint_frequency": "occasional"}, None),
        ({}, "meet"),
    ],
    ids=["promises usually kept", "occasional complaints", "every time, no complaints"],
)
def test_meeting_expectations_means_every_time_and_no_complaints(
    answers: dict[str, Any], level: str | None
) -> None:
    """Both sources of four-level ask for promises kept every time and no complaints."""
    fundamentals = {
        "promises_kept": "always",
        "complaint_frequency": "rare",
        "expectations_known": True,
        "documented_processes": True,
    }
    assessment = assess_data("four-level", {**fundamentals, **answers})
    reached = assessment.level
    assert (reached.id if reached else None) == level


@pytest.mark.parametrize("reference", BUILTIN_IDS)
def test_the_crosswalk_keeps_the_ladders_in_order(reference: str) -> None:
    """A higher level never corresponds to a lower level of another ladder."""
    others = [r for r in BUILTIN_IDS if r != reference]
    args = ["compare", "-r", reference, *(a for o in others for a in ("-r", o)), "-f", "json"]
    run = run_cli(*args)
    assert run.exit_code == 0, run.stderr
    rows = json.loads(run.stdout)["rows"]
    for column, other in enumerate(others):
        indexes = [
            row["counterparts"][column]["level"]["index"]
            for row in rows
            if row["counterparts"][column]["level"] is not None
        ]
        assert indexes == sorted(indexes), (reference, other, indexes)


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
        if not is_benchmark(source):
            assert source.file is not None
            assert (SEEDS / source.file).is_file(), source.file


def test_question_bank_is_shipped_as_yaml() -> None:
    assert (ROOT / "rubrics" / "questions.yaml").is_file()
    assert Path(ROOT / "rubrics").joinpath("four-level.yaml").is_file()


@pytest.mark.parametrize("rubric_id", BUILTIN_IDS)
def test_n_a_conditions_read_after_when(rubric_id: str) -> None:
    """Reports say "n/a accepted when <allow_na>": the condition starts lower case, no "when"."""
    for level in load_rubric(rubric_id).rubric.levels:
        for criterion in level.criteria:
            text = criterion.allow_na
            if text is not None:
                assert not text.lower().startswith("when "), (level.id, criterion.question)
                assert text[0].islower(), (level.id, criterion.question)
