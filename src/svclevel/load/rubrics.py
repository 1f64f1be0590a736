"""Load the question bank, rubrics (built-in or from a path) and answers files.

The built-in rubrics live in the top-level ``rubrics/`` folder of the repository, which the
wheel ships as ``svclevel/rubrics``; they are found through :mod:`importlib.resources`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from svclevel.errors import InputError, Problem, UsageError, did_you_mean
from svclevel.load.checks import (
    Answers,
    build_answers,
    check_answer_values,
    check_question_ids,
    check_rubric,
    parse_answers,
    raise_if,
    validate_model,
)
from svclevel.load.yamlfile import YamlDocument, gc_paused, load_yaml_file, parse_yaml
from svclevel.models import AnswersFile, Question, QuestionBank, Rubric

if TYPE_CHECKING:
    from svclevel.load.ladder import ScoringPlan

QUESTIONS_FILE = "questions.yaml"


@dataclass(frozen=True)
class LoadedRubric:
    """A validated rubric together with every question it can use."""

    rubric: Rubric
    questions: dict[str, Question]
    """The shared bank plus the rubric's own questions, by id."""
    origin: str
    """Where it came from: ``built-in`` or the path the user gave."""
    located: YamlDocument | None = field(default=None, compare=False, repr=False)
    """For a rubric that extends another: its file, answering for locations in the merged
    rubric (lints use it to point at the right line)."""
    read_from: tuple[tuple[str, tuple[int, int]], ...] = field(
        default=(), compare=False, repr=False
    )
    """The files it was built from (its own, then those it extends) with the modification
    stamp each had: a file that changed since means the rubric must be read again."""

    @property
    def id(self) -> str:
        """The rubric's id."""
        return self.rubric.id

    @property
    def title(self) -> str:
        """The rubric's title."""
        return self.rubric.title

    @functools.cached_property
    def scoring_plan(self) -> ScoringPlan:
        """What scoring needs that does not depend on the answers, worked out once."""
        from svclevel.load.ladder import plan_scoring

        return plan_scoring(self.rubric, self.questions)


def rubrics_dir() -> Traversable:
    """The folder of built-in rubrics: inside the installed package, or the source checkout."""
    packaged = resources.files("svclevel").joinpath("rubrics")
    if packaged.is_dir():
        return packaged
    # An editable install of a source checkout: the rubrics sit at the repository's top level.
    checkout = Path(__file__).resolve().parents[3] / "rubrics"
    if checkout.is_dir():
        return checkout
    raise RuntimeError("svclevel is installed without its rubrics folder")  # pragma: no cover


def _read_builtin(name: str) -> str:
    return rubrics_dir().joinpath(name).read_text(encoding="utf-8")


@functools.cache
def load_bank() -> dict[str, Question]:
    """The shared question bank, validated once per process."""
    name = f"rubrics/{QUESTIONS_FILE}"
    doc = parse_yaml(_read_builtin(QUESTIONS_FILE), name)
    bank, problems = validate_model(doc, QuestionBank)
    if bank is not None:
        problems = check_question_ids(doc, bank.questions, ("questions",))
    raise_if(problems)
    assert bank is not None
    return {q.id: q for q in bank.questions}


@functools.cache
def builtin_rubric_ids() -> tuple[str, ...]:
    """Ids of the built-in rubrics (their file names), sorted."""
    names = [
        entry.name.removesuffix(".yaml")
        for entry in rubrics_dir().iterdir()
        if entry.name.endswith(".yaml") and entry.name != QUESTIONS_FILE
    ]
    return tuple(sorted(names))


@functools.cache
def _load_builtin(rubric_id: str) -> LoadedRubric:
    name = f"rubrics/{rubric_id}.yaml"
    return _validate_rubric(parse_yaml(_read_builtin(f"{rubric_id}.yaml"), name), "built-in")


def validate_rubric_document(
    doc: YamlDocument, origin: str, *, folder: Path | None = None, chain: tuple[str, ...] = ()
) -> LoadedRubric:
    """Validate a parsed rubric document against the models and the question bank.

    A rubric that ``extends`` another is merged with it first (``folder`` resolves a relative
    ``extends``; ``chain`` holds the files being resolved, to refuse cycles).
    """
    return _validate_rubric(doc, origin, folder=folder, chain=chain)


def _validate_rubric(
    doc: YamlDocument, origin: str, *, folder: Path | None = None, chain: tuple[str, ...] = ()
) -> LoadedRubric:
    with gc_paused():
        return _validate_rubric_now(doc, origin, folder=folder, chain=chain)


def _validate_rubric_now(
    doc: YamlDocument, origin: str, *, folder: Path | None, chain: tuple[str, ...]
) -> LoadedRubric:
    if isinstance(doc.data, dict) and "extends" in doc.data:
        return _validate_extension(doc, origin, folder=folder, chain=chain)
    rubric, problems = validate_model(doc, Rubric)
    if rubric is None:
        raise InputError(problems)
    bank = load_bank()
    raise_if(check_rubric(doc, rubric, bank))
    return LoadedRubric(
        rubric=rubric,
        questions={**bank, **{q.id: q for q in rubric.questions}},
        origin=origin,
    )


def _validate_extension(
    doc: YamlDocument, origin: str, *, folder: Path | None, chain: tuple[str, ...]
) -> LoadedRubric:
    from svclevel.load.extends import merge
    from svclevel.models import RubricExtension

    extension, problems = validate_model(doc, RubricExtension)
    if extension is None:
        raise InputError(problems)
    try:
        base = load_rubric(extension.extends, base=folder, _chain=chain)
    except UsageError as exc:
        raise InputError([doc.problem(("extends",), str(exc))]) from None
    except InputError as exc:
        if any("extends cycle" in p.message for p in exc.problems):
            raise
        raise InputError(
            [doc.problem(("extends",), f"the extended rubric is invalid: {exc.problems[0]}")]
        ) from None
    merged, located, problems = merge(doc, extension, base.rubric)
    if merged is None:
        raise InputError(problems)
    bank = load_bank()
    raise_if(check_rubric(located, merged, bank))
    return LoadedRubric(
        rubric=merged,
        questions={**bank, **{q.id: q for q in merged.questions}},
        origin=origin,
        located=located,
        read_from=base.read_from,
    )


def load_rubric(
    ref: str,
    *,
    base: Path | None = None,
    rubric_dirs: Sequence[str | Path] = (),
    _chain: tuple[str, ...] = (),
) -> LoadedRubric:
    """Load a rubric named by a built-in id, an id found in ``rubric_dirs``, or a path.

    ``base`` is the folder relative paths are resolved against (the answers file's folder when
    the rubric is named inside an answers file). Files are read once per process and again
    only when they change.
    """
    if ref in builtin_rubric_ids():
        return _load_builtin(ref)
    looks_like_path = ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref
    path = Path(ref)
    if base is not None and not path.is_absolute() and (base / path).exists():
        path = base / path  # relative to the answers file, wherever svclevel runs from
    if looks_like_path or path.exists():
        return _load_rubric_file(path, ref, _chain)
    for folder in rubric_dirs:
        for suffix in (".yaml", ".yml"):
            candidate = Path(folder) / f"{ref}{suffix}"
            if candidate.is_file():
                return _load_rubric_file(candidate, str(candidate), _chain)
    known = [*builtin_rubric_ids(), *_ids_in(rubric_dirs)]
    where = "; rubric folders: " + ", ".join(map(str, rubric_dirs)) if rubric_dirs else ""
    raise UsageError(
        f"unknown rubric '{ref}'{did_you_mean(ref, known)} "
        f"(built-in: {', '.join(builtin_rubric_ids())}{where}; or give a path to a rubric file)"
    )


def rubric_ids_in(folders: Sequence[str | Path]) -> list[str]:
    """The ids of the rubrics in ``folders`` (their file names), sorted, each once; a built-in
    id found there is left out (the built-in rubric is the one an id names)."""
    builtin = set(builtin_rubric_ids())
    return sorted({i for i in _ids_in(folders) if i not in builtin})


def _ids_in(folders: Sequence[str | Path]) -> list[str]:
    ids = []
    for folder in folders:
        with contextlib.suppress(OSError):
            ids += [p.stem for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml")]
    return ids


_FILE_CACHE: dict[tuple[str, str], LoadedRubric] = {}
"""Rubric files already validated in this process (a batch names the same few again and again),
each kept while none of the files it was built from has changed."""
_FILE_CACHE_MAX = 64


def _stamp(path: str | Path) -> tuple[int, int]:
    try:
        stat = Path(path).stat()
    except OSError:
        return (0, 0)  # the read reports the OS error
    return (stat.st_mtime_ns, stat.st_size)


def _load_rubric_file(path: Path, shown: str, chain: tuple[str, ...] = ()) -> LoadedRubric:
    key_path = str(path.resolve()) if path.exists() else str(path)
    if key_path in chain:
        cycle = " → ".join([*chain[chain.index(key_path) :], key_path])
        raise InputError([Problem(shown, None, None, "extends", f"extends cycle: {cycle}")])
    key = (key_path, shown)
    cached = _FILE_CACHE.get(key)
    if cached is not None and all(
        stamp != (0, 0) and _stamp(file) == stamp for file, stamp in cached.read_from
    ):
        return cached
    stamp = _stamp(path)
    doc = load_yaml_file(path, shown)
    if isinstance(doc.data, dict) and not {"levels", "id", "extends"} & doc.data.keys():
        what = (
            "an answers file"
            if "company" in doc.data or "answers" in doc.data
            else "a question bank"
            if "questions" in doc.data
            else None
        )
        if what is not None:  # not a rubric at all: say so, not every key a rubric lacks
            message = f"this is {what}, not a rubric (a rubric has `levels:`)"
            raise InputError([Problem(shown, None, None, "", message)])
    loaded = _validate_rubric(doc, shown, folder=path.parent, chain=(*chain, key_path))
    loaded = dataclasses.replace(loaded, read_from=((key_path, stamp), *loaded.read_from))
    _FILE_CACHE.pop(key, None)
    if len(_FILE_CACHE) >= _FILE_CACHE_MAX:
        del _FILE_CACHE[next(iter(_FILE_CACHE))]
    _FILE_CACHE[key] = loaded
    return loaded


def load_all_builtin() -> list[LoadedRubric]:
    """Every built-in rubric, in id order."""
    return [_load_builtin(rid) for rid in builtin_rubric_ids()]


@dataclass(frozen=True, slots=True)
class AnswersDocument:
    """An answers file read from disk, its shape checked but not yet its answers."""

    doc: YamlDocument
    """The file as read."""
    parsed: AnswersFile | None
    """The validated header and entries; None when the shape is wrong."""
    shape_problems: tuple[Problem, ...]
    """What is wrong with the shape (reported together with the answers' own problems)."""

    @property
    def default_rubric(self) -> str | None:
        """The rubric the file names with ``rubric:``, if it names one as text."""
        value = self.doc.data.get("rubric") if isinstance(self.doc.data, dict) else None
        return value if isinstance(value, str) else None


class NotAnswersError(InputError):
    """The file is a rubric or a question bank, not an answers file (one problem, naming it).

    Callers that walk folders catch it before :class:`InputError` to skip such files."""


def known_questions(rubrics: Sequence[LoadedRubric]) -> dict[str, Question]:
    """Every question one of ``rubrics`` can use (the first rubric's definition of an id wins)."""
    known: dict[str, Question] = {}
    for loaded in rubrics:
        for qid, question in loaded.questions.items():
            known.setdefault(qid, question)
    return known


def read_answers(path: str | Path) -> AnswersDocument:
    """Read an answers file and check its shape (keys, types).

    A file that is not even a mapping is an error at once; other shape problems are kept so
    they can be reported together with the problems of the answers themselves.
    """
    return answers_document(load_yaml_file(path))


def answers_document(doc: YamlDocument) -> AnswersDocument:
    """:func:`read_answers` for a document already read."""
    if (
        isinstance(doc.data, dict)
        and "company" not in doc.data
        and ("levels" in doc.data or "questions" in doc.data)
    ):
        what = "a rubric" if "levels" in doc.data else "a question bank"
        raise NotAnswersError(
            [
                Problem(
                    doc.name,
                    None,
                    None,
                    "",
                    f"this is {what}, not an answers file (check it with `svclevel validate`)",
                )
            ]
        )
    parsed, problems = parse_answers(doc)
    if not isinstance(doc.data, dict):
        raise InputError(problems)
    return AnswersDocument(doc, parsed, tuple(problems))


def check_answers_for(
    document: AnswersDocument,
    loaded: LoadedRubric,
    *,
    also: Mapping[str, Question] | None = None,
) -> Answers:
    """Check every answer against the questions ``loaded`` can use; all problems at once.

    Answers to the questions in ``also`` are accepted too (a file compared on several rubrics
    may answer each one's own questions: :func:`known_questions`); ``loaded``'s definitions win.
    """
    questions = loaded.questions
    if also and not also.keys() <= questions.keys():
        questions = {**also, **questions}
    if document.parsed is not None and not document.shape_problems:
        answers = build_answers(document.doc, document.parsed, questions)
        if answers is not None:
            return answers
    problems = [*document.shape_problems, *check_answer_values(document.doc, questions)]
    assert problems, "build_answers refused answers that check_answer_values accepts"
    raise InputError(dict.fromkeys(problems))
