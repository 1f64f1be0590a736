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

from tests.helpers import EXAMPLES, ROOT, yearly_examples


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
    # svclevel's own configuration beside the audits is not an audit
    excluded = re.compile(hook["exclude"])
    assert excluded.search("audits/.svclevel.yaml")
    assert not excluded.search("audits/acme.yaml")
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


def _hook_entry() -> list[str]:
    (hook,) = _load(".pre-commit-hooks.yaml")
    exe = shutil.which("svclevel", path=str(Path(sys.executable).parent))
    assert exe is not None
    return [exe, *hook["entry"].split()[1:]]


def _commit_files(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` under ``tmp_path``; the ones the hook's ``files`` and ``types`` select,
    as pre-commit passes them."""
    (hook,) = _load(".pre-commit-hooks.yaml")
    pattern, excluded = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [
        n
        for n in files
        if pattern.search(n) and not excluded.search(n) and n.endswith((".yaml", ".yml"))
    ]


RETAIL = EXAMPLES / "rubrics" / "retail-four-level.yaml"


def _run_hook(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """In the folder of the commit, with this checkout's svclevel (as pre-commit installs it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=cwd, env=env)


def test_pre_commit_hook_prints_one_line_per_file_and_validates_rubrics(tmp_path: Path) -> None:
    """A custom rubric and the question bank may live under audits/ (the docs say so): the hook
    validates them instead of refusing them; every file gets exactly one line, the reason in it."""
    harbor = (EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8")
    selected = _commit_files(
        tmp_path,
        {
            "audits/harbor.yaml": harbor,
            "audits/northwind.yaml": (EXAMPLES / "northwind-telecom.yaml").read_text("utf-8"),
            "audits/retail.yaml": RETAIL.read_text(encoding="utf-8"),
            "audits/questions.yaml": (ROOT / "rubrics" / "questions.yaml").read_text("utf-8"),
            "audits/broken.yaml": harbor.replace("value: always", "value: 7", 1),
            "audits/notes.md": "not YAML, not selected",
        },
    )
    assert len(selected) == 5
    run = _run_hook([*_hook_entry(), "--fail-below", "delight", *selected], tmp_path)
    assert run.returncode == 2  # the broken file; the others are still reported
    lines = run.stdout.splitlines() + run.stderr.splitlines()
    assert sorted(line.split(":")[0] for line in lines) == sorted(selected)
    assert (
        "audits/harbor.yaml: Harbor Lane Kitchen Supply — Level 2 of 4 (Exceed expectations), "
        "evidence 12 undated, below the gate Level 3 (Delight customers)" in lines
    )
    assert (
        "audits/northwind.yaml: Northwind Telecom — Level 0 of 4 (below the ladder), evidence 9 "
        "undated, below the gate Level 3 (Delight customers)" in lines
    )
    assert (
        "audits/retail.yaml: rubric retail-four-level, valid, 2 self-tests pass; not assessed"
        in (lines)
    )
    assert "audits/questions.yaml: a question bank, valid; not assessed" in lines
    (broken,) = (line for line in lines if line.startswith("audits/broken.yaml"))
    assert broken == (
        "audits/broken.yaml:9:12: answers.promises_kept.value: expected one of never, rarely, "
        "sometimes, usually, always, got 7"
    )


def test_pre_commit_hook_fails_on_a_rubric_whose_self_test_fails(tmp_path: Path) -> None:
    text = RETAIL.read_text(encoding="utf-8").replace("    level: meet", "    level: delight")
    selected = _commit_files(tmp_path, {"audits/retail.yaml": text})
    run = _run_hook([*_hook_entry(), *selected], tmp_path)
    assert run.returncode == 2
    assert run.stderr == ""
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "replies in three hours" in x)
    assert run.stdout.startswith(f"audits/retail.yaml:{line}:5: self_tests[1]: self-test ")
    assert run.stdout.count("\n") == 1


def _pinned_revisions() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    action = (ROOT / "action.yml").read_text(encoding="utf-8")
    revs = re.findall(r"^\s*rev: (\S+)", readme, re.MULTILINE)
    uses = re.findall(r"uses: OWNER/svclevel@(\S+)", readme + action)
    return revs + uses


def test_the_docs_pin_no_tag_that_does_not_exist() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tags = subprocess.run(
        ["git", "tag"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    pinned = _pinned_revisions()
    assert pinned
    for rev in pinned:
        # a tag that exists, or the one placeholder the text tells the reader to replace
        assert rev in tags or rev == "COMMIT_SHA", rev


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
        "INPUT_RUBRIC": "",
        "INPUT_FAIL_BELOW": "",
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

    yearly = str(yearly_examples(tmp_path / "yearly"))
    dropped = _run_action(tmp_path, INPUT_PATHS=str(worse.parent), INPUT_BASELINE=yearly)
    assert dropped.returncode == 1, dropped.stderr
    assert "Harbor Lane Kitchen Supply dropped on four-level from Exceed expectations" in (
        dropped.stderr
    )
    steady = _run_action(tmp_path, INPUT_PATHS=str(harbor), INPUT_BASELINE=yearly)
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


def test_action_isolated_ignores_a_configuration_the_pull_request_brought(tmp_path: Path) -> None:
    # A fork's .svclevel.yaml points the rubric its answers name at a folder of its own.
    (tmp_path / "rubs").mkdir()
    retail = (EXAMPLES / "rubrics" / "retail-four-level.yaml").read_text(encoding="utf-8")
    (tmp_path / "rubs" / "lenient.yaml").write_text(
        retail.replace("id: retail-four-level", "id: lenient")
    )
    (tmp_path / ".svclevel.yaml").write_text("rubric_dirs: [rubs]\n")
    audits = tmp_path / "audits"
    audits.mkdir()
    harbor = (EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8")
    (audits / "harbor.yaml").write_text(harbor.replace("rubric: four-level", "rubric: lenient"))
    configured = _run_action(tmp_path, INPUT_PATHS="audits")
    assert configured.returncode == 0, configured.stderr
    isolated = _run_action(tmp_path, INPUT_PATHS="audits", INPUT_ISOLATED="true")
    assert isolated.returncode == 2
    assert "unknown rubric 'lenient'" in isolated.stdout + isolated.stderr
    wrong = _run_action(tmp_path, INPUT_PATHS="audits", INPUT_ISOLATED="yes")
    assert wrong.returncode == 2
    assert "isolated must be true or false" in wrong.stderr


def test_a_fresh_clone_has_no_virtual_environment_in_it() -> None:
    # A committed .venv (a link into one machine's /tmp) made the README's install fail.
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files", ".venv", ".venv-lowest"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert tracked == ""
