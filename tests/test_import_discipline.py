"""Import discipline: commands import only what they use (no timings here: see benchmarks/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import EXAMPLES

HEAVY = ("pydantic", "yaml", "jinja2", "rich.markdown", "rich")


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['svclevel', *{list(args)!r}]\n"
        "from svclevel._entry import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stderr.split())


def test_version_imports_nothing_heavy() -> None:
    modules = _modules_after("--version")
    assert {
        m for m in modules if m.split(".")[0] in ("pydantic", "yaml", "jinja2", "rich")
    } == set()
    assert "typer" not in modules


def test_help_does_not_import_the_engine() -> None:
    modules = _modules_after("--help")
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "yaml", "jinja2")}
    assert not {"svclevel.models", "svclevel.results", "svclevel.config"} & modules


def test_text_report_imports_neither_jinja2_nor_rich_renderables() -> None:
    modules = _modules_after("assess", str(EXAMPLES / "harbor-lane-shop.yaml"), "-f", "text")
    assert "jinja2" not in modules
    assert "rich.markdown" not in modules
    assert "rich.table" not in modules
    assert "multiprocessing" not in modules  # one file: no worker pool
    assert "svclevel.report.json_schema" not in modules


def test_entry_point_is_the_light_one() -> None:
    script = Path(sys.executable).parent / "svclevel"
    assert "svclevel._entry" in script.read_text()
