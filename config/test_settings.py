"""Test settings: the production settings module with fast hashing and in-memory email."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stride")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
# `make test` runs the suite in two processes (pytest-xdist): each gets a test database of its
# own (pytest-django names it after the process) and Redis databases of its own, so one
# process's cache clear or queue purge never reaches the other's. The processes a test starts
# (worker, gunicorn) inherit the moved URL and the marker that says it was moved already.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker[2:].isdigit() and os.environ.get("STRIDE_TEST_REDIS_MOVED") != _worker:
    _url, _, _number = os.environ["REDIS_URL"].rpartition("/")
    if _number.isdigit():
        os.environ["REDIS_URL"] = f"{_url}/{(int(_number) + int(_worker[2:])) % 8}"
    os.environ["STRIDE_TEST_REDIS_MOVED"] = _worker
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: E402, F403

# The cache (throttle counters, cleared before every test) gets a Redis database of its own,
# next to the broker's, so clearing it never drops queued tasks.
_base, _, _db = REDIS_URL.rpartition("/")  # noqa: F405
CACHES["default"]["LOCATION"] = f"{_base}/{(int(_db) + 8) % 16 if _db.isdigit() else 8}"  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]  # noqa: F405
# Static files are not under test, and the test run has no collectstatic output to serve.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
