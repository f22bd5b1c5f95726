"""Settings for the test suite: the production module with a test environment.

All environment reading stays in meis.settings; this module only supplies the environment a
test run has and swaps what would make tests slow (password hashing).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
# Each test rolls back or flushes its templates: a per-process cache would outlive them.
os.environ.setdefault("NOTIFICATION_TEMPLATE_CACHE_SECONDS", "0")
# Parallel test workers share one Redis (and SQLite's in-memory databases share one name): each
# counts its API calls under its own prefix.
# (xdist names every run's workers gw0, gw1, …: the run's own id keeps two runs apart too.)
os.environ.setdefault(
    "API_RATE_LIMIT_PREFIX",
    "meis:test:{}:{}:rate:".format(
        os.environ.get("PYTEST_XDIST_TESTRUNUID", os.getpid()),
        os.environ.get("PYTEST_XDIST_WORKER", "main"),
    ),
)

from meis.settings import *  # noqa: E402,F403

# WhiteNoise warns when the collected-static directory is missing; tests serve from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
