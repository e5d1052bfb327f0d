"""The dataset card describes the build it belongs to, and text from the inputs cannot break its Markdown."""

from __future__ import annotations

import re

import yaml
from hypothesis import given
from hypothesis import strategies as st

from newsfacts import __version__
from newsfacts.release.card import ReleaseInfo, markdown_inline, render_card


def card(release: ReleaseInfo) -> str:
    return render_card([], {}, {}, {"counts": {"included": 1}}, release)


def test_a_users_build_is_described_as_theirs_with_honest_defaults():
    text = card(ReleaseInfo())
    assert "pretty_name: unknown" in text and "license: unknown" in text
    assert "# Untitled newsfacts release" in text and "Dataset version: unknown" in text
    assert "CC BY 4.0" not in text and "DATASHEET" not in text and f"# newsfacts {__version__}" not in text
    assert "gave no licence" in text


def test_name_licence_version_and_notes_are_the_builders():
    text = card(ReleaseInfo(name="Election desk | 2025\n# injected", license="cc-by-4.0", version="2.1", notes="## Ours\n\nHi."))
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["pretty_name"] == "Election desk | 2025\n# injected" and header["license"] == "cc-by-4.0"
    assert "# Election desk \\| 2025 # injected 2.1" in text
    assert "license: cc-by-4.0" in text and "`cc-by-4.0`, as stated by whoever built this release" in text
    assert "Dataset version: **2.1** (cite this)" in text and text.rstrip().endswith("## Ours\n\nHi.")


@given(st.text())
def test_inline_text_stays_on_one_line_and_cannot_open_a_cell(text):
    escaped = markdown_inline(text)
    assert not re.search(r"[\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]", escaped)
    # every '|' is escaped by an odd number of backslashes (an escaped backslash cannot eat the escape)
    for match in re.finditer(r"(\\*)\|", escaped):
        assert len(match.group(1)) % 2 == 1
    for special in "<>[]`*":
        assert all(len(m.group(1)) % 2 == 1 for m in re.finditer(r"(\\*)" + re.escape(special), escaped))


def test_markdown_escaping_examples():
    assert markdown_inline("a|b\nc") == "a\\|b c"
    assert markdown_inline("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert markdown_inline("US$5m and $6m") == "US\\$5m and \\$6m"
    assert markdown_inline("000_1bf7.txt") == "000_1bf7.txt"
