"""The demo signs its disability decisions' extracts: a demo key per test session, never the
repository's `var/` (two workers would race to write it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from meis.certificates.signing import demo_ca_ensure


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("signing")
    demo_ca_ensure(directory)
    return directory


@pytest.fixture(autouse=True)
def _signing_key(settings: Any, signing_dir: Path) -> None:
    settings.CERTIFICATE_SIGNING_P12 = str(signing_dir / "signing.p12")
    settings.CERTIFICATE_TRUST_ROOTS = str(signing_dir / "ca.pem")
