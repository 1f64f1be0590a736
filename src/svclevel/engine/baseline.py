"""``--baseline``: earlier answers files, matched to the current assessments by company.

A baseline file is scored on the rubric of the current assessment it is matched with, so a
drop means the company's answers got worse, not that the ladder changed. No printing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from svclevel.engine.facade import RubricRef, assess_document, read
from svclevel.engine.gates import Regression, regression
from svclevel.engine.run import REPEATED, Found, Repeated, expand_inputs
from svclevel.errors import InputError, Problem, UsageError, did_you_mean
from svclevel.load.checks import AS_DATED, Evaluation
from svclevel.load.rubrics import NotAnswersError
from svclevel.load.yamlfile import STDIN
from svclevel.results import Assessment


class Baselines:
    """Earlier answers files by company and by the rubric each names."""

    def __init__(
        self,
        files: dict[str, dict[str | None, str]],
        rubric_dirs: Sequence[str],
        evaluation: Evaluation = AS_DATED,
    ):
        self._files = files
        self._rubric_dirs = tuple(rubric_dirs)
        # Each earlier file is evaluated on its own date, with the run's exceptions setting.
        self._evaluation = dataclasses.replace(evaluation, as_of=None)

    def file_for(self, company: str, rubric_id: str) -> str | None:
        """The earlier file of ``company``: the one naming ``rubric_id``, else its only one."""
        by_rubric = self._files.get(company)
        if not by_rubric:
            return None
        if rubric_id in by_rubric:
            return by_rubric[rubric_id]
        return next(iter(by_rubric.values())) if len(by_rubric) == 1 else None

    @property
    def files(self) -> list[str]:
        """Every earlier file, in the order found."""
        return [path for by_rubric in self._files.values() for path in by_rubric.values()]

    def unmatched(self, current: Assessment) -> str:
        """Why ``current`` has no earlier file: the message, with the nearest company."""
        companies = list(self._files)
        by_key = {_company_key(c): c for c in companies}
        near = by_key.get(_company_key(current.company))
        hint = (
            f"; '{near}' differs only in case, accents or spacing"
            if near is not None
            else did_you_mean(current.company, companies)
        )
        if current.company in self._files:  # the company is there, on other rubrics
            on = ", ".join(str(r) for r in self._files[current.company])
            return (
                f"{current.answers_file}: the earlier files of {current.company} name other "
                f"rubrics ({on}), none {current.rubric_id}; not compared"
            )
        return (
            f"{current.answers_file}: no earlier file for {current.company} in --baseline"
            f"{hint}; not compared"
        )

    def assessment_for(self, current: Assessment, rubric: RubricRef) -> Assessment | None:
        """The earlier file of the same company, scored on ``rubric`` (the current one's)."""
        path = self.file_for(current.company, current.rubric_id)
        if path is None:
            return None
        return assess_document(
            read(path),
            path,
            rubric=rubric.load(self._rubric_dirs),
            require_evidence=current.require_evidence,
            evaluation=self._evaluation,
        )[0]

    def regression(self, current: Assessment, rubric: RubricRef) -> Regression | None:
        """How ``current`` dropped against the earlier file of its company, if it did.

        Raises :class:`~svclevel.errors.InputError` for an earlier file whose answers are
        invalid (found only now, when it is scored).
        """
        before = self.assessment_for(current, rubric)
        return regression(before, current) if before is not None else None


def _company_key(name: str) -> str:
    """A company name with case, accents and spacing taken out, to explain a near miss."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def find_baselines(
    args: Sequence[str],
    *,
    rubric_dirs: Sequence[str] = (),
    warn: Callable[[str], None] | None = None,
    evaluation: Evaluation = AS_DATED,
) -> Baselines:
    """Read the answers files named by ``args`` (files, folders, globs) and index them.

    Every file is read now, so a broken one stops the run before anything is assessed; rubrics
    found in a folder are skipped. Two files of the same company naming the same rubric are a
    usage error: the comparison would depend on which came first. A link to a folder met while
    searching is not followed, and ``warn`` is told.
    """
    if STDIN in args:
        raise UsageError(
            "--baseline -: an earlier file is read twice (to match it, then to score it), "
            "which standard input cannot be; name the file"
        )
    files: dict[str, dict[str | None, str]] = {}
    for item in expand_inputs(args):
        if isinstance(item, Problem):
            raise UsageError(f"--baseline {item.file}: {item.message}")
        if isinstance(item, Repeated):
            if warn is not None and item.why != REPEATED:
                warn(f"--baseline {item.problem()}")
            continue  # named twice: read once
        path = str(item)
        try:
            document = read(path)
        except NotAnswersError as exc:
            if isinstance(item, Found):
                continue
            raise UsageError(f"--baseline {exc.problems[0]}") from None
        if document.parsed is None or document.shape_problems:
            raise InputError(document.shape_problems)
        company = document.parsed.company
        by_rubric = files.setdefault(company, {})
        named = document.default_rubric
        if named in by_rubric:
            on = f" on {named}" if named is not None else ""
            raise UsageError(
                f"--baseline: two earlier files for {company}{on}: {by_rubric[named]} and {path}"
            )
        by_rubric[named] = path
    if not files:
        raise UsageError(f"--baseline {' '.join(args)}: no answers files there, only rubrics")
    return Baselines(files, rubric_dirs, evaluation)
