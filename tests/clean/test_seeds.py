"""The seed dumps: furniture out of the text and kept, with its kind, in raw coordinates."""

import pytest


def kinds_of(clean, needle):
    return {r.kind for r in clean.removed if needle in r.text}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_offsets_are_exact(clean_seeds, prefix):
    clean = clean_seeds[prefix]
    raw = clean.raw.raw
    for block in clean.removed:
        assert raw[block.start : block.end] == block.text
    for caption in clean.captions:
        assert raw[caption.start : caption.end] == caption.text
    for repair in clean.repairs:
        if repair.start is not None:
            assert clean.text[repair.start : repair.end] == repair.after
    if clean.title:
        assert clean.text.startswith(clean.title + "\n\n")
        assert clean.body_start == len(clean.title) + 2


def test_titles(clean_seeds):
    assert clean_seeds["000"].title is None
    assert clean_seeds["001"].title == "US, Japan, and South Korea express grave concern over North Korean troops in Russia"
    assert clean_seeds["002"].title.startswith("Russia ready to arm North Korea")
    assert clean_seeds["003"].title.startswith("Russia Rejects Claims of North Korean Troop Deployment")
    assert clean_seeds["004"].title == "N.Korea sending troops to Ukraine a 'significant escalation': NATO chief"


def test_001_subscribe_and_repeated_caption(clean_seeds):
    clean = clean_seeds["001"]
    assert "SUBSCRIBE NOW" not in clean.text
    assert kinds_of(clean, "SUBSCRIBE NOW") == {"subscription"}
    assert "(FILES)" not in clean.text and "WALLACE" not in clean.text
    (caption,) = clean.captions
    assert caption.repeats == 3 and caption.credit == "Anthony WALLACE / AFP"
    assert caption.text.endswith("by December.")
    assert "Germany Warns of Escalation" in clean.text  # a subheading is body


def test_002_injected_link_and_comment_form(clean_seeds):
    clean = clean_seeds["002"]
    for furniture in ("See also", "The story continues after the film.", "Leave a Reply", "Your email address"):
        assert furniture not in clean.text
    assert kinds_of(clean, "See also") == {"related"}
    assert kinds_of(clean, "Leave a Reply") == {"comments"}
    assert any(c.credit and "EPA" in c.credit for c in clean.captions)
    assert "South Korea is reconsidering its position" in clean.text


def test_003_consent_junk_counter_references_comments(clean_seeds):
    clean = clean_seeds["003"]
    text = clean.text
    for furniture in ("cookies", "shanghaishanghai", "Views: 0", "References:", "Caixin Global", "Read more", "发表"):
        assert furniture not in text
    assert "consent" in kinds_of(clean, "Customize Consent Preferences")
    assert kinds_of(clean, "Views: 0") == {"counter"}
    assert kinds_of(clean, "References:") == {"references"}
    assert kinds_of(clean, "发表回复") == {"comments"}
    assert text[clean.body_start:].startswith("Moscow, October 21, 2024")
    # Run-together words split, each split recorded.
    assert "with Ukraine" in text and "initial claims" in text and "escalation in" in text
    splits = {(r.before, r.after) for r in clean.repairs if r.kind == "word_split"}
    assert ("withUkraine", "with Ukraine") in splits


def test_004_counter_byline_wire_comments(clean_seeds):
    clean = clean_seeds["004"]
    body = clean.text[clean.body_start:]
    for furniture in ("Good Articles to Share", "0 490,607", "Publish date", "Tan KW", "Discussions",
                      "Be the first to like this", "Post a Comment"):
        assert furniture not in clean.text
    assert kinds_of(clean, "0 490,607") == {"counter"}
    assert kinds_of(clean, "- AFP") == {"credit"}
    assert body.startswith("BRUSSELS:")
    assert "- AFP" not in body


def test_000_caption_with_source_credit(clean_seeds):
    clean = clean_seeds["000"]
    assert "Japan Times" not in clean.text and "Comment (0)" not in clean.text
    assert clean.captions[0].credit == "Source: Japan Times"
    assert "baoquocte.vn" not in clean.text
    assert clean.text.startswith("Many countries have expressed concern")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_nothing_dropped_without_a_trace(clean_seeds, prefix):
    """Every character of every non-blank raw line is in the title, the body, or a removed block."""
    clean = clean_seeds[prefix]
    raw = clean.raw.raw
    covered = [False] * len(raw)
    for block in clean.removed:
        for i in range(block.start, block.end):
            covered[i] = True
    kept = clean.text
    offset = 0
    for line_start, line in _lines(raw):
        stripped = line.strip()
        if not stripped:
            continue
        start = line_start + len(line) - len(line.lstrip())
        # Whitespace between a caption and its split-off credit is the only thing neither part holds.
        if all(covered[i] or raw[i].isspace() for i in range(start, start + len(stripped))):
            continue
        # Not removed: must be kept (possibly repaired, so compare after the repairs' own normalisation).
        assert stripped in raw and (_kept(stripped, kept) or any(r.before in stripped for r in clean.repairs)), stripped


def _lines(raw):
    position = 0
    for line in raw.split("\n"):
        yield position, line
        position += len(line) + 1


def _kept(line, text):
    return " ".join(line.split()) in " ".join(text.split())
