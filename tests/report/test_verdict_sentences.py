"""Every sentence that says where a company stands reads right at every standing: below the
ladder, on a floor level, part-way up, at the top, and placed lower by fundamentals first."""

from __future__ import annotations

from typing import Any

import pytest

from svclevel.engine.gates import below_threshold
from svclevel.load.rubrics import load_rubric
from svclevel.report import Format, ReportOptions, reporter_for
from svclevel.report._common import gating_note, verdict
from svclevel.results import Assessment
from tests.helpers import assess_data


def _standings(best: dict[str, Any], worst: dict[str, Any]) -> dict[str, Assessment]:
    meet = {c.question for c in load_rubric("four-level").rubric.levels[0].criteria}
    return {
        "below": assess_data("four-level", worst),
        "floor": assess_data("three-rung", worst),
        "top": assess_data("four-level", best),
        "held back": assess_data(
            "four-level", {q: worst[q] if q in meet else best[q] for q in best}
        ),
    }


def test_the_verdict_and_the_fundamentals_note(best: dict[str, Any], worst: dict[str, Any]) -> None:
    a = _standings(best, worst)
    assert verdict(a["below"]) == (
        "Below the ladder: Test Co does not reach the first level, Meet expectations, so no "
        "level is attained."
    )
    assert verdict(a["floor"]) == (
        "Test Co stands at Rung 1 - Unacceptable, the floor of the ladder (level 1 of 3): the "
        "next level is not met."
    )
    assert verdict(a["top"]) == "Test Co reaches Amaze customers (the top of the ladder)."
    held = a["held back"]
    assert held.below_ladder
    assert held.skipped
    note = gating_note(held)
    assert note is not None
    assert note.endswith(
        "but Meet expectations below it is not, so the company is placed below the ladder."
    )


@pytest.mark.parametrize(
    ("standing", "spec", "expected"),
    [
        ("below", "meet", "Test Co is below the ladder on four-level, below the threshold Meet"),
        ("floor", "2", "Test Co is at Rung 1 - Unacceptable on three-rung, below the threshold"),
    ],
)
def test_the_fail_below_message(
    best: dict[str, Any], worst: dict[str, Any], standing: str, spec: str, expected: str
) -> None:
    message = below_threshold(_standings(best, worst)[standing], spec)
    assert message is not None
    assert f"answers.yaml: {expected}" in message


@pytest.mark.parametrize(
    ("standing", "expected"),
    [
        ("below", "the company is below the ladder"),
        ("floor", "the company is at Rung 1 - Unacceptable"),
        ("top", "the company is at Amaze customers"),
    ],
)
def test_the_html_ladder_label(
    best: dict[str, Any], worst: dict[str, Any], standing: str, expected: str
) -> None:
    html = reporter_for(Format.HTML, ReportOptions()).render(_standings(best, worst)[standing])
    assert f"top level first; {expected}</title>" in html
