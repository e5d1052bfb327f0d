"""The in-memory entry point: one document in, one validated `Article` out."""

from __future__ import annotations

from pathlib import PurePosixPath

from newsfacts.documents import Hints
from newsfacts.models import Article
from newsfacts.read.files import Excluded, read_bytes

MEMORY_PATH = "<memory>"


class NotAnArticle(ValueError):
    """The input cannot become an article (empty, binary, no text); the message says why."""


def extract(
    text: str | bytes, *, url: str | None = None, model: str | None = None, name: str = MEMORY_PATH
) -> Article:
    """Run the whole pipeline on one document held in memory.

    `text` is a page dump, an HTML page or article text (bytes are decoded with the same detection as files).
    `name` is recorded as `source.file`. Raises `NotAnArticle` for empty, binary or non-Unicode input (a str
    with lone surrogates) instead of returning an empty row.

    No time limit (unlike `newsfacts build --timeout`): the document is extracted in the calling process, where
    Python cannot interrupt native code, so a page that makes a parser hang hangs the call. For untrusted pages,
    run it in a process of its own that can be killed, or build a folder of them (`newsfacts.build.build`,
    `timeout=`), which excludes a page that runs past the limit.
    """
    from newsfacts.pipeline import Annotators, process

    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate (e.g. from JSON's "\ud800") is not text
            raise NotAnArticle(
                f"{name}: lone surrogate \\u{ord(text[exc.start]):04x} at character {exc.start} is not Unicode text"
            ) from None
    else:
        data = bytes(text)
    hints = Hints(url=url, url_method="caller" if url else None)
    outcomes = read_bytes(data, name, hints=hints, suffix=PurePosixPath(name).suffix.lower())
    if len(outcomes) != 1:
        raise NotAnArticle(f"{name}: expected one document, found {len(outcomes)} (JSON lines?)")
    (outcome,) = outcomes
    if isinstance(outcome, Excluded):
        raise NotAnArticle(f"{name}: {outcome.reason}")
    return process(outcome, Annotators.load(model))
