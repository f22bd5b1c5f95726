"""The portal's pages: language prefixes, the language switch, the layout and the error pages."""

import re

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import include, path
from django.utils import translation

from meis.catalog.subsystems import SUBSYSTEMS

pytestmark = pytest.mark.django_db

SUBSYSTEM_HEADINGS = {
    "az": [
        "Əmək müqaviləsi bildirişi",
        "Ünvanlı dövlət sosial yardımı",
        "Əlilliyin qiymətləndirilməsi",
        "Sosial sığorta",
        "Pensiyalar",
        "Məşğulluq və işsizlik",
        "Elektron arayışlar",
    ],
    "en": [
        "Employment contract notification",
        "Targeted social assistance",
        "Disability assessment",
        "Social insurance",
        "Pensions",
        "Employment and unemployment",
        "E-certificates",
    ],
    "ru": [
        "Уведомление о трудовом договоре",
        "Адресная социальная помощь",
        "Оценка инвалидности",
        "Социальное страхование",
        "Пенсии",
        "Занятость и безработица",
        "Электронные справки",
    ],
}
MINISTRY = {
    "az": "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi",
    "en": "Ministry of Labour and Social Protection of Population",
    "ru": "Министерство труда и социальной защиты населения",
}


def _headings(html, level):
    """The text of every heading of that level (the tags inside it, such as a link, removed)."""
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)
    ]


def test_the_root_redirects_to_the_azerbaijani_home_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/az/"


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_the_home_page_speaks_the_language_of_its_prefix(client, language):
    response = client.get(f"/{language}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<html lang="{language}"' in html
    assert _headings(html, 3) == SUBSYSTEM_HEADINGS[language]
    assert MINISTRY[language] in html


def test_every_subsystem_has_a_heading_on_the_home_page(client):
    html = client.get("/en/").content.decode()

    assert len(SUBSYSTEMS) == 7
    for subsystem in SUBSYSTEMS:
        assert f'id="{subsystem.slug}"' in html


@pytest.mark.parametrize(
    ("page", "language", "expected"),
    [
        ("/az/", "en", "/en/"),
        ("/az/", "ru", "/ru/"),
        ("/en/privacy/", "az", "/az/privacy/"),
        ("/ru/accessibility/", "en", "/en/accessibility/"),
    ],
)
def test_the_language_switch_links_to_the_same_page_in_the_other_language(
    client, page, language, expected
):
    html = client.get(page).content.decode()

    assert f'href="{expected}" rel="alternate" lang="{language}" hreflang="{language}"' in html


def test_following_the_language_switch_changes_the_language(client):
    html = client.get("/az/").content.decode()
    english_link = re.search(r'href="([^"]+)" rel="alternate" lang="en"', html)
    assert english_link

    response = client.get(english_link.group(1))

    assert '<html lang="en"' in response.content.decode()
    assert "Employment contract notification" in response.content.decode()


def test_the_current_language_is_marked_and_not_a_link(client):
    html = client.get("/ru/").content.decode()

    assert re.search(
        r'<span class="govuk-language-navigation__text" aria-current="true" lang="ru">Русский</span>',
        html,
    )
    assert 'hreflang="ru"' not in html


def test_the_layout_has_a_skip_link_and_the_landmarks(client):
    html = client.get("/az/").content.decode()

    assert html.index('href="#main-content"') < html.index("<header")
    for landmark in ("<header", "<nav", '<main id="main-content"', "<footer"):
        assert landmark in html


@pytest.mark.parametrize("page", ["/az/accessibility/", "/en/privacy/"])
def test_the_footer_pages_exist(client, page):
    assert client.get(page).status_code == 200


def test_an_unknown_page_is_a_translated_404_in_the_layout(client):
    response = client.get("/ru/no-such-page/")
    html = response.content.decode()

    assert response.status_code == 404
    assert '<html lang="ru"' in html
    assert "Страница не найдена" in html
    assert MINISTRY["ru"] in html


def _raise_error(request):
    raise RuntimeError("boom")


urlpatterns = i18n_patterns(
    path("boom/", _raise_error),
    path("", include("meis.portal.urls")),
    prefix_default_language=True,
)


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_error_shows_the_translated_500_page(client):
    client.raise_request_exception = False
    response = client.get("/az/boom/")

    assert response.status_code == 500
    assert "Bağışlayın, xidmətdə problem var" in response.content.decode()


def test_the_500_page_renders_without_a_request():
    with translation.override("en"):
        html = render_to_string("500.html")

    assert '<html lang="en"' in html
    assert "Sorry, there is a problem with the service" in html


@pytest.mark.parametrize("language", ["en", "ru"])
def test_an_english_or_russian_home_page_names_each_subsystem_once_in_its_language(
    client, language
):
    html = client.get(f"/{language}/").content.decode()

    assert "meis-card__local-name" not in html
    assert "Ünvanlı yardım (VEMTAS)" not in html


def test_each_subsystem_heading_leads_to_its_services(client):
    html = client.get("/en/").content.decode()

    for subsystem in SUBSYSTEMS:
        assert f'href="/en/services/?subsystem={subsystem.slug}"' in html
        services = client.get(f"/en/services/?subsystem={subsystem.slug}")
        assert services.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("az", "Bu səhifəni aça bilməzsiniz"), ("en", "You cannot open this page"), ("ru", "Вы не можете открыть эту страницу")])  # fmt: skip
def test_a_refused_page_speaks_the_page_language_inside_the_layout(analyst, language, heading):
    from django.test import Client

    from meis.accounts.testing import otp_verified

    response = otp_verified(Client(), analyst).get(f"/{language}/backoffice/cases/")

    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}"' in html
    assert heading in html
    assert 'id="navigation"' in html
