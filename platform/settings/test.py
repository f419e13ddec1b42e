"""Settings for the test suite: the same as production but for speed and determinism."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SIGOBITO_ALLOW_INSECURE_KEY", "1")

from sigobito_platform.settings import *  # noqa: E402,F403
from sigobito_platform.settings import CACHES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "KEY_FUNCTION": "django_tenants.cache.make_key",
}
CACHES["platform"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "platform"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
