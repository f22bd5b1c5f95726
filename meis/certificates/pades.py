"""PAdES baseline B-B signatures built by hand: a CMS from precomputed DER, one PDF update.

Why not pyHanko's signer (ADR 0011): it re-encodes the certificate chain and every CMS structure
with asn1crypto and rewrites the document through a general PDF writer on every signature, ~11
ms of CPU for a certificate whose signature differs from the previous one only in a 32-byte
digest and an RSA signature. Here everything that is constant for a key (certificates, signer
identifier, the signing-certificate-v2 attribute, algorithm identifiers) is DER-encoded once by
asn1crypto; a signature only frames the digest and the signature value (`_tlv`). The PDF gets
one incremental update written as text: the page with the signature widget in `/Annots`, the
catalog with an `/AcroForm`, the widget, the signature dictionary (`/Contents` of a fixed size
per key, `/ByteRange`), a cross-reference section and a trailer pointing back with `/Prev`.

Independent validators (pyHanko's and poppler's `pdfsig`) check the result in the tests; pyHanko
also stays the validator of uploaded PDFs (`signing.pdf_check`). Nothing here reads settings.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

SEQUENCE, SET, OCTET_STRING, CONTEXT_0 = 0x30, 0x31, 0x04, 0xA0
VERSION_1 = core.Integer(1).dump()
SIGNED_DATA = core.ObjectIdentifier("1.2.840.113549.1.7.2").dump()  # id-signedData
MESSAGE_DIGEST = core.ObjectIdentifier("1.2.840.113549.1.9.4").dump()  # id-messageDigest
# Detached: the encapsulated content is id-data without the content itself.
ENCAPSULATED_DATA = cms.EncapsulatedContentInfo({"content_type": "data"}).dump()
SHA256 = algos.DigestAlgorithm({"algorithm": "sha256"}).dump()


def _tlv(tag: int, content: bytes) -> bytes:
    """One DER element: tag, definite length, content."""
    length = len(content)
    if length < 0x80:
        return bytes((tag, length)) + content
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(size))) + size + content


# --- CMS SignedData --------------------------------------------------------------------------
class CmsSigner:
    """Signs SHA-256 digests as CMS SignedData (CAdES-BES signed attributes) with one key.

    Signed attributes are those PAdES B-B asks for: content-type, message-digest and
    signing-certificate-v2; no signing-time (the time goes in the signature dictionary's `/M`).
    """

    def __init__(
        self,
        *,
        private_key: PrivateKey,
        certificate: x509.Certificate,
        chain: tuple[x509.Certificate, ...] = (),
    ) -> None:
        if not isinstance(private_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise TypeError("the signing key must be RSA or ECDSA")
        self.private_key = private_key
        self.certificate_der = certificate.public_bytes(serialization.Encoding.DER)
        ours = asn1_x509.Certificate.load(self.certificate_der)
        chain_der = [c.public_bytes(serialization.Encoding.DER) for c in chain]
        chain_der = [der for der in chain_der if der != self.certificate_der]
        # DER orders the elements of a SET OF by their encoding.
        self._certificates = _tlv(CONTEXT_0, b"".join(sorted([self.certificate_der, *chain_der])))
        sid = cms.IssuerAndSerialNumber(
            {"issuer": ours.issuer, "serial_number": ours.serial_number}
        )
        self._signer_info_head = VERSION_1 + sid.dump() + SHA256
        algorithm = "sha256_rsa" if isinstance(private_key, rsa.RSAPrivateKey) else "sha256_ecdsa"
        parameters = core.Null() if algorithm == "sha256_rsa" else None
        self._signature_algorithm = algos.SignedDigestAlgorithm(
            {"algorithm": algorithm, "parameters": parameters}
        ).dump()
        self._content_type = cms.CMSAttribute({"type": "content_type", "values": ["data"]}).dump()
        self._signing_certificate = _signing_certificate_v2(ours, self.certificate_der).dump()
        # Bytes reserved for the CMS in every PDF; ECDSA signatures vary by a few bytes.
        self.max_size = len(self.signed_data(bytes(32))) + 16

    def _sign(self, data: bytes) -> bytes:
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))

    def signed_attributes(self, digest: bytes) -> bytes:
        """The content of the signed attributes (a DER SET OF, sorted by encoding)."""
        message_digest = _tlv(SEQUENCE, MESSAGE_DIGEST + _tlv(SET, _tlv(OCTET_STRING, digest)))
        return b"".join(sorted((self._content_type, message_digest, self._signing_certificate)))

    def signed_data(self, digest: bytes) -> bytes:
        """DER ContentInfo of a detached SignedData over content whose SHA-256 is `digest`."""
        attributes = self.signed_attributes(digest)
        signature = self._sign(_tlv(SET, attributes))  # signed as a SET, stored as [0] IMPLICIT
        signer_info = _tlv(
            SEQUENCE,
            self._signer_info_head
            + _tlv(CONTEXT_0, attributes)
            + self._signature_algorithm
            + _tlv(OCTET_STRING, signature),
        )
        signed_data = _tlv(
            SEQUENCE,
            VERSION_1
            + _tlv(SET, SHA256)
            + ENCAPSULATED_DATA
            + self._certificates
            + _tlv(SET, signer_info),
        )
        return _tlv(SEQUENCE, SIGNED_DATA + _tlv(CONTEXT_0, signed_data))


def _signing_certificate_v2(certificate: asn1_x509.Certificate, der: bytes) -> cms.CMSAttribute:
    """ESS signing-certificate-v2 (RFC 5035): SHA-256 of our certificate, issuer and serial."""
    cert_id = tsp.ESSCertIDv2(
        {
            "cert_hash": hashlib.sha256(der).digest(),
            "issuer_serial": {
                "issuer": [asn1_x509.GeneralName({"directory_name": certificate.issuer})],
                "serial_number": certificate.serial_number,
            },
        }
    )
    value = tsp.SigningCertificateV2({"certs": [cert_id]})
    return cms.CMSAttribute({"type": "signing_certificate_v2", "values": [value]})


# --- The PDF incremental update --------------------------------------------------------------
class UnsupportedPdfError(ValueError):
    """The PDF is not shaped the way this signer expects (typst's output is)."""


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s*%%EOF\s*$")
_SUBSECTION = re.compile(rb"\s*(\d+) (\d+)[ \t]*\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_REF = rb"\s+(\d+)\s+0\s+R"
_ANNOTS = re.compile(rb"/Annots\s*\[([^\]]*)\]")


@dataclass(frozen=True)
class _Pdf:
    """What the update needs to know about the PDF it extends."""

    data: bytes
    xref_at: int
    size: int
    root: int
    trailer_extra: bytes  # /Info and /ID, copied into the new trailer
    offsets: dict[int, int]

    def dictionary(self, number: int) -> bytes:
        """The body of object `number`, which must be a dictionary (not a stream)."""
        at = self.offsets.get(number)
        header = b"%d 0 obj" % number
        if at is None or not self.data.startswith(header, at):
            raise UnsupportedPdfError(f"object {number} is not where the xref says")
        end = self.data.index(b"endobj", at)
        body = self.data[at + len(header) : end].strip()
        if not (body.startswith(b"<<") and body.endswith(b">>")) or b"stream" in body:
            raise UnsupportedPdfError(f"object {number} is not a plain dictionary")
        return body

    def reference(self, dictionary: bytes, key: bytes) -> int:
        found = re.search(re.escape(key) + _REF, dictionary)
        if found is None:
            raise UnsupportedPdfError(f"no indirect {key.decode()} in {dictionary[:80]!r}")
        return int(found.group(1))


def _pdf_read(data: bytes) -> _Pdf:
    """The last cross-reference table and trailer (one classic table, as typst writes)."""
    found = _STARTXREF.search(data[-64:])
    if found is None:
        raise UnsupportedPdfError("no startxref at the end")
    xref_at = int(found.group(1))
    if not data.startswith(b"xref", xref_at):
        raise UnsupportedPdfError("cross-reference streams are not supported")
    trailer_at = data.index(b"trailer", xref_at)
    offsets: dict[int, int] = {}
    position = xref_at + len(b"xref")
    while (subsection := _SUBSECTION.match(data, position, trailer_at)) is not None:
        first, count = int(subsection.group(1)), int(subsection.group(2))
        entries = data[subsection.end() : subsection.end() + 20 * count]
        for index, entry in enumerate(_ENTRY.findall(entries)):
            if entry[2] == b"n" and entry[1] == b"00000":
                offsets[first + index] = int(entry[0])
        position = subsection.end() + 20 * count
    trailer = data[trailer_at : data.index(b"startxref", trailer_at)]
    if b"/Prev" in trailer or b"/Encrypt" in trailer:
        raise UnsupportedPdfError("updated or encrypted PDFs are not supported")
    size = re.search(rb"/Size\s+(\d+)", trailer)
    root = re.search(rb"/Root" + _REF, trailer)
    if size is None or root is None:
        raise UnsupportedPdfError("the trailer has no /Size or /Root")
    extra = b"".join(
        m.group(0) for m in re.finditer(rb"/Info\s+\d+\s+0\s+R|/ID\s*\[[^\]]*\]", trailer)
    )
    return _Pdf(data, xref_at, int(size.group(1)), int(root.group(1)), extra, offsets)


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte-order mark, as hex (any letter, no escaping)."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def _xref(offsets: dict[int, int]) -> bytes:
    """A cross-reference section for the given objects, in runs of consecutive numbers."""
    lines = [b"xref\n0 1\n0000000000 65535 f \n"]
    numbers = sorted(offsets)
    start = 0
    for i in range(1, len(numbers) + 1):
        if i == len(numbers) or numbers[i] != numbers[i - 1] + 1:
            run = numbers[start:i]
            lines.append(b"%d %d\n" % (run[0], len(run)))
            lines.extend(b"%010d 00000 n \n" % offsets[n] for n in run)
            start = i
    return b"".join(lines)


BYTE_RANGE_WIDTH = 48  # "/ByteRange[0 a b c]" with three numbers of up to 10 digits, padded


def pdf_sign(
    pdf: bytes,
    signer: CmsSigner,
    *,
    signed_at: datetime.datetime,
    field_name: str,
    reason: str,
    location: str,
) -> bytes:
    """`pdf` with a PAdES B-B signature over the whole file, appended as one incremental update.

    The signature widget is invisible and sits on the first page.
    """
    source = _pdf_read(pdf)
    catalog = source.dictionary(source.root)
    if b"/AcroForm" in catalog:
        raise UnsupportedPdfError("the PDF already has a form")
    pages = source.dictionary(source.reference(catalog, b"/Pages"))
    kids = re.search(rb"/Kids\s*\[\s*(\d+)\s+0\s+R", pages)
    if kids is None:
        raise UnsupportedPdfError("no first page in /Kids")
    page_number = int(kids.group(1))
    page = source.dictionary(page_number)
    widget, signature = source.size, source.size + 1
    annotation = b"%d 0 R" % widget
    if _ANNOTS.search(page):
        page = _ANNOTS.sub(
            lambda m: b"/Annots[" + m.group(1) + b" " + annotation + b"]", page, count=1
        )
    elif b"/Annots" in page:
        raise UnsupportedPdfError("the page's /Annots is not an inline array")
    else:
        page = b"<</Annots[" + annotation + b"]" + page[2:]
    catalog = b"<</AcroForm<</Fields[%s]/SigFlags 3>>" % annotation + catalog[2:]

    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(page_number, page)
    add(source.root, catalog)
    add(
        widget,
        b"<</Type/Annot/Subtype/Widget/FT/Sig/T%s/F 132/Rect[0 0 0 0]/P %d 0 R/V %d 0 R>>"
        % (_text(field_name), page_number, signature),
    )
    offsets[signature] = len(out)
    out.extend(
        b"%d 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached"
        b"/M(D:%s+00'00')/Reason%s/Location%s/Contents "
        % (
            signature,
            signed_at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S").encode(),
            _text(reason),
            _text(location),
        )
    )
    contents_at = len(out)
    contents_end = contents_at + 2 + 2 * signer.max_size  # <hex>
    xref_at = contents_end + BYTE_RANGE_WIDTH + len(b">>\nendobj\n")
    tail = _xref(
        offsets
    ) + b"trailer\n<</Size %d/Root %d 0 R%s/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (
        signature + 1,
        source.root,
        source.trailer_extra,
        source.xref_at,
        xref_at,
    )
    tail_length = BYTE_RANGE_WIDTH + len(b">>\nendobj\n") + len(tail)
    byte_range = b"/ByteRange[0 %d %d %d]" % (contents_at, contents_end, tail_length)
    after = byte_range.ljust(BYTE_RANGE_WIDTH) + b">>\nendobj\n" + tail

    digest = hashlib.sha256(out)
    digest.update(after)
    cms_hex = signer.signed_data(digest.digest()).hex().upper().encode()
    if len(cms_hex) > 2 * signer.max_size:  # cannot happen for RSA; a guard for the ECDSA slack
        raise ValueError("the signature is larger than the space reserved for it")
    out.extend(b"<" + cms_hex.ljust(2 * signer.max_size, b"0") + b">")
    out.extend(after)
    return bytes(out)
