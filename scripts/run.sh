#!/usr/bin/env bash
# `make run`: migrate, seed the demo clinic, then web + Celery worker + beat until Ctrl-C.
# Embedded default (no DATABASE_URL/REDIS_URL): SQLite and Celery's filesystem transport in var/.
# The terminal gets the demo login, one line per service once it is up, the addresses, and one
# line when it stops; everything the services say goes to var/log/ (web.log, worker.log,
# beat.log, migrate.log; the previous run's as *.log.1).
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
LOG="$VAR/log"
mkdir -p "$VAR/broker/queue" "$VAR/broker/processed" "$VAR/cache" "$LOG" "$VAR/static"
for name in web worker beat migrate seed; do
    if [ -s "$LOG/$name.log" ]; then mv -f "$LOG/$name.log" "$LOG/$name.log.1"; fi
done

if ! $BIN/python manage.py migrate --noinput >"$LOG/migrate.log" 2>&1; then
    echo "Migrating the database failed; see $LOG/migrate.log" >&2
    exit 1
fi
# The demo login and enrollment code go to the terminal; what the seeding logs (kombu's notes
# on the embedded broker as its red-flag check-in queues notifications) goes to the log.
if ! $BIN/python manage.py seed_demo 2>"$LOG/seed.log"; then
    echo "Seeding the demo clinic failed; see $LOG/seed.log" >&2
    exit 1
fi

pids=()
names=()
stopping=0
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
interrupted() {
    stopping=1
    printf '\nStopping Stride (web, worker, beat) ... '
    stop
    echo "stopped."
    exit 0
}
trap interrupted INT TERM
trap stop EXIT

start() {  # start NAME COMMAND...: in the background, all its output in var/log/NAME.log
    local name="$1"
    shift
    "$@" >>"$LOG/$name.log" 2>&1 &
    pids+=($!)
    names+=("$name")
}

start worker $BIN/celery -A config worker -Q default,notifications,reminders --concurrency 2 \
    --loglevel INFO --logfile "$LOG/worker.log"
# The schedule lives in the database (django-celery-beat's DatabaseScheduler): no schedule file.
start beat $BIN/celery -A config beat --loglevel INFO --logfile "$LOG/beat.log" \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler
# Django's development server: it serves the admin's static files with DEBUG on.
# Production runs gunicorn (see docker-compose.yml).
start web $BIN/python manage.py runserver "127.0.0.1:$PORT" --noreload --skip-checks

is_up() {
    case "$1" in
        web) (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null ;;
        worker) grep -q " ready\.$" "$LOG/worker.log" 2>/dev/null ;;
        beat) grep -q "beat: Starting" "$LOG/beat.log" 2>/dev/null ;;
    esac
}
describe() {
    case "$1" in
        web) echo "http://127.0.0.1:$PORT/" ;;
        worker) echo "queues default, notifications, reminders" ;;
        beat) echo "schedule in the database" ;;
    esac
}

echo
pending=("${names[@]}")
deadline=$((SECONDS + 90))
while [ "${#pending[@]}" -gt 0 ]; do
    still=()
    for name in "${pending[@]}"; do
        if is_up "$name"; then
            printf '  %-7s up    %-42s log: %s\n' "$name" "$(describe "$name")" "$LOG/$name.log"
        else
            still+=("$name")
        fi
    done
    pending=("${still[@]+"${still[@]}"}")
    for index in "${!pids[@]}"; do
        if ! kill -0 "${pids[$index]}" 2>/dev/null; then
            echo "The ${names[$index]} stopped while starting; see $LOG/${names[$index]}.log" >&2
            exit 1
        fi
    done
    if [ "${#pending[@]}" -gt 0 ] && [ "$SECONDS" -ge "$deadline" ]; then
        echo "Not up after 90 s: ${pending[*]}; see $LOG/" >&2
        exit 1
    fi
    [ "${#pending[@]}" -eq 0 ] || sleep 0.3
done

cat <<MSG

Stride is running:
  Console   http://127.0.0.1:$PORT/console/
  API       http://127.0.0.1:$PORT/api/v1/
  API docs  http://127.0.0.1:$PORT/api/docs/
  Admin     http://127.0.0.1:$PORT/admin/
  Health    http://127.0.0.1:$PORT/health/
Demo login: therapist@demo.stride.test / stride-demo   (Ctrl-C stops everything)
MSG

exited=""
wait -n -p exited "${pids[@]}" || true
# Ctrl-C reaches the services too, and one may be gone before the trap has run: give it time.
sleep 1
if [ "$stopping" -eq 0 ]; then
    for index in "${!pids[@]}"; do
        if [ "${pids[$index]}" = "$exited" ]; then
            echo "The ${names[$index]} stopped; see $LOG/${names[$index]}.log. Stopping the rest." >&2
        fi
    done
    exit 1
fi
