"""The signed-in citizen's navigation: my applications, my awards and the inbox, each shown only
when its URL exists (a urlconf without awards or the inbox still renders every page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.test import override_settings
from django.urls import include, path, reverse

pytestmark = pytest.mark.django_db

NAV = 'class="govuk-service-navigation__link" href="{}"'


def test_a_signed_in_citizen_sees_applications_awards_and_inbox(
    citizen: Any, citizen_client: Any
) -> None:
    html = citizen_client(citizen).get(reverse("cases:my_applications")).content.decode()

    for name in ("cases:my_applications", "awards:my_awards", "inbox:inbox"):
        assert NAV.format(reverse(name)) in html
    current = NAV.format(reverse("cases:my_applications")) + ' aria-current="page"'
    assert current in html


def test_staff_and_visitors_do_not_get_the_citizens_links(
    client: Any, call_operator: Any, staff_client: Any
) -> None:
    for html in (
        client.get(reverse("portal:home")).content.decode(),
        staff_client(call_operator).get(reverse("portal:home")).content.decode(),
    ):
        assert NAV.format(reverse("cases:my_applications")) not in html
        assert NAV.format(reverse("inbox:inbox")) not in html


urlpatterns = i18n_patterns(
    path("", include("meis.portal.urls")),
    path("", include("meis.accounts.urls")),
    path("", include("meis.cases.urls")),
    prefix_default_language=True,
)


@override_settings(ROOT_URLCONF=__name__)
def test_a_missing_url_name_leaves_its_link_out_instead_of_breaking_the_page(
    citizen: Any, citizen_client: Any
) -> None:
    response = citizen_client(citizen).get("/en/applications/")

    assert response.status_code == 200
    html = response.content.decode()
    assert NAV.format("/en/applications/") in html
    assert "/my/awards/" not in html
    assert "/inbox/" not in html
