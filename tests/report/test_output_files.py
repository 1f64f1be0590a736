"""Where svclevel writes: a report never replaces an input, special files stay what they are, a
full disk or a size limit is a clean error with nothing half-written, and modes follow the
umask (a new file) or the file replaced."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, ROOT, run_cli

HARBOR = EXAMPLES / "harbor-lane-shop.yaml"
RETAIL = EXAMPLES / "rubrics" / "retail-four-level.yaml"


def _copy(source: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or source.name)
    shutil.copy(source, target)
    return target


def _listing(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _svclevel(*args: str, cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "svclevel", *args],
        cwd=cwd,
        env=env,
        stdout=kwargs.pop("stdout", subprocess.PIPE),
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        **kwargs,
    )


# ----------------------------------------------------------------- a report is never an input


def _answers(tmp_path: Path) -> list[str]:
    return ["assess", str(_copy(HARBOR, tmp_path, "a.yaml"))]


CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "answers file": (_answers, "a.yaml"),
    "batch member": (
        lambda t: [
            "assess",
            str(_copy(HARBOR, t, "a.yaml")),
            str(_copy(EXAMPLES / "alder-grove-hotel.yaml", t, "b.yaml")),
        ],
        "b.yaml",
    ),
    "file in a folder": (
        lambda t: ["assess", str(_copy(HARBOR, t, "a.yaml").parent)],
        "a.yaml",
    ),
    "glob match": (
        lambda t: ["assess", str(_copy(HARBOR, t, "a.yaml").parent / "*.yaml")],
        "a.yaml",
    ),
    "baseline": (
        lambda t: [
            "assess",
            str(_copy(HARBOR, t, "a.yaml")),
            "--baseline",
            str(_copy(HARBOR, t, "before.yaml")),
        ],
        "before.yaml",
    ),
    "AFTER of diff": (
        lambda t: [
            "diff",
            str(_copy(HARBOR, t, "before.yaml")),
            str(_copy(HARBOR, t, "a.yaml")),
        ],
        "a.yaml",
    ),
    "input of compare": (
        lambda t: ["compare", str(_copy(HARBOR, t, "a.yaml"))],
        "a.yaml",
    ),
    "rubric path": (
        lambda t: ["assess", str(_copy(HARBOR, t, "a.yaml")), "-r", str(_copy(RETAIL, t))],
        RETAIL.name,
    ),
    "rubric in a rubric folder": (
        lambda t: [
            "assess",
            str(_copy(HARBOR, t, "a.yaml")),
            "--rubric-dir",
            str(_copy(RETAIL, t).parent),
            "-r",
            RETAIL.stem,
        ],
        RETAIL.name,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("spelling", ["plain", "dotted", "symlink", "hard link"])
def test_a_report_onto_an_input_is_refused_before_anything_is_written(
    tmp_path: Path, case: str, spelling: str
) -> None:
    command, victim = CASES[case]
    work = tmp_path / "work"
    work.mkdir()
    args = command(work)
    target = work / victim
    if spelling == "dotted":
        target = work / "." / ".." / "work" / victim
    elif spelling == "symlink":
        (tmp_path / "link").symlink_to(work / victim)
        target = tmp_path / "link"
    elif spelling == "hard link":
        os.link(work / victim, tmp_path / "hard")
        target = tmp_path / "hard"
    before = _listing(tmp_path)
    result = run_cli(*args, "-f", "json", "--report", f"json={target}")
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert victim in lines[0]
    assert str(target) in lines[0]
    assert "is also an output" in lines[0]
    assert _listing(tmp_path) == before


def test_standard_input_redirected_from_the_target_is_refused(tmp_path: Path) -> None:
    answers = _copy(HARBOR, tmp_path, "a.yaml")
    with answers.open() as stdin:
        result = _svclevel("assess", "-", "--report", "json=a.yaml", cwd=tmp_path, stdin=stdin)
    assert result.returncode == 2
    assert result.stderr.startswith("<stdin>: is also an output of this run (a.yaml)")
    assert answers.read_bytes() == HARBOR.read_bytes()
    assert list(tmp_path.iterdir()) == [answers]


def test_an_extended_rubric_is_not_overwritten(tmp_path: Path) -> None:
    # Found only while reading (extends: names it): the run stops there, nothing is written.
    base = _copy(RETAIL, tmp_path, "base.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("id: child\nversion: 1\nextends: base.yaml\n")
    before = _listing(tmp_path)
    result = run_cli("assess", str(HARBOR), "-r", str(child), "--report", f"json={base}")
    assert result.exit_code == 2
    assert "base.yaml: is also an output of this run" in result.stderr
    assert _listing(tmp_path) == before


def test_a_rubric_named_by_an_answers_file_is_not_overwritten_in_a_batch(tmp_path: Path) -> None:
    # A problem of one input usually lets the batch go on; this one stops it, or the report
    # would replace the rubric.
    rubric = _copy(RETAIL, tmp_path, "mine.yaml")
    answers = tmp_path / "answers"
    answers.mkdir()
    text = HARBOR.read_text().replace("rubric: four-level", f"rubric: {rubric}")
    for name in ("a.yaml", "b.yaml"):
        (answers / name).write_text(text)
    before = _listing(tmp_path)
    allow = ("--allow-path", str(tmp_path))  # the rubric is outside the working directory
    result = run_cli("assess", str(answers), "--jobs", "1", "--report", f"csv={rubric}", *allow)
    assert result.exit_code == 2
    assert "is also an output of this run" in result.stderr
    assert _listing(tmp_path) == before


def test_init_output_onto_its_rubric_is_refused(tmp_path: Path) -> None:
    rubric = _copy(RETAIL, tmp_path)
    before = _listing(tmp_path)
    result = run_cli("init", "-r", str(rubric), "-o", str(rubric), "--force")
    assert result.exit_code == 2
    assert "is also an output of this run" in result.stderr
    assert _listing(tmp_path) == before


def test_a_report_named_twice_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    again = f"csv={tmp_path}/./out.json"
    result = run_cli("assess", str(HARBOR), "--report", f"json={target}", "--report", again)
    assert result.exit_code == 2
    assert "named twice as an output" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_report_onto_the_file_stdout_goes_to_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous\n")
    with target.open("a") as stdout:
        result = _svclevel(
            "assess", str(HARBOR), "--report", "json=out.txt", cwd=tmp_path, stdout=stdout
        )
    assert result.returncode == 2
    assert result.stderr.startswith("out.txt: is also where standard output goes")
    assert target.read_text() == "previous\n"


def test_reports_beside_the_inputs_are_fine(tmp_path: Path) -> None:
    answers = _copy(HARBOR, tmp_path, "a.yaml")
    out = tmp_path / "a.json"
    for _ in range(2):  # the second run replaces its own report, which is no input
        result = run_cli("assess", str(tmp_path), "-f", "text", "--report", f"json={out}")
        assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text())["company"] == "Harbor Lane Kitchen Supply"
    assert answers.read_bytes() == HARBOR.read_bytes()


# ----------------------------------------------------------------- special files


def test_a_named_pipe_target_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    # The reader opens first, without waiting: the report (well under the 64 KiB a pipe
    # holds) waits in the pipe, and a run that replaced the pipe leaves it empty instead of
    # hanging the test.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run_cli("assess", str(HARBOR), "-f", "text", "--report", f"json={fifo}")
        received = b""
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(reader, 65536):
                received += chunk
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.stderr
    assert json.loads(received)["company"] == "Harbor Lane Kitchen Supply"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert list(tmp_path.iterdir()) == [fifo]


def _mknod(path: Path, kind: int, major: int, minor: int) -> None:
    try:
        os.mknod(path, kind | 0o666, os.makedev(major, minor))
    except (PermissionError, AttributeError):  # not root, or not POSIX
        pytest.skip("cannot make device nodes here")


def test_a_character_device_target_stays_a_device(tmp_path: Path) -> None:
    null = tmp_path / "null"  # the same device as /dev/null, which must not be touched here
    _mknod(null, stat.S_IFCHR, 1, 3)
    result = run_cli("assess", str(HARBOR), "-f", "text", "--report", f"json={null}")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert list(tmp_path.iterdir()) == [null]


def test_init_does_not_write_a_schema_beside_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "template.fifo"
    os.mkfifo(fifo)
    result = run_cli("init", "-o", str(fifo), "--force")
    assert result.exit_code == 2
    assert f"{fifo}: not a regular file" in result.stderr
    assert list(tmp_path.iterdir()) == [fifo]


def test_a_block_device_target_is_refused(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    _mknod(disk, stat.S_IFBLK, 7, 0)  # a loop device; never opened
    result = run_cli("assess", str(HARBOR), "--report", f"json={disk}")
    assert result.exit_code == 2
    assert f"{disk}: is a block device" in result.stderr
    assert stat.S_ISBLK(disk.lstat().st_mode)


# ----------------------------------------------------------------- a full disk, a size limit


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["assess", str(HARBOR)], ["schema", "result"]])
def test_a_full_standard_output_is_a_clean_error(tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous\n")
    reports = ["--report", f"json={target}"] if command[0] == "assess" else []
    with Path("/dev/full").open("w") as full:
        result = _svclevel(*command, *reports, cwd=tmp_path, stdout=full)
    assert result.returncode == 2, result.stderr
    assert result.stderr == ("standard output: cannot write the output (No space left on device)\n")
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def _small_file_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


@pytest.mark.parametrize(
    ("command", "written"),
    [
        (["assess", str(HARBOR), "--report", "json=out.json"], "out.json"),
        (["init", "-o", "answers.yaml"], "answers.yaml"),
    ],
)
def test_a_file_size_limit_is_a_clean_error(
    tmp_path: Path, command: list[str], written: str
) -> None:
    result = _svclevel(*command, cwd=tmp_path, preexec_fn=_small_file_limit)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{written}: cannot write (File too large); nothing was written\n"
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------- modes


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_a_new_report_follows_the_umask(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "out.json"
    old = os.umask(umask)
    try:
        result = _svclevel("assess", str(HARBOR), "--report", f"json={target}", cwd=tmp_path)
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_replaced_report_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous\n")
    target.chmod(0o640)
    result = run_cli("assess", str(HARBOR), "--report", f"json={target}")
    assert result.exit_code == 0
    assert json.loads(target.read_text())["company"] == "Harbor Lane Kitchen Supply"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
