"""Container health probe: GET /health/ with a Host the settings allow; exit 1 unless 200."""

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
            return 0 if response.status == 200 else 1
    except Exception:
        return 1


if __name__ == "__main__":
    sys.exit(main())
