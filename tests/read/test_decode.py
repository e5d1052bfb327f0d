import codecs

import pytest

from newsfacts.read.decode import NotText, decode, looks_binary


def test_utf8_and_bom():
    assert decode("Kim Jong Un “said”".encode()) == ("Kim Jong Un “said”", "utf-8")
    assert decode(codecs.BOM_UTF8 + b"hello") == ("hello", "utf-8-sig")


def test_legacy_single_byte_text_is_detected_not_mangled():
    text, encoding = decode("a £15.8m signing from Parma, café owners said".encode("cp1252"))
    assert "£15.8m" in text and "café" in text
    assert encoding == "cp1252"


@pytest.mark.parametrize("data", [b"\x00\x01\x02abc", bytes(range(256)) * 4])
def test_binary_is_refused_with_reason(data):
    assert looks_binary(data)
    with pytest.raises(NotText, match="binary"):
        decode(data)
