#!/usr/bin/env python3
"""Write src/newsfacts/data/function_words.yaml: the most frequent words of each language the language guess
considers, copied from the installed wordfreq (reading its 27 full frequency lists takes a process about a
second; the copy takes milliseconds). tests/meta/test_language.py fails when the copy and wordfreq differ.

    python scripts/function_words.py
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from wordfreq import top_n_list

from newsfacts.meta.language import LANGUAGES, TOP_WORDS

TARGET = Path(__file__).resolve().parents[1] / "src" / "newsfacts" / "data" / "function_words.yaml"


def render() -> str:
    lines = [
        "# The most frequent words of each language newsfacts.meta.language considers, in wordfreq's order,",
        f"# copied from wordfreq {version('wordfreq')} by scripts/function_words.py (do not edit by hand).",
        f"top_words: {TOP_WORDS}",
        "languages:",
    ]
    lines += [f"  {code}: {json.dumps(top_n_list(code, TOP_WORDS), ensure_ascii=False)}" for code in LANGUAGES]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
