"""The hand-built PAdES signature (pades.py) and the two ways an operator configures the key.

Every signature made here is checked by an independent validator: pyHanko's (through
`pdf_check` or directly) and, where poppler is installed, `pdfsig`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typst
from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from meis.certificates import pades
from meis.certificates.rendering import Page, pdf_render
from meis.certificates.signing import (
    PdfVerdict,
    SigningKeyError,
    demo_ca_ensure,
    pdf_check,
    pdf_sign,
    signer_get,
)

needs_pdfsig = pytest.mark.skipif(
    shutil.which("pdfsig") is None, reason="poppler-utils is needed (.ci/run installs it)"
)


def unsigned_certificate() -> bytes:
    return pdf_render(
        Page(
            lang="az",
            title="Pensiyaçı olması haqqında arayış",
            rows=[["Soyadı, adı, atasının adı", "Əliyeva Gülşən İsmayıl qızı"]],
            code="7KQ2M-X9D4R-0TZHB",
            issued="19.03.2020",
            valid="18.04.2020",
            recipient="Kapital Bank",
        )
    )


def pdfsig(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603
        ["pdfsig", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def p12_as_pem(signing_dir: Path, target: Path, *, passphrase: bytes) -> tuple[Path, Path]:
    """The demo PKCS#12 key as an operator might have it: an encrypted PEM key and a chain
    file listing the CA before the signing certificate."""
    key, cert, cas = pkcs12.load_key_and_certificates(
        (signing_dir / "signing.p12").read_bytes(), None
    )
    assert key is not None
    assert cert is not None
    key_path, chain_path = target / "signing-key.pem", target / "chain.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )
    )
    chain_path.write_bytes(
        b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [*cas, cert])
    )
    return key_path, chain_path


def ecdsa_ca_and_key(target: Path) -> tuple[Path, Path, Path]:
    """A P-256 CA and a P-256 signing key issued by it, as PEM files (key, chain, CA)."""
    now = datetime.datetime.now(datetime.UTC)

    def issue(subject: str, key: Any, issuer: str, issuer_key: Any, *, ca: bool) -> Any:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        usage = x509.KeyUsage(
            digital_signature=not ca,
            content_commitment=not ca,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        )
        return (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(issuer_key, hashes.SHA256())
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = issue("ECDSA test CA", ca_key, "ECDSA test CA", ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue("ECDSA e-certificates signing", key, "ECDSA test CA", ca_key, ca=False)
    paths = target / "ec-key.pem", target / "ec-chain.pem", target / "ec-ca.pem"
    paths[0].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pem = serialization.Encoding.PEM
    paths[1].write_bytes(cert.public_bytes(pem) + ca.public_bytes(pem))
    paths[2].write_bytes(ca.public_bytes(pem))
    return paths


# --- The CMS ---------------------------------------------------------------------------------
def test_the_hand_built_cms_is_exactly_what_asn1crypto_encodes_for_the_same_signature(
    signing_dir,
):
    signer = signer_get()
    digest = hashlib.sha256(b"the signed byte ranges of a certificate").digest()
    ours = asn1_x509.Certificate.load(signer.certificate_der)
    ess = tsp.ESSCertIDv2(
        {
            "cert_hash": hashlib.sha256(signer.certificate_der).digest(),
            "issuer_serial": {
                "issuer": [asn1_x509.GeneralName({"directory_name": ours.issuer})],
                "serial_number": ours.serial_number,
            },
        }
    )
    attributes = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
            cms.CMSAttribute(
                {
                    "type": "signing_certificate_v2",
                    "values": [tsp.SigningCertificateV2({"certs": [ess]})],
                }
            ),
        ]
    )
    assert isinstance(signer.private_key, rsa.RSAPrivateKey)  # PKCS#1 v1.5 is deterministic
    signature = signer.private_key.sign(attributes.dump(), padding.PKCS1v15(), hashes.SHA256())
    ca = load_cert_from_pemder(str(signing_dir / "ca.pem"))
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [ours, ca],
            "signer_infos": [
                {
                    "version": "v1",
                    "sid": {
                        "issuer_and_serial_number": {
                            "issuer": ours.issuer,
                            "serial_number": ours.serial_number,
                        }
                    },
                    "digest_algorithm": {"algorithm": "sha256"},
                    "signed_attrs": attributes,
                    "signature_algorithm": {"algorithm": "sha256_rsa"},
                    "signature": signature,
                }
            ],
        }
    )
    expected = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()

    assert signer.signed_data(digest) == expected


# --- The PDF ---------------------------------------------------------------------------------
def test_a_typst_page_signed_by_hand_is_a_pades_baseline_signature_over_the_whole_file(
    signing_dir,
):
    signed = pdf_sign(unsigned_certificate())

    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    root = load_cert_from_pemder(str(signing_dir / "ca.pem"))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert str(signature.sig_object["/M"]).startswith("D:")  # the signing time lives here…
    signed_attributes = {a["type"].native for a in signature.signer_info["signed_attrs"]}
    assert signed_attributes == {"content_type", "message_digest", "signing_certificate_v2"}
    assert signature.field_name == "MEIS-Signature"


def test_a_page_without_annotations_gets_the_signature_widget_as_its_first(signing_dir):
    plain = typst.compile(b"Salam!")  # no link on the page, so no /Annots yet
    assert b"/Annots" not in plain

    signed = pdf_sign(plain)

    reader = PdfFileReader(io.BytesIO(signed))
    assert len(reader.root["/Pages"]["/Kids"][0]["/Annots"]) == 1
    root = load_cert_from_pemder(str(signing_dir / "ca.pem"))
    status = validate_pdf_signature(
        reader.embedded_signatures[0], ValidationContext(trust_roots=[root])
    )
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


@needs_pdfsig
def test_pdfsig_accepts_the_hand_built_signature(tmp_path):
    report = pdfsig(pdf_sign(unsigned_certificate()), tmp_path)
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report


def test_signing_an_already_signed_pdf_is_refused_rather_than_half_done():
    signed = pdf_sign(unsigned_certificate())
    with pytest.raises(pades.UnsupportedPdfError):
        pdf_sign(signed)


# --- Configuring the key ---------------------------------------------------------------------
def test_an_operator_can_configure_an_encrypted_pem_key_and_its_chain(
    settings, signing_dir, tmp_path
):
    key_path, chain_path = p12_as_pem(signing_dir, tmp_path, passphrase=b"correct horse")
    settings.CERTIFICATE_SIGNING_P12 = str(tmp_path / "there-is-no.p12")
    settings.CERTIFICATE_SIGNING_KEY = str(key_path)
    settings.CERTIFICATE_SIGNING_CHAIN = str(chain_path)
    settings.CERTIFICATE_SIGNING_PASSPHRASE = "correct horse"

    signed = pdf_sign(unsigned_certificate())

    assert pdf_check(signed).verdict == PdfVerdict.GENUINE  # pyHanko, against the demo CA


@needs_pdfsig
def test_an_ecdsa_key_configured_as_pem_signs_certificates_both_validators_accept(
    settings, tmp_path
):
    key_path, chain_path, ca_path = ecdsa_ca_and_key(tmp_path)
    settings.CERTIFICATE_SIGNING_KEY = str(key_path)
    settings.CERTIFICATE_SIGNING_CHAIN = str(chain_path)
    settings.CERTIFICATE_SIGNING_PASSPHRASE = ""
    settings.CERTIFICATE_TRUST_ROOTS = str(ca_path)

    signed = pdf_sign(unsigned_certificate())

    assert pdf_check(signed).verdict == PdfVerdict.GENUINE
    report = pdfsig(signed, tmp_path)
    assert "Signature is Valid." in report
    assert "Total document signed" in report


def test_a_chain_without_the_keys_certificate_is_refused_naming_the_setting_to_fix(
    settings, signing_dir, tmp_path
):
    key_path, _ = p12_as_pem(signing_dir, tmp_path, passphrase=b"pass")
    _, other_chain, _ = ecdsa_ca_and_key(tmp_path)
    settings.CERTIFICATE_SIGNING_KEY = str(key_path)
    settings.CERTIFICATE_SIGNING_CHAIN = str(other_chain)
    settings.CERTIFICATE_SIGNING_PASSPHRASE = "pass"

    with pytest.raises(SigningKeyError, match="CERTIFICATE_SIGNING_CHAIN"):
        signer_get()


def test_a_wrong_passphrase_is_reported_naming_the_passphrase_setting(
    settings, signing_dir, tmp_path
):
    key_path, chain_path = p12_as_pem(signing_dir, tmp_path, passphrase=b"right")
    settings.CERTIFICATE_SIGNING_KEY = str(key_path)
    settings.CERTIFICATE_SIGNING_CHAIN = str(chain_path)
    settings.CERTIFICATE_SIGNING_PASSPHRASE = "wrong"

    with pytest.raises(SigningKeyError, match="CERTIFICATE_SIGNING_PASSPHRASE"):
        signer_get()


def test_make_run_writes_no_demo_key_when_the_operator_configured_a_pem_key(
    settings, signing_dir, tmp_path
):
    key_path, chain_path = p12_as_pem(signing_dir, tmp_path, passphrase=b"pass")
    settings.CERTIFICATE_SIGNING_KEY = str(key_path)
    settings.CERTIFICATE_SIGNING_CHAIN = str(chain_path)
    settings.CERTIFICATE_SIGNING_P12 = str(tmp_path / "demo" / "signing.p12")

    assert demo_ca_ensure() is False
    assert not (tmp_path / "demo").exists()
