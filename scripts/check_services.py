"""Before the tests: say in one line what to start if PostgreSQL or Redis does not answer."""

import os
import sys
from urllib.parse import urlparse

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stride")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def main() -> int:
    import psycopg
    import redis

    db = urlparse(DATABASE_URL)
    try:
        psycopg.connect(
            host=db.hostname or "127.0.0.1",
            port=db.port or 5432,
            user=db.username or "postgres",
            password=db.password,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as exc:
        print(
            f"PostgreSQL is not reachable at {db.hostname}:{db.port or 5432} "
            f"({type(exc).__name__}): "
            "start it (e.g. `pg_ctlcluster 15 main start` or `docker compose up -d postgres`) "
            "or set DATABASE_URL.",
            file=sys.stderr,
        )
        return 1
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        r = urlparse(REDIS_URL)
        print(
            f"Redis is not reachable at {r.hostname}:{r.port or 6379} ({type(exc).__name__}): "
            "start it (e.g. `redis-server --daemonize yes` or `docker compose up -d redis`) "
            "or set REDIS_URL.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
