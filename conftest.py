"""Shared personas for every app's tests (STYLE.md: a citizen, another citizen, staff by role).

Staff personas are plain users in the role groups (named by `meis.accounts.roles.Role` values,
with the registry permissions of `meis.accounts.services.ROLE_PERMISSIONS`); apps that need more
(centres, TOTP devices) override these fixtures in their own conftest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import settings as hypothesis_settings

from meis.accounts.services import staff_groups_ensure
from meis.accounts.testing import otp_verified
from meis.registry.models import Person
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

STAFF_PASSWORD = "correct horse battery staple"

# Property tests check what is true, not how fast: Hypothesis's default 200 ms deadline per
# example failed a calendar property on a loaded 2-core machine (speed is for bench/).
hypothesis_settings.register_profile("meis", deadline=None)
hypothesis_settings.load_profile("meis")


def _reference_data_seed(**_: object) -> None:
    """What data migrations seed: the DOST centres, the decreed working/non-working days, the
    message templates, the 142 call topics and the labour classifiers (each seeding is idempotent). The e-service
    catalogue is not among them (`meis demo load` or an import brings it); browser tests seed it
    for their pages."""
    import importlib

    from django.apps import apps

    from meis.notifications.models import Template
    from meis.notifications.seed import templates_seed
    from meis.workcalendar.models import CalendarDay
    from meis.workcalendar.seed import decreed_days_load

    templates_seed(Template)
    importlib.import_module("meis.centres.migrations.0002_seed_dost_centres").seed(apps, None)
    importlib.import_module("meis.centres.migrations.0004_seed_centre_data").seed(apps, None)
    decreed_days_load(CalendarDay)
    importlib.import_module("meis.callcentre.migrations.0002_seed_topics").seed(apps, None)
    from meis.labour.classifiers import classifiers_load

    classifiers_load()


@pytest.fixture(scope="session", autouse=True)
def _reference_data_reseeded_after_every_flush() -> None:
    """A transactional test (live server, crash test) ends with a flush, which also empties what
    data migrations seeded; under pytest-xdist the worker's next test may be any app's and expect
    it. The flush emits `post_migrate` (as Django's own content types rely on), so re-seed then."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    post_migrate.connect(
        _reference_data_seed,
        sender=apps.get_app_config("catalog"),
        dispatch_uid="meis-tests-reference-data",
    )


def _citizen() -> Person:
    person = cast(Person, PersonFactory())  # factory_boy types the call as the factory
    IdentityDocumentFactory(person=person)
    return person


def _staff(username: str, role: str, *, superuser: bool = False) -> User:
    groups = staff_groups_ensure()
    user = User.objects.create_user(
        username=username, password=STAFF_PASSWORD, is_staff=True, is_superuser=superuser
    )
    user.groups.add(groups[role])
    return user


@pytest.fixture
def citizen(db: None) -> Person:
    return _citizen()


@pytest.fixture
def other_citizen(db: None) -> Person:
    return _citizen()


@pytest.fixture
def case_worker(db: None) -> User:
    return _staff("persona-caseworker", "case_worker")


@pytest.fixture
def case_worker_other_centre(db: None) -> User:
    return _staff("persona-caseworker-2", "case_worker")


@pytest.fixture
def operator(db: None) -> User:
    return _staff("persona-operator", "call_centre_operator")


@pytest.fixture
def analyst(db: None) -> User:
    return _staff("persona-analyst", "analyst")


@pytest.fixture
def auditor(db: None) -> User:
    return _staff("persona-auditor", "auditor")


@pytest.fixture
def administrator(db: None) -> User:
    return _staff("persona-admin", "administrator", superuser=True)


@pytest.fixture
def admin_user(administrator: User) -> User:
    """pytest-django's admin user is our administrator persona (superuser in the role group)."""
    return administrator


@pytest.fixture
def admin_client(db: None, admin_user: User) -> Client:
    """pytest-django's admin client, signed in with a verified TOTP device like real staff."""
    return otp_verified(Client(), admin_user)


@pytest.fixture(autouse=True)
def _default_language_active() -> Iterator[None]:
    """Every test starts in the default language with an empty cache. A request through the test client leaves its
    language active on the thread (LocaleMiddleware does not deactivate it), and `reverse()` and
    `gettext` would follow it into the worker's next test."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    # Nor do a test's limits (sign-in, codes, checks: counted in the cache) reach the next.
    cache.clear()
    yield
    translation.deactivate()
