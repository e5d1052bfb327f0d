import hashlib
import json
from pathlib import Path

import pytest

from newsfacts.read import Auxiliary, Excluded, read_folder
from newsfacts.read.files import detect_format, document_id, read_bytes
from newsfacts.read.manifest import ManifestError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def outcomes_by_path(folder, **kwargs):
    return {(getattr(o, "path"), getattr(o, "line", None)): o for o in read_folder(folder, **kwargs)}


def test_every_file_gets_an_outcome(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nBody text of an article.", encoding="utf-8")
    (tmp_path / "a.url").write_text("https://example.com/a\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "README.md").write_text("docs", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    found = outcomes_by_path(tmp_path)
    assert set(p for p, _ in found) == {"a.txt", "a.url", "empty.txt", "blank.txt", "image.png", "garbage.txt",
                                       "README.md", ".DS_Store"}
    article = found[("a.txt", None)]
    assert article.hints.url == "https://example.com/a" and article.hints.url_method == "sidecar"
    assert article.id == document_id((tmp_path / "a.txt").read_bytes())
    assert isinstance(found[("a.url", None)], Auxiliary)
    assert "empty" in found[("empty.txt", None)].reason
    assert "whitespace" in found[("blank.txt", None)].reason
    assert "unsupported file type '.png'" in found[("image.png", None)].reason
    assert "binary" in found[("garbage.txt", None)].reason


def test_size_limit(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 1000, encoding="utf-8")
    outcome = outcomes_by_path(tmp_path, max_bytes=100)[("big.txt", None)]
    assert isinstance(outcome, Excluded) and "too large" in outcome.reason and "--max-bytes" in outcome.reason


def test_jsonl_lines_become_documents_and_bad_lines_are_reported(tmp_path):
    lines = [
        json.dumps({"text": "First article body.", "url": "https://example.com/1", "date": "2024-10-21"}),
        "{not json",
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"text": "Second article body.", "outlet": "AFP"}),
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines), encoding="utf-8")
    found = outcomes_by_path(tmp_path)
    first, second = found[("batch.jsonl", 1)], found[("batch.jsonl", 5)]
    assert first.format == "jsonl" and first.raw == "First article body." and first.hints.date == "2024-10-21"
    assert first.hints.url_method == "jsonl" and second.hints.outlet == "AFP"
    assert first.id != second.id
    assert "invalid JSON" in found[("batch.jsonl", 2)].reason
    assert "'text'" in found[("batch.jsonl", 3)].reason


def test_manifest_checksum_mismatch_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    wrong = hashlib.sha256(b"other").hexdigest()
    (tmp_path / "manifest.yaml").write_text(
        f"manifest_version: 1\ndocuments:\n  - file: a.txt\n    sha256: {wrong}\n    url: https://x.example/a\n",
        encoding="utf-8",
    )
    outcome = outcomes_by_path(tmp_path)[("a.txt", None)]
    assert isinstance(outcome, Excluded) and "sha256 mismatch" in outcome.reason and wrong in outcome.reason


def test_sha256sums_mismatch_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    (tmp_path / "SHA256SUMS").write_text(f"{'0' * 64}  a.txt\n", encoding="utf-8")
    assert "SHA256SUMS" in outcomes_by_path(tmp_path)[("a.txt", None)].reason


def test_manifest_values_become_hints(tmp_path):
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text(
        "manifest_version: 1\ndocuments:\n  - file: a.txt\n    url: https://x.example/a\n    outlet: X\n"
        "    retrieval: saved by hand\n",
        encoding="utf-8",
    )
    hints = outcomes_by_path(tmp_path)[("a.txt", None)].hints
    assert (hints.url, hints.url_method, hints.outlet, hints.retrieval) == ("https://x.example/a", "manifest", "X", "saved by hand")


def test_broken_manifest_names_file_and_field(tmp_path):
    (tmp_path / "manifest.yaml").write_text("manifest_version: 1\ndocuments:\n  - url: x\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest.yaml.*documents/0/file"):
        list(read_folder(tmp_path))


def test_seed_folder_checks_out():
    outcomes = list(read_folder(SEEDS))
    documents = [o for o in outcomes if not isinstance(o, (Excluded, Auxiliary))]
    assert len(documents) == 5 and all(d.encoding == "utf-8" for d in documents)
    assert not [o for o in outcomes if isinstance(o, Excluded)]


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", ".txt", "html"),
        ("<p>fragment</p>", ".html", "html"),
        ('{"text": "a"}\n{"text": "b"}', ".txt", "jsonl"),
        ('{"text": "a"} and more prose', "", "txt"),
        ("Plain article text.", ".jsonl", "txt"),
    ],
)
def test_format_is_detected_from_content(text, suffix, expected):
    assert detect_format(text, suffix) == expected


def test_read_bytes_of_one_document():
    (doc,) = read_bytes("Title\n\nBody.".encode(), "mem.txt")
    assert doc.format == "txt" and doc.raw == "Title\n\nBody." and doc.sha256 == hashlib.sha256(b"Title\n\nBody.").hexdigest()
