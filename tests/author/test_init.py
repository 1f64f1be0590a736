"""svclevel init: a valid, commented answers template for one rubric or all of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from svclevel.load.rubrics import load_rubric
from tests.helpers import BUILTIN_IDS, DATA, run_cli


def _template(tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "acme.yaml"
    result = run_cli("init", "-o", str(target), "--company", "Acme & Co", *args)
    assert result.exit_code == 0, result.stderr
    return target


def test_template_lists_every_question_with_its_comments(tmp_path: Path) -> None:
    text = _template(tmp_path, "-r", "four-tier").read_text()
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=answers.schema.json"
    assert 'company: "Acme & Co"' in lines
    assert "rubric: four-tier" in lines
    used = {c.question for lv in load_rubric("four-tier").rubric.levels for c in lv.criteria}
    answered = {
        line.strip()[:-1]
        for line in lines
        if line.startswith("  ") and line.endswith(":") and not line.strip().startswith("#")
    }
    assert answered == used
    block = text.split("  loyalty_rewards:")[0].rsplit("\n\n", 1)[1]
    assert "# Do repeat customers receive rewards for their loyalty" in block
    assert "# Answer: yes | no | n/a" in block
    assert "# Guidance:" in block
    assert "# Used by: four-tier:desired" in block


def test_untouched_template_assesses_with_every_question_unanswered(tmp_path: Path) -> None:
    target = _template(tmp_path)
    for rubric in BUILTIN_IDS:
        result = run_cli("assess", str(target), "-r", rubric, "-f", "json")
        assert result.exit_code == 0, result.stderr
        record = json.loads(result.stdout)
        used = {c["question_id"] for lv in record["levels"] for c in lv["criteria"]}
        assert set(record["unanswered"]) == used


def test_filled_with_best_answers_reaches_the_top_of_every_ladder(
    tmp_path: Path, best: dict[str, Any]
) -> None:
    target = _template(tmp_path)
    data = yaml.safe_load(target.read_text())
    data["answers"] = {qid: best[qid] for qid in data["answers"]}
    target.write_text(yaml.safe_dump(data))
    for rubric in BUILTIN_IDS:
        record = json.loads(run_cli("assess", str(target), "-r", rubric, "-f", "json").stdout)
        assert record["at_top"], rubric


def test_template_and_schema_beside_it_agree(tmp_path: Path) -> None:
    target = _template(tmp_path)
    schema = json.loads((tmp_path / "answers.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(target.read_text())
    data["date"] = data["date"].isoformat()
    jsonschema.validate(data, schema)


def test_custom_rubric_template_includes_its_own_questions(tmp_path: Path) -> None:
    text = _template(tmp_path, "-r", str(DATA / "valid" / "mini-rubric.yaml")).read_text()
    assert "  has_phone_line:" in text


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = _template(tmp_path)
    again = run_cli("init", "-o", str(target))
    assert again.exit_code == 2
    assert "already exists (use --force to overwrite)" in again.stderr
    assert run_cli("init", "-o", str(target), "--force").exit_code == 0


def test_init_to_stdout() -> None:
    result = run_cli("init", "-r", "three-rung")
    assert result.exit_code == 0
    assert result.stdout.startswith("# yaml-language-server: $schema=answers.schema.json\n")
    assert "  anticipate_needs:" in result.stdout
