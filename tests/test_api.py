"""The in-memory entry point."""

import pytest

import newsfacts
from newsfacts import NotAnArticle, extract
from tests_paths import SEEDS


def test_extract_returns_a_validated_article():
    article = extract((SEEDS / "004_a349b1ab514efdb2.txt").read_text(encoding="utf-8"), url="https://example.com/a")
    assert isinstance(article, newsfacts.Article)
    assert article.source.url == "https://example.com/a" and article.source.url_method == "caller"
    assert article.pipeline.startswith(f"newsfacts-{newsfacts.__version__}+en_core_web_sm-3.8.0")
    for span in [*article.quotes, *article.figures, *(m for e in article.entities for m in e.mentions)]:
        assert article.text[span.start : span.end] == span.text


@pytest.mark.parametrize("bad", ["", "   \n\t ", b"", b"\x00\x01\x02\x03garbage\xff\xfe" * 50])
def test_extract_refuses_empty_and_binary_cleanly(bad):
    with pytest.raises(NotAnArticle) as info:
        extract(bad)
    assert str(info.value).startswith("<memory>: ")


def test_extract_of_text_is_deterministic():
    text = "Officials met\n\nThe minister said on Monday that 1,500 soldiers had arrived in Vladivostok."
    assert extract(text) == extract(text)


def test_extract_refuses_lone_surrogates_instead_of_writing_mojibake():
    with pytest.raises(NotAnArticle, match=r"lone surrogate \\ud800 at character 6"):
        extract("Title\n\ud800 body text of an article.")
