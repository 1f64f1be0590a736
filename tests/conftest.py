"""Shared fixtures: answers-file writers and the best and worst answers to the bank."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from svclevel.load import yamlfile
from svclevel.load.rubrics import load_bank
from svclevel.models import Question

from .helpers import answers_doc, best_value, worst_value

WriteAnswers = Callable[..., Path]


@pytest.fixture
def write_answers(tmp_path: Path) -> WriteAnswers:
    """Write an answers file into tmp_path and return its path."""
    counter = iter(range(1000))

    def write(answers: Mapping[str, Any], name: str | None = None, **header: Any) -> Path:
        path = tmp_path / (name or f"answers-{next(counter)}.yaml")
        path.write_text(yaml.safe_dump(answers_doc(answers, **header), sort_keys=False))
        return path

    return write


@pytest.fixture(params=sorted(yamlfile.LOADERS))
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once with each YAML loader svclevel can use (libyaml's, pure Python)."""
    name: str = request.param
    monkeypatch.setattr(yamlfile, "LOADER", yamlfile.LOADERS[name])
    return name


@pytest.fixture(scope="session")
def bank() -> dict[str, Question]:
    return load_bank()


@pytest.fixture(scope="session")
def best(bank: dict[str, Question]) -> dict[str, Any]:
    return {qid: best_value(q) for qid, q in bank.items()}


@pytest.fixture(scope="session")
def worst(bank: dict[str, Question]) -> dict[str, Any]:
    return {qid: worst_value(q) for qid, q in bank.items()}
