"""Photo captions of an HTML page, found by the page's own markup: <figcaption> elements and elements
whose class or itemprop names a caption, with a credit taken from a child element that names itself a
credit, or split off the caption text like in text dumps ("... (Image: Getty Images)").

Markup is the same in every language, so nothing here depends on the page's language. A caption that is
all link text (a teaser card of another story) is not a caption of this article.
"""

from __future__ import annotations

import functools
import re
from copy import deepcopy
from dataclasses import dataclass

import lxml.html
from lxml import etree

from newsfacts.clean.captions import MAX_CAPTION_CHARS, agency_credit, split_credit
from newsfacts.clean.furniture import furniture_kind, furniture_rules

_CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
_CREDIT_CLASS = re.compile(r"credit|copyright|byline|source", re.IGNORECASE)
# Class words of caption controls and containers, not captions: "caption-button", "show-caption-icon".
_CONTROL_CLASS = re.compile(r"button|icon|toggle|container|wrapper|count", re.IGNORECASE)
_HIDDEN_TAGS = ("svg", "script", "style", "noscript")
_NOT_CAPTION_TAGS = frozenset({"button", "a", "i", "svg", "script", "style", "img", "input", "label"})


@dataclass(frozen=True)
class PageCaption:
    text: str  # the whole caption as displayed (whitespace collapsed), credit included
    caption: str  # the caption without its credit
    credit: str | None
    sourceline: int | None


def _classes(element) -> str:
    return " ".join(filter(None, (element.get("class"), element.get("itemprop"), element.get("id"))))


def _text(element) -> str:
    """The element's displayed text, whitespace collapsed: without the titles of inline SVG icons
    ("Camera Icon") or scripts."""
    if any(isinstance(d.tag, str) and d.tag in _HIDDEN_TAGS for d in element.iterdescendants()):
        element = deepcopy(element)
        etree.strip_elements(element, *_HIDDEN_TAGS, with_tail=False)
    return " ".join(element.text_content().split())


def _is_caption_element(element) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.tag == "figcaption":
        return True
    classes = _classes(element)
    return (element.tag not in _NOT_CAPTION_TAGS and bool(_CAPTION_CLASS.search(classes))
            and not _CONTROL_CLASS.search(classes))


def _control_share(element) -> float:
    """Share of the element's text that is link or button text (1.0 inside a link): a teaser card or a
    caption widget's controls ("Show Caption", "Expand"), not a caption."""
    text = _text(element)
    if not text or any(isinstance(p.tag, str) and p.tag in {"a", "button"} for p in element.iterancestors()):
        return 1.0
    controls = sum(len(_text(d)) for d in element.iterdescendants()
                   if isinstance(d.tag, str) and d.tag in {"a", "button"}
                   and not any(isinstance(p.tag, str) and p.tag in {"a", "button"} for p in d.iterancestors()
                               if p is not element and element in p.iterancestors()))
    return controls / len(text)


def parse_page(html: str):
    """The page as an lxml tree (None when it does not parse); source lines match `html`'s lines."""
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        return lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError, UnicodeError):
        return None


def page_captions(tree) -> list[PageCaption]:
    """Caption elements of the page in document order: the outermost caption element of each nest
    (a <figure class="wp-caption"> holding its <figcaption> counts once, as the figcaption)."""
    if tree is None:
        return []
    found: list[PageCaption] = []
    taken: set = set()
    for element in tree.iter():
        if not _is_caption_element(element):
            continue
        ancestors = list(element.iterancestors())
        if any(a.tag == "figcaption" or a in taken for a in ancestors):
            continue  # the caption element around it is the caption
        if element.tag != "figcaption" and any(d.tag == "figcaption" for d in element.iterdescendants()):
            continue  # a figure container: its figcaption is the caption
        taken.add(element)
        text = _text(element)
        if not text or len(text) > MAX_CAPTION_CHARS or _control_share(element) >= 0.5 or _is_credit_only(element, text):
            continue
        caption, credit = _split(element, text)
        if caption:
            found.append(PageCaption(text, caption, credit, element.sourceline))
    return found


def _is_credit_only(element, text: str) -> bool:
    """An element that names itself a credit ("image-caption byline"), or whose whole text is a credit
    ("Noah Berger / AP") or a copyright line, is a credit, not a caption."""
    if element.tag != "figcaption" and _CREDIT_CLASS.search(_classes(element)):
        return True
    return bool(agency_credit().fullmatch(text)) or (furniture_kind(text) or ("", ""))[0] == "footer"


def _split(element, text: str) -> tuple[str, str | None]:
    """The caption and its credit: a credit element inside the caption, else a credit closing the text."""
    for child in element.iterdescendants():
        if isinstance(child.tag, str) and _CREDIT_CLASS.search(_classes(child)):
            credit = _text(child)
            if credit and text.endswith(credit) and len(credit) < len(text):
                return text[: len(text) - len(credit)].rstrip(), credit.strip("() ") or None
    end, credit = split_caption_credit(text)
    return text[:end].rstrip(), credit


@functools.lru_cache(maxsize=1)
def _via_agency() -> re.Pattern[str]:
    agencies = "|".join(re.escape(a) for a in sorted(furniture_rules().agencies, key=len, reverse=True))
    # "... January 16, 2020. Julien De Rosa/Pool via REUTERS": a pool photographer's credit.
    return re.compile(rf"(?:[A-Z][\w.'’-]*\s+){{0,3}}[A-Z][\w.'’-]*\s*/\s*[\w .'-]{{2,30}}?\s+via\s+(?i:{agencies})\s*")


_SENTENCE_END = re.compile(r"[.!?)\"”’]\s*")


def split_caption_credit(line: str) -> tuple[int, str | None]:
    """(end of the caption, credit): the text-dump rules (`split_credit`), then a pool credit
    "Name/Pool via AGENCY" after the caption's last sentence. A credit with nothing before it is no credit."""
    end, credit = split_credit(line)
    if credit and line[:end].strip():
        return end, credit
    for boundary in _SENTENCE_END.finditer(line):
        start = boundary.end()
        if 0 < start < len(line) and _via_agency().fullmatch(line[start:]):
            return start, line[start:].strip()
    return len(line), None
