# Stride's image: the web process (gunicorn), the Celery worker and beat all run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings

WORKDIR /app
RUN useradd --system --create-home --uid 10001 stride

COPY pyproject.toml ./
COPY config ./config
COPY common ./common
COPY clinical ./clinical
COPY clinic ./clinic
COPY patients ./patients
COPY assessments ./assessments
COPY programs ./programs
COPY monitoring ./monitoring
COPY console ./console
COPY manage.py ./
RUN pip install --upgrade pip && pip install .

# collectstatic needs settings that import; the key is thrown away with this layer.
RUN DJANGO_SECRET_KEY=collectstatic-only STRIDE_VAR_DIR=/app/var \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R stride /app/var

USER stride
EXPOSE 8000
# No gunicorn access log: its request line holds the query string (search terms); Stride
# writes one JSON line per request itself, with the path and the request id.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--threads", "4"]
