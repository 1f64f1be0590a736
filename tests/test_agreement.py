"""The statistics of several respondents: against published values and a reference
implementation (the ``krippendorff`` package, a test-only dependency)."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svclevel import agreement

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four coders,
# twelve units, values 1-5, with missing data. The paper gives alpha = 0.743 (nominal) and
# 0.815 (ordinal) for these data.
PAPER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _units(rows: list[list[int | None]]) -> list[list[int]]:
    """Coders x units (the package's layout) as the values of each unit, missing left out."""
    return [[row[u] for row in rows if row[u] is not None] for u in range(len(rows[0]))]  # type: ignore[misc]


def _reference(rows: list[list[int | None]], metric: agreement.Metric, labels: int) -> float:
    data = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    return float(
        krippendorff.alpha(
            reliability_data=data,
            level_of_measurement=metric,
            value_domain=list(range(labels)) if metric == "ordinal" else None,
        )
    )


@pytest.mark.parametrize(("metric", "published"), [("nominal", 0.743), ("ordinal", 0.815)])
def test_alpha_of_the_published_example(metric: agreement.Metric, published: float) -> None:
    alpha = agreement.krippendorff_alpha(_units(PAPER), metric)
    assert alpha == pytest.approx(published, abs=5e-4)
    assert alpha == pytest.approx(_reference(PAPER, metric, 6), abs=1e-12)


@st.composite
def ratings(draw: st.DrawFn) -> tuple[list[list[int | None]], int]:
    """Respondents x questions, on a scale of 2 to 7 labels, some answers missing."""
    labels = draw(st.integers(2, 7))
    respondents = draw(st.integers(2, 6))
    questions = draw(st.integers(2, 25))
    answer = st.one_of(st.none(), st.integers(0, labels - 1))
    rows = draw(
        st.lists(
            st.lists(answer, min_size=questions, max_size=questions),
            min_size=respondents,
            max_size=respondents,
        )
    )
    return rows, labels


def _defined(rows: list[list[int | None]]) -> bool:
    """Whether alpha is defined: two values or more in pairable units, not all equal."""
    pairable = [v for unit in _units(rows) if len(unit) >= 2 for v in unit]
    return len(set(pairable)) >= 2


@settings(max_examples=300, deadline=None)
@given(ratings(), st.sampled_from(["nominal", "ordinal"]))
def test_alpha_equals_the_reference_on_generated_data(
    data: tuple[list[list[int | None]], int], metric: agreement.Metric
) -> None:
    rows, labels = data
    ours = agreement.krippendorff_alpha(_units(rows), metric)
    if not _defined(rows):
        assert ours is None
        return
    assert ours is not None
    assert ours == pytest.approx(_reference(rows, metric, labels), abs=1e-9)


def test_alpha_is_undefined_without_variation_or_pairs() -> None:
    assert agreement.krippendorff_alpha([[3, 3, 3], [3, 3]], "ordinal") is None
    assert agreement.krippendorff_alpha([[1], [2], [0]], "nominal") is None
    assert agreement.krippendorff_alpha([], "nominal") is None


def test_perfect_and_systematic_disagreement() -> None:
    assert agreement.krippendorff_alpha([[0, 0], [4, 4], [2, 2]], "ordinal") == 1.0
    alpha = agreement.krippendorff_alpha([[0, 4], [4, 0], [0, 4], [4, 0]], "ordinal")
    assert alpha is not None
    assert alpha < 0


def test_a_large_random_panel_matches_the_reference() -> None:
    rng = np.random.default_rng(20)
    rows: list[list[int | None]] = [
        [None if rng.random() < 0.1 else int(rng.integers(5)) for _ in range(40)] for _ in range(8)
    ]
    metrics: tuple[agreement.Metric, ...] = ("nominal", "ordinal")
    for metric in metrics:
        ours = agreement.krippendorff_alpha(_units(rows), metric)
        assert ours == pytest.approx(_reference(rows, metric, 5), abs=1e-9)


@pytest.mark.parametrize(
    ("positions", "median"),
    [([4, 4, 2, 3], 3), ([0, 4], 0), ([1, 2, 3], 2), ([2], 2), ([4, 4, 2, 1], 2)],
)
def test_the_lower_median_takes_the_worse_of_two_middles(positions: list[int], median: int) -> None:
    assert agreement.lower_median(positions) == median


def test_average_deviation_from_the_median() -> None:
    # always, always, sometimes, rarely: median 3, deviations 1, 1, 1, 2
    assert agreement.average_deviation([4, 4, 2, 1]) == pytest.approx(1.25)
    assert agreement.average_deviation([4, 4, 2, 3]) == pytest.approx(0.75)
    assert agreement.average_deviation([3, 3, 3]) == 0


def test_the_deviation_cutoff_is_a_sixth_of_the_labels() -> None:
    assert agreement.deviation_cutoff(5) == pytest.approx(5 / 6)
    assert math.isclose(agreement.deviation_cutoff(7), 7 / 6)


def test_majority_breaks_a_tie_to_no() -> None:
    assert agreement.majority([True, True, False]) is True
    assert agreement.majority([True, False]) is False
    assert agreement.majority([True, True, False, False]) is False
    assert agreement.agreement([True, True, True, False]) == 0.75
    assert agreement.agreement([False, False]) == 1.0


@pytest.mark.parametrize(
    ("alpha", "reading"),
    [
        (0.95, "reliable"),
        (0.8, "reliable"),
        (0.79, "tentative"),
        (0.667, "tentative"),
        (0.5, "calibrate"),
        (-0.2, "calibrate"),
    ],
)
def test_readings_follow_krippendorffs_cutoffs(alpha: float, reading: str) -> None:
    assert agreement.reading(alpha) == reading
