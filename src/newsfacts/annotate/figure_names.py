"""Numbers that name something instead of counting it: sporting events and age brackets.

"the 100m final", "over 60m hurdles" and "the 400m freestyle" name a race (the event is run over that
distance; nothing in the sentence measures 100 metres); "twenty-something", "20-somethings" and
"thirtysomething" name an age bracket. Neither is a figure. The words are data (`data/units.yaml`,
`sporting_events`).
"""

from __future__ import annotations

import re

from newsfacts.annotate.figure_lexicon import FigureLexicon

# "twenty-something", "20-somethings", "thirtysomething", "forty something": an age bracket.
AGE_BRACKET = re.compile(
    r"(?<![\w-])(?:\d0|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\u2010\u2011 ]?somethings?\b",
    re.IGNORECASE,
)

_SPACE = re.compile(r"[ \u00a0-]?")


def names_event(text: str, end: int, unit: str | None, lex: FigureLexicon) -> bool:
    """Whether a length ending at `end` in `unit` is followed by an event word ("60m hurdles")."""
    if unit not in lex.event_distance_units:
        return False
    at = _SPACE.match(text, end).end()
    following = text[at : at + 24].lower()
    return any(
        following.startswith(word) and not following[len(word) : len(word) + 1].isalpha()
        for word in lex.event_words
    )
