"""The result objects as a Python caller reads them: the same data as the JSON record."""

from __future__ import annotations

import dataclasses
import json

import pytest

from svclevel.engine.score import score
from svclevel.load.rubrics import check_answers_for, load_rubric, read_answers
from svclevel.results import Assessment
from tests.helpers import EXAMPLES, run_cli

HARBOR = EXAMPLES / "harbor-lane-shop.yaml"


def _assess() -> Assessment:
    loaded = load_rubric("four-level")
    return score(loaded, check_answers_for(read_answers(HARBOR), loaded))


def test_to_dict_is_the_json_record_without_its_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    record = json.loads(run_cli("assess", "examples/harbor-lane-shop.yaml", "-f", "json").stdout)
    for key in ("schema_version", "kind", "tool"):
        del record[key]
    data = _assess().to_dict()
    data["answers_file"] = "examples/harbor-lane-shop.yaml"
    assert json.loads(json.dumps(data)) == record


def test_parts_of_an_assessment_give_their_own_dicts() -> None:
    a = _assess()
    assert a.level is not None
    assert a.level.ref_dict() == {"index": 2, "id": "exceed", "name": "Exceed expectations"}
    gap = a.gaps[0].to_dict()
    assert (gap["question_id"], gap["value"], gap["threshold"]) == (
        "customers_feel_valued",
        "sometimes",
        {"type": "scale", "at_least": "usually"},
    )
    step = a.roadmap[0].to_dict()
    assert step["reason"] == (
        "1 required criterion not met; 4.75 more weight needed to reach the pass mark of 75%"
    )


def test_results_cannot_be_changed() -> None:
    a = _assess()
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.attained = 4  # type: ignore[misc]
