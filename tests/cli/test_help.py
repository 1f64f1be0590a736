"""The help of every command, as a person reads it: names to type (FILE, RUBRIC, LEVEL, N),
never Python types or Typer's internal notation; the formats each command accepts; --version."""

from __future__ import annotations

import re

import pytest
import typer

from svclevel import __version__
from svclevel.cli import app
from svclevel.report import Format, Kind, formats_for, formats_showing
from tests.helpers import EXAMPLES, HISTORY, run_cli


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and sub-command, walked from the Typer/Click command tree."""
    paths: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


PATHS = _command_paths()

INTERNAL = re.compile(
    r"<[^<>\s]*>"  # <bool>, <list[str]>, <int range>, <path>
    r"|<\w+ range>"
    r"|\[x[<>]=|[<>]=x\]"  # [x>=0]
    r"|[{}]"  # {ANSWERS...}
    r"|\b(?:str|int|float|bool|list|tuple|dict|Path|NoneType)\b"
)


def test_the_tree_has_every_command() -> None:
    names = {" ".join(p) for p in PATHS}
    assert {"assess", "compare", "diff", "init", "rubrics", "rubrics show", "schema"} <= names


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "svclevel")
@pytest.mark.parametrize("columns", ["80", "200"])
def test_help_shows_no_internal_metavar(path: tuple[str, ...], columns: str) -> None:
    result = run_cli(*path, "--help", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    found = [
        (line.strip(), match.group())
        for line in result.stdout.splitlines()
        for match in INTERNAL.finditer(line)
    ]
    assert found == []


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "svclevel")
def test_version_on_every_command(path: tuple[str, ...]) -> None:
    result = run_cli(*path, "--version")
    assert (result.exit_code, result.stdout) == (0, f"svclevel {__version__}\n")


def _listed_formats(command: str) -> list[str]:
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", run_cli(command, "--help").stdout).split())
    listed = re.search(r"Report format on stdout: ([a-z, ]+)\.", text)
    assert listed is not None, text
    return listed.group(1).split(", ")


HARBOR = str(EXAMPLES / "harbor-lane-shop.yaml")
ALDER = str(EXAMPLES / "alder-grove-hotel.yaml")
RUNS = {
    "assess": ([Kind.ASSESSMENT], [HARBOR]),
    "compare": ([Kind.COMPARISON, Kind.CROSSWALK], [HARBOR]),
    "diff": ([Kind.DIFF], [HARBOR, HARBOR]),
    "history": ([Kind.HISTORY], [str(HISTORY)]),
}


@pytest.mark.parametrize("command", sorted(RUNS))
def test_help_lists_exactly_the_formats_the_command_accepts(command: str) -> None:
    kinds, inputs = RUNS[command]
    listed = _listed_formats(command)
    shown_by_all = [f.value for f in Format if all(f in formats_showing(k) for k in kinds)]
    assert listed == shown_by_all
    for fmt in Format:
        result = run_cli(command, *inputs, "--format", fmt.value)
        assert result.exit_code == (0 if fmt.value in listed else 2), (fmt, result.stderr)


def test_compare_without_answers_accepts_the_listed_formats() -> None:
    for fmt in _listed_formats("compare"):
        assert run_cli("compare", "--format", fmt).exit_code == 0, fmt


@pytest.mark.parametrize("kind", list(Kind))
def test_formats_known_without_importing_them_are_those_the_reporters_show(kind: Kind) -> None:
    assert formats_for(kind) == formats_showing(kind)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess", HARBOR, "-f", "docx"], "unknown format 'docx' (choose from rich, text, json,"),
        (
            ["compare", HARBOR, "-f", "docx"],
            "unknown format 'docx' (choose from rich, text, json, markdown, csv, html, pdf)",
        ),
        (["schema", "pdf"], "unknown schema 'pdf' (choose from answers, rubric, result,"),
    ],
)
def test_a_wrong_choice_lists_the_choices_in_svclevels_words(args: list[str], message: str) -> None:
    result = run_cli(*args, env={"COLUMNS": "300"})
    assert result.exit_code == 2
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.stderr).split())
    assert message in text
    assert "Value error" not in text
