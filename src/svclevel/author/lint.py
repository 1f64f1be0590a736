"""``svclevel validate``: check rubrics and answers files, lint rubrics, run their self-tests.

Pure: returns problems, prints nothing. Errors make a file unusable; lint findings (warnings)
point at things a rubric author almost certainly did not mean.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from svclevel.engine.facade import assess, choose_rubric
from svclevel.engine.score import score
from svclevel.errors import InputError, Problem, SvclevelError
from svclevel.load.checks import (
    Answer,
    Answers,
    check_answer_values,
    check_question_ids,
    validate_model,
)
from svclevel.load.rubrics import (
    LoadedRubric,
    Reach,
    answers_document,
    check_answers_for,
    validate_rubric_document,
)
from svclevel.load.yamlfile import STDIN, YamlDocument, display_name, load_yaml_file
from svclevel.models import QuestionBank, is_not_applicable
from svclevel.results import Assessment, Evidence, Status

Kind = Literal["rubric", "answers", "questions", "measurements", "exceptions"]
T = TypeVar("T")


@dataclass(frozen=True)
class Report:
    """What ``validate`` found in one file."""

    file: str
    kind: Kind | None
    """What the file was taken for; None when it could not be read."""
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    rubric: LoadedRubric | None = None
    """The rubric, when the file is a valid one."""


def detect(doc: YamlDocument) -> Kind | None:
    """Rubric, answers file or question bank, from the keys at the top."""
    data = doc.data
    if not isinstance(data, dict):
        return None
    if "levels" in data or "extends" in data:  # an extending rubric may change no level
        return "rubric"
    if "answers" in data or "company" in data:
        return "answers"
    if "questions" in data:
        return "questions"
    if "svclevel_measurements" in data:
        return "measurements"
    if "svclevel_exceptions" in data:
        return "exceptions"
    return None


def validate_file(
    path: Path,
    *,
    rubric: str | None = None,
    rubric_dirs: Sequence[str] = (),
    default_rubric: str | None = None,
    allow_paths: Sequence[str] = (),
    max_exception_days: int = 365,
) -> Report:
    """Validate one file of any kind (``-``: standard input); answers files are checked
    against ``rubric`` (else the rubric they name, looked up in ``rubric_dirs`` too), an
    exceptions file with the longest span ``max_exception_days``."""
    name = display_name(path)
    try:
        doc = load_yaml_file(path)
    except InputError as exc:
        return Report(name, None, exc.problems, ())
    kind = detect(doc)
    if kind is None:
        problem = doc.problem(
            (),
            "cannot tell what this file is: a rubric has 'levels' (or 'extends'), an answers "
            "file has 'company' and 'answers', a question bank has 'questions', a measurement "
            "file has 'svclevel_measurements', an exceptions file 'svclevel_exceptions'",
        )
        return Report(name, None, (problem,), ())
    if kind == "measurements":
        from svclevel.measure.file import MeasurementFile

        _, problems = validate_model(doc, MeasurementFile)
        return Report(name, kind, tuple(problems), ())
    if kind == "exceptions":
        errors, notes = _check_exceptions(doc, max_days=max_exception_days)
        return Report(name, kind, tuple(errors), tuple(notes))
    if kind == "questions":
        bank, problems = validate_model(doc, QuestionBank)
        if bank is not None:
            problems = check_question_ids(doc, bank.questions, ("questions",))
        return Report(name, kind, tuple(problems), ())
    if kind == "rubric":
        try:
            loaded = validate_rubric_document(
                doc, name, folder=path.parent, reach=Reach.of(rubric_dirs, allow_paths)
            )
        except InputError as exc:
            return Report(name, kind, exc.problems, ())
        located = loaded.located or doc
        # Self-tests are the file's own (never inherited): located in the file as written.
        errors = self_test_failures(doc, loaded)
        return Report(name, kind, tuple(errors), tuple(lint_rubric(located, loaded)), loaded)
    problems = _answers_problems(
        doc, path, rubric, rubric_dirs, default_rubric, allow_paths=allow_paths
    )
    names_rubric = rubric is not None or default_rubric is not None
    digests: tuple[list[Problem], list[Problem]] = ([], [])
    if not problems:
        digests = _evidence_digests(doc, path, allow_paths)
    warnings = list(digests[1])
    if not names_rubric and isinstance(doc.data, dict) and doc.data.get("rubric") is None:
        warnings += _unchecked_not_applicable(doc)
    return Report(name, kind, (*problems, *digests[0]), tuple(warnings))


_URL_SCHEMES = ("http://", "https://")


def _evidence_digests(
    doc: YamlDocument, path: Path, allow_paths: Sequence[str]
) -> tuple[list[Problem], list[Problem]]:
    """Each evidence item with a ``source`` file and a ``sha256``, checked against the file:
    errors for a digest that does not match and for a source outside the folders svclevel
    reads from (or not a regular file); warnings for a source that is not there."""
    import hashlib

    from svclevel.load.checks import all_evidence, parse_answers
    from svclevel.load.rubrics import Reach, check_named_file

    parsed, _ = parse_answers(doc)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if parsed is None or str(path) == STDIN:
        return errors, warnings
    folder = path.parent
    reach = Reach.of((), allow_paths)
    for at, item in all_evidence(doc, parsed):
        if item.source is None or item.sha256 is None or item.source.startswith(_URL_SCHEMES):
            continue
        source = folder / item.source
        try:
            check_named_file(source, item.source, folder, reach, what="evidence source")
        except SvclevelError as exc:
            if not source.exists() and "no such file" in str(exc):
                warnings.append(
                    doc.problem((*at, "source"), f"{item.source}: not found; sha256 not checked")
                )
            else:
                errors.append(doc.problem((*at, "source"), str(exc)))
            continue
        digest = hashlib.sha256()
        with source.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != item.sha256:
            errors.append(
                doc.problem(
                    (*at, "sha256"),
                    f"does not match {item.source} (its SHA-256 is {digest.hexdigest()}): "
                    "the file changed since the evidence was recorded",
                )
            )
    return errors, warnings


def _check_exceptions(
    doc: YamlDocument, *, max_days: int = 365
) -> tuple[list[Problem], list[Problem]]:
    """What ``svclevel validate`` finds in an exceptions file: its shape, each exception's span,
    and that each names a criterion of a built-in rubric or a question of the bank (a criterion
    of another rubric is checked when an assessment on that rubric reads the file)."""
    from svclevel.load.exceptions import records_of, resolve
    from svclevel.load.rubrics import builtin_rubric_ids, ladder_of, load_bank, load_rubric

    try:
        records = records_of(doc, max_days=max_days)
    except InputError as exc:
        return list(exc.problems), []
    builtin = {r: ladder_of(load_rubric(r)) for r in builtin_rubric_ids()}
    checked = [
        r
        for r in records
        if "/" not in r.entry.criterion or r.entry.criterion.split("/")[0] in builtin
    ]
    problems: list[Problem] = []
    for rubric_id, ladder in builtin.items():  # each criterion once per rubric, as assess does
        try:
            resolve(
                checked,
                rubric_id=rubric_id,
                levels=ladder,
                known_rubrics=builtin,
                known_questions=frozenset(load_bank()),
                company=None,
                on=datetime.date.min,
            )
        except InputError as exc:
            problems += [p for p in exc.problems if p not in problems]
    notes = [
        r.problem(
            "criterion",
            f"rubric '{r.entry.criterion.split('/')[0]}' is not a built-in rubric: "
            "its criterion is checked when an assessment on that rubric reads this file",
        )
        for r in records
        if r not in checked
    ]
    return problems, notes


def rubrics_validated(
    items: Iterable[Path | T | Problem],
    *,
    rubric_dirs: Sequence[str] = (),
    allow_paths: Sequence[str] = (),
    note: Callable[[str], None],
) -> Iterator[Path | T | Problem]:
    """``items`` without the rubrics and question banks named among them, each validated
    instead: a valid one is left out with a ``note``, an invalid one becomes its first problem
    (saying how many more ``svclevel validate`` shows). Files found in folders (not a
    :class:`~pathlib.Path`) pass through: assessing skips the rubrics among them.

    For hooks, which are given every changed YAML file, whatever it is."""
    for item in items:
        if not isinstance(item, Path) or str(item) == STDIN:
            yield item
            continue
        try:
            kind = detect(load_yaml_file(item))
        except InputError:
            yield item  # assessing it says what is wrong
            continue
        if kind not in ("rubric", "questions"):
            yield item
            continue
        report = validate_file(item, rubric_dirs=rubric_dirs, allow_paths=allow_paths)
        if report.errors:
            first, more = report.errors[0], len(report.errors) - 1
            if more:
                first = first._replace(
                    message=f"{first.message} (and {more} more: svclevel validate {report.file})"
                )
            yield first
            continue
        note(_valid_note(report))


def _valid_note(report: Report) -> str:
    """``audits/retail.yaml: rubric retail-four-level, valid, 2 self-tests pass; not assessed``"""
    if report.rubric is None:
        return f"{report.file}: a question bank, valid; not assessed"
    parts = [f"rubric {report.rubric.id}", "valid"]
    tests = len(report.rubric.rubric.self_tests)
    if tests:
        parts.append(f"{tests} self-test{'s' if tests != 1 else ''} pass")
    warnings = len(report.warnings)
    if warnings:
        parts.append(
            f"{warnings} lint warning{'s' if warnings != 1 else ''} "
            f"(svclevel validate {report.file})"
        )
    return f"{report.file}: {', '.join(parts)}; not assessed"


def _answers_problems(
    doc: YamlDocument,
    path: Path,
    rubric: str | None,
    rubric_dirs: Sequence[str],
    default_rubric: str | None,
    *,
    allow_paths: Sequence[str] = (),
) -> list[Problem]:
    try:
        document = answers_document(doc)
        if rubric is None and document.default_rubric is None and default_rubric is None:
            from svclevel.load.rubrics import load_bank

            questions = load_bank()
            return [
                *document.shape_problems,
                *check_answer_values(document.doc, questions),
            ]
        loaded, _ = choose_rubric(
            document,
            path,
            rubric=rubric,
            default_rubric=default_rubric,
            rubric_dirs=rubric_dirs,
            allow_paths=allow_paths,
        )
        check_answers_for(document, loaded)
    except InputError as exc:
        return list(exc.problems)
    except SvclevelError as exc:
        return [Problem(doc.name, None, None, "", str(exc))]
    return []


def _unchecked_not_applicable(doc: YamlDocument) -> list[Problem]:
    """A warning per n/a answer of a file that names no rubric: only a rubric says where n/a
    is accepted."""
    raw = doc.data.get("answers") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict):
        return []
    return [
        doc.problem(
            ("answers", qid),
            "n/a is accepted only where a rubric says so, and this file names no rubric: "
            "check it with --rubric",
        )
        for qid, entry in raw.items()
        if is_not_applicable(entry.get("value") if isinstance(entry, dict) else entry)
    ]


def lint_rubric(doc: YamlDocument, loaded: LoadedRubric) -> list[Problem]:
    """Things a rubric author almost certainly did not mean (the rubric is otherwise valid)."""
    rubric = loaded.rubric
    findings: list[Problem] = []
    used = {c.question for level in rubric.levels for c in level.criteria}
    for index, question in enumerate(rubric.questions):
        if question.id not in used:
            findings.append(
                doc.problem(("questions", index, "id"), f"question '{question.id}' is never used")
            )
    for li, level in enumerate(rubric.levels):
        if level.criteria and not level.advice:
            findings.append(
                doc.problem(("levels", li), f"level '{level.id}' has no advice for reaching it")
            )
        for ci, criterion in enumerate(level.criteria):
            question = loaded.questions[criterion.question]
            if question.never_fails(criterion):
                findings.append(
                    doc.problem(
                        ("levels", li, "criteria", ci),
                        f"criterion on '{criterion.question}' can never fail: every answer "
                        "meets it",
                    )
                )
    best = _best_answers(loaded)
    assessment = score(loaded, best)
    for li, result in enumerate(assessment.levels):
        if not result.met:
            findings.append(
                doc.problem(
                    ("levels", li),
                    f"level '{result.id}' can never be reached: even the best answers miss it",
                )
            )
    return findings


def _best_answers(loaded: LoadedRubric) -> Answers:
    # With evidence of the day: a rubric that requires it, or current evidence, must be
    # reachable by answers that give it.
    evidence = (Evidence("the best answer", as_of="2000-01-01"),)
    values = {
        qid: Answer(q.best_answer(), evidence="the best answer", evidence_items=evidence)
        for qid, q in loaded.questions.items()
    }
    return Answers("lint", "lint", "2000-01-01", None, None, values)


def self_test_failures(doc: YamlDocument, loaded: LoadedRubric) -> list[Problem]:
    """Run the rubric's self-tests; a failure, at the self-test, names the expected and the
    actual level and the criteria that decided the actual one."""
    failures: list[Problem] = []
    level_ids = [lv.id for lv in loaded.rubric.levels]
    for index, test in enumerate(loaded.rubric.self_tests):
        loc: tuple[str | int, ...] = ("self_tests", index)
        if test.level is not None and test.level not in level_ids:
            failures.append(
                doc.problem((*loc, "level"), f"'{test.level}' is not a level of this rubric")
            )
            continue
        try:
            a = assess(
                {"company": test.name, "date": "2000-01-01", "answers": test.answers}, loaded
            )
        except InputError as exc:
            failures += [
                doc.problem((*loc, "answers", *_tail(p.path)), p.message) for p in exc.problems
            ]
            continue
        actual = a.level.id if a.level else None
        if actual != test.level:
            failures.append(doc.problem(loc, _self_test_failure(test.name, test.level, a)))
    return failures


def _self_test_failure(name: str, expected: str | None, a: Assessment) -> str:
    """Why a self-test gave another level: the criteria of the level that decided it (the
    first level above the actual one, not met; or the first above the expected one, met)."""
    want = next((lv.index for lv in a.levels if lv.id == expected), 0)
    want_text = f"level '{expected}'" if expected else "it below the ladder"
    got_text = f"gives level '{a.level.id}'" if a.level else "places it below the ladder"
    if want > a.attained:
        decider = a.levels[a.attained]
        criteria = [c for c in decider.criteria if c.is_gap]
        verdict = "not met"
    else:
        decider = a.levels[want]
        criteria = [c for c in decider.criteria if c.status is Status.MET]
        verdict = "met"
    because = "; ".join(
        f"{c.question_id} is unanswered"
        if c.status is Status.UNANSWERED
        else f"{c.question_id} is {c.answer}, needs {c.needed}{' (required)' if c.required else ''}"
        for c in criteria
    )
    if not because:  # met or missed on the pass mark alone
        because = f"{decider.met_weight:g} of {decider.applicable_weight:g} weight met"
    return (
        f"self-test '{name}' expected {want_text}, but the rubric {got_text}: level "
        f"'{decider.id}' is {verdict}: {because}"
    )


def _tail(path: str) -> list[str]:
    # 'answers.csat_pct' -> ['csat_pct']
    return path.split(".")[1:]
