"""svclevel: audit a company's customer-service level against published ladder models."""

__version__ = "0.1.0"
