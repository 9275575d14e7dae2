"""Container health probe: GET /health/ with a Host the settings allow; exit 1 unless 200 with
status "ok".

A 200 with status "degraded" (an escalation event found no person to tell, see /health/) fails
the probe too, printing the checks that are not ok, so the container shows as unhealthy while
the web service keeps answering.
"""

import json
import os
import sys
import urllib.request


def main() -> int:
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


if __name__ == "__main__":
    sys.exit(main())
