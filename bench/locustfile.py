"""Locust users for the check-in benchmark: BENCH_TARGET=check_in posts real check-ins with a
patient token and a unique Idempotency-Key; BENCH_TARGET=floor posts the same body to the
floor endpoint. No wait between requests: each user is one client at full speed."""

import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, task

from bench.common import check_in_body

PATIENTS: list[dict[str, Any]] = json.loads(Path(os.environ["BENCH_PATIENTS"]).read_text())
TARGET = os.environ.get("BENCH_TARGET", "check_in")


class CheckInClient(FastHttpUser):
    wait_time = constant(0)

    @task
    def submit(self) -> None:
        patient = random.choice(PATIENTS)
        if TARGET == "check_in":
            self.client.post(
                "/api/v1/app/check-ins/",
                json=check_in_body(),
                headers={
                    "Authorization": f"Bearer {patient['token']}",
                    "Idempotency-Key": str(uuid.uuid4()),
                },
                name="check-in",
            )
        else:
            self.client.post(
                f"/bench/floor/{patient['clinic']}/{patient['patient']}/",
                json=check_in_body(),
                name="floor",
            )
