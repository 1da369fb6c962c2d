"""Decode a text file's bytes, telling which encoding was used and whether it was a guess."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from qualcode.errors import ImportFailed

# Bytes that Windows-1252 leaves undefined: a file holding them is not cp1252 text.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (a .docx or .odt renamed?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old binary Office file (.doc): save it as .docx"),
    (b"{\\rtf", "an RTF file: save it as .docx or .txt"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"ID3", "an audio file"),
    (b"RIFF", "an audio or video file"),
    (b"SQLite format 3", "an SQLite database"),
)


@dataclass(frozen=True)
class Decoded:
    """Text with newlines normalised to \\n, and how it was decoded."""

    text: str
    encoding: str
    guessed: bool

    @property
    def note(self) -> str:
        return f"{self.encoding} (guessed)" if self.guessed else self.encoding


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, path: str) -> Decoded:
    """Decode transcript bytes: BOMs first, then strict UTF-8, then Windows-1252.

    Raises ImportFailed with a one-line reason for empty, binary or undecodable data.
    """
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFailed("the file is empty", path=path)
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(name), name, False, path)
            except UnicodeDecodeError as exc:
                raise ImportFailed(
                    f"starts with a {name} byte-order mark but is not valid {name} "
                    f"(byte {exc.start})",
                    path=path,
                ) from None
    bomless_utf16 = _bomless_utf16(data)
    if bomless_utf16:
        try:
            return _checked(data.decode(bomless_utf16), bomless_utf16, True, path)
        except UnicodeDecodeError:
            pass
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ImportFailed(f"this is {what}, not a text transcript", path=path)
    if b"\x00" in data:
        raise ImportFailed("binary data (NUL bytes), not a text transcript", path=path)
    try:
        return _checked(data.decode("utf-8"), "utf-8", False, path)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _looks_like_broken_utf8(data):
        raise ImportFailed(
            f"invalid UTF-8 at byte {utf8_error.start}: the file is damaged or mixes encodings",
            path=path,
        )
    if not any(b in _CP1252_UNDEFINED for b in data):
        return _checked(data.decode("cp1252"), "windows-1252", True, path)
    raise ImportFailed(
        f"not valid UTF-8 (byte {utf8_error.start}) nor Windows-1252 / Latin-1 text", path=path
    )


def _checked(text: str, encoding: str, guessed: bool, path: str) -> Decoded:
    text = normalise_newlines(text).lstrip("\ufeff")
    if not text.strip():
        raise ImportFailed("the file is empty", path=path)
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 200):
        raise ImportFailed(
            f"binary data ({controls} control characters), not a text transcript", path=path
        )
    return Decoded(text=text, encoding=encoding, guessed=guessed)


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark shows NULs on every other byte for Latin text."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_like_broken_utf8(data: bytes) -> bool:
    """True when the bytes hold real UTF-8 sequences beside invalid ones.

    A Windows-1252 file practically never contains a lead byte followed by the right
    continuation bytes, so valid multi-byte sequences mean the file is UTF-8 gone wrong.
    """
    valid = len(re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", data))
    return valid >= 2
