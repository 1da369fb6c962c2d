"""YAML codebooks: load, validate, lint, format, diff, merge; REFI-QDA .qdc exchange.

The format is in docs/codebook-format.md; `model` holds it as pydantic models.
"""
