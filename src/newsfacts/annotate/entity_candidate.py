"""The value a mention is while `annotate/entities.py` and `annotate/entity_types.py` work on it."""

from __future__ import annotations

from dataclasses import dataclass

# Types whose mentions are names of one thing (coreference and repeats make sense for them).
NAME_TYPES = ("PERSON", "ORG", "PLACE")


@dataclass(frozen=True)
class Candidate:
    """One mention on its way to an entity."""

    start: int
    end: int
    type: str
    labels: tuple[str, ...] = ()  # spaCy labels behind it ('' for mentions added by rules)
    kb_id: str | None = None  # set when a knowledge-base rule produced or fixed it
    description: bool = False  # a descriptive alias ("Seoul's spy agency"), not a name
    pattern: str | None = None  # set when a type pattern (storm, work, disease) found or typed it
