"""`Quote.confidence` of a marked quote, looked up by its route and the kind of speaker evidence
(`data/quote_confidence.yaml`, fitted on PolNeAR train by scripts/fit_quote_confidence.py)."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from newsfacts.models import Speaker


@functools.lru_cache(maxsize=1)
def _confidence_table() -> dict:
    return yaml.safe_load(resources.files("newsfacts.data").joinpath("quote_confidence.yaml").read_text("utf-8"))


def speaker_confidence(route: str, evidence: str) -> float:
    """`Quote.confidence` of a marked quote: the share of quotes attributed by this route with this kind of
    speaker evidence whose speaker was right on PolNeAR train (data/quote_confidence.yaml, fitted by
    scripts/fit_quote_confidence.py); a pair seen too rarely takes the rate of its evidence, then the overall."""
    table = _confidence_table()
    cell = table["by_route_and_evidence"].get(route, {}).get(evidence)
    if cell is not None:
        return cell
    return table["by_evidence"].get(evidence, table["overall"])


def evidence_of(speaker: Speaker | None) -> str:
    """The evidence key of an inherited speaker: its kind and whether it was resolved to someone."""
    if speaker is None:
        return "none"
    return f"{speaker.kind}:{'resolved' if speaker.entity_id or speaker.name else 'unresolved'}"
