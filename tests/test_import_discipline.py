"""Import discipline: commands import only what they use (no timings here: see benchmarks/)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.helpers import EXAMPLES, ROOT

PACKAGE = ROOT / "src" / "svclevel"

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


def _module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def import_graph() -> dict[str, set[str]]:
    """Each svclevel module → the svclevel modules it imports, wherever the import statement
    is (at the top, in a function, under TYPE_CHECKING)."""
    modules = _module_names()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, *([base] if base else [])])
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    edges.add(sub if sub in modules else base)
        graph[name] = {e for e in edges if e in modules and e != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the path that closes it (a depth-first search)."""
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycle = path[path.index(nxt) :]
                if not any(set(cycle) == set(c) for c in found):
                    found.append([*cycle, nxt])
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "svclevel.report.base" in graph["svclevel.report"]  # from svclevel.report.base import
    assert "svclevel.report.html_report" in graph["svclevel.report"]  # inside a function
    assert "svclevel.engine.compare" in graph["svclevel.report.base"]  # under TYPE_CHECKING


def test_the_package_has_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_the_layers_import_downwards_only() -> None:
    # load/ reads inputs, engine/ computes, report/ renders, cli.py drives them: reading
    # imports neither the engine nor the reports, and the engine imports no report.
    graph = import_graph()
    forbidden = {
        "svclevel.load.": ("svclevel.engine", "svclevel.report", "svclevel.author", "svclevel.cli"),
        "svclevel.engine.": ("svclevel.report", "svclevel.author", "svclevel.cli"),
        "svclevel.report.": ("svclevel.author", "svclevel.cli"),
    }
    wrong = sorted(
        (module, imported)
        for module, imports in graph.items()
        for prefix, below in forbidden.items()
        if module.startswith(prefix)
        for imported in imports
        if imported.startswith(below)
    )
    assert wrong == []
