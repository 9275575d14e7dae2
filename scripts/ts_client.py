"""`make ts-client`: the TypeScript check of the schema, against a live server.

In clients/typescript/ (exact versions in its package-lock.json; `npm ci` installs them, no
install scripts run): openapi-typescript generates types from var/schema.yml (`make schema`),
`tsc --strict` compiles src/main.ts against them, and node runs it. The script signs in as
staff, registers a patient with a program and an enrollment code, enrolls with openapi-fetch,
submits a red-flag check-in, replays it with the same Idempotency-Key (the same check-in
back), and reads today's program and the check-in history.

The server is scripts/live_server.py's: gunicorn on production settings on a free port, on a
database of its own (`<DATABASE_URL's name>_ts`, made and dropped here). Exits non-zero when
any step fails; the last line counts the checks: `ts-client: N passed, M failed`.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import ROOT, live_server

CLIENT = ROOT / "clients" / "typescript"
SCHEMA = ROOT / "var" / "schema.yml"
ADMIN_EMAIL = "ts-admin@ts.stride.test"


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


def main() -> int:
    build()
    with live_server("ts", clinic_name="TypeScript Clinic", admin_email=ADMIN_EMAIL) as server:
        # main.js prints one line per check and closes with `ts-client: N passed, M failed`.
        result = subprocess.run(
            ["node", "dist/main.js"],
            cwd=CLIENT,
            env={
                **os.environ,
                "STRIDE_BASE_URL": server.base,
                "STRIDE_STAFF_EMAIL": server.admin_email,
                "STRIDE_STAFF_PASSWORD": server.admin_password,
            },
            check=False,
        )
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
