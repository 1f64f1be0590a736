"""Inputs must be regular files: a named pipe would wait for a writer forever, a device may never
end. Each is refused with exit 2 naming it, wherever it is named; standard input (``-``) and a
pipe the shell opened (``<(command)``, tested in test_hostile.py) are still read."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, run_cli, run_process

HARBOR = EXAMPLES / "harbor-lane-shop.yaml"
RETAIL = EXAMPLES / "rubrics" / "retail-four-level.yaml"
NAMED_PIPE = "is a named pipe, not a regular file"


def _svclevel(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # A separate process, so that a run that waits on the pipe fails the test instead of
    # hanging it.
    return run_process(*args, cwd=cwd)


def _answers_naming(folder: Path, key: str, value: str) -> Path:
    text = HARBOR.read_text().replace("rubric: four-level", f"{key}: {value}")
    path = folder / "answers.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "where",
    ["answers", "rubric option", "rubric: key", "extends", "baseline", "config", "diff before"],
)
def test_a_named_pipe_as_an_input_is_refused(tmp_path: Path, where: str) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    harbor = shutil.copy(HARBOR, tmp_path / "harbor.yaml")
    args = {
        "answers": ["assess", "pipe.yaml"],
        "rubric option": ["assess", "harbor.yaml", "-r", "pipe.yaml"],
        "rubric: key": ["assess", str(_answers_naming(tmp_path, "rubric", "pipe.yaml"))],
        "extends": ["assess", "harbor.yaml", "-r", "child.yaml"],
        "baseline": ["assess", "harbor.yaml", "--baseline", "pipe.yaml"],
        "config": ["assess", "harbor.yaml", "--config", "pipe.yaml"],
        "diff before": ["diff", "pipe.yaml", str(harbor)],
    }[where]
    (tmp_path / "child.yaml").write_text("id: child\nversion: 1\nextends: pipe.yaml\n")
    result = _svclevel(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "pipe.yaml" in result.stderr
    assert NAMED_PIPE in result.stderr
    assert "Traceback" not in result.stderr


def test_a_named_pipe_in_a_folder_is_reported_and_the_rest_assessed(tmp_path: Path) -> None:
    shutil.copy(HARBOR, tmp_path / "a.yaml")
    os.mkfifo(tmp_path / "b.yaml")
    result = _svclevel("assess", ".", "-f", "csv", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"./b.yaml: {NAMED_PIPE}; give a file, or - for standard input\n"
    assert "Harbor Lane Kitchen Supply" in result.stdout


def test_a_glob_matching_a_named_pipe_reports_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "b.yaml")
    result = _svclevel("assess", "*.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"b.yaml: {NAMED_PIPE}")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_as_an_input_is_refused() -> None:
    result = run_cli("assess", "/dev/zero")
    assert result.exit_code == 2
    assert result.stderr.startswith("/dev/zero: is a character device, not a regular file")


def test_standard_input_is_still_read() -> None:
    result = run_cli("assess", "-", "-f", "json", stdin=HARBOR.read_text())
    assert result.exit_code == 0, result.stderr
    assert '"company": "Harbor Lane Kitchen Supply"' in result.stdout
