"""In-document speaker resolution: from the words that attribute a quote to the entity that said it.

resolver.py (SpeakerResolver: names, titles, roles and the published Speaker), pronouns.py (which person a
"he said" continues), subjects.py (who is a subject where, for pronouns.py), groups.py (the organisation or
people behind "it" / "they"), authors.py (the writer behind "I"), gender.py (the gender the article gives
each person), people.py (names the NER typed otherwise that the article treats as people), names.py (the quote
lexicon and the index of person mentions by name word).
"""

from newsfacts.annotate.quotes.coref.names import quote_lexicon
from newsfacts.annotate.quotes.coref.resolver import SpeakerResolver

__all__ = ["SpeakerResolver", "quote_lexicon"]
