"""Language of an article, and whether it reads as a translation.

The language comes from function-word densities: the share of the text's words that are among a language's
most frequent words (wordfreq's lists, copied to data/function_words.yaml), which is robust on short texts and
needs no model. A translation is
flagged only on evidence: an English text whose source page has an address in another language, or quotations
written in another language's house style.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from importlib import resources
from urllib.parse import unquote, urlparse

import yaml
from wordfreq import zipf_frequency

from newsfacts.documents import CleanDocument, evidence_in_text
from newsfacts.models import Outlet, Translation

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# ISO 639-1 codes considered; wordfreq has a frequency list for each (Norwegian as Bokmål, 'nb').
LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "fi", "sv", "da", "nb", "pl", "cs", "ru", "uk", "tr",
             "vi", "id", "ro", "hu", "ca", "el", "bg", "sk", "sl", "lt", "lv")
TOP_WORDS = 100
MIN_WORDS = 20
# Below this share of function words the text is not clearly in any listed language.
MIN_DENSITY = 0.2


@functools.lru_cache(maxsize=1)
def _function_word_lists() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("function_words.yaml").read_text("utf-8"))
    if data["top_words"] != TOP_WORDS or set(data["languages"]) != set(LANGUAGES):
        raise RuntimeError("data/function_words.yaml is out of date: run scripts/function_words.py")
    return {code: frozenset(words) for code, words in data["languages"].items()}


def function_words(code: str) -> frozenset[str]:
    """The `TOP_WORDS` most frequent words of a language, as wordfreq lists them."""
    return _function_word_lists()[code]


# Scripts that name their language (or its most likely one) on their own, for the languages whose words
# are not separated by spaces or have no frequency list here. Japanese is Han with kana among it.
SCRIPT_LANGUAGES = (("HANGUL", "ko"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("CJK", "zh"), ("ARABIC", "ar"),
                    ("HEBREW", "he"), ("THAI", "th"), ("DEVANAGARI", "hi"), ("BENGALI", "bn"), ("TAMIL", "ta"),
                    ("GEORGIAN", "ka"), ("ARMENIAN", "hy"), ("KHMER", "km"), ("LAO", "lo"), ("MYANMAR", "my"))
MIN_SCRIPT_LETTERS = 20
# The share of letters a script must have to name the text's language (kana only needs to be present).
MIN_SCRIPT_SHARE = 0.5
MIN_KANA_SHARE = 0.05


def script_language(text: str) -> str | None:
    """The language a text's script names, when most of its letters are in one such script."""
    head = text[:20000]
    if head.isascii():  # no ASCII letter belongs to a listed script
        return None
    letters = sum(ch.isalpha() for ch in head)
    if letters < MIN_SCRIPT_LETTERS:
        return None
    counts: dict[str, int] = {}
    for ch in head:
        if ch.isascii() or not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for script, _ in SCRIPT_LANGUAGES:
            if name.startswith(script):
                counts[script] = counts.get(script, 0) + 1
                break
    kana = counts.get("HIRAGANA", 0) + counts.get("KATAKANA", 0)
    if kana / letters >= MIN_KANA_SHARE and (kana + counts.get("CJK", 0)) / letters >= MIN_SCRIPT_SHARE:
        return "ja"
    for script, code in SCRIPT_LANGUAGES:
        if counts.get(script, 0) / letters >= MIN_SCRIPT_SHARE:
            return code
    return None


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the language whose function words cover the text best, or that its script names;
    None when unclear."""
    by_script = script_language(text)
    if by_script is not None:
        return by_script
    words = Counter(w.lower() for w in _WORD.findall(text))
    total = sum(words.values())
    if total < MIN_WORDS:
        return None
    # each distinct word looked up once, weighted by how often it occurs
    scores = {code: sum(words[w] for w in function_words(code).intersection(words)) / total for code in LANGUAGES}
    best = max(scores, key=scores.get)
    if scores[best] < MIN_DENSITY:
        return None
    return "no" if best == "nb" else best


# English news marks quotations with quotation marks; a paragraph that opens with a dash and closes with
# its attribution ("– It could destabilize the peninsula, Miller says.") is the house style of Finnish,
# Swedish, Russian... news, so English text written that way reads as translated. Embedded tweets
# ("— Name (@handle) date") also open with a dash, hence the attribution verb and no handle.
_DASH_QUOTE = re.compile(r"^[–—] [^\n@]*,\s*(?:[\w.'’-]+\s+){0,3}(?:says|said|tells|told|adds|added|writes|wrote)\b"
                         r"[^\n@]*$", re.MULTILINE)
_SLUG_WORD = re.compile(r"[a-z]+")
MIN_SLUG_WORDS = 6  # short slugs ("hibernating-astronauts-smaller-spacecraft") are too few words to judge
# Below this share of English words, a page address is written in another language.
MAX_FOREIGN_SLUG_SHARE = 0.3
# Short transliterated syllables ("den", "han", "dong") are rare English words or names; common ones score higher.
ENGLISH_WORD_ZIPF = 4.0


def foreign_slug(url: str) -> bool:
    """Whether the path of a URL is a phrase in a language other than English (a transliterated slug)."""
    words = [w for w in _SLUG_WORD.findall(unquote(urlparse(url).path).lower()) if len(w) > 1]
    words = [w for w in words if w not in {"html", "htm", "php", "aspx", "www", "news"}]
    if len(words) < MIN_SLUG_WORDS:
        return False
    english = sum(zipf_frequency(w, "en") >= ENGLISH_WORD_ZIPF for w in words)
    return english / len(words) < MAX_FOREIGN_SLUG_SHARE


def find_translation(clean: CleanDocument, language: str | None, outlet: Outlet) -> Translation | None:
    if language != "en":
        return None
    evidence = outlet.evidence
    if evidence is not None and evidence.where in ("raw", "url", "manifest") and evidence.text.startswith("http") \
            and foreign_slug(evidence.text):
        return Translation(evidence=evidence, reason="the text is English but the page it comes from has an "
                                                     "address written in another language")
    body = clean.text[clean.body_start:]
    dashes = list(_DASH_QUOTE.finditer(body))
    if len(dashes) >= 2:
        start = clean.body_start + dashes[0].start()
        return Translation(evidence=evidence_in_text(clean.text, start, clean.body_start + dashes[0].end()),
                           reason=f"{len(dashes)} paragraphs are quotations opened by a dash and closed by their "
                                  "attribution, a convention of other languages' news writing, not of English")
    return None
