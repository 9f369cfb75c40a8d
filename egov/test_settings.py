"""Settings for the test suite: SQLite always; PostgreSQL when EGOV_TEST_POSTGRES is set.

EGOV_TEST_POSTGRES may be a database URL or just ``1`` for the local server.
"""

import os

from egov.settings import *  # noqa: F403
from egov.settings import VAR_DIR, database_from_url

_postgres = os.environ.get("EGOV_TEST_POSTGRES", "")
if _postgres:
    url = _postgres if "://" in _postgres else "postgres://postgres@127.0.0.1:5432/egov"
    DATABASES = {"default": database_from_url(url)}
else:
    # The test database itself is in memory; the name only chooses the engine.
    DATABASES = {"default": database_from_url(f"sqlite:///{VAR_DIR / 'test.sqlite3'}")}

# Hashing cost is argon2's job in production; tests check that setting separately.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {"name": "egov-test", "huey_class": "huey.MemoryHuey", "immediate": True}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files come from the apps' folders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# No supervision demo month in tests that load the demo (its own tests load one explicitly).
EGOV_DEMO_SUPERVISION_CASES = 0
