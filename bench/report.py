"""The table `make bench` prints (README, "Performance"): one row per figure, with its target
and whether it was met, and the load average each was measured at."""

import os
from typing import Any


def fmt(value: float | None, unit: str = "ms") -> str:
    if value is None:
        return "-"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"


def table(results: dict[str, Any], elapsed: float, *, workers: int) -> str:
    ci, fl = results["check_ins"]["check_in"], results["check_ins"]["floor"]
    ratio = ci["rps"] / fl["rps"] if fl["rps"] else 0.0
    only_check_ins = "caseload" not in results  # --only check_ins
    cl = results.get("caseload") or {}
    esc = results.get("escalation") or {}
    rem = results.get("reminders")
    cl_large = results.get("caseload_large")
    open_load = esc.get("under_load") or {}
    cpu_ratio = (
        fl["cpu_ms"] / ci["cpu_ms"] if ci.get("cpu_ms") and fl.get("cpu_ms") is not None else None
    )

    def at_load(value: float | None) -> str:
        return f"load {value:.1f}" if value is not None else ""

    rows: list[tuple[str, str, str, str, str]] = [
        (
            "check-in POST, 32 clients: throughput",
            f"{ci['rps']:.0f} req/s ({ci['requests']} ok, {ci['failures']} failed)",
            "",
            "",
            at_load(ci.get("load")),
        ),
        (
            "check-in POST latency p50 / p95 / p99",
            f"{fmt(ci['p50'])} / {fmt(ci['p95'])} / {fmt(ci['p99'])}",
            "(32 clients, no think time: 32 / throughput)",
            "",
            at_load(ci.get("load")),
        ),
        (
            "floor POST (parse + INSERT), 32 clients",
            f"{fl['rps']:.0f} req/s; p50 / p95 / p99 "
            f"{fmt(fl['p50'])} / {fmt(fl['p95'])} / {fmt(fl['p99'])}",
            "",
            "",
            at_load(fl.get("load")),
        ),
        (
            "check-in / floor throughput ratio",
            f"{ratio:.2f}",
            ">= 0.3 (goal 0.5)",
            "met" if ratio >= 0.5 else ("required met" if ratio >= 0.3 else "MISSED"),
            "",
        ),
        (
            "server CPU per check-in (web + PostgreSQL)",
            (
                f"{ci['cpu_ms']:.1f} ms ({ci['cpu_web_ms']:.1f} + {ci['cpu_db_ms']:.1f})"
                if ci.get("cpu_ms") is not None
                else "-"
            ),
            "",
            "",
            at_load(ci.get("load")),
        ),
        (
            "server CPU per floor request",
            (
                f"{fl['cpu_ms']:.1f} ms ({fl['cpu_web_ms']:.1f} + {fl['cpu_db_ms']:.1f})"
                if fl.get("cpu_ms") is not None
                else "-"
            ),
            "",
            "",
            at_load(fl.get("load")),
        ),
        (
            "floor / check-in CPU-per-request ratio",
            f"{cpu_ratio:.2f}" if cpu_ratio is not None else "-",
            ">= 0.3 (goal 0.5)",
            "-"
            if cpu_ratio is None
            else (
                "met" if cpu_ratio >= 0.5 else ("required met" if cpu_ratio >= 0.3 else "MISSED")
            ),
            "",
        ),
    ]
    if not only_check_ins:
        rows += _other_rows(results, cl, cl_large, rem, esc, open_load, at_load)
    return _render(rows, results, elapsed, workers)


def _other_rows(
    results: dict[str, Any],
    cl: dict[str, Any],
    cl_large: dict[str, Any] | None,
    rem: dict[str, Any] | None,
    esc: dict[str, Any],
    open_load: dict[str, Any],
    at_load: Any,
) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = [
        (
            f"check-in open loop {open_load.get('rate', 0):.0f}/s for "
            f"{open_load.get('seconds', 0):.0f} s: p50 / p95 / p99",
            (
                f"{fmt(open_load['p50'])} / {fmt(open_load['p95'])} / {fmt(open_load['p99'])} "
                f"({open_load['sent']} sent, {open_load['failures']} failed)"
                if open_load.get("p99") is not None
                else "-"
            ),
            "p99 < 100 ms",
            "met"
            if open_load.get("p99") is not None
            and open_load["p99"] < 100
            and not open_load["failures"]
            else "MISSED",
            at_load(esc.get("load")),
        ),
        (
            "caseload p95 (2,000 patients, 1 year daily)",
            f"{fmt(cl['p95'])} (p50 {fmt(cl['p50'])}, {cl['rows']} rows/page; "
            f"CPU {cl.get('cpu_ms', 0):.1f} ms/request)",
            "< 50 ms",
            "met" if cl["p95"] < 50 else "MISSED",
            at_load(cl.get("load")),
        ),
        (
            "caseload queries per request",
            f"{cl['queries']}",
            "<= 8",
            "met" if cl["queries"] <= 8 else "MISSED",
            "",
        ),
    ]
    if cl_large is not None:
        rows += [
            (
                f"caseload p95 ({cl_large['patients']:,} patients in one clinic)",
                f"{fmt(cl_large['p95'])} (p50 {fmt(cl_large['p50'])}, "
                f"{cl_large['rows']} rows/page; CPU {cl_large.get('cpu_ms', 0):.1f} ms/request)",
                "< 50 ms",
                "met" if cl_large["p95"] < 50 else "MISSED",
                at_load(cl_large.get("load")),
            ),
            (
                f"caseload queries per request ({cl_large['patients']:,} patients)",
                f"{cl_large['queries']}",
                f"= {cl['queries']} (as at 2,000)",
                "met" if cl_large["queries"] == cl["queries"] else "MISSED",
                "",
            ),
        ]
    if rem is None:
        rows.append(
            (
                "reminders for 100,000 due patients",
                "bench/reminders.py absent",
                "< 30 s",
                "-",
                "",
            )
        )
    else:
        rows.append(
            (
                "reminders for 100,000 due patients",
                f"{rem['seconds']:.1f} s"
                + (f" ({rem['count']:,} queued)" if "count" in rem else "")
                + (f"; CPU {rem['cpu_seconds']:.1f} s" if "cpu_seconds" in rem else ""),
                "< 30 s",
                "met" if rem["seconds"] < 30 else "MISSED",
                at_load(rem.get("load")),
            )
        )
    mon = results.get("monitoring")
    if mon is not None:
        rows.append(
            (
                "RTM month statement, 2,000 patients (CSV)",
                f"{fmt(mon['seconds'] * 1000)} median, {fmt(mon['max_seconds'] * 1000)} max "
                f"({mon['rows']:,} rows, {'/'.join(map(str, mon['queries']))} queries)",
                "< 2 s, fixed queries",
                "met" if mon["seconds"] < 2 and len(mon["queries"]) == 1 else "MISSED",
                at_load(mon.get("load")),
            )
        )
    rows.append(
        (
            "red flag -> signed webhook p95, during the open loop",
            f"{fmt(esc['p95'])} (p50 {fmt(esc['p50'])}, n={esc['n']}, lost {esc['missing']})",
            "< 1 s",
            "met"
            if esc["p95"] is not None and esc["p95"] < 1000 and not esc["missing"]
            else "MISSED",
            at_load(esc.get("load")),
        )
    )
    return rows


def _render(
    rows: list[tuple[str, str, str, str, str]],
    results: dict[str, Any],
    elapsed: float,
    workers: int,
) -> str:
    header = ("figure", "measured", "target", "", "load (1 min)")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    lines = [
        "| " + " | ".join(f"{h:<{w}}" for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    load = results.get("load_before", (0.0, 0.0, 0.0))
    lines.append(
        f"\nLoad average before the run {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(1/5/15 min; anything above ~0.5 means other work shared these cores)."
    )
    large = results.get("caseload_large_build")
    if "caseload_build" not in results:
        lines.append(
            f"{os.cpu_count()} cores; gunicorn {workers} sync workers; PostgreSQL and "
            f"Redis local; {elapsed:.0f} s in all (--only check_ins: the check-in and the floor)."
        )
        return "\n".join(lines)
    lines.append(
        f"{os.cpu_count()} cores; gunicorn {workers} sync workers; Celery worker "
        f"concurrency 2; PostgreSQL and Redis local; {elapsed:.0f} s in all "
        f"(caseload data: COPY {results['caseload_build']['copy_seconds']:.0f} s, "
        f"summaries rebuilt in {results['caseload_build']['rebuild_seconds']:.0f} s"
        + (
            f"; {large['patients']:,} patients with {large['days']} days: COPY "
            f"{large['copy_seconds']:.0f} s, summaries {large['rebuild_seconds']:.0f} s"
            if large
            else ""
        )
        + ")."
    )
    return "\n".join(lines)
