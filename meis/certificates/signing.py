"""PAdES signatures with the ministry's key, and checking uploaded PDFs (pyHanko).

The key is a PKCS#12 file named by `CERTIFICATE_SIGNING_P12`, or a PEM private key
(`CERTIFICATE_SIGNING_KEY`) with its certificate chain (`CERTIFICATE_SIGNING_CHAIN`); either is
encrypted with `CERTIFICATE_SIGNING_PASSPHRASE` and loaded once per process. `pades` writes the
signature. `demo_ca_ensure` writes a self-signed demo CA and a signing certificate issued by it
into `var/certificates/` for the laptop demo; an operator configures the real key instead.
ADR 0011.
"""

from __future__ import annotations

import datetime
import enum
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from meis.certificates import pades

SIGNATURE_FIELD = "MEIS-Signature"


# --- The demo CA -----------------------------------------------------------------------------
def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "AZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MEİS demo (not a real ministry key)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    *,
    subject: str,
    issuer: x509.Name,
    public_key: rsa.RSAPublicKey,
    signing_key: rsa.RSAPrivateKey,
    is_ca: bool,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=not is_ca,
        content_commitment=not is_ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=is_ca,
        crl_sign=is_ca,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650 if is_ca else 1825))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(signing_key, hashes.SHA256())
    )


def demo_ca_ensure(directory: Path | None = None) -> bool:
    """Write the demo CA (`ca.pem`) and signing key (`signing.p12`) unless they exist.

    Returns True when it created them. Idempotent: an existing key is never replaced, and
    nothing is written when the operator configured a PEM key (`CERTIFICATE_SIGNING_KEY`).
    """
    p12_path = Path(settings.CERTIFICATE_SIGNING_P12)
    ca_path = Path(settings.CERTIFICATE_TRUST_ROOTS)
    if directory is not None:
        p12_path, ca_path = directory / "signing.p12", directory / "ca.pem"
    elif settings.CERTIFICATE_SIGNING_KEY:
        return False
    if p12_path.exists():
        return False
    p12_path.parent.mkdir(parents=True, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca = _certificate(
        subject="MEİS Demo Root CA",
        issuer=_name("MEİS Demo Root CA"),
        public_key=ca_key.public_key(),
        signing_key=ca_key,
        is_ca=True,
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(
        subject="MEİS e-certificates signing (demo)",
        issuer=ca.subject,
        public_key=key.public_key(),
        signing_key=ca_key,
        is_ca=False,
    )
    passphrase = settings.CERTIFICATE_SIGNING_PASSPHRASE.encode()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    p12 = pkcs12.serialize_key_and_certificates(b"meis-signing", key, cert, [ca], encryption)
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    p12_path.write_bytes(p12)
    p12_path.chmod(0o600)
    return True


# --- Signing ---------------------------------------------------------------------------------
class SigningKeyError(ValueError):
    """The configured signing key cannot be used; the message says which setting to fix."""


def _p12_load(path: str, passphrase: bytes | None) -> pades.CmsSigner:
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(Path(path).read_bytes(), passphrase)
    except (OSError, ValueError) as error:
        raise SigningKeyError(
            f"cannot read the signing key from {path} (CERTIFICATE_SIGNING_P12): {error}; "
            "check the file and CERTIFICATE_SIGNING_PASSPHRASE"
        ) from error
    if cert is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningKeyError(f"{path} must hold an RSA or ECDSA key with its certificate")
    return pades.CmsSigner(private_key=key, certificate=cert, chain=tuple(chain))


def _pem_load(key_path: str, chain_path: str, passphrase: bytes | None) -> pades.CmsSigner:
    """A PEM private key and a PEM file with its certificate and the issuing CAs, any order."""
    try:
        key = serialization.load_pem_private_key(Path(key_path).read_bytes(), passphrase)
        chain = x509.load_pem_x509_certificates(Path(chain_path).read_bytes())
    except (OSError, ValueError, TypeError) as error:
        raise SigningKeyError(
            f"cannot read the signing key {key_path} (CERTIFICATE_SIGNING_KEY) or its chain "
            f"{chain_path} (CERTIFICATE_SIGNING_CHAIN): {error}; "
            "check the files and CERTIFICATE_SIGNING_PASSPHRASE"
        ) from error
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningKeyError(f"{key_path} must hold an RSA or ECDSA private key")
    public = key.public_key()
    ours = [cert for cert in chain if cert.public_key() == public]
    if not ours:
        raise SigningKeyError(
            f"no certificate in {chain_path} (CERTIFICATE_SIGNING_CHAIN) is for the key "
            f"{key_path} (CERTIFICATE_SIGNING_KEY): put the signing certificate in the chain file"
        )
    return pades.CmsSigner(private_key=key, certificate=ours[0], chain=tuple(chain))


@functools.lru_cache(maxsize=4)
def _signer(p12: str, key: str, chain: str, passphrase: str) -> pades.CmsSigner:
    secret = passphrase.encode() or None
    if key:
        return _pem_load(key, chain, secret)
    return _p12_load(p12, secret)


def signer_get() -> pades.CmsSigner:
    """The configured signer, loaded once per process: the PEM key and chain when
    `CERTIFICATE_SIGNING_KEY` is set, the PKCS#12 file otherwise."""
    return _signer(
        str(settings.CERTIFICATE_SIGNING_P12),
        str(settings.CERTIFICATE_SIGNING_KEY),
        str(settings.CERTIFICATE_SIGNING_CHAIN),
        settings.CERTIFICATE_SIGNING_PASSPHRASE,
    )


def pdf_sign(pdf: bytes) -> bytes:
    """The PDF with a PAdES baseline (B-B) signature by the ministry's key."""
    return pades.pdf_sign(
        pdf,
        signer_get(),
        signed_at=datetime.datetime.now(datetime.UTC),
        field_name=SIGNATURE_FIELD,
        reason="E-Arayış",
        location="Bakı",
    )


# --- Checking an uploaded PDF ----------------------------------------------------------------
class PdfVerdict(enum.StrEnum):
    GENUINE = "genuine"  # signed by our key, untouched since
    NOT_PDF = "not_pdf"
    UNSIGNED = "unsigned"
    ALTERED = "altered"  # the signature does not cover the file as it is now
    OTHER_KEY = "other_key"  # a valid signature, but not by the ministry's key


@dataclass(frozen=True)
class PdfCheck:
    verdict: PdfVerdict
    sha256: str


@functools.lru_cache(maxsize=4)
def _trust_roots(path: str) -> tuple[asn1_x509.Certificate, ...]:
    data = Path(path).read_bytes()
    certs = x509.load_pem_x509_certificates(data)
    return tuple(
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certs
    )


def _ours(signer_cert: asn1_x509.Certificate) -> bool:
    return bool(signer_cert.dump() == signer_get().certificate_der)


def pdf_check(data: bytes) -> PdfCheck:
    """Whether `data` is a PDF signed by the ministry's key and not changed since."""
    sha256 = hashlib.sha256(data).hexdigest()
    if data.lstrip()[:5] != b"%PDF-":
        return PdfCheck(PdfVerdict.NOT_PDF, sha256)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 — any parse failure means: not a readable PDF
        return PdfCheck(PdfVerdict.NOT_PDF, sha256)
    if not signatures:
        return PdfCheck(PdfVerdict.UNSIGNED, sha256)
    signature = signatures[-1]
    context = ValidationContext(
        trust_roots=list(_trust_roots(str(settings.CERTIFICATE_TRUST_ROOTS)))
    )
    try:
        status = validate_pdf_signature(signature, context)
    except Exception:  # noqa: BLE001 — a malformed signature is as good as an altered one
        return PdfCheck(PdfVerdict.ALTERED, sha256)
    entire = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not (status.intact and status.valid and entire):
        return PdfCheck(PdfVerdict.ALTERED, sha256)
    if not (status.trusted and _ours(signature.signer_cert)):
        return PdfCheck(PdfVerdict.OTHER_KEY, sha256)
    return PdfCheck(PdfVerdict.GENUINE, sha256)
