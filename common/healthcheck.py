"""Container health probes (docker-compose.yml `healthcheck`); each exits 0 when healthy, 1 not.

- `python -m common.healthcheck` (web): GET /health/ with a Host the settings allow; healthy on
  200 with status "ok". A 200 with status "degraded" (an escalation event found no person to
  tell, see /health/) fails the probe too, printing the checks that are not ok, so the container
  shows as unhealthy while the web service keeps answering.
- `python -m common.healthcheck worker`: this container's Celery worker answers a ping through
  the broker within a few seconds.
- `python -m common.healthcheck beat`: beat is dispatching: an enabled periodic task ran in the
  last BEAT_MAX_SILENCE (beat runs one every 30 s and saves when they ran every 3 minutes).
"""

import json
import os
import socket
import sys
import urllib.request
from datetime import timedelta

BEAT_MAX_SILENCE = timedelta(minutes=10)


def web() -> int:
    host = (os.environ.get("DJANGO_ALLOWED_HOSTS") or "localhost").split(",")[0].strip()
    if host.startswith("."):
        host = host.lstrip(".")
    request = urllib.request.Request(
        "http://127.0.0.1:8000/health/",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310
            if response.status != 200:
                return 1
            body = json.loads(response.read() or b"{}")
    except Exception:
        return 1
    if body.get("status") != "ok":
        failing = {k: v for k, v in body.items() if k != "status" and v != "ok"}
        print(f"degraded: {json.dumps(failing, sort_keys=True)}")
        return 1
    return 0


def worker() -> int:
    from config.celery import app

    node = f"celery@{socket.gethostname()}"
    try:
        replies = app.control.ping(destination=[node], timeout=5.0) or []
    except Exception:
        return 1
    return 0 if any(node in reply for reply in replies) else 1


def beat() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db.models import Max
    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    try:
        latest = PeriodicTask.objects.filter(enabled=True).aggregate(at=Max("last_run_at"))["at"]
    except Exception:
        return 1
    return 0 if latest is not None and timezone.now() - latest < BEAT_MAX_SILENCE else 1


def main(argv: list[str]) -> int:
    probes = {"web": web, "worker": worker, "beat": beat}
    name = argv[1] if len(argv) > 1 else "web"
    if name not in probes:
        print(f"usage: python -m common.healthcheck [{'|'.join(probes)}]", file=sys.stderr)
        return 2
    return probes[name]()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
