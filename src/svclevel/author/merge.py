"""``svclevel merge``: one several-respondent answers file from one answers file per respondent.

Each input is an ordinary answers file that names its one respondent (``respondent:``); its
answers become that respondent's ``responses`` in the merged file, each with its own value,
evidence and notes. The inputs must record the same assessment (company, date, rubric, period).
What belongs to the whole company -- an ``n/a`` answer and its justification, a ``consensus``
-- is given in the merged file, never in a respondent's.

Paths the inputs name (``measurements:``, ``exceptions:``, a rubric path, an evidence
``source`` file) are rewritten to resolve from the folder the merged file goes to. The engine
reads the inputs and returns the text; it writes nothing (the command does).
"""

from __future__ import annotations

import datetime
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svclevel.author.yamltext import render_scalar
from svclevel.errors import InputError, Problem, UsageError, printable
from svclevel.load.rubrics import AnswersDocument, answers_document, read_answers
from svclevel.load.yamlfile import STDIN, YamlDocument, parse_yaml
from svclevel.models import AnswersFile, is_not_applicable

_URL_SCHEMES = ("http://", "https://")

_SAME = ("company", "date", "rubric", "period")
"""The header keys every input must share: they say which assessment the answers belong to."""


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged answers file: its text and what the command says about it."""

    text: str
    """The merged answers file (YAML that ``svclevel assess`` reads)."""
    respondents: tuple[str, ...]
    """The respondents' ids, in the order of the inputs."""
    questions: int
    """How many questions the merged file answers."""
    warnings: tuple[Problem, ...]
    """What was carried over as written where a path was expected (for standard error)."""


@dataclass(frozen=True, slots=True)
class _Input:
    doc: YamlDocument
    parsed: AnswersFile
    folder: Path
    """The input's folder, absolute: what its relative paths resolve from."""


def merge(
    files: Sequence[str | os.PathLike[str]], *, output: str | os.PathLike[str] | None = None
) -> Merged:
    """Merge one answers file per respondent (two or more) into one answers file recording
    every respondent's ``responses``.

    ``output`` is where the merged file will be written: relative paths are rewritten to
    resolve from its folder (without it, from the working directory, where standard output
    is usually redirected). Raises :class:`~svclevel.errors.UsageError` for fewer than two
    files and :class:`~svclevel.errors.InputError` with every problem of the inputs.
    """
    if len(files) < 2:
        raise UsageError(
            f"merge takes two or more answers files, one per respondent (got {len(files)})"
        )
    target = Path.cwd() if output is None else Path(os.path.abspath(output)).parent  # noqa: PTH100
    inputs: list[_Input] = []
    problems: list[Problem] = []
    for file in files:
        try:
            document = read_answers(os.fspath(file))
        except InputError as exc:  # broken YAML, not an answers file: said for every input
            problems += exc.problems
            continue
        if document.shape_problems or document.parsed is None:
            problems += document.shape_problems
            continue
        inputs.append(_input(document, file))
    if problems:
        raise InputError(problems)
    problems += _own_problems(inputs)
    problems += _header_problems(inputs)
    if problems:
        raise InputError(problems)
    merged = _merged(inputs, [os.fspath(f) for f in files], target)
    if output is not None:
        _refuse_named(inputs, Path(output))
    return merged


def _refuse_named(inputs: Sequence[_Input], output: Path) -> None:
    """The output may not be a file the inputs name (a measurement file, say): the merged file
    would name the file it replaced."""
    here = os.path.realpath(output)
    for each in inputs:
        parsed = each.parsed
        named = [*parsed.measurements, *parsed.exceptions]
        if parsed.rubric is not None and _is_path(parsed.rubric):
            named.append(parsed.rubric)
        for ref in named:
            if os.path.realpath(_resolved(each.folder, ref)) == here:
                raise UsageError(
                    f"{output}: {each.doc.name} names it ({ref}); svclevel never writes over a "
                    "file its inputs name: choose another output file"
                )


def _input(document: AnswersDocument, file: str | os.PathLike[str]) -> _Input:
    assert document.parsed is not None
    name = os.fspath(file)
    folder = Path.cwd() if name == STDIN else Path(os.path.abspath(name)).parent  # noqa: PTH100
    return _Input(document.doc, document.parsed, folder)


# --------------------------------------------------------------------------- checks


def _own_problems(inputs: Sequence[_Input]) -> list[Problem]:
    """What makes an input something other than one respondent's answers."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for each in inputs:
        doc, parsed = each.doc, each.parsed
        if parsed.respondents:
            problems.append(
                doc.problem(
                    ("respondents",),
                    "this file records several respondents: merge takes one file per "
                    "respondent, each naming its one respondent with respondent: {id, role, "
                    "group}",
                    at_key=True,
                )
            )
            continue  # its answers are several people's: one message says it all
        if parsed.respondent is None:
            problems.append(
                doc.problem(
                    ("respondent",),
                    "missing: merge takes one file per respondent, each naming its respondent "
                    "with respondent: {id: ..., role: ..., group: ...}",
                )
            )
        else:
            rid = parsed.respondent.id
            if not parsed.answers:
                problems.append(
                    doc.problem(
                        ("answers",),
                        f"no answers: respondent '{rid}' would give no responses in the "
                        "merged file; record their answers under answers:",
                        at_key=True,
                    )
                )
            if rid in seen:
                problems.append(
                    doc.problem(
                        ("respondent", "id"),
                        f"respondent '{rid}' is also the respondent of {seen[rid]}: give each "
                        "respondent's answers in one file",
                    )
                )
            seen.setdefault(rid, doc.name)
        for qid, entry in parsed.answers.items():
            if is_not_applicable(entry.value):  # a justification comes only with n/a
                at: tuple[str, ...] = ("answers", qid)
                if isinstance(doc.data["answers"][qid], dict):
                    at = (*at, "value")
                problems.append(
                    doc.problem(
                        at,
                        "n/a is not a respondent's answer: whether a question applies is "
                        "decided for the whole company, in the merged file (value: n/a with a "
                        "justification)",
                    )
                )
            for key in ("responses", "consensus", "consensus_note"):
                if getattr(entry, key) is not None:
                    problems.append(
                        doc.problem(
                            ("answers", qid, key),
                            "belongs in the merged file, not in one respondent's: give the "
                            "respondent's own answer as value",
                            at_key=True,
                        )
                    )
    return problems


def _header_problems(inputs: Sequence[_Input]) -> list[Problem]:
    """Each input's company, date, rubric and period against the first input's."""
    first = inputs[0]
    problems: list[Problem] = []
    for each in inputs[1:]:
        if each.parsed.respondents:
            continue  # refused as a whole (see _own_problems)
        for key in _SAME:
            mine, theirs = _header_value(each, key), _header_value(first, key)
            if mine == theirs:
                continue
            if mine is None:
                message = (
                    f"not given here, and the first file ({first.doc.name}) gives "
                    f"{_shown(first, key)}: the "
                    f"merged files record one assessment; give the same {key} in every file"
                )
            elif theirs is None:
                message = (
                    f"{_shown(each, key)} here, and the first file ({first.doc.name}) gives "
                    f"none: the merged files record one assessment; give the same {key} in "
                    "every file"
                )
            else:
                message = (
                    f"{_shown(each, key)} differs from the first file's ({first.doc.name}: "
                    f"{_shown(first, key)}): the merged files record one assessment"
                )
            problems.append(each.doc.problem((key,), message))
    return problems


def _header_value(each: _Input, key: str) -> object:
    value = getattr(each.parsed, key)
    if key == "rubric" and isinstance(value, str) and _is_path(value):
        return _resolved(each.folder, value)
    return value


def _shown(each: _Input, key: str) -> str:
    value = getattr(each.parsed, key)
    if key == "period":
        return f"{value.start} to {value.end}"
    if key == "company" or (key == "rubric" and _is_path(value)):
        return f"'{value}'"
    return str(value)


def _is_path(ref: str) -> bool:
    """Whether a ``rubric:`` names a file (as svclevel tells a path from an id)."""
    return ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref


def _resolved(folder: Path, ref: str) -> str:
    return os.path.normpath(os.path.join(folder, ref))  # noqa: PTH118 - no symlinks resolved


# --------------------------------------------------------------------------- the merged file


class _Rebase:
    """Paths named in an input, rewritten to resolve from the merged file's folder."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def path(self, each: _Input, ref: str, loc: tuple[str | int, ...]) -> str:
        if os.path.isabs(ref) or each.folder == self.target:  # noqa: PTH117
            return ref
        try:
            rel = os.path.relpath(_resolved(each.folder, ref), self.target)
        except ValueError:  # another drive (Windows): no relative path leads there
            self.problems.append(
                each.doc.problem(
                    loc,
                    f"{ref} cannot be named relative to the merged file's folder "
                    f"({self.target}); name it with an absolute path",
                )
            )
            return ref
        return Path(rel).as_posix()

    def source(self, each: _Input, ref: str, loc: tuple[str | int, ...]) -> str:
        """An evidence ``source``: a file is rewritten, a URL or a description kept."""
        if ref.startswith(_URL_SCHEMES) or os.path.isabs(ref) or each.folder == self.target:  # noqa: PTH117
            return ref
        if not os.path.isfile(_resolved(each.folder, ref)):  # noqa: PTH113
            self.warnings.append(
                each.doc.problem(
                    loc,
                    f"{ref}: no such file beside {each.doc.name}; kept as written, not "
                    "rewritten for the merged file's folder",
                )
            )
            return ref
        return self.path(each, ref, loc)


def _merged(inputs: Sequence[_Input], names: Sequence[str], target: Path) -> Merged:
    rebase = _Rebase(target)
    first = inputs[0]
    header: dict[str, Any] = {"company": first.parsed.company, "date": first.parsed.date}
    notes: list[str] = []
    assessor = _assessor(inputs, notes)
    if assessor is not None:
        header["assessor"] = assessor
    rubric = first.parsed.rubric
    if rubric is not None:
        header["rubric"] = rebase.path(first, rubric, ("rubric",)) if _is_path(rubric) else rubric
    if first.parsed.period is not None:
        header["period"] = {"from": first.parsed.period.start, "to": first.parsed.period.end}
    for key in ("measurements", "exceptions"):
        union: dict[str, str] = {}
        for each in inputs:
            for i, ref in enumerate(getattr(each.parsed, key)):
                union.setdefault(_resolved(each.folder, ref), rebase.path(each, ref, (key, i)))
        if union:
            header[key] = list(union.values())
    header["respondents"] = [
        {k: v for k, v in each.parsed.respondent.model_dump().items() if v is not None}
        for each in inputs
        if each.parsed.respondent is not None
    ]
    answers: dict[str, dict[str, Any]] = {}
    for each in inputs:
        assert each.parsed.respondent is not None
        rid = each.parsed.respondent.id
        raw_answers = each.doc.data.get("answers") or {}
        for qid in each.parsed.answers:
            response = _response(each, qid, raw_answers[qid], rebase)
            answers.setdefault(qid, {}).setdefault("responses", {})[rid] = response
    if rebase.problems:
        raise InputError(rebase.problems)
    header["answers"] = answers
    lines = _comment(names, inputs, notes)
    text = "".join(f"# {line}\n" if line else "#\n" for line in lines) + _block(header, 0)
    _check_reads_back(text)
    return Merged(
        text=text,
        respondents=tuple(r["id"] for r in header["respondents"]),
        questions=len(answers),
        warnings=tuple(rebase.warnings),
    )


def _assessor(inputs: Sequence[_Input], notes: list[str]) -> str | None:
    """The assessor: the one every input names, else every name given, in file order."""
    given = [(each.doc.name, each.parsed.assessor) for each in inputs]
    names = list(dict.fromkeys(a for _, a in given if a is not None))
    missing = [name for name, a in given if a is None]
    if len(names) > 1:
        notes.append(
            "The inputs name different assessors, joined here in file order: "
            + "; ".join(f"{a} ({name})" for name, a in given if a is not None)
            + "."
        )
    if names and missing:
        notes.append(f"No assessor is named in {', '.join(missing)}.")
    return "; ".join(names) if names else None


def _response(each: _Input, qid: str, raw: Any, rebase: _Rebase) -> Any:
    """One respondent's answer as written in their file, its evidence's file sources rebased."""
    if not isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    for key in ("value", "evidence", "notes"):
        if key not in raw:
            continue
        if key == "evidence":
            out[key] = _evidence(each, qid, raw[key], rebase)
        else:
            out[key] = raw[key]
    if set(out) == {"value"}:
        return out["value"]
    return out


def _evidence(each: _Input, qid: str, raw: Any, rebase: _Rebase) -> Any:
    loc: tuple[str | int, ...] = ("answers", qid, "evidence")
    if isinstance(raw, list):
        return [_item(each, (*loc, i), item, rebase) for i, item in enumerate(raw)]
    return _item(each, loc, raw, rebase)


def _item(each: _Input, loc: tuple[str | int, ...], raw: Any, rebase: _Rebase) -> Any:
    if not isinstance(raw, dict) or not isinstance(raw.get("source"), str):
        return raw
    return {**raw, "source": rebase.source(each, raw["source"].strip(), (*loc, "source"))}


def _comment(names: Sequence[str], inputs: Sequence[_Input], notes: Iterable[str]) -> list[str]:
    """The header comment's lines: the files merged, the notes, what is left to the merged file.

    Text from the inputs goes through :func:`printable`: no line break it holds (YAML reads
    ``\x85`` and ``\u2028`` as ones) can end the comment and start a key."""
    import textwrap

    lines = ["Merged by `svclevel merge` from one answers file per respondent:"]
    for name, each in zip(names, inputs, strict=True):
        assert each.parsed.respondent is not None
        lines.append(f"  {printable(name)} ({each.parsed.respondent.id})")
    paragraphs = [
        *notes,
        "A consensus (with its consensus_note) and an n/a answer (with its justification) are "
        "given here, for the whole company.",
    ]
    for paragraph in paragraphs:
        lines += textwrap.wrap(printable(paragraph), width=94, break_on_hyphens=False)
    return lines


def _check_reads_back(text: str) -> None:
    """The merged text must read back as an answers file of the same shape (a bug otherwise)."""
    document = answers_document(parse_yaml(text, "merged"))
    if document.shape_problems:  # pragma: no cover - a bug in the writer below
        raise AssertionError("; ".join(str(p) for p in document.shape_problems))


# --------------------------------------------------------------------------- YAML text


def _block(data: Mapping[str, Any], indent: int) -> str:
    """``data`` as a block mapping; small records (a respondent, a period) on one line."""
    pad = " " * indent
    out: list[str] = []
    for key, value in data.items():
        name = _scalar(key, flow=False)
        if isinstance(value, dict) and value:
            flow = _flow(value)
            if flow is not None:
                out.append(f"{pad}{name}: {flow}\n")
            else:
                out.append(f"{pad}{name}:\n{_block(value, indent + 2)}")
        elif isinstance(value, list) and value:
            out.append(f"{pad}{name}:\n{_sequence(value, indent + 2)}")
        else:
            shown = _scalar(value, flow=False)
            out.append(f"{pad}{name}:{' ' + shown if shown else ''}\n")
    return "".join(out)


def _sequence(items: Sequence[Any], indent: int) -> str:
    pad = " " * indent
    out: list[str] = []
    for item in items:
        if isinstance(item, dict) and item:
            flow = _flow(item)
            if flow is not None:
                out.append(f"{pad}- {flow}\n")
            else:
                out.append(f"{pad}- {_block(item, indent + 2)[indent + 2 :]}")
        elif isinstance(item, list) and item:
            out.append(f"{pad}-\n{_sequence(item, indent + 2)}")
        else:
            out.append(f"{pad}- {_scalar(item, flow=False)}\n")
    return "".join(out)


_FLOW_MAX = 72
"""The longest record written on one line."""


def _flow(data: Mapping[str, Any]) -> str | None:
    """A mapping of short scalars as ``{k: v, ...}``; None when it is not one."""
    if any(isinstance(v, dict | list) for v in data.values()):
        return None
    text = (
        "{"
        + ", ".join(f"{_scalar(k, flow=True)}: {_scalar(v, flow=True)}" for k, v in data.items())
        + "}"
    )
    return text if len(text) <= _FLOW_MAX else None


def _scalar(value: Any, *, flow: bool) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):  # refused later, by assess
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, dict | list) and not value:
        return "{}" if isinstance(value, dict) else "[]"
    return render_scalar(value, flow=flow)
