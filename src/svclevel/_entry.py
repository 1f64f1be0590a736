"""The console script. ``svclevel --version`` answers before anything heavy is imported (not
even Typer); everything else goes to the Typer app in :mod:`svclevel.cli`."""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the ``svclevel`` command."""
    if sys.argv[1:] == ["--version"]:
        from svclevel import __version__

        sys.stdout.write(f"svclevel {__version__}\n")
        return
    from svclevel.cli import main as cli_main

    cli_main()
