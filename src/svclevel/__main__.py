"""Allow ``python -m svclevel``."""

from svclevel.cli import main

main()
