"""Exceptions (waivers): criteria left out of the score, or counted as met, until a date.

An exceptions file (``svclevel_exceptions: 1``) lists them. An answers file names its own under
``exceptions:`` (relative to its folder, kept inside the folders svclevel reads from); the
configuration and ``--exceptions`` add files for every answers file of a run. Each exception
must name a criterion that exists, give a justification and an approver, and expire at most
``max_days`` after it was granted, so that none lasts for ever.

On the evaluation date an exception is *active* (``granted`` ≤ date ≤ ``expires``, both days
inclusive, like a "valid through" date), *expired* or *pending*; only an active one changes a
criterion's status, and every one is reported.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from svclevel.errors import InputError, Problem, UsageError, did_you_mean
from svclevel.load.checks import validate_model
from svclevel.load.yamlfile import YamlDocument, check_given_file, load_yaml_file
from svclevel.models import ExceptionEntry, ExceptionsFile
from svclevel.results import ExceptionGrant, ExceptionState

MAX_DAYS = 365
"""The longest an exception may last by default, in days from ``granted`` to ``expires``:
one audit cycle, so every exception is looked at again at the next yearly assessment."""


@dataclass(frozen=True, slots=True)
class ExceptionRecord:
    """One exception as read from its file, with where it is."""

    entry: ExceptionEntry
    """The exception."""
    doc: YamlDocument
    """Its file, to locate problems found later (a criterion that does not exist)."""
    index: int
    """Its position in the file's ``exceptions`` list."""
    own: bool = False
    """Its file is named by the answers file (``exceptions:``), not by the run."""

    @property
    def line(self) -> int | None:
        """Its line in the file."""
        where = self.doc.locate(("exceptions", self.index))[1]
        return None if where is None else where.line

    def problem(self, key: str, message: str) -> Problem:
        """A problem at one of its keys."""
        return self.doc.problem(("exceptions", self.index, key), message)


def read(
    path: str | os.PathLike[str], shown: str, *, max_days: int = MAX_DAYS
) -> list[ExceptionRecord]:
    """The exceptions of one file, checked (problems located, all at once)."""
    return records_of(load_yaml_file(path, shown), max_days=max_days)


def records_of(doc: YamlDocument, *, max_days: int = MAX_DAYS) -> list[ExceptionRecord]:
    """The exceptions of a document read, checked (problems located, all at once)."""
    if isinstance(doc.data, dict) and "svclevel_exceptions" not in doc.data:
        raise InputError(
            [
                doc.problem(
                    (),
                    "not an exceptions file (it has no svclevel_exceptions key; an exceptions "
                    "file starts with 'svclevel_exceptions: 1')",
                )
            ]
        )
    parsed, problems = validate_model(doc, ExceptionsFile)
    if parsed is None:
        raise InputError(problems)
    records = [ExceptionRecord(e, doc, i) for i, e in enumerate(parsed.exceptions)]
    too_long = [
        r.problem(
            "expires",
            f"the exception lasts {(r.entry.expires - r.entry.granted).days} days (granted "
            f"{r.entry.granted}, expires {r.entry.expires}); at most {max_days} are allowed "
            "(max_exception_days)",
        )
        for r in records
        if (r.entry.expires - r.entry.granted).days > max_days
    ]
    if too_long:
        raise InputError(too_long)
    return records


def read_all(
    names: Sequence[tuple[str, int | None]],
    answers_file: str,
    *,
    trusted: Sequence[str] = (),
    check: Callable[[Path, str, Path], None],
    max_days: int = MAX_DAYS,
) -> list[ExceptionRecord]:
    """The exceptions of the files an answers file names (``names``: each path as written and
    its line, relative to its folder; ``check`` refuses one outside the folders svclevel reads
    from), then of ``trusted`` files (the configuration's and ``--exceptions``)."""
    folder = Path(answers_file).parent if not answers_file.startswith("<") else Path()
    records: list[ExceptionRecord] = []
    seen: set[Path] = set()
    for name, line in names:
        path = folder / name
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            check(path, name, folder)
        except UsageError as exc:
            raise InputError([Problem(answers_file, line, None, "exceptions", str(exc))]) from None
        records.extend(
            dataclasses.replace(r, own=True) for r in read(path, os.fspath(path), max_days=max_days)
        )
    for name in dict.fromkeys(trusted):
        path = Path(name)
        if path.resolve() in seen:
            continue  # also named by the answers file: read once
        seen.add(path.resolve())
        check_given_file(name, "--exceptions", "an exceptions file")
        records.extend(read(path, os.fspath(name), max_days=max_days))
    return records


Target = tuple[str, str]
"""A criterion of the rubric assessed: (level id, question id)."""


def resolve(
    records: Sequence[ExceptionRecord],
    *,
    rubric_id: str,
    levels: dict[str, frozenset[str]],
    known_rubrics: dict[str, dict[str, frozenset[str]]],
    known_questions: frozenset[str],
    company: str | None,
    on: datetime.date,
    apply: bool = True,
) -> dict[Target, ExceptionGrant]:
    """The exceptions that name criteria of the rubric assessed, by criterion, as they stand
    ``on`` the evaluation date (every one ``IGNORED`` when not ``apply``).

    ``levels``: the question ids of each level of the rubric assessed; ``known_rubrics``: the
    same for every other rubric an exception may name. An exception that names a level or
    question the rubric it names does not have is an error at its line, and so is one for a
    rubric or question that looks misspelt (close to a known one); one for a rubric or question
    not known here at all (a custom rubric, assessed in another run) does not apply. Two
    exceptions for one criterion whose spans overlap are an error too (a renewal starts after
    the old one ends); of those that do not, the one in force on ``on`` applies.
    Exceptions for another company (``company:``) are left out (``company`` None: none is).
    """
    problems: list[Problem] = []
    found: dict[Target, list[tuple[ExceptionRecord, ExceptionGrant]]] = {}
    for record in records:
        entry = record.entry
        if (
            company is not None
            and entry.company is not None
            and _same(entry.company) != _same(company)
        ):
            if record.own:  # the answers file's own exceptions: for it, or a mistake
                problems.append(
                    record.problem(
                        "company",
                        f"the exception is for '{entry.company}', and the answers file that "
                        f"names this file is of '{company}'",
                    )
                )
            continue
        targets = _targets(
            record,
            rubric_id=rubric_id,
            levels=levels,
            known_rubrics=known_rubrics,
            known_questions=known_questions,
            problems=problems,
        )
        grant = ExceptionGrant(
            criterion=entry.criterion,
            effect=entry.effect,
            justification=entry.justification,
            approved_by=entry.approved_by,
            granted=entry.granted.isoformat(),
            expires=entry.expires.isoformat(),
            state=_state(entry, on) if apply else ExceptionState.IGNORED,
            file=record.doc.name,
            line=record.line,
            ticket=entry.ticket,
        )
        for target in targets:
            overlapping = [
                other
                for other, _ in found.get(target, ())
                if other.entry.granted <= entry.expires and entry.granted <= other.entry.expires
            ]
            if overlapping:
                other = overlapping[0]
                problems.append(
                    record.problem(
                        "criterion",
                        f"a second exception for {rubric_id}/{target[0]}/{target[1]} from "
                        f"{entry.granted} to {entry.expires}, overlapping the one of "
                        f"{other.doc.name}:{other.line} ({other.entry.granted} to "
                        f"{other.entry.expires}): a renewal starts after the old one expires",
                    )
                )
                continue
            found.setdefault(target, []).append((record, grant))
    if problems:
        raise InputError(problems)
    return {target: _in_force([g for _, g in grants], on) for target, grants in found.items()}


def _in_force(grants: list[ExceptionGrant], on: datetime.date) -> ExceptionGrant:
    """Of the exceptions of one criterion (their spans apart), the one that speaks for it on
    ``on``: the active one, else the one that expired last, else the next to begin."""
    day = on.isoformat()
    active = [g for g in grants if g.granted <= day <= g.expires]
    if active:
        return active[0]
    past = [g for g in grants if g.expires < day]
    if past:
        return max(past, key=lambda g: g.expires)
    return min(grants, key=lambda g: g.granted)


def _same(company: str) -> str:
    return " ".join(company.casefold().split())


def _state(entry: ExceptionEntry, on: datetime.date) -> ExceptionState:
    if on > entry.expires:
        return ExceptionState.EXPIRED
    if on < entry.granted:
        return ExceptionState.PENDING
    return ExceptionState.ACTIVE


def _targets(
    record: ExceptionRecord,
    *,
    rubric_id: str,
    levels: dict[str, frozenset[str]],
    known_rubrics: dict[str, dict[str, frozenset[str]]],
    known_questions: frozenset[str],
    problems: list[Problem],
) -> list[Target]:
    """The criteria of the rubric assessed that ``record`` names (checking that what it names
    exists, on this rubric or on the one it names)."""
    parts = record.entry.criterion.split("/")
    if len(parts) == 1:
        (question,) = parts
        if question not in known_questions:
            hint = did_you_mean(question, sorted(known_questions))
            if hint:  # a misspelt question; another rubric's own question is simply not here
                problems.append(record.problem("criterion", f"no question '{question}'{hint}"))
            return []
        return [(level, question) for level, asks in levels.items() if question in asks]
    rubric, level, question = parts
    ladder = levels if rubric == rubric_id else known_rubrics.get(rubric)
    if ladder is None:
        known = sorted({rubric_id, *known_rubrics})
        hint = did_you_mean(rubric, known)
        if hint:  # a misspelt rubric; a custom rubric not assessed here is simply not here
            problems.append(
                record.problem(
                    "criterion", f"no rubric '{rubric}'{hint} (known: {', '.join(known)})"
                )
            )
        return []
    if level not in ladder:
        problems.append(
            record.problem(
                "criterion",
                f"rubric '{rubric}' has no level '{level}' (its levels: {', '.join(ladder)})",
            )
        )
        return []
    if question not in ladder[level]:
        problems.append(
            record.problem(
                "criterion",
                f"level '{level}' of rubric '{rubric}' has no criterion on '{question}'",
            )
        )
        return []
    return [(level, question)] if rubric == rubric_id else []
