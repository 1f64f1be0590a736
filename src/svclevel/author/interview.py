"""``svclevel interview``: ask each question in the terminal, check each answer as it is typed,
and save the answers file after every answer, so an interruption loses nothing.

The file is the assessor's: an answer is written into it by changing the text of that answer
alone (its scalar, or a new line under ``answers:``), so every comment, note, piece of evidence,
quote style and line end stays as it was. Each edit is checked by reading the result back: the
data must be the file's data with exactly that answer changed, or the file is left untouched
and the edit is refused with the reason. (A round-trip YAML library would re-emit the whole
document in its own layout; this edits characters, not documents.)

The engine talks through two functions (``ask`` and ``say``), so it can be driven by a real
terminal (Rich prompts), a pipe, or a test.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from svclevel.author.template import allowed_answers  # the same wording as the template
from svclevel.author.yamltext import render_scalar, same_data
from svclevel.errors import InputError, Problem, UsageError, did_you_mean
from svclevel.load.respondents import NO_NA
from svclevel.load.rubrics import LoadedRubric
from svclevel.load.yamlfile import PythonLoader, parse_yaml, read_text
from svclevel.models import (
    NA,
    TEXT_MAX,
    NumberQuestion,
    Question,
    YesNoQuestion,
    is_not_applicable,
)

HELP = (
    "Type an answer and Enter. Add evidence after ' -- ' (usually -- 96 % on time). "
    "Enter alone skips, n/a -- WHY marks not applicable where it is accepted, 'clear' blanks "
    "the answer (its evidence and "
    "notes stay), 'back' returns to the previous question, '?' shows the guidance again, "
    "'quit' saves and stops."
)

QUIT = ("quit", "q", "exit")


class Stopped(Exception):
    """The assessor typed ``quit`` before the new file's header was complete."""


@dataclass
class Session:
    """The answers file being filled in."""

    path: Path
    answers: dict[str, Any] = field(default_factory=dict)
    """Question id → the entry as the file holds it (a bare value, or a mapping with value,
    evidence, notes), as of the last read or write."""
    new_file: str | None = None
    """The text of a file that does not exist yet (its header), written before the first
    question."""
    respondent: str | None = None
    """``--respondent``: the answers are this respondent's ``responses``, not ``value``."""
    declare: dict[str, str] | None = None
    """A respondent to add to the file's ``respondents`` (id, role, group), with the first
    answer saved (so no respondent is declared without a response)."""
    lines: dict[str, int] = field(default_factory=dict)
    """Question id → the line of its answer in the file, as opened."""

    def save(
        self, qid: str, value: Any, evidence: str | None = None, *, key: str = "evidence"
    ) -> None:
        """Set the answer to ``qid`` in the file (and its evidence, or the remark ``key``
        names, when given), atomically; under ``respondent``, that respondent's response.

        The file is read again first, so changes made to it meanwhile are kept too.
        """
        text = read_exact(self.path)
        name = str(self.path)
        if self.respondent is None:
            edited, entry = set_answer(text, qid, value, evidence, name=name, key=key)
        else:
            if self.declare is not None:
                text = declare_respondent(text, self.declare, name=name)
            edited, entry = set_response(text, qid, self.respondent, value, evidence, name=name)
        write_in_place(self.path, edited)
        self.declare = None
        self.answers[qid] = entry

    def current(self, qid: str) -> Any:
        """The answer being filled in, as the file holds it: the entry, or under
        ``respondent`` that respondent's response."""
        entry = self.answers.get(qid)
        if self.respondent is None:
            return entry
        responses = entry.get("responses") if isinstance(entry, dict) else None
        return responses.get(self.respondent) if isinstance(responses, dict) else None

    def answered(self, qid: str) -> bool:
        """Whether ``qid`` has a value (blank and missing are unanswered); under
        ``respondent``, whether that respondent's response has one."""
        return _value_of(self.current(qid)) is not None

    def blocked(self, qid: str) -> str | None:
        """Why ``qid`` cannot be answered in this session, or None: under ``respondent``, it
        has a plain value; without, it has respondents' responses."""
        entry = self.answers.get(qid)
        where = f"{self.path}:{self.lines[qid]}" if qid in self.lines else str(self.path)
        if self.respondent is not None and _value_of(entry) is not None:
            return (
                f"{where}: {qid}: skipped: it is answered with a value, and value and "
                f"responses cannot both be given (remove the value to record "
                f"{self.respondent}'s answer)"
            )
        if self.respondent is None and isinstance(entry, dict) and entry.get("responses"):
            return (
                f"{where}: {qid}: skipped: it is answered by respondents (responses), so it "
                "takes no value; give --respondent ID to record one respondent's answer"
            )
        return None


def _value_of(entry: Any) -> Any:
    return entry.get("value") if isinstance(entry, dict) else entry


def questions_of(rubrics: Sequence[LoadedRubric]) -> list[Question]:
    """The questions the rubrics use, in ladder order, each once."""
    seen: dict[str, Question] = {}
    for loaded in rubrics:
        for level in loaded.rubric.levels:
            for criterion in level.criteria:
                seen.setdefault(criterion.question, loaded.questions[criterion.question])
    return list(seen.values())


def rubrics_for(
    path: Path,
    rubric: str | None,
    *,
    rubric_dirs: Sequence[str],
    load: Callable[[str], list[LoadedRubric]],
    default: str = "all",
    allow_paths: Sequence[str] = (),
) -> tuple[list[LoadedRubric], str | None]:
    """The rubrics whose questions are asked, and a note for the assessor (or None).

    ``--rubric`` when given (``load`` loads it, or every rubric for ``all``); else the rubric
    an existing file names (resolved from the file's folder: a problem at its ``rubric:`` line
    when it cannot be loaded); else ``default`` (the configured rubric, or ``all``).
    """
    from svclevel.engine.facade import choose_rubric
    from svclevel.load.rubrics import read_answers

    if not path.exists():
        return load(rubric or default), None
    document = read_answers(path)
    named = document.default_rubric
    if rubric is None and named is not None:
        loaded, _ = choose_rubric(
            document,
            path,
            rubric=None,
            default_rubric=None,
            rubric_dirs=rubric_dirs,
            allow_paths=allow_paths,
        )
        return [loaded], None
    rubrics = load(rubric or default)
    line = document.doc.key_lines(()).get("rubric")
    if named is not None and named not in (rubric, *(r.id for r in rubrics)):
        return rubrics, (
            f"{path}:{line}: note: the file names rubric '{named}'; asking the questions of "
            f"'{rubric}' as --rubric says"
        )
    if named is None and rubric not in (None, "all"):
        return rubrics, (
            f"{path}: note: the file names no rubric; assess it with --rubric {rubric}, or add "
            f"'rubric: {rubric}' to it"
        )
    return rubrics, None


def open_session(
    path: Path,
    *,
    rubric: str | None,
    ask: Callable[[str], str],
    say: Callable[[str], None] = lambda _: None,
    today: datetime.date | None = None,
    respondent: str | None = None,
    role: str | None = None,
    group: str | None = None,
) -> Session:
    """Resume ``path`` if it exists, else ask for the header of a new file.

    With ``respondent``, the answers are that respondent's responses: they must be one of the
    file's ``respondents``, unless ``role`` or ``group`` declare them (added to
    ``respondents`` with the first answer; so is the respondent of a file that declares
    none). A new file is not written here: :func:`run` writes it before the first question.
    Typing ``quit`` at a header prompt raises :class:`Stopped`.
    """
    person = _respondent_entry(respondent, role, group)
    if path.exists():
        from svclevel.load.rubrics import read_answers

        document = read_answers(path)
        if document.parsed is None:
            raise InputError(document.shape_problems)
        raw = document.doc.data.get("answers") or {}
        session = Session(
            path=path,
            answers=dict(raw) if isinstance(raw, dict) else {},
            lines=document.doc.key_lines(("answers",)),
        )
        if person is not None:
            session.respondent = person["id"]
            session.declare = _declaration(path, document, person)
        return session
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        # Said before the first question, so nothing the assessor types is lost.
        why = "does not exist" if not folder.is_dir() else "is not writable"
        raise UsageError(f"{path}: the folder {folder} {why}; nothing was asked")

    def header(label: str) -> str:
        reply = ask(label).strip()
        if reply.lower() in QUIT:
            raise Stopped
        return reply

    company = ""
    while not company:
        company = header("Company")
    day = (today or datetime.date.today()).isoformat()
    date = ""
    while not date:
        reply = header(f"Date of the assessment (YYYY-MM-DD, Enter for {day})") or day
        try:
            date = datetime.date.fromisoformat(reply).isoformat()
        except ValueError:
            say(f"    ✗ expected a date such as {day}, got {reply!r}")
    assessor = header("Assessor (Enter to skip)")
    lines = [
        "# Written by svclevel interview; run it again to resume.",
        f"company: {render_scalar(company)}",
        f"date: {date}",
    ]
    if assessor:
        lines.append(f"assessor: {render_scalar(assessor)}")
    if rubric is not None:  # as the caller wrote it: found again from the file's folder
        lines.append(f"rubric: {render_scalar(rubric)}")
    lines.append("answers:")
    text = "\n".join(lines) + "\n"
    expected = {"company": company, "date": datetime.date.fromisoformat(date)}
    if assessor:
        expected["assessor"] = assessor
    if rubric is not None:
        expected["rubric"] = rubric
    expected["answers"] = None
    if not same_data(parse_yaml(text, str(path)).data, expected):  # pragma: no cover - a bug
        raise UsageError(f"{path}: cannot write this header safely; nothing was written")
    session = Session(path=path, new_file=text)
    if person is not None:
        session.respondent, session.declare = person["id"], person
    return session


def _respondent_entry(
    respondent: str | None, role: str | None, group: str | None
) -> dict[str, str] | None:
    """``--respondent``, ``--role``, ``--group`` as a ``respondents`` item (checked as the
    answers file's reader checks it), or None."""
    if respondent is None:
        if role is not None or group is not None:
            raise UsageError("--role and --group describe the respondent: give --respondent ID")
        return None
    from pydantic import ValidationError

    from svclevel.models import RespondentEntry

    person = {"id": respondent, "role": role, "group": group}
    try:
        RespondentEntry.model_validate(person)
    except ValidationError as exc:
        error = exc.errors()[0]
        field_name = str(error["loc"][0])
        option = {"id": "--respondent", "role": "--role", "group": "--group"}[field_name]
        why = (
            "lowercase letters, digits, '-' and '_', starting with a letter or digit "
            "(such as cx-lead)"
            if error["type"] == "string_pattern_mismatch"
            else error["msg"]
        )
        raise UsageError(f"{option} {person[field_name]!r}: expected {why}") from None
    return {k: v for k, v in person.items() if v is not None}


def _declaration(path: Path, document: Any, person: dict[str, str]) -> dict[str, str] | None:
    """The respondent to add to the file's ``respondents`` (None: declared already), or
    :class:`UsageError` when the file cannot take them as ``--respondent`` gives them."""
    parsed = document.parsed
    lines = document.doc.key_lines(())
    rid = person["id"]
    if parsed.respondent is not None:
        raise UsageError(
            f"{path}:{lines.get('respondent')}: the file records one respondent "
            f"('{parsed.respondent.id}', under respondent:), whose answers are the values; "
            "--respondent records one of several respondents' responses, which cannot be "
            "given with respondent: (run the interview without --respondent)"
        )
    declared = {r.id: r for r in parsed.respondents}
    given = "role" in person or "group" in person
    if rid in declared:
        known = declared[rid]
        for name, option in (("role", "--role"), ("group", "--group")):
            if name in person and person[name] != getattr(known, name):
                raise UsageError(
                    f"{path}:{lines.get('respondents')}: respondent '{rid}' is declared with "
                    f"{name} {getattr(known, name)!r}, not {person[name]!r} as {option} says; "
                    f"leave out {option} or change the file"
                )
        return None
    if declared and not given:
        raise UsageError(
            f"{path}:{lines.get('respondents')}: '{rid}' is not a declared respondent"
            f"{did_you_mean(rid, list(declared))} (respondents: {', '.join(declared)}); to add "
            "a new respondent, give their --role or --group"
        )
    return person


def run(
    session: Session,
    questions: Sequence[Question],
    *,
    ask: Callable[[str], str],
    say: Callable[[str], None],
    na_when: Mapping[str, str] | None = None,
) -> int:
    """Ask every unanswered question; return how many answers were saved this time.

    ``na_when``: the questions the rubrics accept n/a for, and when (:func:`na_conditions`);
    n/a is refused for the others, and needs a justification (after `` -- ``) for these."""
    na_when = na_when or {}
    if session.new_file is not None:
        write_in_place(session.path, session.new_file)
        session.new_file = None
    say(HELP)
    if session.respondent is not None:
        na_when = {}  # n/a is said of the company, not by a respondent
    questions = _askable(session, questions, say)
    todo = _to_ask(session, questions, say)
    if not todo:
        say(f"Every question is answered already ({len(questions)}).")
        return 0
    given = 0
    pending, reached = set(todo), todo[0]
    position = todo[0]
    while position < len(questions):
        reached = max(reached, position)
        question = questions[position]
        say("")
        say(f"[{position + 1}/{len(questions)}] {question.text}")
        say(f"    {allowed_answers(question, na_when.get(question.id))}")
        current = describe_entry(session.current(question.id), question)
        if current:
            say(f"    now: {current}")
        reply = ask(question.id).strip()
        if reply.lower() in QUIT:
            break
        if reply.lower() in ("back", "<"):
            position = max(0, position - 1)
            continue
        if reply == "?":
            say(f"    {question.guidance}")
            continue
        if not reply:
            position = _forward(position, len(questions), pending, reached)
            continue
        if reply.lower() == "clear":
            if _value_of(session.current(question.id)) is not None:
                _save(session, question.id, None, None, reply)
                given += 1
            position = _forward(position, len(questions), pending, reached)
            continue
        value, (key, remark), problem = _parse(reply, question, na_when.get(question.id))
        problem = NO_NA if session.respondent is not None and value == "n/a" else problem
        if problem is not None:
            say(f"    ✗ {problem}")
            continue
        _save(session, question.id, value, remark, reply, key=key)
        given += 1
        position = _forward(position, len(questions), pending, reached)
    return given


def _askable(
    session: Session, questions: Sequence[Question], say: Callable[[str], None]
) -> list[Question]:
    """The questions this session can answer, each one it cannot said with the reason."""
    if session.respondent is not None:
        adding = " (added to the file's respondents with the first answer)"
        say(
            f"Answering as respondent {session.respondent}"
            f"{adding if session.declare is not None else ''}; n/a is not a respondent's "
            "answer."
        )
    for question in questions:
        why = session.blocked(question.id)
        if why is not None:
            say(why)
    return [q for q in questions if session.blocked(q.id) is None]


def _to_ask(
    session: Session, questions: Sequence[Question], say: Callable[[str], None]
) -> list[int]:
    """The questions to ask: unanswered, or answered with a value the question refuses."""
    todo = []
    for i, q in enumerate(questions):
        if not session.answered(q.id):
            todo.append(i)
            continue
        value = _value_of(session.current(q.id))
        problem = q.check_answer(value)[1]
        if session.respondent is not None and is_not_applicable(value):
            problem = NO_NA
        if problem:
            say(f"{session.path}: {q.id}: the answer in the file is not valid ({problem})")
            todo.append(i)
    return todo


def _forward(at: int, count: int, pending: set[int], reached: int) -> int:
    """The question after ``at``: the next one left unanswered when the session started, once
    past the furthest question reached (so after ``back`` every answer given or revised is
    walked through again, and questions answered in an earlier session are not)."""
    at += 1
    while reached < at < count and at not in pending:
        at += 1
    return at


def _parse(reply: str, question: Question, na_when: str | None) -> tuple[Any, Remark, str | None]:
    """A typed reply: the value, the remark after `` -- `` (evidence, or an n/a's
    justification), or what is wrong with it."""
    text, _, remark = reply.partition(" -- ")
    remark = remark.strip()
    value, problem = read_reply(text, question)
    key = "justification" if value == "n/a" else "evidence"
    if problem is None and len(remark) > TEXT_MAX:
        problem = f"the {key} is longer than {TEXT_MAX} characters"
    if problem is None and value == "n/a":
        problem = _na_problem(na_when, remark)
    return value, (key, remark or None), problem


def _na_problem(when: str | None, justification: str) -> str | None:
    """Why an n/a cannot be saved: the rubrics do not accept it, or it gives no reason."""
    if when is None:
        return (
            "n/a is not accepted for this question (the rubric asks it of every company); "
            "press Enter to skip it while it is unknown"
        )
    if not justification:
        return f"n/a needs a justification after ' -- ' (accepted when {when})"
    return None


def _save(
    session: Session,
    qid: str,
    value: Any,
    evidence: str | None,
    typed: str,
    *,
    key: str = "evidence",
) -> None:
    """Save one answer; when it cannot be saved, the error repeats what was typed."""
    try:
        session.save(qid, value, evidence, key=key)
    except InputError as exc:
        note = f"the answer to {qid} was not saved (you typed: {typed})"
        raise InputError(
            [*exc.problems, Problem(str(session.path), None, None, "", note)]
        ) from None
    except UsageError as exc:
        raise UsageError(f"{exc}; the answer to {qid} was not saved (you typed: {typed})") from None


def describe_entry(entry: Any, question: Question) -> str:
    """An answer as the file holds it, for the ``now:`` line (empty when there is nothing)."""
    fields = entry if isinstance(entry, dict) else {"value": entry}
    raw = fields.get("value")
    checked, problem = question.check_answer(raw)
    parts = [] if raw is None else [str(raw) if problem else question.describe_answer(checked)]
    parts += [
        f"{k}: {_remark(fields[k])}"
        for k in ("evidence", "justification", "notes")
        if fields.get(k) is not None
    ]
    if parts and raw is None:
        parts.insert(0, "(blank)")
    return " — ".join(parts)


def _remark(value: Any) -> str:
    """A remark as the ``now:`` line shows it: evidence items by their text and date."""
    items = value if isinstance(value, list) else [value]
    shown = []
    for item in items:
        if isinstance(item, dict):
            day = item.get("as_of") or item.get("collected")
            text = str(item.get("text", ""))
            shown.append(f"{text} (as of {day})" if day else text)
        else:
            shown.append(str(item))
    return "; ".join(shown)


# --------------------------------------------------------------------------- typed answers

_NUMBER = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


def read_reply(text: str, question: Question) -> tuple[Any, str | None]:
    """A typed answer as it is written into the file, or None and what is wrong with it.

    Forgiving where the meaning is plain: ``y``/``n`` for yes/no, a number followed by its unit
    (``85%``, ``85 %``, ``24 hours``), a decimal comma (``4,5``); scale labels in any case.
    """
    text = text.strip()
    checked, problem = question.check_answer(text)
    if problem is None and checked is NA:
        return "n/a", None
    if isinstance(question, YesNoQuestion):
        word = {"y": "yes", "n": "no", "true": "yes", "false": "no"}.get(text.lower(), text)
        checked, problem = question.check_answer(word)
        return (("yes" if checked else "no"), None) if problem is None else (None, problem)
    if isinstance(question, NumberQuestion):
        return _read_number(text, question)
    return (checked, None) if problem is None else (None, problem)


def _read_number(text: str, question: NumberQuestion) -> tuple[Any, str | None]:
    number = text
    unit = question.unit.strip()
    if number.lower().endswith(unit.lower()):
        number = number[: -len(unit)].rstrip()
    if not _NUMBER.fullmatch(number):
        return None, question.check_answer(text)[1]
    whole, comma, fraction = number.partition(",")
    if comma and len(fraction) == 3 and whole.strip("+-"):
        return None, (
            f"'{text}' could be {whole}{fraction} or {whole}.{fraction}: write it without the "
            "comma, or with a decimal point"
        )
    number = number.replace(",", ".")
    value: float | int = float(number)
    if "." not in number and "e" not in number.lower():
        value = int(number)
    _, problem = question.check_answer(value)
    if problem is not None:
        return None, problem
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return value, None


# --------------------------------------------------------------------------- the file edit


class _Refused(Exception):
    """The edit cannot be made in place: why, and where (a node)."""

    def __init__(self, message: str, node: yaml.Node | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


def set_answer(
    text: str,
    qid: str,
    value: Any,
    evidence: str | None = None,
    *,
    name: str = "<answers>",
    key: str = "evidence",
) -> tuple[str, Any]:
    """``text`` (an answers file) with the answer to ``qid`` set to ``value`` (and its evidence
    to ``evidence`` when given), and the entry as it now reads. ``key`` names the remark
    ``evidence`` is written as (``justification`` for an n/a answer).

    Only that answer's characters change; the rest of the file (comments, notes, other answers,
    quoting, line ends, a byte-order mark) stays exactly as it was. The result is read back:
    if its data is not the file's data with just that entry changed, nothing is returned and
    :class:`InputError` says why (the caller then leaves the file as it was).
    """
    before = parse_yaml(text, name).data  # the hardened reader says what is wrong with a file
    if not isinstance(before, dict):
        raise InputError([Problem(name, None, None, "", "expected a mapping of keys to values")])
    answers = before.get("answers") or {}
    current = answers.get(qid) if isinstance(answers, dict) else None
    if isinstance(current, dict):
        entry: Any = dict(current)
        if value is not None or "value" in current:
            entry["value"] = value
        if evidence is not None:
            entry[key] = evidence
        if "justification" in entry and not is_not_applicable(value):
            # The reason for an n/a does not justify another answer; it is kept, as a note.
            entry["notes"] = entry.pop("justification")
    else:
        entry = value if evidence is None else {"value": value, key: evidence}
    expected = {**before, "answers": {**answers, qid: entry}}
    edited = _apply(
        text, (qid,), value=value, evidence=(key, evidence), expected=expected, name=name
    )
    return edited, entry


def set_response(
    text: str,
    qid: str,
    rid: str,
    value: Any,
    evidence: str | None = None,
    *,
    name: str = "<answers>",
) -> tuple[str, Any]:
    """``text`` with respondent ``rid``'s response to ``qid`` set to ``value`` (and its
    evidence when given), and the question's entry as it now reads; as :func:`set_answer`,
    only that response's characters change, and the result is read back.

    A question answered with a value is refused: value and responses cannot both be given.
    """
    before = parse_yaml(text, name).data
    if not isinstance(before, dict):
        raise InputError([Problem(name, None, None, "", "expected a mapping of keys to values")])
    answers = before.get("answers") or {}
    current = answers.get(qid) if isinstance(answers, dict) else None
    entry: dict[str, Any] = dict(current) if isinstance(current, dict) else {}
    if _value_of(current) is not None:
        root = yaml.compose(text, Loader=PythonLoader)
        line = _line_of(root, qid) if isinstance(root, yaml.MappingNode) else None
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    None,
                    f"answers.{qid}",
                    "it is answered with a value, and value and responses cannot both be "
                    "given; the file was not changed",
                )
            ]
        )
    responses = entry.get("responses") or {}
    old = responses.get(rid) if isinstance(responses, dict) else None
    if isinstance(old, dict):
        response: Any = dict(old)
        if value is not None or "value" in old:
            response["value"] = value
        if evidence is not None:
            response["evidence"] = evidence
    else:
        response = value if evidence is None else {"value": value, "evidence": evidence}
    entry["responses"] = {**(responses if isinstance(responses, dict) else {}), rid: response}
    expected = {**before, "answers": {**answers, qid: entry}}
    path = (qid, "responses", rid)
    edited = _apply(
        text, path, value=value, evidence=("evidence", evidence), expected=expected, name=name
    )
    return edited, entry


def declare_respondent(text: str, person: dict[str, str], *, name: str = "<answers>") -> str:
    """``text`` with ``person`` (id, role, group) added to its ``respondents``, as one line at
    their end (before ``answers:`` when the file has no ``respondents`` yet); read back as
    :func:`set_answer` reads its edits."""
    before = parse_yaml(text, name).data
    if not isinstance(before, dict):
        raise InputError([Problem(name, None, None, "", "expected a mapping of keys to values")])
    item = "{" + ", ".join(f"{k}: {render_scalar(v, flow=True)}" for k, v in person.items()) + "}"
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text, Loader=PythonLoader)
    problem = "svclevel cannot add the respondent here without changing something else in the file"
    edit: Edit | None = None
    if isinstance(root, yaml.MappingNode):
        key, node = _child(root, "respondents")
        answers_key, _ = _child(root, "answers")
        if key is None or node is None:
            block = ["respondents:", f"  - {item}"]
            if answers_key is not None and answers_key.start_mark.column == 0:
                at = answers_key.start_mark.index
                edit = (at, at, newline.join(block) + newline)
            elif not root.flow_style:
                at = _end_of_block(text, root)
                edit = (at, at, _lines(block, newline))
        elif isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None:
            at = _line_end(text, key.end_mark.index)
            edit = (at, at, _lines([f"{' ' * (key.start_mark.column + 2)}- {item}"], newline))
        elif isinstance(node, yaml.SequenceNode) and node.flow_style:
            if node.value:
                at = node.value[-1].end_mark.index
                edit = (at, at, f", {item}")
            else:
                at = node.start_mark.index + 1
                edit = (at, at, item)
        elif isinstance(node, yaml.SequenceNode) and node.value:
            first = node.value[0].start_mark
            dash = text.rfind("-", 0, first.index)
            column = dash - (text.rfind("\n", 0, dash) + 1)
            at = _end_of_block(text, node)
            edit = (at, at, _lines([f"{' ' * column}- {item}"], newline))
    edited = text if edit is None else text[: edit[0]] + edit[2] + text[edit[1] :]
    listed = before.get("respondents") or []
    expected = {**before, "respondents": [*listed, dict(person)]}
    try:
        after = parse_yaml(edited, name).data
    except InputError:
        after = None
    if edit is None or not same_data(after, expected):
        line = _top_line(root, "respondents")
        raise InputError(
            [Problem(name, line, None, "respondents", f"{problem}; the file was not changed")]
        )
    return edited


def _top_line(root: yaml.Node | None, key: str) -> int | None:
    """The line of a top-level key (None: not there)."""
    if isinstance(root, yaml.MappingNode):
        node, _ = _child(root, key)
        if node is not None:
            return node.start_mark.line + 1
    return None


def _apply(
    text: str,
    path: tuple[str, ...],
    *,
    value: Any,
    evidence: Remark,
    expected: Any,
    name: str,
) -> str:
    """``text`` with the answer at ``answers.<path>`` set, checked against ``expected`` (the
    file's data as it must read after the edit)."""
    qid = path[0]
    where = "answers." + ".".join(path)
    root = yaml.compose(text, Loader=PythonLoader)  # its marks count characters of ``text``
    try:
        assert isinstance(root, yaml.MappingNode)
        edits = _plan(text, root, path, value, evidence)
    except _Refused as exc:
        line = None if exc.node is None else exc.node.start_mark.line + 1
        raise InputError(
            [Problem(name, line, None, where, f"{exc.message}; the file was not changed")]
        ) from None
    edited = text
    # from the end, so that indices stay valid; at one place, in the order planned
    order = sorted(range(len(edits)), key=lambda i: (edits[i][0], edits[i][1], i), reverse=True)
    for start, end, new in (edits[i] for i in order):
        edited = edited[:start] + new + edited[end:]
    try:
        after = parse_yaml(edited, name).data
    except InputError:
        after = None
    if not same_data(after, expected):
        line = _line_of(root, qid)
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    None,
                    where,
                    "svclevel cannot write this answer here without changing something else "
                    "in the file; the file was not changed (write the answer by hand)",
                )
            ]
        )
    return edited


Edit = tuple[int, int, str]
"""Replace ``text[start:end]`` with the new text."""


Remark = tuple[str, str | None]
"""A remark written with the answer: its key (``evidence``, ``justification``) and its text
(None: none given)."""


def _plan(
    text: str, root: yaml.MappingNode, path: tuple[str, ...], value: Any, evidence: Remark
) -> list[Edit]:
    """The character edits that set the answer at ``answers.<path>`` (a question, or a
    question's ``responses`` and a respondent), or :class:`_Refused`."""
    newline = "\r\n" if "\r\n" in text else "\n"
    answers_key, answers = _child(root, "answers")
    if answers_key is None or answers is None:
        at = _end_of_block(text, root)
        lines = ["answers:", *_nested_block(path, value, evidence, 2)]
        return [(at, at, _lines(lines, newline))]
    if isinstance(answers, yaml.ScalarNode):
        if answers.value != "" or answers.style is not None:
            raise _Refused("'answers' holds a value, not a mapping of answers", answers)
        at = _line_end(text, answers_key.end_mark.index)
        indent = answers_key.start_mark.column + 2
        return [(at, at, _lines(_nested_block(path, value, evidence, indent), newline))]
    if not isinstance(answers, yaml.MappingNode):
        raise _Refused("'answers' is not a mapping of answers", answers)
    return _plan_in(text, answers, path, value, evidence, nl=newline)


def _plan_in(
    text: str,
    mapping: yaml.MappingNode,
    path: tuple[str, ...],
    value: Any,
    evidence: Remark,
    *,
    nl: str,
) -> list[Edit]:
    """The edits that set ``path`` inside ``mapping``, adding the keys it lacks."""
    name, rest = path[0], path[1:]
    key, entry = _child(mapping, name)
    if key is None or entry is None:
        if mapping.flow_style:
            return [_flow_insert(mapping, _nested_flow(path, value, evidence))]
        at = _end_of_block(text, mapping)
        indent = mapping.value[0][0].start_mark.column  # a block mapping has a first key
        return [(at, at, _lines(_nested_block(path, value, evidence, indent), nl))]
    if not rest:
        if isinstance(entry, yaml.ScalarNode):
            return _plan_bare(text, key, entry, value, evidence, flow=mapping.flow_style, nl=nl)
        if isinstance(entry, yaml.MappingNode):
            return _plan_mapping(text, entry, value, evidence, nl)
        raise _Refused("the answer is a list, not a value or a mapping", entry)
    if isinstance(entry, yaml.ScalarNode):
        if entry.value != "" or entry.style is not None:
            raise _Refused(f"'{name}' holds a value, not a mapping", entry)
        if mapping.flow_style:
            start, end = entry.start_mark.index, entry.end_mark.index
            space = " " if start == end and text[start - 1] == ":" else ""
            return [(start, end, space + "{" + _nested_flow(rest, value, evidence) + "}")]
        at = _line_end(text, key.end_mark.index)
        indent = key.start_mark.column + 2
        return [(at, at, _lines(_nested_block(rest, value, evidence, indent), nl))]
    if isinstance(entry, yaml.MappingNode):
        return _plan_in(text, entry, rest, value, evidence, nl=nl)
    raise _Refused(f"'{name}' is a list, not a mapping", entry)


def _nested_block(path: tuple[str, ...], value: Any, evidence: Remark, indent: int) -> list[str]:
    """The block lines of ``path`` (its keys nested) ending in the answer."""
    if len(path) == 1:
        return _block_entry(path[0], value, evidence, indent)
    head = f"{' ' * indent}{render_scalar(path[0])}:"
    return [head, *_nested_block(path[1:], value, evidence, indent + 2)]


def _nested_flow(path: tuple[str, ...], value: Any, evidence: Remark) -> str:
    """``path`` as a flow pair (its keys nested) ending in the answer."""
    head = f"{render_scalar(path[0], flow=True)}: "
    if len(path) == 1:
        return head + _flow_entry(value, evidence)
    return head + "{" + _nested_flow(path[1:], value, evidence) + "}"


def _plan_bare(
    text: str,
    key: yaml.Node,
    entry: yaml.ScalarNode,
    value: Any,
    evidence: Remark,
    *,
    flow: bool,
    nl: str,
) -> list[Edit]:
    """Edits for an answer written as a bare value (``question: value``)."""
    if evidence[1] is None:
        return [_set_scalar(text, key, entry, value, flow)]
    _check_scalar(entry)
    if flow:
        start, end = entry.start_mark.index, entry.end_mark.index
        space = " " if start == end and text[start - 1] == ":" else ""
        return [(start, end, space + _flow_entry(value, evidence))]
    # it becomes a mapping; a comment after the value stays on the question's line
    colon = _colon(text, key, entry)
    if text[colon + 1 : entry.start_mark.index].strip():
        raise _Refused("a comment stands between the question and its answer", entry)
    end = _line_end(text, entry.end_mark.index)
    body = _block_entry("-", value, evidence, key.start_mark.column)[1:]
    return [(colon + 1, entry.end_mark.index, ""), (end, end, _lines(body, nl))]


def _plan_mapping(
    text: str, entry: yaml.MappingNode, value: Any, evidence: Remark, nl: str
) -> list[Edit]:
    """Edits for an answer written as a mapping (value, evidence, notes): its value, and its
    evidence when new evidence is given; everything else in it stays."""
    edits: list[Edit] = []
    justification, _ = _child(entry, "justification")
    if justification is not None and not is_not_applicable(value):
        if _child(entry, "notes")[0] is not None:
            raise _Refused(
                "its n/a justification would no longer fit the answer, and it has notes "
                "already to keep it in",
                justification,
            )
        start, end = justification.start_mark.index, justification.end_mark.index
        edits.append((start, end, "notes"))  # kept as a note
    for name, new in (("value", value), evidence):
        key, node = _child(entry, name)
        if key is not None and node is not None:
            if not isinstance(node, yaml.ScalarNode):
                if name != "value" and new is None:
                    continue  # dated evidence items, kept as they are
                more = (
                    " (dated items: add the new one to them in the file)" if name != "value" else ""
                )
                raise _Refused(f"its {name} is not a single value{more}", node)
            if name == "value" or new is not None:
                edits.append(_set_scalar(text, key, node, new, entry.flow_style))
        elif new is None:
            continue
        elif entry.flow_style:
            edits.append(_flow_insert(entry, f"{name}: {render_scalar(new, flow=True)}"))
        else:
            first = entry.value[0][0].start_mark  # a block mapping has a first key
            line = f"{' ' * first.column}{name}: {render_scalar(new)}".rstrip()
            if name == "value":  # first, as the template writes it
                at = first.index - first.column
                if text[at : first.index].strip():
                    raise _Refused("the answer's keys do not start their lines", entry)
                edits.append((at, at, line + nl))
            else:
                at = _end_of_block(text, entry)
                edits.append((at, at, _lines([line], nl)))
    return edits


def _child(node: yaml.MappingNode, name: str) -> tuple[yaml.Node | None, yaml.Node | None]:
    pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == name]
    if len(pairs) > 1:  # pragma: no cover - the hardened reader refuses repeated keys
        raise _Refused(f"'{name}' is repeated", pairs[1][0])
    return pairs[0] if pairs else (None, None)


def _line_of(root: yaml.MappingNode, qid: str) -> int | None:
    _, answers = _child(root, "answers")
    if isinstance(answers, yaml.MappingNode):
        key, _ = _child(answers, qid)
        if key is not None:
            return key.start_mark.line + 1
    return None


def _check_scalar(node: yaml.ScalarNode) -> None:
    if node.style in ("|", ">"):
        raise _Refused(
            "the answer is written as a block of text (| or >); svclevel changes only answers "
            "written on one line",
            node,
        )


def _colon(text: str, key: yaml.Node, node: yaml.Node) -> int:
    """Where the ':' between a key and its value is."""
    colon = text.find(":", key.end_mark.index, max(node.start_mark.index, key.end_mark.index + 1))
    if colon < 0:
        raise _Refused("the question and its answer are not written 'question: answer'", node)
    return colon


def _set_scalar(text: str, key: yaml.Node, node: yaml.ScalarNode, value: Any, flow: bool) -> Edit:
    """Replace a scalar's characters (and only them) with ``value``."""
    _check_scalar(node)
    start, end = node.start_mark.index, node.end_mark.index
    if value is None:
        if start == end:
            return (start, end, "")
        while start > 0 and text[start - 1] in " \t" and not flow:
            start -= 1  # the space before a removed value goes with it
        return (max(start, _colon(text, key, node) + 1), end, "")
    new = render_scalar(value, flow=flow)
    if start == end:  # a blank answer: the value goes right after the ':'
        at = _colon(text, key, node) + 1
        return (at, at, " " + new)
    return (start, end, new)


def _flow_insert(mapping: yaml.MappingNode, pair: str) -> Edit:
    """Add ``pair`` to a flow mapping, after its last value (or inside an empty ``{}``)."""
    if mapping.value:
        last = mapping.value[-1][1]
        at = last.end_mark.index
        return (at, at, (" , " if at == last.start_mark.index else ", ") + pair)
    at = mapping.start_mark.index + 1
    return (at, at, pair)


def _flow_entry(value: Any, evidence: Remark) -> str:
    shown = render_scalar(value, flow=True) if value is not None else "null"
    key, remark = evidence
    if remark is None:
        return shown
    return f"{{value: {shown}, {key}: {render_scalar(remark, flow=True)}}}"


def _block_entry(qid: str, value: Any, evidence: Remark, indent: int) -> list[str]:
    pad = " " * indent
    key, remark = evidence
    if remark is None:
        return [f"{pad}{render_scalar(qid)}: {render_scalar(value)}".rstrip()]
    return [
        f"{pad}{render_scalar(qid)}:",
        f"{pad}  value: {render_scalar(value)}".rstrip(),
        f"{pad}  {key}: {render_scalar(remark)}",
    ]


def _end_of_block(text: str, node: yaml.Node) -> int:
    """Where a line added at the end of a block collection goes: after its last character."""
    return _line_end(text, _last_index(node))


def _last_index(node: yaml.Node) -> int:
    """The index just past the last character of ``node`` (a block collection's end mark can
    lie past the comments after it)."""
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("|", ">"):
            raise _Refused("an answer is written as a block of text (| or >) at the end", node)
        return node.end_mark.index
    if isinstance(node, yaml.MappingNode):
        if node.flow_style or not node.value:
            return node.end_mark.index
        return max(_last_index(child) for pair in node.value for child in pair)
    if isinstance(node, yaml.SequenceNode):
        if node.flow_style or not node.value:
            return node.end_mark.index
        return max(_last_index(child) for child in node.value)
    return node.end_mark.index  # pragma: no cover


def _line_end(text: str, index: int) -> int:
    """The end of the line holding ``index`` (before its line break)."""
    ends = [i for i in (text.find("\r", index), text.find("\n", index)) if i >= 0]
    return min(ends) if ends else len(text)


def _lines(lines: list[str], newline: str) -> str:
    """New lines, to insert at the end of a line."""
    return newline + newline.join(lines)


# --------------------------------------------------------------------------- reading, writing


def read_exact(path: Path) -> str:
    """The file's text, every character as it is on disk (line ends and a byte-order mark
    included)."""
    text = read_text(path, str(path))  # bounded, every OS error as InputError, BOM removed
    with contextlib.suppress(OSError), path.open("rb") as handle:
        if handle.read(3) == b"\xef\xbb\xbf":
            return "\ufeff" + text
    return text


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_in_place(path: Path, text: str) -> None:
    """Replace the file's content atomically: a temporary file beside the real file (a
    symlink's target), given the file's mode (a new file: the umask's), renamed onto it."""
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise UsageError(f"{path}: cannot write it ({exc.strerror})") from None
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).chmod(mode)
        Path(temp).replace(target)
        temp = None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write it ({exc.strerror})") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                Path(temp).unlink()
