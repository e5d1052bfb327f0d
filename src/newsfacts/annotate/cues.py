"""Attribution cues (said, told, according to ...) loaded from data, shared by quotes and figures."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True)
class CueLexicon:
    speech: frozenset[str]
    belief: frozenset[str]
    phrases: tuple[str, ...]

    @property
    def all_verbs(self) -> frozenset[str]:
        return self.speech | self.belief


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("cue_verbs.yaml").read_text("utf-8"))
    return CueLexicon(
        speech=frozenset(data["speech"]),
        belief=frozenset(data["belief"]),
        phrases=tuple(data["phrases"]),
    )
