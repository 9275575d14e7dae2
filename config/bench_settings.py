"""Settings for `make bench` only: production settings plus the floor endpoint and a query
counter (bench/floor.py). Never deployed."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-0123456")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STRIDE_LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The number of SQL queries a request made, in a response header (X-Query-Count).
MIDDLEWARE = ["bench.floor.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
# Escalations also email the therapist: nothing to send it to here.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
