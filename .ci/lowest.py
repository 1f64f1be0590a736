"""Print a pip constraints file pinning every direct dependency of svclevel (and of its extras)
to the lowest version pyproject.toml allows, so that CI can prove the lower bounds."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml").read_text())[
    "project"
]
requirements = [
    *project["dependencies"],
    *(r for extra in project["optional-dependencies"].values() for r in extra),
]
for requirement in requirements:
    if requirement.startswith(f"{project['name']}["):
        continue  # the test extra names the other extras, listed here already
    match = re.match(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement)
    if match is None:
        sys.exit(f"cannot read the requirement {requirement!r}")
    name, spec = match.groups()
    lower = re.search(r">=\s*([0-9][^,;\s]*)", spec)
    if lower is None:
        if name.startswith("types-"):
            continue  # type stubs follow the library they describe
        sys.exit(f"{name}: give a lower bound (>=) in pyproject.toml")
    print(f"{name}=={lower.group(1)}")
