"""Property tests: the ladder is monotone in every answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svclevel.engine.score import score
from svclevel.load.rubrics import load_rubric
from tests import strategies
from tests.helpers import BUILTIN_IDS


@pytest.mark.parametrize("rubric_id", BUILTIN_IDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_improving_one_answer_never_lowers_the_level(rubric_id: str, data: st.DataObject) -> None:
    loaded = load_rubric(rubric_id)
    values = data.draw(strategies.answer_values(loaded.questions, na=False))
    target = data.draw(st.sampled_from(sorted(loaded.questions)))
    improved = data.draw(strategies.better(loaded.questions[target], values[target]))
    before = score(loaded, strategies.answers_of(values, rubric=rubric_id))
    after = score(loaded, strategies.answers_of({**values, target: improved}, rubric=rubric_id))
    assert after.attained >= before.attained, (target, values[target], improved)
    # and no single level's own verdict gets worse either
    for lb, la in zip(before.levels, after.levels, strict=True):
        assert la.met or not lb.met, (lb.id, target)
