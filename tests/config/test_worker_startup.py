"""A worker started with a database it cannot reach exits non-zero saying so, rather than
reporting ready and failing every task it takes."""

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import ROOT, free_port, wait_for

pytestmark = pytest.mark.worker


def test_a_worker_without_its_database_exits_non_zero_with_a_clear_message():
    closed = free_port()
    log = tempfile.NamedTemporaryFile(prefix="stride-worker-", suffix=".log", delete=False)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed}/stride_nowhere",
        "REDIS_URL": settings.CELERY_BROKER_URL,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            *("-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", "default"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--loglevel", "INFO", "-n", f"nodb-{closed}@%h"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output = lambda: Path(log.name).read_text(errors="replace")  # noqa: E731
    try:
        wait_for(lambda: proc.poll() is not None or "ready." in output(), timeout=60, interval=0.2)
        assert "ready." not in output(), output()
        assert proc.poll() is not None, "the worker is still running"
        assert proc.returncode != 0
        assert f"the database at 127.0.0.1:{closed}/stride_nowhere does not answer" in output()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
