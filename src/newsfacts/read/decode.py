"""Bytes → str, with a clear refusal for what is not text."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes


class NotText(ValueError):
    """The bytes are not a text document; the message says why."""


# A text document has almost no C0 control characters besides tab/newline/CR/form feed.
_CONTROL = set(range(0x00, 0x09)) | {0x0B} | set(range(0x0E, 0x20)) | {0x7F}
MAX_CONTROL_RATIO = 0.01
# Below this coherence charset-normalizer is guessing; we refuse rather than publish mojibake.
MIN_DETECTION_COHERENCE = 0.2


def looks_binary(data: bytes) -> str | None:
    """Return a reason if `data` looks binary, else None."""
    if b"\x00" in data[:65536]:
        return "binary content (NUL bytes)"
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    if sample and controls / len(sample) > MAX_CONTROL_RATIO:
        return f"binary content ({controls} control bytes in the first {len(sample)})"
    return None


def _mostly_ascii(data: bytes, threshold: float = 0.95) -> bool:
    high = sum(1 for byte in data if byte >= 0x80)
    return high / max(len(data), 1) <= 1 - threshold


def decode(data: bytes) -> tuple[str, str]:
    """Decode `data`; return (text, encoding name). Raise NotText with the reason when impossible."""
    reason = looks_binary(data)
    if reason:
        raise NotText(reason)
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    if _mostly_ascii(data):
        # A few stray high bytes in otherwise ASCII text are, on the English-language web, almost always
        # windows-1252 punctuation or currency signs (the WHATWG fallback); statistical detectors have too
        # little signal to do better on so few bytes.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    candidates = [m for m in from_bytes(data) if m.coherence >= MIN_DETECTION_COHERENCE]
    if not candidates:
        raise NotText(f"{utf8_error}, and no other encoding could be detected with confidence")
    # charset-normalizer's own ordering can favour an incoherent CJK code page for mostly-ASCII text; rank by
    # language coherence, then by how little "chaos" (mess) the decoding produces, then prefer the encodings
    # the web actually uses for legacy pages (WHATWG maps latin-1 labels to windows-1252).
    preferred = {"cp1252": 0, "iso8859_1": 1, "iso8859_15": 2}
    best = max(candidates, key=lambda m: (round(m.coherence - m.chaos, 1), -preferred.get(m.encoding, 9)))
    return str(best), best.encoding
