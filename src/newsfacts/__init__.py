"""newsfacts: news pages in, a validated dataset of who said what, when, with which numbers, out.

    >>> import newsfacts
    >>> article = newsfacts.extract(page_text, url="https://example.com/story")
    >>> article.quotes[0].speaker.name
"""

__version__ = "1.3.2"

from newsfacts.api import NotAnArticle, extract  # noqa: E402  (after __version__: the pipeline reads it)
from newsfacts.models import Article  # noqa: E402

__all__ = ["Article", "NotAnArticle", "extract", "__version__"]
