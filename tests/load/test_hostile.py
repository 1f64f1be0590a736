"""Hostile and malformed input: every case gives its expected exit code and message, never a
traceback, never a hang, never code execution, never a half-written report.

Each case is (name, file content, what is run, expected exit code, expected message fragment).
The table in docs/hostile-input.md lists the classes of cases and what svclevel does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, run_cli

HEADER = "company: Acme\ndate: 2026-01-01\nrubric: four-level\nanswers:\n"
RUBRIC = (Path(__file__).parents[1] / "data" / "valid" / "mini-rubric.yaml").read_text()


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes | Callable[[], bytes]
    code: int
    fragment: str
    kind: str = "answers"  # answers: `assess FILE`; rubric: `rubrics show FILE`

    def data(self) -> bytes:
        return self.content() if callable(self.content) else self.content


def _answers(body: str) -> bytes:
    return (HEADER + body).encode()


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
).encode()

CASES = [
    # ------------------------------------------------------------ YAML level
    Case("empty file", b"", 2, "the file is empty"),
    Case("only comments", b"# nothing\n# here\n", 2, "the file is empty"),
    Case(
        "a list at the top", b"- a\n- b\n", 2, "expected a mapping of keys to values, found a list"
    ),
    Case("a scalar at the top", b"hello\n", 2, "found a plain string"),
    Case("syntax error", b"company: [unclosed\n", 2, "invalid YAML"),
    Case("tab indentation", b"company: Acme\nanswers:\n\tnps: 3\n", 2, "invalid YAML"),
    Case("NUL byte", b"company: Ac\x00me\n", 2, "invalid YAML"),
    Case("binary bytes", bytes(range(256)), 2, "not valid UTF-8"),
    Case(
        "Windows-1252",
        b"company: Caf\xe9\n",
        2,
        ":1:13: not valid UTF-8 at byte 0xE9 ('\xe9' in Windows-1252): the file looks like "
        "Windows-1252 / Latin-1; save it as UTF-8",
    ),
    Case(
        "Windows-1252 on a later line, after multi-byte characters",
        "company: Tomás\n".encode() + "# “caf\xe9”\n".encode("cp1252"),
        2,
        ":2:3: not valid UTF-8 at byte 0x93 ('“' in Windows-1252)",
    ),
    Case(
        "neither UTF-8 nor Windows-1252",
        b"company: Caf\xe9\x81\n",
        2,
        ":1:13: not valid UTF-8 at byte 0xE9; save the file as UTF-8",
    ),
    Case(
        "UTF-16 with BOM",
        "company: Acme\n".encode("utf-16"),
        2,
        "this file is UTF-16, not UTF-8; save it as UTF-8",
    ),
    Case(
        "UTF-16 without BOM",
        "company: Tomás\n".encode("utf-16-le"),
        2,
        "this file is UTF-16, not UTF-8; save it as UTF-8",
    ),
    Case(
        "UTF-16 big-endian without BOM",
        "company: Tomás\n".encode("utf-16-be"),
        2,
        "this file is UTF-16, not UTF-8; save it as UTF-8",
    ),
    Case("UTF-8 BOM is accepted", b"\xef\xbb\xbf" + _answers(""), 0, ""),
    Case("several documents", _answers("") + b"---\ncompany: B\n", 2, "expected a single document"),
    Case(
        "python object tag",
        b"company: !!python/object/apply:os.system ['touch /tmp/svclevel-pwned']\n",
        2,
        "the tag '!!python/object/apply:os.system' is not allowed",
    ),
    Case("python name tag", b"company: !!python/name:os.system\n", 2, "is not allowed"),
    Case("custom local tag", b"company: !pwn x\n", 2, "is not allowed"),
    Case(
        "billion laughs", BILLION_LAUGHS, 2, "anchors and aliases (&name, *name) are not supported"
    ),
    Case(
        "10,000 nested lists",
        b"company: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        2,
        "nested deeper than 50 levels",
    ),
    Case("100,000 nested lists", lambda: b"[" * 100_000 + b"]" * 100_000, 2, "nested deeper"),
    Case(
        "10,000 nested flow mappings", b"{a: " * 10_000 + b"1" + b"}" * 10_000, 2, "nested deeper"
    ),
    Case("10,000 nested block lists", b"- " * 10_000 + b"x\n", 2, "nested deeper than 50 levels"),
    Case(
        "2,000 indented mappings",
        lambda: "".join(" " * i + "a:\n" for i in range(2_000)).encode(),
        2,
        "nested deeper than 50 levels",
    ),
    Case(
        "& and * in plain text", _answers('  nps:\n    value: 1\n    evidence: "Q&A, *x*"\n'), 0, ""
    ),
    Case("an anchor nobody refers to", _answers("  nps: &n 1\n"), 0, ""),
    Case("!!int abc", _answers("  nps: !!int abc\n"), 2, "invalid integer 'abc'"),
    Case("!!timestamp foo", b"company: Acme\ndate: !!timestamp foo\n", 2, "invalid date 'foo'"),
    Case("!!bool maybe", _answers("  staff_empowered: !!bool maybe\n"), 2, "invalid boolean"),
    Case("!!float x", _answers("  nps: !!float x\n"), 2, "invalid number 'x'"),
    Case("!!binary garbage", _answers("  nps: !!binary '%%%'\n"), 2, "got b''"),
    Case("100 MB file", lambda: b"#" * (100 * 1024 * 1024), 2, "file is too large"),
    Case(
        "duplicate keys",
        _answers("  nps: 10\n  csat_pct: 3\n  nps: 20\n"),
        2,
        "duplicate key 'nps' (first defined on line 5)",
    ),
    # ------------------------------------------------------------ content level
    Case("company called NO", b"company: NO\ndate: 2026-01-01\nrubric: four-level\n", 0, ""),
    Case(
        "assessor called off",
        b"company: X\nassessor: off\ndate: 2026-01-01\nrubric: four-level\n",
        0,
        "",
    ),
    Case(
        "1:30 as a number",
        _answers("  first_response_hours: 1:30\n"),
        2,
        "expected a number from 0 to 720 hours, got '1:30'",
    ),
    Case(
        "on as a scale answer",
        _answers("  promises_kept: on\n"),
        2,
        "expected one of never, rarely, sometimes, usually, always, got 'on'",
    ),
    Case("010 is ten", _answers("  first_response_hours: 010\n"), 0, ""),
    Case(".nan answer", _answers("  nps: .nan\n"), 2, "must be a finite number"),
    Case(".inf answer", _answers("  csat_pct: .inf\n"), 2, "must be a finite number"),
    Case(
        "huge integer answer",
        _answers("  nps: " + "9" * 400 + "\n"),
        2,
        "got a 400-digit number",
    ),
    Case(
        "negative hours", _answers("  first_response_hours: -1\n"), 2, "must be ≥ 0 hours, got -1"
    ),
    Case(
        "unknown scale label",
        _answers("  promises_kept: often\n"),
        2,
        "expected one of never, rarely, sometimes, usually, always",
    ),
    Case("invalid date", b"company: Acme\ndate: 2026-02-30\n", 2, "invalid date '2026-02-30'"),
    Case(
        "unknown question",
        _answers("  promise_kept: always\n"),
        2,
        "unknown question 'promise_kept'; did you mean 'promises_kept'?",
    ),
    Case("empty answers", _answers(""), 0, ""),
    Case(
        "1 MB evidence",
        lambda: _answers("  nps:\n    value: 1\n    evidence: " + "x" * 1_000_000 + "\n"),
        2,
        "answers.nps.evidence: string should have at most",
    ),
    Case(
        ".nan threshold",
        RUBRIC.replace("at_least: 80", "at_least: .nan").encode(),
        2,
        "threshold nan is outside the range",
        "rubric",
    ),
    Case(
        "huge threshold",
        RUBRIC.replace("at_least: 80", "at_least: " + "9" * 400).encode(),
        2,
        "at_least",
        "rubric",
    ),
    Case(
        "yes as a threshold",
        RUBRIC.replace("at_least: 80", "at_least: yes").encode(),
        2,
        "'yes' is not a label" if False else "the threshold must be a number",
        "rubric",
    ),
    # ------------------------------------------------------------ size in values, not bytes
    Case(
        "370,000 unknown answers in 4.7 MB (808 MB to check)",
        lambda: _answers("".join(f"  q{i}: 1\n" for i in range(370_000))),
        2,
        "more than 50,000 values; svclevel files need far fewer",
    ),
    Case(
        "a list of 450,000 items as one answer",
        lambda: _answers("  nps: [" + ",".join(["1"] * 450_000) + "]\n"),
        2,
        "more than 50,000 values",
    ),
    Case(
        "420,000 keys in a rubric",
        lambda: "".join(f"k{i}: 1\n" for i in range(420_000)).encode(),
        2,
        "more than 50,000 values",
        "rubric",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.usefixtures("yaml_loader")
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(case.data())
    args = ["assess", str(path)] if case.kind == "answers" else ["rubrics", "show", str(path)]
    result = run_cli(*args)
    assert result.exit_code == case.code, (result.stdout[-500:], result.stderr[-500:])
    assert case.fragment in result.stderr, result.stderr[-500:]
    assert "Traceback" not in result.stderr
    if case.code == 2:
        assert all(line.startswith(str(path)) for line in result.stderr.splitlines())
    assert not Path("/tmp/svclevel-pwned").exists()  # noqa: S108 - the payload's target


def test_company_called_no_stays_no(tmp_path: Path) -> None:
    path = tmp_path / "no.yaml"
    path.write_text("company: NO\nassessor: Off\ndate: 2026-01-01\nrubric: four-level\n")
    out = run_cli("assess", str(path), "-f", "json").stdout
    assert '"company": "NO"' in out
    assert '"assessor": "Off"' in out


def test_quoting_decides_the_type_however_often_a_value_repeats() -> None:
    # Tags of short scalars are remembered between scalars and files: a quoted "95" must stay
    # text even right after a plain 95 was read as a number, in the same file and the next.
    from svclevel.load.yamlfile import parse_yaml

    text = "a: 95\nb: '95'\nc: true\nd: \"true\"\n'95': 95\ne: [95, '95', null, 'null']\n"
    expected = {"a": 95, "b": "95", "c": True, "d": "true", "95": 95, "e": [95, "95", None, "null"]}
    for _ in range(3):
        assert parse_yaml(text, "x.yaml").data == expected
    many = "".join(f"k{i}: {i}\n" for i in range(10_000))
    assert parse_yaml(many, "many.yaml").data == {f"k{i}": i for i in range(10_000)}


@pytest.mark.usefixtures("yaml_loader")
def test_plain_scalar_tags_are_resolved_through_the_remembered_rules() -> None:
    # The speed-up relies on PyYAML asking the loader's resolve() for each node's tag: if it
    # stopped doing so, this would fail (and YAML 1.1's booleans would come back).
    from svclevel.load import yamlfile

    yamlfile._resolve.cache_clear()
    assert yamlfile.parse_yaml("a: on\nb: on\nc: 010\n", "x.yaml").data == {
        "a": "on",
        "b": "on",
        "c": 10,
    }
    assert yamlfile._resolve.cache_info().hits >= 1


def test_yes_and_no_answers_still_work(tmp_path: Path) -> None:
    path = tmp_path / "yes.yaml"
    path.write_text(HEADER + "  documented_processes: yes\n  expectations_known: No\n")
    out = run_cli("assess", str(path), "--explain").stdout
    assert "answer: yes   needed: yes   [met]" in out
    assert "answer: no   needed: yes   [not met]" in out


def test_minus_zero_reads_as_zero_whatever_was_read_before(tmp_path: Path) -> None:
    # Verdicts are remembered by answer value across files; -0.0 == 0.0, so both must read "0".
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(HEADER + "  first_response_hours: 0.0\n")
    second.write_text(HEADER + "  first_response_hours: -0.0\n")
    out = run_cli("assess", str(second), str(first), "--explain", "-f", "text").stdout
    assert out.count("answer: 0 hours") == 2, out
    assert "answer: -0" not in out


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")
def test_answers_from_a_pipe_are_read_whole() -> None:
    # `svclevel assess <(generate-answers)`: a pipe reports size 0, its content must still count.
    text = (EXAMPLES / "harbor-lane-shop.yaml").read_bytes()
    read, write = os.pipe()
    try:
        os.write(write, text)
        os.close(write)
        piped = run_cli("assess", f"/dev/fd/{read}", "-f", "json")
    finally:
        os.close(read)
    direct = run_cli("assess", str(EXAMPLES / "harbor-lane-shop.yaml"), "-f", "json")
    assert piped.exit_code == 0, piped.stderr
    assert json.loads(piped.stdout)["level"] == json.loads(direct.stdout)["level"]
    assert json.loads(piped.stdout)["levels"] == json.loads(direct.stdout)["levels"]


def test_report_onto_a_read_only_place_writes_nothing() -> None:
    result = run_cli(
        "assess",
        str(EXAMPLES / "harbor-lane-shop.yaml"),
        "--report",
        "json=/proc/svclevel-report.json",
    )
    assert result.exit_code == 2
    assert (
        result.stderr
        == "/proc/svclevel-report.json: cannot write there (No such file or directory)\n"
    )


def _svclevel() -> str:
    return str(Path(sys.executable).parent / "svclevel")


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_closed_pipe_ends_quietly(fmt: str) -> None:
    """`svclevel assess ... | head -1`: no BrokenPipeError, no traceback."""
    proc = subprocess.Popen(
        [_svclevel(), "assess", str(EXAMPLES), "-f", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"BrokenPipe" not in err
    assert b"Traceback" not in err


def test_ctrl_c_exits_130_without_traceback_or_partial_file(tmp_path: Path) -> None:
    """A real SIGINT to a real process in the middle of a large batch."""
    import shutil
    import signal
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(3000):
        shutil.copy(EXAMPLES / "harbor-lane-shop.yaml", folder / f"c{i:03d}.yaml")
    report = tmp_path / "out.json"
    proc = subprocess.Popen(
        [
            _svclevel(),
            "assess",
            str(folder),
            "-f",
            "text",
            "--jobs",
            "1",
            "--report",
            f"json={report}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".out.json.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the run has started writing its report
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the batch finished before the signal arrived")
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert not report.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["many"]
