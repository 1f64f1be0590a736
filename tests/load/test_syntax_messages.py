"""Syntax errors in a person's words, the same with both YAML loaders (libyaml's and PyYAML's).

Tabs are called tabs; an indentation error points at the line that does not line up (not the
next token the parser stumbles on), at its first character, with a hint.
"""

from __future__ import annotations

import pytest

from svclevel.errors import InputError
from svclevel.load.yamlfile import parse_yaml

TAB = (
    "invalid YAML: a tab was found where indentation is expected; YAML indents with spaces, "
    "not tabs"
)

CASES = [
    ("company: Acme\nanswers:\n\tnps: 3\n", f"f.yaml:3:1: {TAB}"),
    ("company: Acme\nanswers:\n  a: 1\n\tb: 2\n", f"f.yaml:4:1: {TAB}"),
    ("company: Acme\nanswers:\n  a: 1\n  \tb: 2\n", f"f.yaml:4:3: {TAB}"),
    ("levels:\n  - a\n\t- b\n", f"f.yaml:3:1: {TAB}"),
    (
        # the over-indented line 5 is found at line 6, where the parser stops
        "answers:\n  a:\n    value: 1\n  b:\n      value: no\n    evidence: x\n",
        "f.yaml:5:7: invalid YAML: line 5 is indented 6 spaces, but line 6 below it, in the same "
        "block, 4 (check the indentation of line 5, and of the line below)",
    ),
    (
        "company: Acme\nanswers:\n    a: 1\n  b: 2\nc: 3\n",
        "f.yaml:3:5: invalid YAML: line 3 is indented 4 spaces, but line 4 below it, in the same "
        "block, 2 (check the indentation of line 3, and of the line below)",
    ),
    (
        "answers:\n  a: 1\n b: 2\n",
        "f.yaml:3:2: invalid YAML: line 3 is indented 1 space, which lines up with none of the "
        "lines above it (check the indentation of line 3, and of the line above)",
    ),
    (
        "answers:\n  a:\n    value: yes\n   evidence: x\n",
        "f.yaml:4:4: invalid YAML: line 4 is indented 3 spaces, which lines up with none of the "
        "lines above it (check the indentation of line 4, and of the line above)",
    ),
    (
        "company: Acme\n  date: 2026-01-01\n",
        "f.yaml:2:3: invalid YAML: line 2 is indented more than line 1 above it, whose value is "
        "already given (check the indentation of line 2, or the ':' on line 1)",
    ),
    (
        "answers:\n  nps 3\n  csat: 4\n",
        "f.yaml:2:3: invalid YAML: line 2 has no ':' after its key (check line 2)",
    ),
    (
        # the parser notices at line 4; the key without ':' is on line 3
        "answers:\n  nps: 3\n  csat 4\n",
        "f.yaml:3:3: invalid YAML: line 3 has no ':' after its key (check line 3, and the "
        "indentation of the line above)",
    ),
    (
        "title: Acme: the best\n",
        "f.yaml:1:12: invalid YAML syntax at ':' (a value that contains ': ' needs quotes around "
        "it; else check the indentation of line 1 and the line above)",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
@pytest.mark.usefixtures("yaml_loader")
def test_syntax_error_message(text: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "f.yaml")
    assert caught.value.messages() == [expected]


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("company:\tAcme\n", {"company": "Acme"}),
        ("a: [1,\t2]\n", {"a": [1, 2]}),
        ("a: 1\t# comment\n", {"a": 1}),
    ],
)
@pytest.mark.usefixtures("yaml_loader")
def test_tabs_between_values_are_read_alike_by_both_loaders(text: str, data: object) -> None:
    assert parse_yaml(text, "f.yaml").data == data
