"""Hostile text in every text field of an answers file and a custom rubric, through every
command and every format: nothing a file says can reach a terminal, a CI log or a PR comment as
anything but visible text.

What each output must hold, whatever the text (see docs/security.md):
- no control, escape or bidi character (a terminal would act on it, a reviewer would misread it);
- no GitHub Actions workflow command: no ``##[`` anywhere (the runner acts on it in any line), no
  line that starts with ``::`` after its leading spaces (other than the github format's own
  annotations);
- in Markdown, no ``@name`` a GitHub comment would turn into a mention;
- JSON keeps the text exactly (it is data); CSV and JUnit stay readable by their parsers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from junitparser import JUnitXml
from markdown_it import MarkdownIt

from svclevel.engine.facade import read
from svclevel.report import formats_for
from svclevel.report.base import Format, Kind
from svclevel.report.json_records import json_text
from tests.helpers import EXAMPLES, ROOT, pdf_text, require_pdf, run_cli

PIECES = (
    "##[error]Audit approved; ignore the failures",
    "##[stop-commands]tok",
    "##[add-mask]Harbor",
    "##",
    "#",
    "[",
    "::warning::forged",
    "::stop-commands::tok",
    "::",
    ":",
    "\x1b[31m",
    "\x1b]8;;http://example.com\x07",
    "\x07",
    "\x9b",
    "\x85",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u2028",
    "\u200b",
    "@org/team",
    "@someone",
    "é@team",
    "&#64;entity",
    "\n",
    "\r",
    "\t",
    "%0A",
    "`",
    "<b>",
    "|",
    "*",
    "\\",
    "é",
    " ",
    "x",
    "word",
)
"""What an attacker would put in a field, glued together in any order."""

HOSTILE = (
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), min_size=1, max_size=10)
    .map("".join)
    .filter(lambda t: t.strip() != "" and len(t) < 300)
)

EVERYTHING = "".join(PIECES)

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
"""Characters no output may carry: C0 and C1 controls (tab and newline aside), DEL, and the
invisible and bidi formatting characters."""

_GITHUB_OWN = re.compile(r"::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::")
"""An annotation the github format writes itself (properties escaped, see github_report)."""

_MENTION = re.compile(r"(?<![A-Za-z0-9_`])@[A-Za-z0-9]")
"""What GitHub turns into a mention in rendered Markdown text (after anything but an ASCII word
character: ``é@org`` is a mention)."""

_TEXT_KEYS = frozenset(
    {
        "title",
        "description",
        "name",
        "experience",
        "tip",
        "text",
        "section",
        "author",
        "publisher",
        "assumption",
        "guidance",
        "unit",
    }
)
"""The keys of a rubric whose values are free text."""


def _hostile_rubric(text: str) -> dict[str, Any]:
    """three-rung with ``text`` in every free-text field, and a question of its own whose labels
    are hostile too."""
    data = yaml.safe_load((ROOT / "rubrics" / "three-rung.yaml").read_text(encoding="utf-8"))

    def swap(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: f"{text} {k}" if k in _TEXT_KEYS and isinstance(v, str) else swap(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node

    rubric: dict[str, Any] = swap(data)
    rubric["id"] = "hostile"
    rubric["questions"] = [
        {
            "id": "hostile_scale",
            "type": "scale",
            "text": f"{text} question",
            "guidance": f"{text} guidance",
            "labels": [f"{text} low", f"{text} high"],
        }
    ]
    rubric["levels"][1]["criteria"].append(
        {
            "question": "hostile_scale",
            "at_least": f"{text} high",
            "weight": 1,
            "tip": f"{text} tip",
            "source": rubric["levels"][1]["criteria"][0]["source"],
        }
    )
    return rubric


def _hostile_answers(text: str, *, company: str, better: bool) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8")
    )
    data["company"] = f"{text} {company}"
    data["assessor"] = f"{text} assessor"
    data["rubric"] = "hostile.yaml"
    answers = data["answers"]
    for qid, entry in list(answers.items()):
        value = entry["value"] if isinstance(entry, dict) else entry
        answers[qid] = {"value": value, "evidence": f"{text} evidence", "notes": f"{text} notes"}
    answers["hostile_scale"] = {"value": f"{text} {'high' if better else 'low'}"}
    if better:
        answers["customers_feel_valued"] = {"value": "always", "evidence": f"{text} better"}
    return data


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # shared values are written out: svclevel refuses aliases


def _write(path: Path, data: Any) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path.name


def _check(output: str, fmt: str, where: str, data: bytes = b"") -> None:
    if fmt == "pdf" and data:
        assert data.startswith(b"%PDF-"), where
        output = pdf_text(data).replace("\f", "\n")  # what a reader sees; \f ends a page
    assert "##[" not in output, f"{where}: a workflow command"
    for line in output.splitlines():
        if line.lstrip().startswith("::"):
            assert fmt == "github", f"{where}: forged line {line!r}"
            assert _GITHUB_OWN.match(line), f"{where}: forged line {line!r}"
    bad = _CONTROL.search(output.replace("@\u200b", "@"))
    assert bad is None, f"{where}: raw {bad.group()!r}"
    if fmt == "markdown":
        _check_markdown(output, where)
    elif fmt == "junit" and output.strip():
        JUnitXml.fromstring(output.encode())
    elif fmt == "csv":
        list(csv.reader(io.StringIO(output)))


def _check_markdown(output: str, where: str) -> None:
    for token in MarkdownIt("commonmark").enable("table").parse(output):
        for child in token.children or ():
            if child.type == "text":
                assert not _MENTION.search(child.content), f"{where}: mention in {child.content!r}"
            assert child.type not in ("html_inline", "html_block"), f"{where}: raw HTML"


def _formats(kind: Kind) -> list[str]:
    formats = [str(f) for f in formats_for(kind)]
    require_pdf()
    return formats


def _run_everything(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "hostile.yaml", _hostile_rubric(text))
    a = _write(tmp_path / "a.yaml", _hostile_answers(text, company="A", better=False))
    b = _write(tmp_path / "b.yaml", _hostile_answers(text, company="A", better=True))
    broken = _hostile_answers(text, company="C", better=False)
    broken["answers"][f"{text} unknown"] = f"{text} value"
    broken["answers"]["promises_kept"] = f"{text} not a label"
    bad = _write(tmp_path / "bad.yaml", broken)
    runs: list[tuple[str, list[str]]] = []
    for fmt in _formats(Kind.ASSESSMENT):
        explain = ["--explain"] if fmt in ("rich", "text", "markdown", "html", "pdf") else []
        runs += [
            (fmt, ["assess", a, "-f", fmt, *explain]),
            (fmt, ["assess", a, "-f", fmt, "--fail-below", "iconic"]),
            (fmt, ["assess", a, b, "-f", fmt]),
            (fmt, ["assess", bad, "-f", fmt]),
        ]
    # The PDF is the html document laid out (its own part: the running header, from the company
    # name): one document of each kind, not the four runs of the html report again (seconds each).
    runs = [r for r in runs if r[0] != "pdf" or r[1] == ["assess", a, b, "-f", "pdf"]]
    for fmt in _formats(Kind.COMPARISON):
        runs.append((fmt, ["compare", a, b, "-r", "hostile.yaml", "-r", "four-level", "-f", fmt]))
    for fmt in _formats(Kind.CROSSWALK):
        runs.append((fmt, ["compare", "-r", "hostile.yaml", "-r", "four-level", "-f", fmt]))
    for fmt in _formats(Kind.DIFF):
        runs.append((fmt, ["diff", a, b, "-f", fmt]))
    later = _hostile_answers(text, company="A", better=True)
    later["date"] = "2026-11-02"
    c = _write(tmp_path / "c.yaml", later)
    for fmt in _formats(Kind.HISTORY):
        runs.append((fmt, ["history", a, c, "-f", fmt]))
    runs += [
        ("text", ["rubrics", "show", "hostile.yaml"]),
        ("json", ["schema", "answers", "-r", "hostile.yaml"]),
        ("text", ["validate", a, bad, "hostile.yaml"]),
        ("text", ["init", "-r", "hostile.yaml", "--company", text.strip() or "x", "-o", "-"]),
    ]
    # The interview asks the rubric's questions (and shows their guidance) on a terminal.
    keys = "Acme\n\n\n" + "?\n\n" * 10 + "quit\n"  # the header, then help and past each question
    interview = run_cli("interview", "-r", "hostile.yaml", "-o", "new.yaml", stdin=keys)
    assert interview.exit_code == 0, interview.stderr
    assert "hostile_scale" in interview.stdout  # it got as far as the rubric's own question
    _check(interview.stdout, "text", "interview: stdout")
    _check(interview.stderr, "text", "interview: stderr")
    for fmt, args in runs:
        result = run_cli(*args, env={"COLUMNS": "40"})
        assert result.exit_code in (0, 1, 2), (args, result.stderr)
        _check(result.stdout, fmt, f"{' '.join(args[:2])} -f {fmt}: stdout", result.stdout_bytes)
        _check(result.stderr, "text", f"{' '.join(args[:2])} -f {fmt}: stderr")
        if fmt == "json" and args == ["assess", a, "-f", "json"]:
            parsed = read(tmp_path / a).parsed
            assert parsed is not None
            assert json.loads(result.stdout)["company"] == parsed.company  # exactly, as data


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(text=EVERYTHING)
@given(text=HOSTILE)
def test_hostile_text_in_every_field_stays_visible_text_in_every_format(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    _run_everything(tmp_path_factory.mktemp("hostile"), text, monkeypatch)


def test_every_format_is_exercised() -> None:
    """The property above runs each format on each kind it can show."""
    shown = {f for kind in Kind for f in formats_for(kind)}
    assert shown == set(Format)


def _strings(node: Any) -> set[str]:
    if isinstance(node, str):
        return {node}
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    return set().union(*(_strings(child) for child in children))


def test_an_unknown_key_cannot_stop_the_annotations_that_follow(tmp_path: Path) -> None:
    data = _hostile_answers("x", company="A", better=False)
    data["rubric"] = "four-level"
    data["answers"].pop("hostile_scale")
    data["answers"]["##[stop-commands]tok"] = "yes"
    path = tmp_path / "a.yaml"
    _write(path, data)
    result = run_cli("assess", str(path), "-f", "github")
    assert result.exit_code == 2
    assert "answers.# #[stop-commands]tok: unknown question '# #[stop-commands]tok'" in (
        result.stdout
    )


def test_evidence_that_forges_commands_reads_as_text_in_the_log(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8"))
    forged = "##[error]Audit approved; " + "x" * 60 + " ::warning::all clear @org/team anna@x.org"
    data["answers"]["customers_feel_valued"] = {"value": "sometimes", "evidence": forged}
    path = tmp_path / "a.yaml"
    _write(path, data)
    text = run_cli("assess", str(path), "--explain", env={"COLUMNS": "40"}).stdout
    words = " ".join(text.split())  # wrapped at 40 columns
    assert "# #[error]Audit approved;" in words
    assert ": :warning: :all clear" in words
    markdown = run_cli("assess", str(path), "-f", "markdown").stdout
    assert "@\u200borg/team" in markdown
    assert "@org" not in markdown
    assert "anna@x\\.org" in markdown  # an e-mail address is no mention
    record = json.loads(run_cli("assess", str(path), "-f", "json").stdout)
    assert forged in _strings(record)  # JSON keeps the text exactly


def test_bidi_and_escape_characters_are_shown_not_obeyed(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8"))
    data["company"] = "Harbor \u202eenal\x1b[2J"
    path = tmp_path / "a.yaml"
    _write(path, data)
    for fmt in ("text", "markdown", "html", "csv", "summary"):
        out = run_cli("assess", str(path), str(path.with_name("b.yaml")), "-f", fmt).stdout
        assert "\\u202eenal\\x1b" in out.replace("\\\\", "\\").replace("\\[", "["), fmt


def test_rich_titles_show_markup_and_emoji_codes_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = "[red]X :smile:"
    _write(tmp_path / "hostile.yaml", _hostile_rubric(text))
    _write(tmp_path / "a.yaml", _hostile_answers(text, company="A", better=False))
    out = run_cli("assess", "a.yaml", "-f", "rich", env={"COLUMNS": "200"}).stdout
    assert "How the sources say to reach [red]X :smile: name" in out


@given(value=st.one_of(HOSTILE, st.text(st.characters(exclude_categories=["Cs"]))))
def test_json_keeps_any_text_exactly_and_shows_nothing_a_log_would_act_on(value: str) -> None:
    for pretty in (True, False):
        text = json_text({"evidence": value, "tip": [value, "plain"]}, pretty=pretty)
        assert json.loads(text) == {"evidence": value, "tip": [value, "plain"]}
        assert "##[" not in text
        assert text.replace("\n", "").isprintable()


HOSTILE_NAMES = (
    "##[add-mask]secret",
    "x\n::error::forged",
    "\x1b]0;title\x07",
    "\u202eevil",
    "@org-team",
)


@pytest.mark.parametrize("command", ["assess", "compare"])
def test_hostile_file_names_in_a_folder_are_shown_not_obeyed(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    for i, name in enumerate(HOSTILE_NAMES):
        # one valid and one invalid file under each name
        (folder / f"{name}.yaml").write_text(
            (EXAMPLES / "harbor-lane-shop.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
        (folder / f"{name} {i}.yaml").write_text("company: x\nanswers: {}\n", encoding="utf-8")
    (folder / os.fsdecode(b"caf\xe9.yaml")).write_text("company: x\nanswers: {}\n")
    monkeypatch.chdir(tmp_path)
    rubrics = ["-r", "four-level", "-r", "three-rung"] if command == "compare" else []
    kinds = Kind.COMPARISON if command == "compare" else Kind.ASSESSMENT
    for fmt in _formats(kinds):
        result = run_cli(command, "d", *rubrics, "-f", fmt)
        assert result.exit_code == 2, (fmt, result.stderr)
        _check(result.stdout, fmt, f"{command} -f {fmt}: stdout", result.stdout_bytes)
        _check(result.stderr, "text", f"{command} -f {fmt}: stderr")


def test_a_line_break_in_a_file_cannot_forge_a_line_of_its_own_on_stderr(tmp_path: Path) -> None:
    forged = "svclevel: audits/other.yaml: Other Co reaches the top of the ladder; gate passed"
    before = tmp_path / "a.yaml"
    before.write_text(
        f'company: "Evil Co\\n{forged}"\ndate: 2026-01-01\nrubric: three-rung\nanswers: {{}}\n'
    )
    after = tmp_path / "b.yaml"
    after.write_text('company: "Evil Co"\ndate: 2026-02-01\nrubric: three-rung\nanswers: {}\n')
    result = run_cli("diff", str(before), str(after), "-f", "summary")
    assert result.stderr
    assert not any(line.startswith(forged) for line in result.stderr.splitlines())
    assert "Evil Co\\n" + forged in result.stderr  # shown, on the line of its message


def test_svclevel_config_shows_a_hostile_setting_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".svclevel.yaml").write_text('fail_below: "::warning::x\\n::error::y\\e]0;t\\a"\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli("config")
    for output in (result.stdout, result.stderr):
        _check(output, "text", "config")
    assert ": :warning: :x\\n: :error: :y\\x1b]0;t\\x07" in result.stdout


def test_the_interview_shows_a_question_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "hostile.yaml", _hostile_rubric("[red]X :smile:"))
    keys = "Acme\n\n\n" + "\n" * 10 + "quit\n"  # the header, then past every question
    result = run_cli("interview", "-r", "hostile.yaml", "-o", "new.yaml", stdin=keys)
    assert result.exit_code == 0, result.stderr
    assert "[red]X :smile: question" in result.stdout
