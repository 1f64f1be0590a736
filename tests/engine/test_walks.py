"""Folder and glob walks are bounded and stay inside what they walk (issue #15): links to folders
are not followed, links to files outside are not read, depth is limited, names that are not
UTF-8 are shown, not crashed on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from svclevel.engine.run import MAX_FOLDER_DEPTH
from tests.helpers import EXAMPLES, run_cli, run_process

EXAMPLE = EXAMPLES / "harbor-lane-shop.yaml"
FOLDER_LINK = (
    "a link to a folder: not followed (a link to a parent would make the search endless); "
    "name the folder itself to search it"
)


def _svclevel(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_process(*args, cwd=cwd, env={"COLUMNS": "100"})


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    """loop/ holding an answers file and two links to itself (`l1 -> ..`, `l2 -> .`)."""
    folder = tmp_path / "loop"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a.yaml")
    (folder / "l1").symlink_to("..")
    (folder / "l2").symlink_to(".")
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and rlimits")
def test_a_recursive_glob_does_not_follow_links_to_folders(loop: Path) -> None:
    # glob.iglob(recursive=True) followed l1 and l2 for ever (118 MB after 10 s).
    result = _svclevel("assess", "loop/**/*.yaml", "-f", "csv", cwd=loop.parent)
    assert result.returncode == 0, result.stderr
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["loop/a.yaml"]
    assert result.stderr.splitlines() == [
        f"svclevel: warning: loop/l1: skipped: {FOLDER_LINK}",
        f"svclevel: warning: loop/l2: skipped: {FOLDER_LINK}",
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_a_link_to_a_folder_in_a_walked_folder_is_said_not_passed_over(
    loop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(loop.parent)
    result = run_cli("validate", "loop")
    assert result.exit_code == 0
    assert f"svclevel: warning: loop/l1: {FOLDER_LINK}" in result.stderr
    assert f"svclevel: warning: loop/l2: {FOLDER_LINK}" in result.stderr
    # A glob that cannot go below a link says nothing about it.
    result = run_cli("assess", "loop/*", "-f", "csv")
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_a_link_to_a_folder_in_a_baseline_folder_is_said(
    loop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(loop.parent)
    result = run_cli("assess", "loop/a.yaml", "--baseline", "loop", "-f", "csv")
    assert result.exit_code == 0
    assert f"svclevel: warning: --baseline loop/l1: {FOLDER_LINK}" in result.stderr


def test_globs_match_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.yaml", "b.yml", "sub/c.yaml", "sub/deep/d.yaml", ".hidden/e.yaml", "sub.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE, tmp_path / name)
    monkeypatch.chdir(tmp_path)

    def files(pattern: str) -> list[str]:
        result = run_cli("assess", pattern, "-f", "csv")
        return [line.split(",")[0] for line in result.stdout.splitlines()[1:]]

    assert files("**/*.yaml") == ["a.yaml", "sub.yaml", "sub/c.yaml", "sub/deep/d.yaml"]
    assert files("*.y*ml") == ["a.yaml", "b.yml", "sub.yaml"]
    assert files("sub/**/*.yaml") == ["sub/c.yaml", "sub/deep/d.yaml"]
    assert files("s?b/*/[d]*.yaml") == ["sub/deep/d.yaml"]
    assert files(".*/*.yaml") == [".hidden/e.yaml"]
    assert files(f"{tmp_path}/sub//**/d.yaml") == [f"{tmp_path}/sub/deep/d.yaml"]
    result = run_cli("assess", "nothing/**/*.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "nothing/**/*.yaml: the pattern matches no file\n",
    )


def _remove_deep(top: Path) -> None:
    """Remove a folder tree too deep for shutil.rmtree, os.walk (Python 3.11) and pytest's own
    clean-up, which all recurse: bottom up, without recursion."""
    stack = [top]
    while stack:
        folder = stack[-1]
        below = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
        if below:
            stack.extend(below)
            continue
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
        stack.pop()


def test_a_folder_too_deep_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    # 1,100 levels: _walk_yaml's recursion was a RecursionError (exit 3).
    monkeypatch.chdir(tmp_path)
    deep = Path("top")
    deep.mkdir()
    for _ in range(1100):  # not mkdir(parents=True): it recurses as deep
        deep /= "d"
        deep.mkdir()
    request.addfinalizer(lambda: _remove_deep(tmp_path / "top"))
    shutil.copy(EXAMPLE, deep / "a.yaml")
    shutil.copy(EXAMPLE, Path("top", *["d"] * (MAX_FOLDER_DEPTH - 1), "b.yaml"))
    for args in (["assess", "top", "-f", "csv"], ["assess", "top/**/*.yaml", "-f", "csv"]):
        result = run_cli(*args)
        assert result.exit_code == 2
        cut = "/".join(["top", *["d"] * (MAX_FOLDER_DEPTH + 1)])
        assert result.stderr == (
            f"{cut}: more than {MAX_FOLDER_DEPTH} folders deep below top: not searched\n"
        )
        assert "/b.yaml,assessed," in result.stdout  # as deep as allowed: searched


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
@pytest.mark.parametrize("named", ["audits", "audits/*.yaml", "audits/**/*.y*ml"])
def test_a_link_out_of_a_walked_folder_is_not_read(
    named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pull request adds audits/client.yaml -> /etc/shadow: its lines were quoted in messages.
    monkeypatch.chdir(tmp_path)
    Path("secret.txt").write_text("root:$6$SECRETHASH:19000:0:99999:7:::\n")
    Path("audits/2026").mkdir(parents=True)
    shutil.copy(EXAMPLE, "audits/2026/q3.yaml")
    Path("audits/client.yaml").symlink_to("../secret.txt")
    Path("audits/current.yaml").symlink_to("2026/q3.yaml")  # inside: read
    result = run_cli("assess", named, "-f", "csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "audits/client.yaml: a link to a file outside audits: not read; name it on the "
        "command line to read it\n"
    )
    assert "SECRETHASH" not in result.stdout + result.stderr
    assert "audits/current.yaml,assessed," in result.stdout
    # Named on the command line, the link is read (and is no answers file).
    result = run_cli("assess", "audits/client.yaml")
    assert result.exit_code == 2
    assert "a link to a file outside" not in result.stderr


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses names that are not UTF-8")
@pytest.mark.parametrize("fmt", ["json", "csv", "text", "markdown", "junit", "html"])
def test_a_file_name_that_is_not_utf8_is_shown_with_its_bytes_escaped(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `-f json` on such a folder was a serialisation error (exit 3).
    folder = tmp_path / "names"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / os.fsdecode(b"caf\xe9.yaml"))
    (folder / os.fsdecode(b"bad\xff.yaml")).write_text("company: [\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("assess", "names", "-f", fmt)
    assert result.exit_code == 2
    # As the format writes a backslash: JSON and Markdown escape it.
    shown = {"json": "caf\\\\xe9", "markdown": "caf\\\\xe9"}.get(fmt, "caf\\xe9")
    # the html report, for a client, names the file without the folder
    assert f"{'' if fmt == 'html' else 'names/'}{shown}" in result.stdout
    assert result.stderr.startswith("names/bad\\xff.yaml:2:1: invalid YAML")
    if fmt == "json":
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert records[0]["file"] == "names/bad\\xff.yaml"
        assert records[1]["answers_file"] == "names/caf\\xe9.yaml"
    result = run_cli("validate", "names")
    assert result.exit_code == 2
    assert "names/bad\\xff.yaml:2:1: invalid YAML" in result.stdout


def test_a_folder_of_only_links_to_folders_is_no_input_not_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pull request that turns audits/client/ into a link must not pass the gate unassessed.
    (tmp_path / "real").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "real" / "a.yaml")
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "client").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    for arg in ("q", "q/*/*.yaml", "q/**/*.yaml"):
        result = run_cli("assess", arg, "--fail-below", "4")
        assert result.exit_code == 2, arg
        assert "q/client: skipped: a link to a folder" in result.stderr
