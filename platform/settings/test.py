"""Settings for the test suite: the same as production but for speed and determinism."""

import os

from sigobito_platform.settings import *  # noqa: F403
from sigobito_platform.settings import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Processes started by tests (the Celery worker) write mail to files the test can read.
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("TEST_EMAIL_FILE_PATH", "")
CACHES["default"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "KEY_FUNCTION": "django_tenants.cache.make_key",
}
CACHES["platform"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "platform"}
if os.environ.get("TEST_SHARED_CACHE_DIR"):
    # Servers the tests start run several processes (gunicorn workers): one request's cache
    # entry (a checked import file, a rate-limit counter) must be there for the next.
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["TEST_SHARED_CACHE_DIR"],
        "KEY_FUNCTION": "django_tenants.cache.make_key",
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# Tasks run in-process in tests, unless a test starts a real worker (tests/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"
# The publishing tests point channels at a local fake server (tests/communications/
# fake_channel.py); the tests of the address checks turn this off for themselves.
COMMUNICATIONS_ALLOW_CUSTOM_ENDPOINTS = True
