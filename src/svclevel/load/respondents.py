"""Answers heard from several respondents: checked against the file's ``respondents`` and the
questions, then combined into one answer with the signs of disagreement.

A question answered with ``responses`` gets as its value the aggregate of the respondents'
answers (the rubric's ``aggregation``, or ``--aggregation``), or the consultant's
``consensus`` when one is given; :class:`~svclevel.results.Responses` keeps both, with the
distribution and the flags of :mod:`svclevel.agreement`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence

from svclevel import agreement
from svclevel.errors import Problem, did_you_mean
from svclevel.load.yamlfile import YamlDocument
from svclevel.models import (
    Aggregation,
    AnswerEntry,
    AnswersFile,
    AnswerValue,
    NotApplicable,
    Question,
    ScaleQuestion,
    YesNoQuestion,
    is_not_applicable,
)
from svclevel.results import Evidence, Flag, GroupAnswer, Respondent, Response, Responses

NO_NA = (
    "n/a is not a respondent's answer: a question that does not apply is answered with "
    "value: n/a and a justification, for the whole company"
)


def respondents_of(parsed: AnswersFile) -> tuple[Respondent, ...]:
    """The file's respondents as result data."""
    return tuple(Respondent(r.id, r.role, r.group) for r in parsed.respondents)


def check_respondents(
    doc: YamlDocument, parsed: AnswersFile, questions: Mapping[str, Question]
) -> list[Problem]:
    """Every response from a declared respondent, every respondent heard, every response and
    consensus a valid answer to its question (n/a excepted), no evidence dated after the
    assessment."""
    problems: list[Problem] = []
    declared: dict[str, int] = {}
    for i, person in enumerate(parsed.respondents):
        if person.id in declared:
            problems.append(
                doc.problem(
                    ("respondents", i, "id"),
                    f"respondent '{person.id}' is declared twice (first as respondent "
                    f"{declared[person.id] + 1})",
                )
            )
        declared.setdefault(person.id, i)
    heard: set[str] = set()
    for qid, entry in parsed.answers.items():
        if entry.responses is None:
            continue
        loc: tuple[str | int, ...] = ("answers", qid, "responses")
        if not declared:
            problems.append(
                doc.problem(
                    loc,
                    "responses need the respondents declared: add respondents: with an id "
                    "(and a role and group) for each person heard",
                    at_key=True,
                )
            )
            continue
        question = questions.get(qid)
        for rid, response in entry.responses.items():
            heard.add(rid)
            if rid not in declared:
                problems.append(
                    doc.problem(
                        (*loc, rid),
                        f"'{rid}' is not a declared respondent"
                        f"{did_you_mean(rid, list(declared))} (respondents: "
                        f"{', '.join(declared)})",
                        at_key=True,
                    )
                )
            if question is not None:
                raw = doc.data["answers"][qid]["responses"][rid]
                at = (*loc, rid, "value") if isinstance(raw, dict) else (*loc, rid)
                problems += _value_problems(doc, at, question, response.value)
        if question is not None and entry.consensus is not None:
            at = ("answers", qid, "consensus")
            problems += _value_problems(doc, at, question, entry.consensus)
    for rid, i in declared.items():
        if rid not in heard:
            problems.append(
                doc.problem(
                    ("respondents", i, "id"),
                    f"respondent '{rid}' gives no responses: record their answers under "
                    "responses, or leave them out of respondents",
                )
            )
    return problems


def _value_problems(
    doc: YamlDocument, loc: tuple[str | int, ...], question: Question, value: object
) -> list[Problem]:
    if is_not_applicable(value):
        return [doc.problem(loc, NO_NA)]
    _, problem = question.check_answer(value)
    return [] if problem is None else [doc.problem(loc, problem)]


def combine(
    entry: AnswerEntry,
    question: Question,
    respondents: Sequence[Respondent],
    policy: Aggregation,
    *,
    lines: Mapping[str, int],
    evidence: Mapping[str, tuple[Evidence, ...]],
) -> tuple[AnswerValue, Responses] | None:
    """The answer several respondents give (the consensus, else their aggregate) and how they
    gave it; None when a response or the consensus is not a valid answer
    (:func:`check_respondents` says why)."""
    assert entry.responses is not None
    group_of = {r.id: r.group for r in respondents}
    order = {r.id: i for i, r in enumerate(respondents)}
    responses: list[Response] = []
    for rid, given in sorted(entry.responses.items(), key=lambda kv: order.get(kv[0], len(order))):
        if is_not_applicable(given.value):
            return None
        value, problem = question.check_answer(given.value)
        if problem is not None or isinstance(value, NotApplicable):
            return None
        responses.append(
            Response(
                respondent=rid,
                answer=question.describe_answer(value),
                value=value,
                group=group_of.get(rid),
                evidence_items=evidence.get(rid, ()),
                notes=given.notes,
                line=lines.get(rid),
            )
        )
    consensus: AnswerValue = None
    if entry.consensus is not None:
        if is_not_applicable(entry.consensus):
            return None
        consensus, problem = question.check_answer(entry.consensus)
        if problem is not None:
            return None
    values = [r.value for r in responses if r.value is not None]
    aggregate = question.aggregate(values, policy) if values else None
    result = _dispersion(
        question,
        Responses(
            responses=tuple(responses),
            aggregate=question.describe_answer(aggregate),
            method=question.aggregation_words(policy),
            distribution=_distribution(question, values),
            consensus=None if entry.consensus is None else question.describe_answer(consensus),
            consensus_note=entry.consensus_note,
        ),
    )
    return (consensus if entry.consensus is not None else aggregate), result


def _distribution(question: Question, values: Sequence[AnswerValue]) -> tuple[tuple[str, int], ...]:
    """Each answer given and how often, best first."""
    counts = Counter(values)
    ordered: Sequence[AnswerValue]
    if isinstance(question, ScaleQuestion):
        ordered = [label for label in reversed(question.labels) if label in counts]
    elif isinstance(question, YesNoQuestion):
        ordered = [v for v in (True, False) if v in counts]
    else:
        numbers = [v for v in counts if isinstance(v, float)]
        ordered = sorted(numbers, reverse=question.better == "higher")
    return tuple((question.describe_answer(v), counts[v]) for v in ordered)


def _dispersion(question: Question, heard: Responses) -> Responses:
    """``heard`` with its range, deviation, agreement, groups, group gap and flags.

    Groups are compared by their medians whatever the aggregation: the weakest link of each
    group would turn one outlier into a group's view."""
    answered = [r for r in heard.responses if r.value is not None]
    if len(answered) < 2:
        return heard
    flags: list[Flag] = []
    by_group: dict[str, list[AnswerValue]] = {}
    for r in answered:
        if r.group is not None:
            by_group.setdefault(r.group, []).append(r.value)
    groups = tuple(
        GroupAnswer(
            group, question.describe_answer(question.aggregate(values, "median")), len(values)
        )
        for group, values in by_group.items()
    )
    spread = deviation = cutoff = share = gap = None
    if isinstance(question, ScaleQuestion):
        positions = [question.position(r.value) for r in answered]
        spread = max(positions) - min(positions)
        deviation = round(agreement.average_deviation(positions), 4)
        cutoff = round(agreement.deviation_cutoff(len(question.labels)), 4)
        if spread >= agreement.RANGE_STEPS:
            flags.append(Flag.RANGE)
        if deviation > cutoff:
            flags.append(Flag.DEVIATION)
        if len(by_group) >= 2:
            medians = [
                question.position(question.aggregate(values, "median"))
                for values in by_group.values()
            ]
            gap = max(medians) - min(medians)
            if gap >= agreement.GROUP_GAP_STEPS:
                flags.append(Flag.GROUPS)
    elif isinstance(question, YesNoQuestion):
        share = round(agreement.agreement([r.value is True for r in answered]), 4)
        if share < agreement.YES_NO_AGREEMENT:
            flags.append(Flag.AGREEMENT)
    return dataclasses.replace(
        heard,
        range=spread,
        deviation=deviation,
        deviation_cutoff=cutoff,
        agreement=share,
        groups=groups,
        group_gap=gap,
        flags=tuple(flags),
    )
