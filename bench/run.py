"""`make bench`: run every benchmark script in bench/ and print their figures as one table.

Each figure is a script of its own (bench/<figure>.py) run in a fresh process; its last
stdout line is its result as JSON, with at least `seconds` and what it measured. A new figure
is a new script listed in FIGURES. Needs PostgreSQL (DATABASE_URL's server; each
script makes and drops a database of its own) and `redis-server` on the PATH.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIGURES = ["reminders"]


def run_figure(name: str) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, str(HERE / f"{name}.py")],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    results: list[dict[str, Any]] = []
    if proc.returncode == 0 and lines:
        results.append({"figure": name, **json.loads(lines[-1])})
    if proc.returncode != 0 or not results:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        results.append({"figure": name, "error": f"exit {proc.returncode}"})
    return results


HEADER = ("figure", "wall", "our CPU", "rate", "detail")


def describe(result: dict[str, Any]) -> tuple[str, ...]:
    if "error" in result:
        return result["figure"], "failed", "", "", result["error"]
    if result["figure"] == "reminders":
        return (
            f"create + queue reminders, {result['patients']:,} due patients",
            f"{result['total_seconds']} s",
            f"{result['cpu_seconds']} s",
            f"{result['per_second']:,}/s",
            "CPU: "
            + ", ".join(f"{k} {v} s" for k, v in result.get("cpu_seconds_by", {}).items())
            + f"; dispatch {result['dispatch_seconds']} s, {result['chunks']} chunks, "
            f"{result['delivery_ids_queued']:,} deliveries queued, "
            f"{result['worker_processes']} workers, {result['cores']} cores, "
            f"load {result['load_average']}",
        )
    return result["figure"], f"{result.get('seconds', '?')} s", "", "", ""


def main() -> int:
    rows = [describe(result) for name in FIGURES for result in run_figure(name)]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*HEADER).rstrip())
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row).rstrip())
    print(
        "wall: from the beat's dispatch until all is committed and queued; our CPU: CPU time "
        "of the beat, the workers, their PostgreSQL backends and Redis (the rest of the "
        "machine's load shows in wall, not here)."
    )
    return 1 if any(row[1] == "failed" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
