"""Robustness: every input of the public YAML test suite is refused cleanly, never a crash.

None of those documents is a valid answers file or rubric, so each must give exit code 2 and
messages that start with the file's name, with no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli

CORPUS = ROOT.parent / "shared" / "corpora" / "yaml-test-suite"
CASES = sorted(CORPUS.glob("*/in.yaml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CASES, reason="the YAML test suite (../shared/corpora) is not here")
@pytest.mark.parametrize("command", [["assess", "--rubric", "four-level"], ["rubrics", "show"]])
@pytest.mark.usefixtures("yaml_loader")
def test_yaml_test_suite_inputs_are_refused_cleanly(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT.parent)
    failures = []
    kinds: set[str] = set()
    for case in CASES:
        name = str(case.relative_to(ROOT.parent))
        args = [*command[:1], *command[1:], name] if command[0] == "assess" else [*command, name]
        result = run_cli(*args)
        lines = result.stderr.splitlines()
        ok = (
            result.exit_code == 2
            and lines
            and all(line.startswith(name + ":") for line in lines)
            and result.stdout == ""
        )
        if not ok:
            failures.append((name, result.exit_code, result.stderr[-200:]))
        kinds |= {line.split(": ", 1)[1].split(":")[0] for line in lines if ": " in line}
    assert failures == []
    assert len(CASES) > 400
    assert "no such file" not in kinds
    assert "invalid YAML" in kinds


def test_corpus_is_found_when_shared_is_beside_the_checkout() -> None:
    if not (ROOT.parent / "shared").is_dir():
        pytest.skip("no ../shared beside this checkout")
    assert CASES, CORPUS
    assert all(isinstance(c, Path) for c in CASES)


@pytest.mark.usefixtures("yaml_loader")
def test_the_direct_constructor_builds_what_pyyaml_builds() -> None:
    # svclevel builds plain documents itself (it is faster than PyYAML's general constructor):
    # for every corpus document it accepts, the data must equal what PyYAML builds with the
    # same loader.
    import yaml

    from svclevel.load import yamlfile

    compared = 0
    # svclevel's own files (on any checkout), and the public corpus when it is beside it.
    own = sorted(
        [
            *ROOT.glob("examples/**/*.yaml"),
            *ROOT.glob("rubrics/*.yaml"),
            *ROOT.glob("tests/**/*.yaml"),
        ]
    )
    for case in [*own, *CASES]:
        text = case.read_bytes().decode("utf-8", "replace")
        try:
            loader = yamlfile.LOADER(text)
            node = loader.get_single_node()
            if node is None:
                continue
            direct = yamlfile._construct_plain(node, loader)
        except (
            yaml.YAMLError,
            yamlfile._NotPlainError,
            yamlfile._DuplicateKeyError,
            yamlfile._KeyNotTextError,  # refused: svclevel's keys are all text
        ):
            continue
        except yamlfile._Refused:
            continue
        assert repr(direct) == repr(yamlfile.LOADER(text).get_single_data()), case
        compared += 1
    assert compared > (len(own) // 2 + (100 if CASES else 0))
