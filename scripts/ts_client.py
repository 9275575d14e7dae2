"""`make ts-client`: the TypeScript check of the schema, against a live server.

In clients/typescript/ (exact versions in its package-lock.json; `npm ci` installs them, no
install scripts run): openapi-typescript generates types from var/schema.yml (`make schema`),
`tsc --strict` compiles src/main.ts against them, and node runs it. The script signs in as
staff, registers a patient with a program and an enrollment code, enrolls with openapi-fetch,
submits a red-flag check-in, replays it with the same Idempotency-Key (the same check-in
back), and reads today's program and the check-in history.

The server is gunicorn on production settings (DEBUG off) on a free port, on a database of its
own (`<DATABASE_URL's name>_ts`, made and dropped here) with the embedded broker in a temporary
directory, and a clinic made with `create_clinic`. Exits non-zero when any step fails; the last
line counts the checks: `ts-client: N passed, M failed`.
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
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLIENT = ROOT / "clients" / "typescript"
SCHEMA = ROOT / "var" / "schema.yml"
ADMIN_EMAIL = "ts-admin@ts.stride.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scratch_database() -> tuple[str, str, str]:
    """(the scratch database's URL, its name, the maintenance database's URL)."""
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/stride"
    parts = urllib.parse.urlsplit(base)
    name = (parts.path.lstrip("/") or "stride") + "_ts"
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


def npm(*args: str) -> None:
    subprocess.run(["npm", *args], cwd=CLIENT, check=True)


def build() -> None:
    """Install the pinned packages, generate the types, compile with `tsc --strict`."""
    if not SCHEMA.exists():
        raise SystemExit("ts-client: var/schema.yml is missing; run `make schema` first")
    npm("ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
    npm("run", "--silent", "generate")
    npm("run", "--silent", "build")
    print("ts-client: types generated, src/main.ts compiled with tsc --strict")


def wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
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
            raise SystemExit("ts-client: the server did not start")
        time.sleep(0.3)


def main() -> int:
    build()
    db_url, db_name, maintenance_url = scratch_database()
    var_dir = tempfile.mkdtemp(prefix="stride-ts-")
    password = secrets.token_urlsafe(18)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
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
        }
    )
    server_log = Path(var_dir) / "server.log"
    print(f"ts-client: database {db_name}, server on port {port}")
    recreate_database(maintenance_url, db_name)
    proc: subprocess.Popen[bytes] | None = None
    try:
        manage = [str(BIN / "python"), "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "create_clinic", "TypeScript Clinic", "--admin-email", ADMIN_EMAIL],
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
                    "1",
                    "--threads",
                    "4",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_healthy(base, proc, server_log)
        # main.js prints one line per check and closes with `ts-client: N passed, M failed`.
        result = subprocess.run(
            ["node", "dist/main.js"],
            cwd=CLIENT,
            env={
                **os.environ,
                "STRIDE_BASE_URL": base,
                "STRIDE_STAFF_EMAIL": ADMIN_EMAIL,
                "STRIDE_STAFF_PASSWORD": password,
            },
            check=False,
        )
        return result.returncode
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        recreate_database(maintenance_url, db_name, drop_only=True)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
