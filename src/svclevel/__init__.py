"""svclevel: audit a company's customer-service level against published ladder models."""

import os

__version__ = "0.1.0"

# Pydantic looks up third-party plugins through package metadata when it builds its first model,
# which costs a command-line run more than all of svclevel's own models. svclevel uses none;
# a user who wants pydantic plugins in this process can still set the variable themselves.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
