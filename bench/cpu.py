"""Server CPU time from the processes' own counters, so that a figure per request does not
depend on what else the machine runs: utime + stime (/proc/PID/stat) of gunicorn's workers
and of the PostgreSQL backends connected to the benchmark's database."""

import os
from pathlib import Path
from typing import Any

TICKS = os.sysconf("SC_CLK_TCK")


def _ticks(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after its closing one.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def children(pid: int) -> list[int]:
    """The direct children of `pid` (gunicorn's workers, of its master)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def backends(conn: Any, database: str) -> list[int]:
    """Client backends of PostgreSQL connected to `database` (`conn`: to the same server)."""
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        (database,),
    ).fetchall()
    return [row[0] for row in rows]


def sample(*, web_pid: int, conn: Any, database: str) -> dict[str, Any]:
    """CPU ticks so far per gunicorn worker and per PostgreSQL backend of `database`."""
    web = {pid: _ticks(pid) for pid in children(web_pid)}
    db = {pid: _ticks(pid) for pid in backends(conn, database)}
    return {
        "web": {p: t for p, t in web.items() if t is not None},
        "db": {p: t for p, t in db.items() if t is not None},
    }


def used(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
    """CPU seconds spent between two samples, web and database apart. A process that started
    in between counts from zero; one that ended in between is lost (connections persist for
    the whole run, so none do)."""
    out = {}
    for part in ("web", "db"):
        ticks = sum(t - before[part].get(pid, 0) for pid, t in after[part].items())
        out[part] = ticks / TICKS
    return out
