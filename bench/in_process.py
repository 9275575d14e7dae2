"""The check-in and the floor in-process: CPU per request with one client and no HTTP server.

    .venv/bin/python bench/in_process.py [--requests 3000] [--profile DIR]

Makes its own database (`stride_bench_in_process` unless BENCH_DATABASE says otherwise; made,
filled with the 500 check-in patients of `make bench`, and dropped), calls Django's WSGI
handler of the bench settings directly with the same requests locust sends, and prints the
CPU time (`time.process_time`) per check-in and per floor request, after 200 of each not
counted. The check-ins' history grows as they are sent, as in `make bench`. With
`--profile`, each target is then run again under cProfile (CPU time) into DIR. For work on
the check-in path: the figure moves with the code, not with the load on the machine; `make
bench` gives the figures of record (docs/performance.md).
"""

import argparse
import cProfile
import io
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("BENCH_DATABASE", "stride_bench_in_process")

from bench.common import check_in_body, create_database, django_setup, drop_database

WARMUP = 200


def _environ(target: str, patient: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(check_in_body()).encode()
    if target == "check_in":
        path = "/api/v1/app/check-ins/"
    else:
        path = f"/bench/floor/{patient['clinic']}/{patient['patient']}/"
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Bearer {patient['token']}",
        "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4()),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _sender(target: str, patients: list[dict[str, Any]]) -> Callable[[int], None]:
    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()
    answered: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]:
        answered.append(status)
        return lambda data: None

    def send(i: int) -> None:
        answered.clear()
        response = app(_environ(target, patients[i % len(patients)]), start_response)
        body = b"".join(response)
        if not answered[0].startswith("201"):
            raise RuntimeError(f"{target}: {answered[0]} {body[:300]!r}")

    return send


def measure(target: str, patients: list[dict[str, Any]], requests: int) -> float:
    """CPU milliseconds per request of `target`, after WARMUP requests not counted."""
    send = _sender(target, patients)
    for i in range(WARMUP):
        send(i)
    began = time.process_time()
    for i in range(requests):
        send(i)
    return (time.process_time() - began) * 1000 / requests


def profile(target: str, patients: list[dict[str, Any]], requests: int, out: Path) -> Path:
    send = _sender(target, patients)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for i in range(requests):
        send(i)
    profiler.disable()
    path = out / f"in-process-{target}.pstats"
    profiler.dump_stats(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", type=Path, help="also profile each target into this folder")
    args = parser.parse_args(argv)
    create_database()
    try:
        django_setup()
        from django.core.management import call_command

        from bench import check_ins

        call_command("migrate", verbosity=0)
        workdir = Path(tempfile.mkdtemp(prefix="stride-bench-in-process-"))
        patients = json.loads(check_ins.prepare(workdir).read_text())
        for target in ("check_in", "floor"):
            cpu_ms = measure(target, patients, args.requests)
            print(f"{target}: {cpu_ms:.2f} ms of CPU a request ({args.requests} requests)")
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                print(f"  profile: {profile(target, patients, args.requests, args.profile)}")
    finally:
        drop_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
