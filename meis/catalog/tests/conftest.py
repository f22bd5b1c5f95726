import pytest

from meis.catalog.services import catalog_import_seed


@pytest.fixture
def seeded(db):
    return catalog_import_seed()
