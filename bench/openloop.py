"""An open-loop check-in load: arrivals on a fixed schedule (`rate` a second for `seconds`),
whatever the responses do, as an evening's reminders bring them.

Each request is timed from the instant it was due, not from when a client thread got to
send it, so a server that falls behind shows in the latencies (no coordinated omission).
Runs in background threads of the caller's process (`bench/escalation_latency.py` measures
the red-flag webhook while it runs).
"""

import http.client
import json
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import check_in_body, percentile

CLIENT_THREADS = 64


class OpenLoad:
    def __init__(self, *, port: int, patients: Path, rate: float, seconds: float) -> None:
        self.port = port
        self.patients: list[dict[str, Any]] = json.loads(patients.read_text())
        self.rate = rate
        self.seconds = seconds
        self.latencies: list[float] = []
        self.failures = 0
        self.late_starts = 0
        self._local = threading.local()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.started_at = 0.0

    def start(self) -> None:
        self.started_at = time.perf_counter()
        self._thread.start()

    def join(self) -> dict[str, Any]:
        self._thread.join()
        done = sorted(self.latencies)
        return {
            "rate": self.rate,
            "seconds": self.seconds,
            "sent": len(done) + self.failures,
            "failures": self.failures,
            "p50": percentile(done, 50) if done else None,
            "p95": percentile(done, 95) if done else None,
            "p99": percentile(done, 99) if done else None,
            "max": done[-1] if done else None,
            "late_starts": self.late_starts,
        }

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self._local.conn = conn
        return conn

    def _send(self, due: float) -> None:
        patient = random.choice(self.patients)
        body = json.dumps(check_in_body())
        ok = False
        try:
            conn = self._conn()
            conn.request(
                "POST",
                "/api/v1/app/check-ins/",
                body=body,
                headers={
                    "Authorization": f"Bearer {patient['token']}",
                    "Idempotency-Key": str(uuid.uuid4()),
                    "Content-Type": "application/json",
                    "Host": "127.0.0.1",
                },
            )
            response = conn.getresponse()
            response.read()
            ok = response.status == 201
        except (OSError, http.client.HTTPException):
            self._local.conn = None
        elapsed = (time.perf_counter() - due) * 1000
        with self._lock:
            if ok:
                self.latencies.append(elapsed)
            else:
                self.failures += 1

    def _run(self) -> None:
        total = int(self.rate * self.seconds)
        with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
            for i in range(total):
                due = self.started_at + i / self.rate
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                elif pause < -0.01:
                    self.late_starts += 1  # the load generator itself fell behind
                pool.submit(self._send, due)
