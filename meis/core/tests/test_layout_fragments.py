"""The layout's unchanging parts (footer, brand, head links) are rendered once per process and
language, and are still each language's own (issue 24: layout fragments cached)."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

from meis.core.templatetags import layout

FRAGMENT = Template('{% load layout %}{% unchanging "test-fragment" %}{{ n }}{% endunchanging %}')


@pytest.fixture(autouse=True)
def _nothing_kept():
    layout.forget()
    yield
    layout.forget()


def test_a_fragment_is_rendered_once_per_language(settings):
    settings.DEBUG = False
    with translation.override("az"):
        assert FRAGMENT.render(Context({"n": 1})) == "1"
        assert FRAGMENT.render(Context({"n": 2})) == "1"  # kept: not rendered again
    with translation.override("ru"):
        assert FRAGMENT.render(Context({"n": 3})) == "3"
    with translation.override("az"):
        assert FRAGMENT.render(Context({"n": 4})) == "1"


def test_under_debug_every_render_is_fresh(settings):
    settings.DEBUG = True
    assert FRAGMENT.render(Context({"n": 1})) == "1"
    assert FRAGMENT.render(Context({"n": 2})) == "2"


def test_a_changed_setting_forgets_what_was_kept(settings):
    settings.DEBUG = False
    assert FRAGMENT.render(Context({"n": 1})) == "1"
    settings.ROOT_URLCONF = settings.ROOT_URLCONF  # any change of settings
    assert FRAGMENT.render(Context({"n": 2})) == "2"


def test_a_fragment_needs_a_quoted_name():
    with pytest.raises(TemplateSyntaxError, match="Usage"):
        Template("{% load layout %}{% unchanging footer %}x{% endunchanging %}")


@pytest.mark.django_db
def test_each_language_gets_its_own_footer_one_page_after_another(client):
    """The same process serves az, en and ru pages in turn: each footer is in its language."""
    expected = {"az": "Məxfilik", "en": "Privacy", "ru": "Конфиденциальность"}
    for _round in range(2):
        for language, privacy in expected.items():
            with translation.override(language):
                page = client.get(reverse("portal:home")).content.decode()
            footer = page[page.index('<footer class="govuk-footer">') :]
            assert f">{privacy}</a>" in footer
            assert f'href="/{language}/' in footer
            others = [word for code, word in expected.items() if code != language]
            assert not any(f">{word}</a>" in footer for word in others)
