"""Golden outputs: what every command prints for the shipped examples is kept byte for byte,
so that a change of structure cannot change a report unnoticed."""

from __future__ import annotations

import pytest

from tests.golden.cases import OUT, ROOT, cases, render
from tests.helpers import run_cli

CASES = cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_output(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = CASES[name]
    extra = () if args == ("rubrics",) else ("--isolated",)
    result = run_cli(*args, *extra)
    expected = (OUT / name).read_text()
    assert render(result.exit_code, result.stdout, result.stderr) == expected


def test_every_kept_output_is_a_case() -> None:
    assert sorted(p.name for p in OUT.iterdir()) == sorted(CASES)
