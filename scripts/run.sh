#!/usr/bin/env bash
# `make run`: migrate, seed the demo clinic, then web + Celery worker + beat until Ctrl-C.
# Embedded default (no DATABASE_URL/REDIS_URL): SQLite and Celery's filesystem transport in var/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
# Links in emails and webhooks lead to this server's console pages.
export STRIDE_PUBLIC_URL="${STRIDE_PUBLIC_URL:-http://127.0.0.1:$PORT}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
export STRIDE_LOG_FORMAT="${STRIDE_LOG_FORMAT:-plain}"  # a terminal; production logs JSON
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings}"
VAR="${STRIDE_VAR_DIR:-var}"
mkdir -p "$VAR/broker/queue" "$VAR/broker/processed" "$VAR/cache" "$VAR/log" "$VAR/static"

$BIN/python manage.py migrate --noinput >"$VAR/log/migrate.log"
$BIN/python manage.py seed_demo

pids=()
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$BIN/celery -A config worker -Q default,notifications,reminders --concurrency 2 \
    --loglevel INFO --logfile "$VAR/log/worker.log" &
pids+=($!)
$BIN/celery -A config beat --loglevel INFO --logfile "$VAR/log/beat.log" \
    --schedule "$VAR/celerybeat-schedule" &
pids+=($!)
# Django's development server: it serves the admin's static files with DEBUG on.
# Production runs gunicorn (see docker-compose.yml).
$BIN/python manage.py runserver "127.0.0.1:$PORT" --noreload --skip-checks &
pids+=($!)

cat <<MSG

Stride is running (worker and beat logs in $VAR/log/):
  Console   http://127.0.0.1:$PORT/console/
  API       http://127.0.0.1:$PORT/api/v1/
  API docs  http://127.0.0.1:$PORT/api/docs/
  Admin     http://127.0.0.1:$PORT/admin/
  Health    http://127.0.0.1:$PORT/health/
Demo login: therapist@demo.stride.test / stride-demo   (Ctrl-C stops everything)

MSG
wait -n "${pids[@]}"
