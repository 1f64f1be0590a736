"""Odd keys, odd dates and odd bytes: each is an exit-2 error at its line, from every command
that reads the file (issue #15, "wrong answers to odd keys")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, run_cli

HEADER = "company: X\ndate: 2026-01-01\nrubric: four-level\n"
RUBRIC = (Path(__file__).parents[1] / "data" / "valid" / "mini-rubric.yaml").read_text()


@pytest.mark.parametrize("command", ["assess", "validate"])
def test_keys_one_and_true_are_both_reported_at_their_lines(command: str, tmp_path: Path) -> None:
    # Python's 1 == True made the two keys one: `assess` said nothing, `validate` "clean".
    path = tmp_path / "keys.yaml"
    path.write_text("company: X\nrubric: four-level\nanswers:\n  1: yes\n  true: yes\n")
    result = run_cli(command, str(path))
    assert result.exit_code == 2
    assert (result.stdout + result.stderr).splitlines()[:2] == [
        f"{path}:4:3: answers: keys must be text, not the number 1; put it in quotes: '1'",
        f"{path}:5:3: answers: keys must be text, not the yes/no value true; "
        "put it in quotes: 'true'",
    ]


@pytest.mark.parametrize(
    ("key", "at", "what"),
    [
        ("1.5", 3, "the number 1.5"),
        ("null", 3, "null (no key at all); put it in quotes: 'null'"),
        ("2026-01-01", 3, "the date 2026-01-01"),
        ("[a]", 5, "a list"),
        ("!!int '7'", 3, "the number 7"),
    ],
)
@pytest.mark.usefixtures("yaml_loader")
def test_every_key_that_is_not_text_is_an_error_at_its_line(
    key: str, at: int, what: str, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    text = (
        f"{HEADER}answers:\n  {key}: yes\n"
        if key != "[a]"
        else f"{HEADER}answers:\n  ? [a]\n  : yes\n"
    )
    path.write_text(text)
    result = run_cli("assess", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:5:{at}: answers: keys must be text, not {what}")


def test_keys_that_are_not_text_are_refused_in_rubrics_and_configuration(tmp_path: Path) -> None:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC + "1: x\n")
    line = RUBRIC.count("\n") + 1
    result = run_cli("rubrics", "show", str(rubric))
    assert (result.exit_code, result.stderr) == (
        2,
        f"{rubric}:{line}:1: keys must be text, not the number 1; put it in quotes: '1'\n",
    )
    config = tmp_path / ".svclevel.yaml"
    config.write_text("true: 1\n")
    result = run_cli("assess", str(EXAMPLES / "harbor-lane-shop.yaml"), "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}:1:1: keys must be text, not the yes/no value true" in result.stderr


@pytest.mark.parametrize("date", ["86400", "'86400'", "86400.0", "true", "[2026, 1, 1]"])
@pytest.mark.parametrize("command", ["assess", "validate"])
def test_a_date_that_is_not_written_as_a_day_is_an_error(
    date: str, command: str, tmp_path: Path
) -> None:
    # Pydantic reads a number as seconds since 1970: `date: 86400` was 1970-01-02.
    text = (EXAMPLES / "harbor-lane-shop.yaml").read_text()
    path = tmp_path / "date.yaml"
    path.write_text(text.replace("date: 2026-10-02\n", f"date: {date}\n", 1))
    result = run_cli(command, str(path), *(["-f", "json"] if command == "assess" else []))
    assert result.exit_code == 2
    assert (
        f"{path}:3:7: date: expected a date such as 2026-10-01, got "
        in result.stdout + result.stderr
    )
    assert "1970" not in result.stdout + result.stderr


def test_a_date_written_as_a_day_still_works(tmp_path: Path) -> None:
    for written in ("2026-10-01", "'2026-10-01'"):
        path = tmp_path / "ok.yaml"
        path.write_text(f"{HEADER.replace('2026-01-01', written)}answers: {{}}\n")
        result = run_cli("assess", str(path), "-f", "json")
        assert result.exit_code == 0, result.stderr
        assert '"date": "2026-10-01"' in result.stdout


@pytest.mark.parametrize(
    ("byte", "code"), [(b"\x00", "0000"), (b"\x1b", "001B"), (b"\x7f", "007F")]
)
@pytest.mark.parametrize("kind", ["answers", "rubric", "config"])
@pytest.mark.usefixtures("yaml_loader")
def test_control_bytes_are_named_at_their_line_and_column(
    byte: bytes, code: str, kind: str, tmp_path: Path
) -> None:
    # Both loaders (libyaml's and PyYAML's) give the same message, in svclevel's words.
    path = tmp_path / ("file.yaml" if kind != "config" else ".svclevel.yaml")
    body = {"answers": HEADER.encode(), "rubric": RUBRIC.encode(), "config": b"jobs: 1\n"}[kind]
    path.write_bytes(body + b"x: ab" + byte + b"c\n")
    line = body.count(b"\n") + 1
    answers = str(EXAMPLES / "harbor-lane-shop.yaml")
    args = {
        "answers": ["assess", str(path)],
        "rubric": ["rubrics", "show", str(path)],
        "config": ["assess", answers, "--config", str(path)],
    }[kind]
    result = run_cli(*args)
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}:{line}:6: invalid YAML: the character U+{code} is not allowed in a YAML file\n"
    )
