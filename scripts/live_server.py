"""A live Stride for the checks that drive it from outside (`make fuzz`, `make ts-client`).

gunicorn serves production settings (DEBUG off) on a free local port, on a PostgreSQL database
of its own (`<DATABASE_URL's name>_<label>`, made here and dropped afterwards), with the
embedded broker and cache in a temporary directory (no Redis: nothing is left queued), and a
clinic made with `create_clinic` whose admin password is drawn here.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class LiveServer:
    base: str  # http://127.0.0.1:PORT
    admin_email: str
    admin_password: str
    log: Path  # gunicorn's output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scratch_database(label: str) -> tuple[str, str, str]:
    """(the scratch database's URL, its name, the maintenance database's URL)."""
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/stride"
    parts = urllib.parse.urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'stride'}_{label}"
    return (
        urllib.parse.urlunsplit(parts._replace(path=f"/{name}")),
        name,
        urllib.parse.urlunsplit(parts._replace(path="/postgres")),
    )


def recreate_database(maintenance_url: str, name: str, *, drop_only: bool = False) -> None:
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path, label: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            print(log.read_text(errors="replace")[-5000:])
            raise SystemExit(f"{label}: the server did not start")
        time.sleep(0.3)


@contextmanager
def live_server(
    label: str,
    *,
    clinic_name: str,
    admin_email: str,
    workers: int = 1,
    threads: int = 4,
    extra_env: dict[str, str] | None = None,
    limit_request_line: int | None = None,
) -> Iterator[LiveServer]:
    """Migrate a scratch database, make a clinic, serve it; stop and drop everything after.

    `limit_request_line` is gunicorn's (4094 bytes by default; 0 for none)."""
    db_url, db_name, maintenance_url = scratch_database(label)
    var_dir = tempfile.mkdtemp(prefix=f"stride-{label}-")
    password = secrets.token_urlsafe(18)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STRIDE_"))}
    env.pop("REDIS_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": db_url,
            "STRIDE_VAR_DIR": var_dir,
            "STRIDE_ADMIN_PASSWORD": password,
            **(extra_env or {}),
        }
    )
    server_log = Path(var_dir) / "server.log"
    print(f"{label}: database {db_name}, server on port {port}")
    recreate_database(maintenance_url, db_name)
    proc: subprocess.Popen[bytes] | None = None
    try:
        manage = [str(BIN / "python"), "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "create_clinic", clinic_name, "--admin-email", admin_email],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with open(server_log, "wb") as log:
            proc = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--threads",
                    str(threads),
                    "--timeout",
                    "60",
                    *(
                        ["--limit-request-line", str(limit_request_line)]
                        if limit_request_line is not None
                        else []
                    ),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, proc, server_log, label)
        yield LiveServer(
            base=base, admin_email=admin_email, admin_password=password, log=server_log
        )
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        recreate_database(maintenance_url, db_name, drop_only=True)
        shutil.rmtree(var_dir, ignore_errors=True)
