"""svclevel: audit a company's customer-service level against published ladder models.

The public Python API (``docs/api.md``)::

    import svclevel

    result = svclevel.assess("examples/harbor-lane-shop.yaml")
    result.level.name, result.attained, [c.question_id for c in result.gaps]
    result.to_dict()  # the same data as `svclevel assess -f json`

Importing the package loads nothing else and changes nothing in the process: each name below
is imported from the engine when it is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "Comparison",
    "Crosswalk",
    "Diff",
    "History",
    "InputError",
    "Outcome",
    "Problem",
    "Rubric",
    "SvclevelError",
    "UsageError",
    "__version__",
    "assess",
    "assess_many",
    "builtin_rubrics",
    "compare",
    "crosswalk",
    "diff",
    "history",
    "load_rubric",
    "merge",
]

_EXPORTS = {
    "assess": "svclevel.engine.facade",
    "assess_many": "svclevel.engine.run",
    "builtin_rubrics": "svclevel.engine.facade",
    "compare": "svclevel.engine.facade",
    "crosswalk": "svclevel.engine.facade",
    "diff": "svclevel.engine.facade",
    "history": "svclevel.engine.facade",
    "load_rubric": "svclevel.engine.facade",
    "merge": "svclevel.author.merge",
    "Assessment": "svclevel.results",
    "Comparison": "svclevel.engine.compare",
    "Crosswalk": "svclevel.engine.compare",
    "Diff": "svclevel.engine.diff",
    "History": "svclevel.engine.history",
    "Outcome": "svclevel.engine.run",
    "Rubric": "svclevel.load.rubrics",
    "InputError": "svclevel.errors",
    "Problem": "svclevel.errors",
    "SvclevelError": "svclevel.errors",
    "UsageError": "svclevel.errors",
}
_RENAMED = {"Rubric": "LoadedRubric"}

if TYPE_CHECKING:
    from svclevel.author.merge import merge
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.facade import (
        assess,
        builtin_rubrics,
        compare,
        crosswalk,
        diff,
        history,
        load_rubric,
    )
    from svclevel.engine.history import History
    from svclevel.engine.run import Outcome, assess_many
    from svclevel.errors import InputError, Problem, SvclevelError, UsageError
    from svclevel.load.rubrics import LoadedRubric as Rubric
    from svclevel.results import Assessment


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'svclevel' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
