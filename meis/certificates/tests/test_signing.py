"""The hand-built PAdES signature (pades.py).

Every signature made here is checked by an independent validator: pyHanko's (through
`pdf_check` or directly) and, where poppler is installed, `pdfsig`.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from meis.certificates import pades
from meis.certificates.rendering import Page, pdf_render
from meis.certificates.signing import (
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
