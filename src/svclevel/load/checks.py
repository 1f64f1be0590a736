"""Turn YAML documents into validated models, with every problem located in its file.

Shape errors come from Pydantic; the cross-checks (a criterion against its question, an
answer against its question) are done here. Every problem of a file is collected before
anything is raised, so the user fixes a file in one pass.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from svclevel.errors import InputError, Problem, did_you_mean
from svclevel.load.respondents import combine, respondents_of
from svclevel.load.yamlfile import YamlDocument, has_child
from svclevel.models import (
    Aggregation,
    AnswersFile,
    AnswerValue,
    Criterion,
    EvidenceItem,
    Level,
    NumberQuestion,
    Question,
    Rubric,
    ScaleQuestion,
    YesNoQuestion,
    is_not_applicable,
    show_value,
)
from svclevel.results import (
    Evidence,
    ExceptionGrant,
    Measured,
    MeasurementNote,
    Respondent,
    Responses,
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Answer:
    """One checked answer from an answers file."""

    value: AnswerValue
    """The answer; None when the question is listed but left blank."""
    evidence: str | None = None
    """What the assessor saw that supports the answer."""
    notes: str | None = None
    """Anything else the assessor wants the reader to know."""
    line: int | None = None
    """Line of the answer in its file, for annotations."""
    justification: str | None = None
    """Why the question does not apply (an n/a answer)."""
    origin: str | None = None
    """``self-reported`` (typed in the answers file) or ``measured`` (taken from a measurement
    file); None when unanswered."""
    measured: Measured | None = None
    """The measurement of this question, when a measurement file has one (used or not)."""
    evidence_items: tuple[Evidence, ...] = ()
    """The evidence item by item, with its dates (``evidence`` is their texts)."""
    responses: Responses | None = None
    """Several respondents' answers, when ``value`` is their aggregate or consensus."""


@dataclass(frozen=True, slots=True)
class Answers:
    """A company's checked answers file."""

    source: str
    """The answers file as the user named it."""
    company: str
    """The company assessed."""
    date: str
    """ISO date of the assessment."""
    assessor: str | None
    """Who made the assessment, if the file says."""
    rubric: str | None
    """The rubric the file names, if it names one."""
    answers: Mapping[str, Answer]
    """The answers, by question id."""
    period: tuple[str, str] | None = None
    """The assessment period (first and last day, ISO), when the file states it."""
    measurement_names: tuple[tuple[str, int | None], ...] = ()
    """The measurement files the answers file names, as written, with the line."""
    measurement_files: tuple[str, ...] = ()
    """The measurement files whose figures were merged in."""
    measurement_notes: tuple[MeasurementNote, ...] = ()
    """What to say about the measurements (discrepancies first come from here)."""
    exception_names: tuple[tuple[str, int | None], ...] = ()
    """The exceptions files the answers file names, as written, with the line."""
    as_of: str | None = None
    """The evaluation date (ISO) when it is not ``date`` (``--as-of``)."""
    exceptions: Mapping[tuple[str, str], ExceptionGrant] = field(default_factory=dict)
    """The exceptions naming criteria of the rubric, by (level id, question id)."""
    exceptions_applied: bool = True
    """False under ``--no-exceptions``."""
    respondents: tuple[Respondent, ...] = ()
    """The people heard, when the file records several people's responses."""
    respondent: Respondent | None = None
    """The one person whose answers the file records (``respondent:``, an interview)."""
    aggregation: Aggregation = "median"
    """How their answers were combined."""
    aggregation_source: str = "default"
    """Where that comes from: ``rubric``, ``--aggregation`` or ``default``."""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How answers are evaluated apart from the rubric: on which day, with which exceptions."""

    as_of: datetime.date | None = None
    """The evaluation date (``--as-of``); None: the answers file's ``date``. Never the clock."""
    exceptions: bool = True
    """Apply the exceptions (False: ``--no-exceptions``, the raw answers)."""
    exception_files: tuple[str, ...] = ()
    """Exceptions files for every answers file (the configuration's, ``--exceptions``)."""
    max_exception_days: int = 365
    """The longest an exception may last, from ``granted`` to ``expires``."""
    aggregation: Aggregation | None = None
    """How several respondents' answers combine (``--aggregation``); None: the rubric's."""


AS_DATED = Evaluation()
"""The default evaluation: on the answers file's date, with its exceptions."""


# --------------------------------------------------------------------------- pydantic errors


def pydantic_message(error: Mapping[str, Any]) -> str:
    """A Pydantic error in the house style: what is expected, and what was found; a validator's
    own message as it wrote it (never Pydantic's "Value error, " wording around it)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = show_value(error.get("input"))
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
        loc = [str(part) for part in error.get("loc", ())]
        person = {"respondent", "respondents"} & set(loc)
        example = ("frontline" if loc[-1:] == ["group"] else "cx-lead") if person else "my-rubric"
        return f"expected lowercase letters, digits, '-' or '_' (e.g. '{example}'), got {got}"
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
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return f"expected {ctx['expected']}, got {got}"
    msg = str(error["msg"])
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
                msg = unknown_key(str(loc[-1]), _allowed_keys(model, doc, loc[:-1]))
            else:
                msg = pydantic_message(error)
            problems.append(doc.problem(loc, msg, at_key=error["type"] == "extra_forbidden"))
        return None, _dedupe(problems)


def unknown_key(key: str, allowed: Sequence[str]) -> str:
    """The message for a key a model does not have: the nearest allowed one, and all of them."""
    listed = f" (allowed: {', '.join(allowed)})" if allowed else ""
    return f"unknown key '{key}'{did_you_mean(key, allowed)}{listed}"


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
        elif (part == 0 and isinstance(node, str | dict)) or (
            part == "text" and isinstance(node, str)
        ):
            continue  # one item written without its list (evidence: a text, or a mapping)
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

    def check_source(loc: tuple[str | int, ...], ref_doc: str, key: str = "source") -> None:
        if ref_doc not in source_ids:
            problems.append(
                doc.problem(
                    (*loc, key, "doc"),
                    f"unknown source '{ref_doc}'{did_you_mean(ref_doc, source_ids)} "
                    f"(the rubric's sources: {', '.join(source_ids)})",
                )
            )

    for index, advice in enumerate(rubric.advice):
        check_source(("advice", index), advice.source.doc)
    for qid in rubric.evidence_policy.questions:
        if qid not in questions:
            problems.append(
                doc.problem(
                    ("evidence_policy", "questions", qid),
                    f"unknown question '{qid}'{did_you_mean(qid, sorted(questions))}",
                    at_key=True,
                )
            )

    level_ids: dict[str, int] = {}
    for li, level in enumerate(rubric.levels):
        lloc: tuple[str | int, ...] = ("levels", li)
        if level.id in level_ids:
            problems.append(doc.problem((*lloc, "id"), f"duplicate level id '{level.id}'"))
        level_ids.setdefault(level.id, li)
        for ai, advice in enumerate(level.advice):
            check_source((*lloc, "advice", ai), advice.source.doc)
        for ai, example in enumerate(level.calibration):
            check_source((*lloc, "calibration", ai), example.source.doc)
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
            if criterion.benchmark is not None:
                check_source(cloc, criterion.benchmark.doc, "benchmark")
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
    doc: YamlDocument, loc: tuple[str | int, ...], criterion: Criterion, question: Question
) -> list[Problem]:
    return [
        doc.problem(loc if key is None else (*loc, key), message)
        for key, message in question.condition_problems(criterion)
    ]


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
        _, problem = question.check_answer(entry.get("value") if is_mapping else entry)
        if problem:
            problems.append(doc.problem((*loc, "value") if is_mapping else loc, problem))
    return problems


def parse_answers(doc: YamlDocument) -> tuple[AnswersFile | None, list[Problem]]:
    """The shape of an answers file: the validated model, or the located problems."""
    return validate_model(doc, AnswersFile)


def build_answers(
    doc: YamlDocument,
    parsed: AnswersFile,
    questions: Mapping[str, Question],
    aggregation: Aggregation = "median",
) -> Answers | None:
    """The checked answers of a well-shaped file, or None if an answer is not valid.

    On None, :func:`check_answer_values` and
    :func:`~svclevel.load.respondents.check_respondents` say what is wrong, with every problem
    located. Answers heard from several respondents are combined by ``aggregation``.
    """
    lines = doc.key_lines(("answers",))
    checked: dict[str, Answer] = {}
    respondents = respondents_of(parsed)
    for qid, entry in parsed.answers.items():
        question = questions.get(qid)
        if question is None:
            return None
        items = evidence_of(entry.evidence)
        heard = None
        if entry.responses is not None:
            theirs = {rid: evidence_of(r.evidence) for rid, r in entry.responses.items()}
            combined = combine(
                entry,
                question,
                respondents,
                aggregation,
                lines=doc.key_lines(("answers", qid, "responses")),
                evidence=theirs,
            )
            if combined is None:
                return None
            value, heard = combined
            items = (*items, *(e for r in heard.responses for e in r.evidence_items))
        else:
            value, problem = question.check_answer(entry.value)
            if problem is not None:
                return None
        checked[qid] = Answer(
            value,
            "; ".join(e.text for e in items) or None,
            entry.notes,
            lines.get(qid),
            entry.justification,
            origin=None if value is None else "self-reported",
            evidence_items=items,
            responses=heard,
        )
    period = parsed.period
    return Answers(
        source=doc.name,
        company=parsed.company,
        date=parsed.date.isoformat(),
        assessor=parsed.assessor,
        rubric=parsed.rubric,
        answers=checked,
        period=None if period is None else (period.start.isoformat(), period.end.isoformat()),
        measurement_names=_named(doc, "measurements", parsed.measurements),
        exception_names=_named(doc, "exceptions", parsed.exceptions),
        respondents=respondents,
        aggregation=aggregation,
        respondent=None
        if parsed.respondent is None
        else Respondent(parsed.respondent.id, parsed.respondent.role, parsed.respondent.group),
    )


def _named(doc: YamlDocument, key: str, names: Sequence[str]) -> tuple[tuple[str, int | None], ...]:
    """The files a header key lists, each with its line."""
    lines_of = [doc.locate((key, i))[1] for i in range(len(names))]
    return tuple(
        (name, None if where is None else where.line)
        for name, where in zip(names, lines_of, strict=True)
    )


def evidence_of(items: Sequence[EvidenceItem] | None) -> tuple[Evidence, ...]:
    """The evidence of an answers-file entry as result data."""
    return tuple(
        Evidence(
            text=item.text,
            as_of=_iso(item.as_of),
            period=None
            if item.period is None
            else (item.period.start.isoformat(), item.period.end.isoformat()),
            source=item.source,
            sha256=item.sha256,
            collected=_iso(item.collected),
            reviewer=item.reviewer,
            valid_until=_iso(item.valid_until),
        )
        for item in items or ()
    )


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def evidence_loc(
    doc: YamlDocument, qid: str, index: int, respondent: str | None = None
) -> tuple[str | int, ...]:
    """Where evidence item ``index`` of the answer to ``qid`` (or of ``respondent``'s response
    to it) is: in its list, or the one item written without a list."""
    at: tuple[str | int, ...] = ("answers", qid)
    if respondent is not None:
        at = (*at, "responses", respondent)
    raw = doc.data
    for part in at:
        raw = raw[part]
    listed = isinstance(raw, dict) and isinstance(raw.get("evidence"), list)
    return (*at, "evidence", *((index,) if listed else ()))


def all_evidence(
    doc: YamlDocument, parsed: AnswersFile
) -> Iterator[tuple[tuple[str | int, ...], EvidenceItem]]:
    """Every evidence item of the file with its location: the answers' and the responses'."""
    for qid, entry in parsed.answers.items():
        for i, item in enumerate(entry.evidence or ()):
            yield evidence_loc(doc, qid, i), item
        for rid, response in (entry.responses or {}).items():
            for i, item in enumerate(response.evidence or ()):
                yield evidence_loc(doc, qid, i, rid), item


def check_evidence_dates(doc: YamlDocument, parsed: AnswersFile) -> list[Problem]:
    """Evidence may not describe, or be collected on, a day after the assessment's date."""
    problems = []
    for at, item in all_evidence(doc, parsed):
        period_end = None if item.period is None else item.period.end
        for key, day in (
            ("as_of", item.as_of),
            ("collected", item.collected),
            ("period", period_end),
        ):
            if day is None or day <= parsed.date:
                continue
            what = (
                f"the period ends on {day}, after the assessment's date"
                if key == "period"
                else f"{key} ({day}) is after the assessment's date"
            )
            problems.append(
                doc.problem(
                    (*at, key) if key != "period" else (*at, "period", "to"),
                    f"{what} ({parsed.date}): evidence cannot describe a day not yet past",
                )
            )
    return problems


def check_not_applicable(doc: YamlDocument, rubric: Rubric) -> list[Problem]:
    """n/a only where the rubric accepts it, and then with a justification (works on any
    shape, so that it is reported with the file's other problems).

    An n/a leaves a criterion out of its level's score; a rubric that does not say when that
    is fair would let n/a dodge what it asks."""
    raw = doc.data.get("answers") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict):
        return []
    criteria: dict[str, list[tuple[Level, Criterion]]] = {}
    for level in rubric.levels:
        for criterion in level.criteria:
            criteria.setdefault(criterion.question, []).append((level, criterion))
    problems: list[Problem] = []
    for qid, entry in raw.items():
        value = entry.get("value") if isinstance(entry, dict) else entry
        uses = criteria.get(str(qid))
        if not uses or not is_not_applicable(value):
            continue
        loc: tuple[str | int, ...] = ("answers", qid)
        if isinstance(entry, dict):
            loc = (*loc, "value")
        refused = [(level, c) for level, c in uses if c.allow_na is None]
        if refused:
            names = ", ".join(
                level.name + (" (required)" if c.required else "") for level, c in refused
            )
            problems.append(
                doc.problem(
                    loc,
                    f"n/a is not an answer rubric {rubric.id} accepts here: the question "
                    f"decides {names}; answer it, or leave it blank until it is known",
                )
            )
        elif not (isinstance(entry, dict) and entry.get("justification")):
            when = "; ".join(dict.fromkeys(str(c.allow_na).rstrip(".") for _, c in uses))
            problems.append(
                doc.problem(
                    loc,
                    f"n/a needs a justification (rubric {rubric.id} accepts n/a here when: "
                    f"{when}); give the answer as a mapping with value: n/a and "
                    "justification: ...",
                )
            )
    return problems


def raise_if(problems: Sequence[Problem]) -> None:
    """Raise an :class:`InputError` carrying every problem, if there are any."""
    if problems:
        raise InputError(problems)
