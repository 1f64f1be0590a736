"""Start-up: svclevel's commands against the floors Python and its libraries impose.

* ``svclevel --version`` against ``python -c "import typer"``;
* ``svclevel --help`` against a bare Typer app with the same commands, options and help texts
  (generated from svclevel's own command tree, without svclevel's code);
* ``svclevel assess EXAMPLE -f text`` against a script that imports Typer, Rich, Pydantic and
  PyYAML and parses the same two files (the answers file and its rubric), and against the bare
  Typer app running its (empty) ``assess`` command with the same arguments. The last row
  compares those two floors: what Typer itself costs to run a command (it builds Pydantic
  adapters for the parameters, which imports most of Pydantic) before any svclevel code.

Each command and its floor take turns, run after run; the ratio is the median of the per-run
ratios (the machine's load changes alike for both). svclevel's bytecode is written first, as
installing the wheel does. ``python -X importtime -m svclevel ...`` explains the numbers.
Run: ``python benchmarks/startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import compile_svclevel, interleaved, median_ratio, timed

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EXE = str(Path(PY).parent / "svclevel")
EXAMPLE = ROOT / "examples" / "harbor-lane-shop.yaml"
RUBRIC = ROOT / "rubrics" / "four-level.yaml"
BANK = ROOT / "rubrics" / "questions.yaml"


def command(cmd: list[str]) -> Callable[[], float]:
    return timed(lambda: subprocess.run(cmd, capture_output=True, check=False))


def bare_app_source() -> str:
    """A Typer app with svclevel's commands, parameters (same types), help texts, and nothing
    else: generated from svclevel's command tree, so the floor has the same shape."""
    import enum
    import typing

    import typer
    from typer.core import TyperArgument

    from svclevel.cli import app

    root = typer.main.get_command(app)
    enums: dict[str, str] = {}
    lines = [
        "import enum",
        "from pathlib import Path",
        "from typing import Optional",
        "import typer",
    ]

    def type_name(annotation: Any) -> str:
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            name = f"E_{annotation.__name__}"
            if name not in enums:
                members = ", ".join(f"{m.name}={m.value!r}" for m in annotation)
                enums[name] = f"{name} = enum.Enum({annotation.__name__!r}, dict({members}))"
            return name
        if typing.get_origin(annotation) is list:
            return "list[str]"
        return getattr(annotation, "__name__", "str")

    body = [f"app = typer.Typer(help={root.help!r}, add_completion=False)"]

    def emit(group: Any, var: str) -> None:
        for name, command in sorted(group.commands.items()):
            if hasattr(command, "commands"):
                sub = f"{var}_{name}".replace("-", "_")
                body.append(f"{sub} = typer.Typer(help={command.help!r})")
                body.append(f"{var}.add_typer({sub}, name={name!r})")
                emit(command, sub)
                continue
            params = []
            for p in command.params:
                if p.name == "help":
                    continue
                kind = type_name(p.type_descriptor.annotation)
                default = None if p.required else p.default
                if isinstance(default, enum.Enum):
                    default = default.value
                annotation = kind if p.required else f"Optional[{kind}]"
                if isinstance(p, TyperArgument):
                    factory = "typer.Argument(..." + ")" if p.required else "typer.Argument(None)"
                else:
                    decls = ", ".join(repr(o) for o in p.opts)
                    first = "..." if p.required else repr(default)
                    factory = f"typer.Option({first}, {decls}, help={p.help!r})"
                params.append(f"{p.name}: {annotation} = {factory}")
            fn = f"cmd_{var}_{name}".replace("-", "_")
            body.append(f"@{var}.command({name!r}, help={command.help!r})")
            body.append(f"def {fn}({', '.join(params)}) -> None: pass")

    root_params = [
        f"{p.name}: bool = typer.Option(False, {', '.join(repr(o) for o in p.opts)}, "
        f"help={getattr(p, 'help', None)!r})"
        for p in root.params
        if p.name != "help"
    ]
    body.append("@app.callback()")
    body.append(f"def main({', '.join(root_params)}) -> None: pass")
    emit(root, "app")
    body.append("app()")
    return "\n".join([*lines, *enums.values(), *body]) + "\n"


def floor_assess_source() -> str:
    return (
        "import typer, rich, rich.console, pydantic, yaml\n"
        f"for f in ({str(EXAMPLE)!r}, {str(RUBRIC)!r}, {str(BANK)!r}):\n"
        "    yaml.load(open(f, encoding='utf-8').read(), Loader=yaml.CSafeLoader)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    compile_svclevel()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(bare_app_source())
        floor_assess = Path(tmp) / "floor_assess.py"
        floor_assess.write_text(floor_assess_source())
        rows = [
            (
                "svclevel --version",
                [EXE, "--version"],
                "import typer",
                [PY, "-c", "import typer"],
                None,
            ),
            (
                "svclevel --help",
                [EXE, "--help"],
                "same app, bare Typer",
                [PY, str(bare), "--help"],
                1.15,
            ),
            (
                "svclevel assess EXAMPLE -f json",
                [EXE, "assess", str(EXAMPLE), "-f", "json"],
                "import 4 libraries + parse 3 files",
                [PY, str(floor_assess)],
                1.5,
            ),
            (
                "svclevel assess EXAMPLE -f json",
                [EXE, "assess", str(EXAMPLE), "-f", "json"],
                "same app, bare Typer, running assess",
                [PY, str(bare), "assess", str(EXAMPLE), "-f", "json"],
                None,
            ),
            (
                "bare Typer app running assess",
                [PY, str(bare), "assess", str(EXAMPLE), "-f", "json"],
                "import 4 libraries + parse 3 files",
                [PY, str(floor_assess)],
                None,
            ),
        ]
        print(f"{'command':34} {'time':>8}   {'floor':40} {'time':>8} {'ratio':>6}  budget")
        for name, cmd, floor_name, floor_cmd, budget in rows:
            ours, base = interleaved([command(cmd), command(floor_cmd)], runs)
            ratio = median_ratio(ours, base)
            verdict = (
                ""
                if budget is None
                else f"≤ {budget:.2f}x " + ("met" if ratio <= budget else "NOT MET")
            )
            print(
                f"{name:34} {statistics.median(ours) * 1000:6.0f}ms   {floor_name:40} "
                f"{statistics.median(base) * 1000:6.0f}ms {ratio:5.2f}x  {verdict}"
            )


if __name__ == "__main__":
    main()
