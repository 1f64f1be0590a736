"""The pre-commit hook and the GitHub Action run svclevel the way they say they do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import EXAMPLES, ROOT


def _load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_pre_commit_hook_runs_svclevel_on_answers_files(tmp_path: Path) -> None:
    (hook,) = _load(".pre-commit-hooks.yaml")
    assert hook["id"] == "svclevel"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert pattern.search("audits/acme.yaml")
    assert pattern.search("clients/answers/2026/acme.yml")
    assert not pattern.search(".github/workflows/ci.yml")
    assert not pattern.search("rubrics/four-level.yaml")
    exe = shutil.which("svclevel", path=str(Path(sys.executable).parent))
    assert exe is not None
    entry = [exe, *hook["entry"].split()[1:]]
    ok = subprocess.run(
        [*entry, str(EXAMPLES / "harbor-lane-shop.yaml"), "--fail-below", "exceed"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    low = subprocess.run(
        [*entry, str(EXAMPLES / "harbor-lane-shop.yaml"), "--fail-below", "delight"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert low.returncode == 1


def _action_script() -> str:
    action = _load("action.yml")
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == "assess"]
    script: str = step["run"]
    return script


def _run_action(tmp_path: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "SVCLEVEL_RUBRIC": "",
        "SVCLEVEL_FAIL_BELOW": "",
        **inputs,
    }
    return subprocess.run(
        ["bash", "-e", "-c", _action_script()],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path,
    )


def test_action_script_fails_on_a_drop_against_the_baseline(tmp_path: Path) -> None:
    harbor = EXAMPLES / "harbor-lane-shop.yaml"
    doc = yaml.safe_load(harbor.read_text(encoding="utf-8"))
    doc["answers"]["promises_kept"] = "never"
    worse = tmp_path / "now" / "harbor.yaml"
    worse.parent.mkdir()
    worse.write_text(yaml.safe_dump(doc, sort_keys=False))

    dropped = _run_action(tmp_path, INPUT_PATHS=str(worse.parent), INPUT_BASELINE=str(EXAMPLES))
    assert dropped.returncode == 1, dropped.stderr
    assert "Harbor Lane Kitchen Supply dropped on four-level from Exceed expectations" in (
        dropped.stderr
    )
    steady = _run_action(tmp_path, INPUT_PATHS=str(harbor), INPUT_BASELINE=str(EXAMPLES))
    assert steady.returncode == 0, steady.stderr
    assert _run_action(tmp_path, INPUT_PATHS=str(worse)).returncode == 0  # no baseline given


@pytest.mark.parametrize(("fail_below", "code"), [("", 0), ("amaze", 1)])
def test_action_script_writes_summary_annotations_and_artifacts(
    tmp_path: Path, fail_below: str, code: int
) -> None:
    summary = tmp_path / "summary.md"
    output = tmp_path / "output.txt"
    result = _run_action(
        tmp_path,
        INPUT_PATHS=f"{EXAMPLES}/harbor-lane-shop.yaml {EXAMPLES}/alder-grove-hotel.yaml",
        SVCLEVEL_FAIL_BELOW=fail_below,
    )
    assert result.returncode == code, result.stderr
    assert "::warning file=" in result.stdout
    assert "::notice file=" in result.stdout
    assert "## Portfolio summary" in summary.read_text()
    out = tmp_path / "svclevel"
    assert sorted(p.name for p in out.iterdir()) == [
        "svclevel.html",
        "svclevel.json",
        "svclevel.junit.xml",
        "svclevel.md",
    ]
    assert f"json={out / 'svclevel.json'}" in output.read_text()
