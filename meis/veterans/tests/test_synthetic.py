# mypy: disable-error-code="no-untyped-def"
"""The synthetic veterans' registers, from the side of the proactive run that reads them."""

from __future__ import annotations

import datetime

from meis.registry.tests.factories import PersonFactory
from meis.veterans.models import StipendStatus
from meis.veterans.synthetic import veterans_generate

ON = datetime.date(2020, 3, 2)


def test_it_gives_about_three_in_a_hundred_people_a_status_once(db: None) -> None:
    PersonFactory.create_batch(400)

    first = veterans_generate(seed=1, on=ON)
    second = veterans_generate(seed=1, on=ON)

    assert 1 <= first.statuses <= 40
    assert second.statuses == 0
    assert StipendStatus.objects.count() == first.statuses


def test_every_status_has_its_source_and_the_disabled_a_degree(db: None) -> None:
    PersonFactory.create_batch(400)
    veterans_generate(seed=2, on=ON)

    for status in StipendStatus.objects.all():
        assert status.authority
        assert status.document_number
        assert status.recorded_on < ON
        assert (status.degree != "") == (status.category in ("war_disabled", "january_20_disabled"))
