"""svclevel init: a valid, commented answers template for one rubric or all of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
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
    assert lines[0] == "# yaml-language-server: $schema=four-tier.answers.schema.json"
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
    assert "  # Answer: yes | no" in block.splitlines()  # four-tier accepts no n/a for it
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


def test_template_offers_n_a_only_where_the_rubric_accepts_it(tmp_path: Path) -> None:
    text = _template(tmp_path, "-r", str(DATA / "valid" / "mini-rubric.yaml")).read_text()
    flat = " ".join(text.split())
    assert (
        "# Answer: a number from 0 to 100 % (higher is better) | n/a; n/a, with a justification, "
        "when # the company runs no satisfaction survey (the test's own rule)"
    ) in flat
    assert "# Answer: yes | no # Guidance: A published number" in flat  # has_phone_line


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = _template(tmp_path)
    again = run_cli("init", "-o", str(target))
    assert again.exit_code == 2
    assert "already exists (use --force to overwrite)" in again.stderr
    assert run_cli("init", "-o", str(target), "--force").exit_code == 0


def test_init_to_stdout() -> None:
    result = run_cli("init", "-r", "three-rung")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "# yaml-language-server: $schema=three-rung.answers.schema.json\n"
    )
    assert "  anticipate_needs:" in result.stdout


RETAIL = Path(__file__).resolve().parents[2] / "examples" / "rubrics" / "retail-four-level.yaml"


def _assessed_on(answers: Path, cwd: Path, monkeypatch: Any, *options: str) -> str:
    """The rubric `assess` uses for ``answers`` (naming no rubric), run from ``cwd``."""
    monkeypatch.chdir(cwd)
    result = run_cli("assess", str(answers), "-f", "json", "--isolated", *options)
    assert result.exit_code == 0, result.stderr
    rubric_id: str = json.loads(result.stdout)["rubric"]["id"]
    return rubric_id


def test_init_with_a_rubric_path_then_assess_finds_that_rubric(
    tmp_path: Path, monkeypatch: Any
) -> None:
    (tmp_path / "rubrics").mkdir()
    rubric = tmp_path / "rubrics" / "retail.yaml"
    rubric.write_text(RETAIL.read_text())
    monkeypatch.chdir(tmp_path)
    for output in ("acme.yaml", "audits/acme.yaml", "clients/2026/acme.yaml"):
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        result = run_cli("init", "-r", "rubrics/retail.yaml", "-o", output, "--isolated")
        assert result.exit_code == 0, result.stderr
        # from the project folder, and from the answers file's own folder (where the rubric,
        # outside that folder, must be allowed: a path inside a file stays in the project)
        assert _assessed_on(tmp_path / output, tmp_path, monkeypatch) == "retail-four-level"
        folder = (tmp_path / output).parent
        allow = ("--allow-path", str(tmp_path / "rubrics"))
        assert _assessed_on(Path("acme.yaml"), folder, monkeypatch, *allow) == "retail-four-level"
        monkeypatch.chdir(tmp_path)
    assert "rubric: ../../rubrics/retail.yaml" in Path("clients/2026/acme.yaml").read_text()


def test_init_names_a_rubric_of_a_configured_folder_by_its_id(
    tmp_path: Path, monkeypatch: Any
) -> None:
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "retail-four-level.yaml").write_text(RETAIL.read_text())
    (tmp_path / ".svclevel.yaml").write_text("rubric_dirs: [rubrics]\n")
    (tmp_path / "audits").mkdir()
    monkeypatch.chdir(tmp_path)
    for ref in ("retail-four-level", "rubrics/retail-four-level.yaml"):
        result = run_cli("init", "-r", ref, "-o", "audits/acme.yaml", "--force")
        assert result.exit_code == 0, result.stderr
        assert "rubric: retail-four-level" in Path("audits/acme.yaml").read_text().splitlines()
        assessed = run_cli("assess", "audits/acme.yaml", "-f", "json")
        assert assessed.exit_code == 0, assessed.stderr
        assert json.loads(assessed.stdout)["rubric"]["id"] == "retail-four-level"


def test_a_second_template_in_a_folder_keeps_the_first_ones_schema(tmp_path: Path) -> None:
    first, second = tmp_path / "acme.yaml", tmp_path / "globex.yaml"
    assert run_cli("init", "-r", "three-rung", "-o", str(first)).exit_code == 0
    result = run_cli("init", "-r", "four-tier", "-o", str(second))
    assert result.exit_code == 0, result.stderr
    for template, rubric in ((first, "three-rung"), (second, "four-tier")):
        ref = template.read_text().splitlines()[0].split("$schema=")[1]
        assert ref == f"{rubric}.answers.schema.json"
        schema = json.loads((tmp_path / ref).read_text())
        data = yaml.safe_load(template.read_text())
        data["date"] = data["date"].isoformat()
        jsonschema.validate(data, schema)  # every question, blank, is allowed
        # the schemas differ where the rubrics do: four-tier accepts n/a, with a justification,
        # for the first reply time (its criterion allows it); three-rung accepts n/a nowhere
        data["answers"]["first_response_hours"] = {
            "value": "n/a",
            "justification": "We serve only in person and by phone.",
        }
        if rubric == "four-tier":
            jsonschema.validate(data, schema)
        else:
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(data, schema)
    third = run_cli("init", "-r", "three-rung", "-o", str(tmp_path / "initech.yaml"))
    assert third.exit_code == 0
    assert "three-rung.answers.schema.json beside it is up to date" in third.stderr


def test_init_never_replaces_a_different_schema_silently(tmp_path: Path) -> None:
    schema = tmp_path / "three-rung.answers.schema.json"
    schema.write_text('{"title": "an older version"}\n')
    target = tmp_path / "acme.yaml"
    result = run_cli("init", "-r", "three-rung", "-o", str(target))
    assert result.exit_code == 2
    assert f"{schema}: already exists" in result.stderr
    assert "--force" in result.stderr
    assert not target.exists()  # nothing half-written
    assert schema.read_text() == '{"title": "an older version"}\n'
    assert run_cli("init", "-r", "three-rung", "-o", str(target), "--force").exit_code == 0
    assert json.loads(schema.read_text())["title"] == "svclevel answers"
