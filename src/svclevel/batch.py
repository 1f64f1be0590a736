"""Assess many answers files, one at a time, as a stream of outcomes. No printing."""

from __future__ import annotations

import glob
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from svclevel.errors import InputError, Problem, SvclevelError, UsageError
from svclevel.loading import check_answers_for, load_rubric, read_answers
from svclevel.results import Assessment
from svclevel.scoring import score

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Inputs:
    """The answers files a run will assess."""

    files: tuple[Path, ...]
    """Files to assess, in a stable order (directories walked and globs expanded, sorted)."""
    missing: tuple[Problem, ...]
    """Arguments that matched nothing."""
    batch: bool
    """More than one file, or a directory or glob was given."""


def expand_inputs(args: Sequence[str]) -> Inputs:
    """Files, directories (recursively ``*.yaml``/``*.yml``) and globs, each file once."""
    files: dict[Path, None] = {}
    missing: list[Problem] = []
    batch = len(args) > 1
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            batch = True
            found = sorted(
                p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
            )
            if not found:
                missing.append(Problem(arg, None, None, "", "no *.yaml or *.yml files in folder"))
            files.update(dict.fromkeys(found))
        elif path.exists() or not _GLOB_CHARS & set(arg):
            files[path] = None  # a missing file is reported when it is read
        else:
            batch = True
            # glob.glob, not Path.glob: the pattern may be absolute or climb out with "..".
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True))  # noqa: PTH207
            matched = [m for m in matches if m.is_file()]
            if not matched:
                missing.append(Problem(arg, None, None, "", "the pattern matches no file"))
            files.update(dict.fromkeys(matched))
    return Inputs(tuple(files), tuple(missing), batch)


@dataclass(frozen=True)
class Outcome:
    """What became of one input."""

    file: str
    assessment: Assessment | None
    problems: tuple[Problem, ...]


def assess_file(
    path: Path, *, rubric: str | None, rubric_dirs: Sequence[str] = (), rubric_is_default: bool
) -> Assessment:
    """Assess one answers file.

    ``rubric`` comes from the command line (it wins over the file's ``rubric:``) unless
    ``rubric_is_default``, in which case it is only used when the file names none.
    """
    document = read_answers(path)
    ref = document.default_rubric if rubric_is_default else rubric
    ref = ref or rubric
    if ref is None:
        from svclevel.loading import builtin_rubric_ids

        missing = Problem(
            str(path),
            None,
            None,
            "",
            "no rubric chosen: pass --rubric ID|PATH or add 'rubric: ID' to the file "
            f"(built-in: {', '.join(builtin_rubric_ids())})",
        )
        raise InputError([*document.shape_problems, missing])
    from_file = rubric_is_default and document.default_rubric is not None
    try:
        loaded = load_rubric(ref, base=path.parent if from_file else None, rubric_dirs=rubric_dirs)
    except UsageError as exc:
        if not from_file:
            raise
        raise InputError([document.doc.problem(("rubric",), str(exc))]) from None
    return score(loaded, check_answers_for(document, loaded))


def assess_many(
    inputs: Inputs, *, rubric: str | None, rubric_dirs: Sequence[str], rubric_is_default: bool
) -> Iterator[Outcome]:
    """Assess every input in order; an input that fails is an outcome, not an exception."""
    for problem in inputs.missing:
        yield Outcome(problem.file, None, (problem,))
    for path in inputs.files:
        try:
            a = assess_file(
                path, rubric=rubric, rubric_dirs=rubric_dirs, rubric_is_default=rubric_is_default
            )
        except InputError as exc:
            yield Outcome(str(path), None, exc.problems)
        except SvclevelError as exc:
            yield Outcome(str(path), None, (Problem(str(path), None, None, "", _strip(exc, path)),))
        else:
            yield Outcome(str(path), a, ())


def _strip(exc: SvclevelError, path: Path) -> str:
    text = str(exc)
    prefix = f"{path}: "
    return text[len(prefix) :] if text.startswith(prefix) else text
