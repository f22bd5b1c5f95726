"""The certificates' fixtures (a demo signing key, the catalogue, a pensioner) for the API's
certificate tests."""

from meis.certificates.tests.conftest import (  # noqa: F401
    _signing_key,
    catalogue,
    pensioner,
    signing_dir,
)
