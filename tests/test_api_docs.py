"""docs/api.md is run: each Python block, in order and in one namespace, must print exactly the
text block that follows it."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from tests.helpers import ROOT

DOC = ROOT / "docs" / "api.md"
BLOCK = re.compile(r"```python\n(.*?)```\n\n```text\n(.*?)```", re.DOTALL)


def test_every_example_prints_what_the_page_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    pairs = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(pairs) >= 4
    namespace: dict[str, object] = {}
    for code, expected in pairs:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own page
        assert out.getvalue() == expected, code
