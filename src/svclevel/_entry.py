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
    import os

    # Pydantic looks up third-party plugins through package metadata when it builds its first
    # model, which costs a command-line run more than all of svclevel's own models; the command
    # uses none. Set here, for the command's process only: importing svclevel changes nothing.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from svclevel.cli import main as cli_main

    cli_main()
