"""Example-file driven: every broken file in data/invalid/ fails with exactly its messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import DATA, run_cli

INVALID = DATA / "invalid"
CASES = sorted(INVALID.glob("*.yaml"))


def test_every_case_has_its_expected_messages() -> None:
    assert len(CASES) >= 20
    for case in CASES:
        assert case.with_suffix(".expected").is_file(), case.name


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_invalid_file_is_rejected_with_located_messages(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(INVALID)
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    if case.name.startswith("rubric-"):
        result = run_cli("rubrics", "show", case.name)
    else:
        result = run_cli("assess", case.name)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for line in expected:
        assert line.startswith(case.name + ":"), line


def test_messages_stay_on_one_line_and_carry_no_escape_codes(tmp_path: Path) -> None:
    path = tmp_path / "weird.yaml"
    path.write_text(
        'company: Acme\ndate: 2026-01-01\nanswers:\n  "bad\\nkey\\u001b[31m": yes\n',
        encoding="utf-8",
    )
    result = run_cli("assess", str(path), "--rubric", "four-level")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}:4:3: answers.bad\\nkey\\x1b[31m: unknown question 'bad\\nkey\\x1b[31m'\n"
    )
