"""Shared by the benchmark's scripts: the environment, Django setup, processes, statistics."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "config.bench_settings"
BIN = Path(sys.executable).parent


def server_url() -> str:
    """The PostgreSQL server the benchmark makes its own database on (DATABASE_URL's)."""
    return os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stride")


def admin_connection(url: str | None = None) -> Any:
    """An autocommit connection to the maintenance database (`postgres`) of the PostgreSQL
    server of `url` (default: DATABASE_URL's), to make and drop the benchmark's databases."""
    import psycopg

    parts = urllib.parse.urlsplit(url or server_url())
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def bench_database_url() -> str:
    parts = urllib.parse.urlsplit(server_url())
    name = os.environ.get("BENCH_DATABASE", "stride_bench")
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def database_name() -> str:
    """The benchmark's own database (BENCH_DATABASE, on DATABASE_URL's server)."""
    return bench_database_url().rsplit("/", 1)[1]


def create_database() -> None:
    """Make the benchmark's database afresh (one left by an interrupted run is dropped)."""
    name = database_name()
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    """Close this process's connections and drop the benchmark's database."""
    from django.db import connections

    connections.close_all()
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name()}" WITH (FORCE)')


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every process the benchmark starts: bench settings, bench DB."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": bench_database_url(),
        "REDIS_URL": redis_url(),
        **extra,
    }


def django_setup() -> None:
    """Configure Django in this process for the bench database and settings."""
    os.environ.update(child_env())
    import django

    django.setup()


def check_in_body() -> dict[str, Any]:
    """The routine check-in every load generator sends: no rule fires, no exercise reported."""
    from datetime import UTC, datetime

    return {
        "recorded_at": datetime.now(UTC).isoformat(),
        "pain_rest": 2,
        "pain_morning": 2,
        "ran": False,
        "symptoms": [],
        "exercises_completed": [],
        "note": "Easy day.",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def run_json(args: list[str], timeout: float, **env: str) -> dict[str, Any]:
    """Run a benchmark step as its own process; its last stdout line is a JSON result."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result
