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


# ---- the complete card of a built release ---------------------------------------------------------------

import json  # noqa: E402

import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402

from newsfacts.models import CONFIGS  # noqa: E402
from newsfacts.release.card import EXAMPLE_TEXT_LIMIT, bibtex, code_block  # noqa: E402
from newsfacts.release.fields import config_fields  # noqa: E402
from newsfacts.release.write import parquet_path  # noqa: E402


@pytest.fixture(scope="module")
def seed_card(seed_release):
    return (seed_release / "README.md").read_text(encoding="utf-8")


def _section(card_text: str, heading: str) -> str:
    return card_text.split(f"\n## {heading}\n")[1].split("\n## ")[0]


def test_hub_metadata_declares_the_task_and_how_it_was_made(seed_card):
    header = yaml.safe_load(seed_card.split("---\n")[1])
    assert header["task_categories"] == ["token-classification"] and header["task_ids"] == ["named-entity-recognition"]
    assert header["annotations_creators"] == ["machine-generated"] and header["size_categories"] == ["n<1K"]
    assert [c["config_name"] for c in header["configs"]] == list(CONFIGS)


def test_an_example_row_per_config_from_the_built_rows(seed_release, seed_card):
    examples = _section(seed_card, "Example rows")
    for config in CONFIGS:
        block = examples.split(f"### `{config}`\n\n```json\n")[1].split("\n```")[0]
        example = json.loads(block)
        first = pq.read_table(seed_release / parquet_path(config)).to_pylist()[0]
        assert list(example) == list(first)
        for key, value in first.items():
            if isinstance(value, str) and len(value) > EXAMPLE_TEXT_LIMIT:
                assert example[key].startswith(value[:EXAMPLE_TEXT_LIMIT]) and "more characters)" in example[key]
            elif not isinstance(value, (list, dict)):
                assert example[key] == value, (config, key)


def test_every_field_is_explained(seed_card):
    fields = _section(seed_card, "Fields")
    for config in CONFIGS:
        table = fields.split(f"### `{config}`\n")[1].split("\n### ")[0]
        rows = {line.split(" | ")[0][3:-1]: line for line in table.splitlines() if line.startswith("| `")}
        expected = [f.path for top in config_fields(config) for f in top.walk()]
        assert list(rows) == expected
    quotes = fields.split("### `quotes`\n")[1]
    assert "| `speaker.mention.text` | string | Exactly text\\[start:end\\] of the article. May be null. |" not in quotes
    assert "| `speaker.mention.text` | string | Exactly text\\[start:end\\] of the article. |" in quotes
    assert "| `kind` | string | full: a whole quoted statement" in quotes and "One of: 'full', 'partial'" in quotes


def test_provenance_limitations_and_citation(seed_card):
    from newsfacts import __version__

    provenance = _section(seed_card, "Provenance")
    assert "the folder `seeds`" in provenance and "txt: 5" in provenance
    assert "plain-text dump of the rendered page" in provenance and "croissant.json" in provenance
    assert "not what is true" in _section(seed_card, "Limitations")
    citation = _section(seed_card, "How to cite")
    assert f"@misc{{newsfacts_{__version__.replace('.', '_')}," in citation
    assert f"version = {{{__version__}}}," in citation


def test_a_users_card_has_the_sections_and_cites_honestly():
    text = card(ReleaseInfo())
    for heading in ("Provenance", "Limitations", "Example rows", "Fields", "How to cite"):
        assert f"\n## {heading}\n" in text
    assert "This release has no rows." in text and "Retrieval: not recorded" in text
    assert "no dataset version was given" in text and "cite its `CHECKSUMS.sha256` digest" in text


def test_citation_fields_cannot_break_the_entry():
    entry = bibtex(ReleaseInfo(name="Desk {evil}\n@misc{x,", version="1.0}"))
    assert entry.count("{") == entry.count("}") and entry.splitlines()[0] == "@misc{deskevilmiscx_1_0,"


@given(st.text())
def test_a_code_block_cannot_be_closed_by_its_content(text):
    lines = code_block(text)
    fence = lines[0]
    assert set(fence) == {"`"} and lines[-1] == fence
    assert fence not in text
