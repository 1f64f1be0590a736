"""Allow ``python -m svclevel``."""

from svclevel._entry import main

main()
