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
    scripts/fit_quote_confidence.py); a pair seen too rarely takes the rate of its evidence, then of its group
    (evidence_group), then the overall."""
    table = _confidence_table()
    cell = table["by_route_and_evidence"].get(route, {}).get(evidence)
    if cell is not None:
        return cell
    if evidence in table["by_evidence"]:
        return table["by_evidence"][evidence]
    return table.get("by_group", {}).get(evidence_group(evidence), table["overall"])


# How a pronoun speaker is left without a name (coref: SpeakerResolver.last_evidence): such a quote says who
# spoke only in the rare case the article never names them, so its confidence is fitted, and falls back, apart.
_UNNAMED = {"unresolved", "object", "description", "unnamed_subject"}


def evidence_group(evidence: str) -> str:
    """'pronoun_unnamed' for a pronoun speaker left without a name, 'none' without a speaker, else 'other'."""
    kind, _, how = evidence.partition(":")
    if kind == "pronoun" and how in _UNNAMED:
        return "pronoun_unnamed"
    return "none" if evidence == "none" else "other"


def evidence_of(speaker: Speaker | None) -> str:
    """The evidence key of an inherited speaker: its kind and whether it was resolved to someone."""
    if speaker is None:
        return "none"
    return f"{speaker.kind}:{'resolved' if speaker.entity_id or speaker.name else 'unresolved'}"
