"""The manifest: YAML dates and ISO strings accepted, invalid dates refused with their entry named."""

from __future__ import annotations

import pytest

from newsfacts.read.manifest import ManifestError, load_checksums, load_manifest


def manifest(tmp_path, date_line: str):
    (tmp_path / "manifest.yaml").write_text(
        "manifest_version: 1\ndocuments:\n  - file: a.txt\n  - file: b.txt\n" + f"    date: {date_line}\n",
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-10-25", "2024-10-25"),  # unquoted: YAML's own date type
        ("'2024-10-25'", "2024-10-25"),
        ('"2024-10-25T08:30:00+02:00"', "2024-10-25T08:30:00+02:00"),
        ("2024-10-25 08:30:00", "2024-10-25 08:30:00"),  # unquoted YAML timestamp
    ],
)
def test_dates_are_accepted(tmp_path, written, expected):
    assert load_manifest(manifest(tmp_path, written))["b.txt"].date == expected


@pytest.mark.parametrize("written", ["2024-13-45", "'2024-13-45'", "2024-02-30", "'25/10/2024'", "20241025", "5", "[2024]"])
def test_invalid_dates_are_refused_with_the_entry_named(tmp_path, written):
    with pytest.raises(ManifestError) as info:
        load_manifest(manifest(tmp_path, written))
    message = str(info.value)
    assert "documents/1 (b.txt)/date" in message and "\n" not in message
    assert "invalid date" in message or "valid string" in message


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"- just\n- a list\n", "invalid manifest"),
        (b"manifest_version: 1\ndocuments: [\n", "not readable YAML"),
        (b"\xff\xfe manifest", "not UTF-8"),
        (b"manifest_version: 1\ndocuments:\n  - file: a.txt\n  - file: a.txt\n", "listed twice"),
        (b"[" * 5000 + b"]" * 5000, "manifest"),
    ],
)
def test_a_broken_manifest_is_a_message(tmp_path, content, why):
    (tmp_path / "manifest.yaml").write_bytes(content)
    with pytest.raises(ManifestError, match=why):
        load_manifest(tmp_path)


def test_a_checksum_list_that_is_not_utf8_is_a_message(tmp_path):
    (tmp_path / "SHA256SUMS").write_bytes(b"\xff" * 64 + b"  a.txt\n")
    with pytest.raises(ManifestError, match="not UTF-8"):
        load_checksums(tmp_path)
