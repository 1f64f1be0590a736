"""The wheel ships everything it needs: built, installed into a fresh venv (not editable), run."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
    )
    (built,) = out.glob("svclevel-*.whl")
    return built


def test_wheel_contains_the_rubrics_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for rubric in ("questions", "four-level", "three-tier", "three-rung", "four-tier"):
        assert f"svclevel/rubrics/{rubric}.yaml" in names
    assert "svclevel/py.typed" in names
    assert "svclevel/report/templates/assessment.html.j2" in names
    assert not any(name.startswith(("tests/", "examples/")) for name in names)


def test_installed_wheel_runs_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True
    )
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import svclevel, sys; print(svclevel.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
    ).stdout
    assert str(env_dir) in where  # the installed copy, not the source tree

    listed = subprocess.run(
        [str(bin_dir / "svclevel"), "rubrics"],
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
    )
    for rubric_id in ("four-level", "three-tier", "three-rung", "four-tier"):
        assert rubric_id in listed.stdout

    assessed = subprocess.run(
        [str(bin_dir / "svclevel"), "assess", str(EXAMPLES / "harbor-lane-shop.yaml")],
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
    )
    assert "reaches Exceed expectations" in assessed.stdout

    report = subprocess.run(
        [
            str(bin_dir / "svclevel"),
            "assess",
            str(EXAMPLES / "harbor-lane-shop.yaml"),
            "-f",
            "html",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
    )
    assert "Harbor Lane Kitchen Supply reaches Exceed expectations" in report.stdout
