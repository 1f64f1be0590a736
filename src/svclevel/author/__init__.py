"""Authoring tools: answers templates, the interview, validate and lint, and JSON Schemas
for editors."""
