"""newsfacts: news pages in, a validated dataset of who said what, when, with which numbers, out.

    >>> import newsfacts
    >>> article = newsfacts.extract(page_text, url="https://example.com/story")
    >>> article.quotes[0].speaker.name
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "1.4.0"

if TYPE_CHECKING:
    from newsfacts.api import NotAnArticle, extract
    from newsfacts.models import Article

__all__ = ["Article", "NotAnArticle", "extract", "__version__"]

# The public names load on first access (PEP 562): `import newsfacts`, which every command line run does,
# then costs neither the readers (pyarrow) nor the models (pydantic), and a command that needs none of them
# (`newsfacts --help`, `newsfacts validate`, ...) never loads them for the package's sake.
_LAZY = {"Article": "newsfacts.models", "NotAnArticle": "newsfacts.api", "extract": "newsfacts.api"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later lookups find it without coming here
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
