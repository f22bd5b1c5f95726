"""How many bytes a PDF stream unpacks to, found without ever holding more than a bounded amount.

A "Flate bomb" is a stream of about a megabyte that inflates to a gigabyte: a viewer that opens
it (a case worker's, the certificate checker's) runs out of memory. `decoded_size` decodes the
generic filters a viewer would run, in order, and raises `TooLarge` as soon as the output would
pass the limit: Flate in the last place is only counted (zlib's `max_length`, one chunk at a
time), earlier filters are materialised under a smaller limit. Image codecs (JPEG, JPEG 2000,
JBIG2, CCITT) are not decoded here: their size is bounded by the image's declared dimensions,
which the PDF check limits separately.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Sequence

CHUNK = 1024 * 1024
INTERMEDIATE_LIMIT = 32 * 1024 * 1024  # a filter that is not the last may produce this much
FLATE = frozenset({"/FlateDecode", "/Fl"})
HEX = frozenset({"/ASCIIHexDecode", "/AHx"})
A85 = frozenset({"/ASCII85Decode", "/A85"})
LZW = frozenset({"/LZWDecode", "/LZW"})
RUN_LENGTH = frozenset({"/RunLengthDecode", "/RL"})
IMAGE_CODECS = frozenset(
    {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}
)
_WHITESPACE = b" \t\r\n\f\x00"


class TooLarge(ValueError):
    """The stream unpacks to more than the limit allows."""


def decoded_size(data: bytes, filters: Sequence[str], *, limit: int) -> int:
    """The size of `data` after the generic `filters` (stopping before an image codec);
    TooLarge when it passes `limit`. Data a filter cannot decode counts as far as it went."""
    generic: list[str] = []
    for name in filters:
        if name in IMAGE_CODECS:
            break
        generic.append(name)
    if not generic:
        return _checked(len(data), limit)
    for name in generic[:-1]:
        data = _decoded(name, data, limit=min(limit, INTERMEDIATE_LIMIT))
    last = generic[-1]
    if last in FLATE:
        return _inflated_size(data, limit)
    return len(_decoded(last, data, limit=limit))


def _checked(size: int, limit: int) -> int:
    if size > limit:
        raise TooLarge(f"{size} bytes, more than {limit}")
    return size


def _decoded(name: str, data: bytes, *, limit: int) -> bytes:
    if name in FLATE:
        return _inflated(data, limit)
    if name in HEX:
        return _unhexed(data)
    if name in A85:
        return _un85(data, limit)
    if name in LZW:
        return _unlzw(data, limit)
    if name in RUN_LENGTH:
        return _unrun(data, limit)
    return data  # a filter no viewer knows: the bytes stay as they are


def _inflated_size(data: bytes, limit: int) -> int:
    total = 0
    inflater = zlib.decompressobj()
    pending = data
    try:
        while not inflater.eof:
            out = inflater.decompress(pending, CHUNK)
            total = _checked(total + len(out), limit)
            pending = inflater.unconsumed_tail
            if not out and not pending:
                break
    except zlib.error:
        pass  # damaged data: a viewer stops here too
    return total


def _inflated(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        return b""
    _checked(len(out), limit)
    return out


def _unhexed(data: bytes) -> bytes:
    digits = data.split(b">", 1)[0].translate(None, _WHITESPACE)
    if len(digits) % 2:
        digits += b"0"
    try:
        return binascii.unhexlify(digits)
    except binascii.Error:
        return b""


def _un85(data: bytes, limit: int) -> bytes:
    text = data.split(b"~>", 1)[0].translate(None, _WHITESPACE)
    text = text.removeprefix(b"<~")
    _checked(len(text) + 4 * text.count(b"z"), limit)  # "z" is four zero bytes
    try:
        return base64.a85decode(text)
    except ValueError:
        return b""


def _unrun(data: bytes, limit: int) -> bytes:
    out = bytearray()
    position = 0
    while position < len(data):
        length = data[position]
        if length == 128:
            break
        if length < 128:
            out += data[position + 1 : position + 2 + length]
            position += 2 + length
        else:
            out += data[position + 1 : position + 2] * (257 - length)
            position += 2
        _checked(len(out), limit)
    return bytes(out)


def _unlzw(data: bytes, limit: int) -> bytes:
    """LZW as PDF uses it (MSB first, 9 to 12 bits, early change)."""
    out = bytearray()
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    width, previous, buffer, bits = 9, b"", 0, 0
    for byte in data:
        buffer, bits = (buffer << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            if code == 256:  # clear table
                table, width, previous = table[:258], 9, b""
                continue
            if code == 257:  # end of data
                return bytes(out)
            if code < len(table):
                entry = table[code]
            elif previous:
                entry = previous + previous[:1]
            else:
                return bytes(out)  # damaged
            out += entry
            _checked(len(out), limit)
            if previous and len(table) < 4096:
                table.append(previous + entry[:1])
            previous = entry
            if len(table) + 1 >= 1 << width and width < 12:
                width += 1
    return bytes(out)
