"""Turn YAML documents into validated models, with every problem located in its file.

Shape errors come from Pydantic; the cross-checks (a criterion against its question, an
answer against its question) are done here. Every problem of a file is collected before
anything is raised, so the user fixes a file in one pass.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from svclevel.errors import InputError, Problem, did_you_mean
from svclevel.load.yamlfile import YamlDocument, has_child
from svclevel.models import (
    AnswersFile,
    NumberQuestion,
    ParsedAnswers,
    Question,
    Rubric,
    ScaleQuestion,
    YesNoQuestion,
    parse_answers_fast,
)

M = TypeVar("M", bound=BaseModel)

NOT_APPLICABLE = "n/a"


class NotApplicable:
    """The answer ``n/a``: the criterion is left out of the level's denominator."""

    _instance: NotApplicable | None = None

    def __new__(cls) -> NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NA"


NA = NotApplicable()

AnswerValue = bool | float | str | NotApplicable | None
"""A checked answer: bool (yes/no), label (scale), float (number), NA, or None (unanswered)."""


class Answer(NamedTuple):
    """One checked answer from an answers file.

    A named tuple, not a frozen dataclass: one is made per answer per file, and a tuple is
    made three times faster.
    """

    value: AnswerValue
    """The answer; None when the question is listed but left blank."""
    evidence: str | None = None
    """What the assessor saw that supports the answer."""
    notes: str | None = None
    """Anything else the assessor wants the reader to know."""
    line: int | None = None
    """Line of the answer in its file, for annotations."""


class Answers(NamedTuple):
    """A company's checked answers file."""

    source: str
    """The answers file as the user named it."""
    company: str
    date: str
    """ISO date of the assessment."""
    assessor: str | None
    rubric: str | None
    answers: Mapping[str, Answer]


# --------------------------------------------------------------------------- pydantic errors


def _message(error: Mapping[str, Any]) -> str:
    """Pydantic's message in the house style: what is expected, and what was found."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = _show(error.get("input"))
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        expected = str(ctx.get("expected_tags", "")).replace("'", "")
        key = str(ctx.get("discriminator", "type")).strip("'")
        return f"unknown {key} {ctx.get('tag')!r} (expected one of: {expected})"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected yes or no, got {got}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        return f"expected a number, got {got}"
    if kind.startswith("date"):
        return f"expected a date such as 2026-10-01, got {got}"
    if kind == "string_pattern_mismatch":
        return f"expected lowercase letters, digits, '-' or '_' (e.g. 'my-rubric'), got {got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length', 1)} item(s)"
    bounds = {
        "greater_than_equal": ("≥", "ge"),
        "greater_than": (">", "gt"),
        "less_than_equal": ("≤", "le"),
        "less_than": ("<", "lt"),
    }
    if kind in bounds:
        sign, key = bounds[kind]
        limit = ctx.get(key)
        shown = f"{limit:g}" if isinstance(limit, int | float) else str(limit)
        return f"must be {sign} {shown}, got {got}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, got {got}"
    msg = str(error["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg[:1].lower() + msg[1:]


_TAGGED: dict[str, type[BaseModel]] = {
    "yes_no": YesNoQuestion,
    "scale": ScaleQuestion,
    "number": NumberQuestion,
}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The (first) Pydantic model inside an annotation such as ``tuple[Level, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def validate_model(doc: YamlDocument, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate ``doc`` against ``model``; on failure return the located problems."""
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__ if doc.data is not None else "nothing"
        kind = {"list": "a list", "str": "a plain string", "int": "a number"}.get(kind, kind)
        return None, [doc.problem((), f"expected a mapping of keys to values, found {kind}")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems: list[Problem] = []
        errors = exc.errors(include_url=False)
        locs = [_clean_loc(doc, e["loc"]) for e in errors]
        for error, loc in zip(errors, locs, strict=True):
            if error["type"] == "too_short" and any(
                other[: len(loc)] == loc and len(other) > len(loc) for other in locs
            ):
                continue  # "empty after validation" only because its items failed: noise
            if error["type"] == "extra_forbidden" and loc:
                fields = _allowed_keys(model, doc, loc[:-1])
                key = str(loc[-1])
                msg = f"unknown key '{key}'{did_you_mean(key, fields)}" + (
                    f" (allowed: {', '.join(fields)})" if fields else ""
                )
            else:
                msg = _message(error)
            problems.append(doc.problem(loc, msg, at_key=error["type"] == "extra_forbidden"))
        return None, _dedupe(problems)


def _clean_loc(doc: YamlDocument, loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """Drop Pydantic's discriminator tags and validator names from a location."""
    out: list[str | int] = []
    node: Any = doc.data
    for part in loc:
        if has_child(node, part):
            node = node[part]
            out.append(part)
        elif isinstance(part, str) and (
            (isinstance(node, dict) and part in _TAGGED)
            or part.startswith(("function-", "list[", "dict["))
        ):
            continue
        else:
            out.append(part)
            node = None
    return tuple(out)


def _allowed_keys(model: type[BaseModel], doc: YamlDocument, loc: Sequence[str | int]) -> list[str]:
    """The keys allowed in the mapping at ``loc`` (for "did you mean" suggestions)."""
    current: type[BaseModel] | None = model
    node: Any = doc.data
    expect_key = False  # inside dict[str, Model], the next part is a user key
    for part in loc:
        node = node[part] if has_child(node, part) else None
        if isinstance(part, int) or expect_key:
            expect_key = False
            continue
        field = current.model_fields.get(part) if current is not None else None
        if field is None:
            return []
        current = _model_of(field.annotation)
        expect_key = typing.get_origin(field.annotation) is dict
    if isinstance(node, dict) and node.get("type") in _TAGGED:
        current = _TAGGED[node["type"]]
    if current is None:
        return []
    return sorted(f.alias or name for name, f in current.model_fields.items())


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


# --------------------------------------------------------------------------- questions


def describe_allowed(question: Question) -> str:
    """What a valid answer to ``question`` looks like, for messages and templates."""
    if isinstance(question, YesNoQuestion):
        return "yes or no"
    if isinstance(question, ScaleQuestion):
        return "one of " + ", ".join(question.labels)
    return f"a number from {question.min:g} to {question.max:g} {question.unit}"


def check_question_ids(
    doc: YamlDocument, questions: Sequence[Question], base: tuple[str | int, ...]
) -> list[Problem]:
    """Duplicate question ids within one list."""
    problems = []
    seen: dict[str, int] = {}
    for index, question in enumerate(questions):
        if question.id in seen:
            problems.append(
                doc.problem(
                    (*base, index, "id"),
                    f"duplicate question id '{question.id}' (also question {seen[question.id]})",
                )
            )
        else:
            seen[question.id] = index
    return problems


# --------------------------------------------------------------------------- rubrics


def check_rubric(doc: YamlDocument, rubric: Rubric, bank: Mapping[str, Question]) -> list[Problem]:
    """Cross-check a shape-valid rubric against the questions it uses."""
    problems = check_question_ids(doc, rubric.questions, ("questions",))
    for index, question in enumerate(rubric.questions):
        if question.id in bank:
            problems.append(
                doc.problem(
                    ("questions", index, "id"),
                    f"question '{question.id}' is already in the shared question bank; "
                    "use it directly or pick another id",
                )
            )
    questions: dict[str, Question] = {**bank, **{q.id: q for q in rubric.questions}}
    source_ids = [s.id for s in rubric.sources]
    seen_sources: set[str] = set()
    for index, src in enumerate(rubric.sources):
        if src.id in seen_sources:
            problems.append(
                doc.problem(("sources", index, "id"), f"duplicate source id '{src.id}'")
            )
        seen_sources.add(src.id)

    def check_source(loc: tuple[str | int, ...], ref_doc: str) -> None:
        if ref_doc not in source_ids:
            problems.append(
                doc.problem(
                    (*loc, "source", "doc"),
                    f"unknown source '{ref_doc}'{did_you_mean(ref_doc, source_ids)} "
                    f"(the rubric's sources: {', '.join(source_ids)})",
                )
            )

    for index, advice in enumerate(rubric.advice):
        check_source(("advice", index), advice.source.doc)

    level_ids: dict[str, int] = {}
    for li, level in enumerate(rubric.levels):
        lloc: tuple[str | int, ...] = ("levels", li)
        if level.id in level_ids:
            problems.append(doc.problem((*lloc, "id"), f"duplicate level id '{level.id}'"))
        level_ids.setdefault(level.id, li)
        for ai, advice in enumerate(level.advice):
            check_source((*lloc, "advice", ai), advice.source.doc)
        if not level.criteria:
            if li > 0:
                problems.append(
                    doc.problem(
                        (*lloc, "criteria"),
                        "only the lowest level (a floor) may have no criteria",
                    )
                )
            continue
        if sum(c.weight for c in level.criteria) <= 0:
            problems.append(doc.problem((*lloc, "criteria"), "the criteria's total weight is zero"))
        used: dict[str, int] = {}
        for ci, criterion in enumerate(level.criteria):
            cloc = (*lloc, "criteria", ci)
            check_source(cloc, criterion.source.doc)
            if criterion.question in used:
                problems.append(
                    doc.problem(
                        (*cloc, "question"),
                        f"question '{criterion.question}' is already used by criterion "
                        f"{used[criterion.question]} of this level",
                    )
                )
            used.setdefault(criterion.question, ci)
            target = questions.get(criterion.question)
            if target is None:
                problems.append(
                    doc.problem(
                        (*cloc, "question"),
                        f"unknown question '{criterion.question}'"
                        f"{did_you_mean(criterion.question, sorted(questions))}",
                    )
                )
                continue
            problems.extend(_check_condition(doc, cloc, criterion, target))
    if len(rubric.levels) == 1 and not rubric.levels[0].criteria:
        problems.append(doc.problem(("levels",), "the ladder has no criteria at all"))
    return problems


def _check_condition(
    doc: YamlDocument, loc: tuple[str | int, ...], criterion: Any, question: Question
) -> list[Problem]:
    at_least, at_most = criterion.at_least, criterion.at_most
    qid = question.id
    if isinstance(question, YesNoQuestion):
        keys = [k for k, v in (("at_least", at_least), ("at_most", at_most)) if v is not None]
        if keys:
            return [
                doc.problem(
                    (*loc, keys[0]),
                    f"'{qid}' is a yes/no question: the criterion needs no threshold "
                    "(yes is required)",
                )
            ]
        return []
    if isinstance(question, ScaleQuestion):
        if at_most is not None:
            return [
                doc.problem((*loc, "at_most"), f"'{qid}' is a scale: use at_least with a label")
            ]
        if at_least is None:
            return [
                doc.problem(
                    loc,
                    f"'{qid}' is a scale: at_least is required "
                    f"(one of {', '.join(question.labels)})",
                )
            ]
        if not isinstance(at_least, str) or at_least not in question.labels:
            shown = at_least if isinstance(at_least, str) else f"{at_least:g}"
            return [
                doc.problem(
                    (*loc, "at_least"),
                    f"'{shown}' is not a label of '{qid}'"
                    f"{did_you_mean(str(shown), question.labels)} "
                    f"(labels: {', '.join(question.labels)})",
                )
            ]
        return []
    # number
    problems: list[Problem] = []
    if (at_least is None) == (at_most is None):
        return [
            doc.problem(
                loc,
                f"'{qid}' is a number: give exactly one of at_least or at_most",
            )
        ]
    key = "at_least" if at_least is not None else "at_most"
    threshold = at_least if at_least is not None else at_most
    if not isinstance(threshold, int | float):
        return [doc.problem((*loc, key), f"'{qid}' is a number: the threshold must be a number")]
    if not math.isfinite(threshold) or not question.min <= threshold <= question.max:
        problems.append(
            doc.problem(
                (*loc, key),
                f"threshold {threshold:g} is outside the range of '{qid}' "
                f"({question.min:g} to {question.max:g} {question.unit})",
            )
        )
    expected = "at_least" if question.better == "higher" else "at_most"
    if key != expected:
        problems.append(
            doc.problem(
                (*loc, key),
                f"for '{qid}' {question.better} is better, so the criterion must use {expected}",
            )
        )
    if criterion.assumption is None:
        problems.append(
            doc.problem(
                loc,
                "a numeric threshold needs an 'assumption' saying where the number comes from "
                "(the sources name metrics but rarely numbers)",
            )
        )
    return problems


# --------------------------------------------------------------------------- answers


def check_answer_values(doc: YamlDocument, questions: Mapping[str, Question]) -> list[Problem]:
    """Check every answer in the raw document against its question (works on any shape)."""
    raw = doc.data.get("answers") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict):
        return []
    problems: list[Problem] = []
    known = sorted(questions)
    for qid, entry in raw.items():
        loc: tuple[str | int, ...] = ("answers", qid)
        question = questions.get(str(qid))
        if question is None:
            problems.append(
                doc.problem(
                    loc, f"unknown question '{qid}'{did_you_mean(str(qid), known)}", at_key=True
                )
            )
            continue
        is_mapping = isinstance(entry, dict)
        _, problem = check_value(entry.get("value") if is_mapping else entry, question)
        if problem:
            problems.append(doc.problem((*loc, "value") if is_mapping else loc, problem))
    return problems


def parse_answers(doc: YamlDocument) -> tuple[ParsedAnswers | None, list[Problem]]:
    """The shape of an answers file: its parsed form, or the located problems."""
    parsed = parse_answers_fast(doc.data)
    if parsed is not None:
        return parsed, []
    model, problems = validate_model(doc, AnswersFile)
    return (ParsedAnswers.of(model) if model is not None else None), problems


def build_answers(
    doc: YamlDocument, parsed: ParsedAnswers, questions: Mapping[str, Question]
) -> Answers | None:
    """The checked answers of a well-shaped file, or None if an answer is not valid.

    On None, :func:`check_answer_values` says what is wrong (this is the fast path of a valid
    file: it stops at the first problem and builds no message).
    """
    lines = doc.key_lines(("answers",))
    known = _CHECKED.get(id(questions))
    if known is None or known[0] is not questions:
        known = _CHECKED[id(questions)] = (questions, {})
    valid = known[1]
    checked: dict[str, Answer] = {}
    for qid, entry in parsed.answers.items():
        value = entry.value
        try:
            key = (qid, type(value), value)
            checked_value = valid[key]
        except KeyError:
            question = questions.get(qid)
            if question is None:
                return None
            checked_value, problem = check_value(value, question)
            if problem is not None:
                return None
            if len(valid) < _CHECKED_MAX:
                valid[key] = checked_value
        except TypeError:  # a list or a mapping: never valid
            return None
        checked[qid] = _answer((checked_value, entry.evidence, entry.notes, lines.get(qid)))
    return Answers(
        source=doc.name,
        company=parsed.company,
        date=parsed.date.isoformat(),
        assessor=parsed.assessor,
        rubric=parsed.rubric,
        answers=checked,
    )


_answer = Answer._make  # from a tuple: a third faster than Answer(...) in the loop above

_CHECKED: dict[int, tuple[Mapping[str, Question], dict[tuple[str, type, Any], AnswerValue]]] = {}
"""Valid answers already checked, by question set and (question id, type, value): answers
repeat a lot across the files of a batch."""
_CHECKED_MAX = 4096
"""Answers remembered per question set (numbers can take many values)."""


def check_value(value: Any, question: Question) -> tuple[AnswerValue, str | None]:
    """The checked answer, or None and what is wrong with it."""
    if value is None:
        return None, None
    if isinstance(value, str) and value.strip().lower() == NOT_APPLICABLE:
        return NA, None
    if isinstance(question, YesNoQuestion):
        if isinstance(value, bool):
            return value, None
        if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
            return value.strip().lower() == "yes", None
        return None, _expected(question, value)
    if isinstance(question, ScaleQuestion):
        if isinstance(value, str) and value in question.labels:
            return value, None
        if isinstance(value, str):
            lowered = {label.lower(): label for label in question.labels}
            if value.strip().lower() in lowered:
                return lowered[value.strip().lower()], None
        hint = did_you_mean(str(value), question.labels) if isinstance(value, str) else ""
        return None, _expected(question, value) + hint
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, _expected(question, value)
    try:
        number = float(value)
    except OverflowError:
        digits = len(str(abs(value)))
        return None, f"must be ≤ {question.max:g} {question.unit}, got a {digits}-digit number"
    if not math.isfinite(number):
        return None, f"must be a finite number, got {_show(value)}"
    if number < question.min:
        return None, f"must be ≥ {question.min:g} {question.unit}, got {number:g}"
    if number > question.max:
        return None, f"must be ≤ {question.max:g} {question.unit}, got {number:g}"
    return number + 0.0, None  # -0.0 is 0 (shown as "0", and the same verdict as 0.0)


def _expected(question: Question, value: Any) -> str:
    return f"expected {describe_allowed(question)} (or n/a), got {_show(value)}"


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def raise_if(problems: Sequence[Problem]) -> None:
    """Raise an :class:`InputError` carrying every problem, if there are any."""
    if problems:
        raise InputError(problems)
