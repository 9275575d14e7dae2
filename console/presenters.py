"""What a console page shows of already-loaded rows: plain values for templates, with no
query and no rule of their own (the numbers are the summary's, as the API serves them)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from common.time import local_date
from patients.models import SEVERITY_RANK, SPARKLINE_DAYS, Escalation, Patient, PatientSummary

SEVERITY_BY_RANK = {rank: str(severity) for severity, rank in SEVERITY_RANK.items()}

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 112, 28, 3


@dataclass(frozen=True)
class Sparkline:
    """A 14-day pain sparkline drawn as SVG: runs of consecutive days as polylines, a lone day
    as a dot; pain 0 at the bottom, 10 at the top."""

    width: int
    height: int
    lines: list[str]
    dots: list[tuple[float, float]]
    label: str


def sparkline(values: list[int | None]) -> Sparkline:
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(1, len(values) - 1)

    def point(index: int, value: int) -> tuple[float, float]:
        y = SPARK_HEIGHT - SPARK_PAD - value / 10 * (SPARK_HEIGHT - 2 * SPARK_PAD)
        return round(SPARK_PAD + index * step, 1), round(y, 1)

    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point(index, value))
    if current:
        runs.append(current)
    reported = [v for v in values if v is not None]
    if reported:
        label = (
            f"Peak pain over the last {len(values)} days, 0 to 10: "
            f"{len(reported)} days reported, highest {max(reported)}, latest {reported[-1]}"
        )
    else:
        label = f"No pain reported in the last {len(values)} days"
    return Sparkline(
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        lines=[" ".join(f"{x},{y}" for x, y in run) for run in runs if len(run) > 1],
        dots=[run[0] for run in runs if len(run) == 1],
        label=label,
    )


def duration_words(delta: timedelta) -> str:
    """'45 s', '12 min', '3 h 20 min', '2 days'."""
    seconds = int(abs(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes and hours < 10 else f"{hours} h"
    days = hours // 24
    return f"{days} days"


def ago(moment: datetime, now: datetime) -> str:
    if now - moment < timedelta(minutes=1):
        return "just now"
    return f"{duration_words(now - moment)} ago"


@dataclass(frozen=True)
class CaseloadRow:
    patient: Patient
    name: str
    record_number: str
    sparkline: Sparkline
    last_peak_pain: int | None
    last_check_in_at: datetime | None
    last_check_in_ago: str
    days_since_last_check_in: int | None
    adherence_percent: int | None
    adherence_done: int
    adherence_due: int
    ladder: str
    ladder_paused: bool
    severity: str | None
    open_escalations: int
    overdue: bool
    pain_rising: bool
    unread_messages: int = 0
    # What the patient is close to in remote monitoring ("needs 3 more data days by 14 Dec").
    monitoring: tuple[str, ...] = ()


def caseload_row(patient: Patient, now: datetime, near: Any = None) -> CaseloadRow:
    """One caseload row from the patient with its summary and ladder joined (no query)."""
    try:
        summary: PatientSummary | None = patient.summary
    except PatientSummary.DoesNotExist:
        summary = None
    try:
        ladder = patient.run_ladder
    except ObjectDoesNotExist:
        ladder = None
    today = local_date(now, patient.timezone)
    peaks: dict[str, Any] = summary.daily_peaks if summary else {}
    daily = [
        peaks.get((today - timedelta(days=back)).isoformat())
        for back in range(SPARKLINE_DAYS - 1, -1, -1)
    ]
    last_at = summary.last_checkin_at if summary else None
    due = summary.adherence_due if summary else 0
    done = summary.adherence_done if summary else 0
    deadline = summary.earliest_open_deadline if summary else None
    if ladder is None:
        ladder_text = "not started"
    elif ladder.paused:
        ladder_text = "paused"
    else:
        ladder_text = f"level {ladder.level}"
    return CaseloadRow(
        patient=patient,
        name=f"{patient.first_name} {patient.last_name}",
        record_number=patient.external_id,
        sparkline=sparkline(daily),
        last_peak_pain=summary.last_peak_pain if summary else None,
        last_check_in_at=last_at,
        last_check_in_ago=ago(last_at, now) if last_at else "never",
        days_since_last_check_in=(
            max(0, (today - local_date(last_at, patient.timezone)).days) if last_at else None
        ),
        adherence_percent=round(100 * done / due) if due else None,
        adherence_done=done,
        adherence_due=due,
        ladder=ladder_text,
        ladder_paused=bool(ladder and ladder.paused),
        severity=SEVERITY_BY_RANK.get(summary.max_severity_rank) if summary else None,
        open_escalations=(
            summary.open_critical + summary.open_high + summary.open_moderate + summary.open_low
            if summary
            else 0
        ),
        overdue=deadline is not None and deadline < now,
        pain_rising=bool(summary and summary.pain_rising),
        unread_messages=summary.unread_messages if summary else 0,
        monitoring=nearness_words(near),
    )


@dataclass(frozen=True)
class Deadline:
    words: str
    overdue: bool


def deadline(escalation: Escalation, now: datetime) -> Deadline | None:
    """Time left to acknowledge an open escalation; None once acknowledged or resolved."""
    if escalation.status != "open":
        return None
    left = escalation.acknowledge_by - now
    if left < timedelta(0):
        return Deadline(words=f"overdue by {duration_words(left)}", overdue=True)
    return Deadline(words=f"{duration_words(left)} left to acknowledge", overdue=False)


def code_words(code: str) -> str:
    """`red_flag_emergency` -> 'Red flag emergency'."""
    return code.replace("_", " ").capitalize()


def codes_words(items: list[Any]) -> list[str]:
    """An intake's patterns or factors (codes, or objects with a `code`) in words."""
    return [
        code_words(str(item.get("code", "")) if isinstance(item, dict) else str(item))
        for item in items
    ]


def value_words(values: dict[str, Any]) -> str:
    """An evidence item's values, each named: 'peak pain 7, baseline 3, delta 4'."""
    parts = []
    for name, value in values.items():
        if isinstance(value, list):
            value = ", ".join(str(v).replace("_", " ") for v in value) or "none"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        parts.append(f"{name.replace('_', ' ')} {value}")
    return "; ".join(parts)


CHART_WIDTH, CHART_HEIGHT = 640, 220
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 36, 12, 12, 28
# The adherence strip under the pain chart: a bar per day, 0 to 100 %.
STRIP_HEIGHT, STRIP_GAP = 40, 18


@dataclass(frozen=True)
class ChartMarker:
    """An escalation opened on a day of the chart: a marker at the top, its words for the
    tooltip and the list under the chart."""

    x: float
    severity: str
    label: str


@dataclass(frozen=True)
class AdherenceBar:
    x: float
    y: float
    height: float
    percent: int


@dataclass(frozen=True)
class PainChart:
    """Daily peak pain (0 to 10) over a span of days as SVG coordinates, with the intake's
    baseline and the MCID band around it when there is an intake."""

    width: int
    height: int
    left: int
    right_x: int
    band_width: int
    lines: list[str]
    dots: list[tuple[float, float]]
    y_ticks: list[tuple[int, float]]
    x_labels: list[tuple[str, float]]
    baseline: int | None
    baseline_y: float | None
    band_top: float | None
    band_height: float | None
    mcid: int
    label: str
    markers: list[ChartMarker]
    bars: list[AdherenceBar]
    bar_width: float
    strip_top: int
    strip_bottom: int
    total_height: int


def pain_chart(
    days: list[tuple[date, int | None]],
    *,
    baseline: int | None,
    mcid: int,
    escalations: list[tuple[date, str, str]] | None = None,
    adherence: list[float | None] | None = None,
) -> PainChart:
    inner_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    inner_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = inner_w / max(1, len(days) - 1)

    def y(value: float) -> float:
        return round(CHART_TOP + inner_h - max(0.0, min(10.0, value)) / 10 * inner_h, 1)

    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index, (_day, value) in enumerate(days):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((round(CHART_LEFT + index * step, 1), y(value)))
    if current:
        runs.append(current)
    reported = [v for _d, v in days if v is not None]
    label = f"Daily peak pain, 0 to 10, over {len(days)} days: " + (
        f"{len(reported)} days reported, highest {max(reported)}, latest {reported[-1]}"
        if reported
        else "nothing reported"
    )
    if baseline is not None:
        label += f"; intake baseline {baseline}, MCID band {baseline - mcid} to {baseline + mcid}"
    # A label a week, from the last day back, so the latest day is always named.
    labels = [
        (day.strftime("%-d %b"), round(CHART_LEFT + index * step, 1))
        for index, (day, _v) in enumerate(days)
        if (len(days) - 1 - index) % (7 if len(days) <= 45 else 14) == 0
    ]
    index_of = {day: index for index, (day, _v) in enumerate(days)}
    markers = [
        ChartMarker(x=round(CHART_LEFT + index_of[day] * step, 1), severity=severity, label=words)
        for day, severity, words in escalations or []
        if day in index_of
    ]
    strip_top = CHART_HEIGHT + STRIP_GAP
    strip_bottom = strip_top + STRIP_HEIGHT
    bar_width = max(2.0, round(step * 0.6, 1))
    bars = []
    for index, ratio in enumerate(adherence or []):
        if ratio is None:
            continue
        # A day with nothing done still shows a sliver, so 0 % reads apart from no data.
        height = max(1.5, round(max(0.0, min(1.0, ratio)) * STRIP_HEIGHT, 1))
        bars.append(
            AdherenceBar(
                x=round(CHART_LEFT + index * step - bar_width / 2, 1),
                y=round(strip_bottom - height, 1),
                height=height,
                percent=round(100 * ratio),
            )
        )
    if markers:
        label += f"; {len(markers)} escalation{'s' if len(markers) != 1 else ''} opened"
    return PainChart(
        markers=markers,
        bars=bars,
        bar_width=bar_width,
        strip_top=strip_top,
        strip_bottom=strip_bottom,
        total_height=strip_bottom + 4 if adherence is not None else CHART_HEIGHT,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=CHART_LEFT,
        right_x=CHART_WIDTH - CHART_RIGHT,
        band_width=inner_w,
        lines=[" ".join(f"{px},{py}" for px, py in run) for run in runs if len(run) > 1],
        dots=[point for run in runs for point in run],
        y_ticks=[(value, y(value)) for value in (0, 2, 4, 6, 8, 10)],
        x_labels=labels,
        baseline=baseline,
        baseline_y=y(baseline) if baseline is not None else None,
        band_top=y(baseline + mcid) if baseline is not None else None,
        band_height=(
            round(y(baseline - mcid) - y(baseline + mcid), 1) if baseline is not None else None
        ),
        mcid=mcid,
        label=label,
    )


INSTRUMENT_LABELS = {"nprs": "NPRS", "lefs": "LEFS", "koos": "KOOS", "koos_pf": "KOOS-PF"}
SCORE_LABELS = {
    "total": "Score",
    "pain": "Pain",
    "symptoms": "Symptoms",
    "adl": "Daily living",
    "sport_rec": "Sport and recreation",
    "qol": "Quality of life",
}


@dataclass(frozen=True)
class OutcomeRow:
    recorded_at: datetime
    instrument: str
    scores: list[tuple[str, str, str]]  # label, score, change from the first
    mcid: str


def _number(value: Any) -> str:
    if value is None:
        return "not scored"
    return f"{value:g}" if isinstance(value, float) else str(value)


def outcome_rows(responses: list[Any]) -> list[OutcomeRow]:
    """Each response with its scores and, against the patient's first of the instrument (the
    API's `change` and `mcid_met`), the change and whether the MCID is met; an instrument
    without an MCID says so."""
    from assessments import scoring  # a pure module

    rows = []
    for response in responses:
        first_id = getattr(response, "first_id", None)
        comparison = (
            scoring.compare(response.instrument, response.first_scores, response.scores)
            if first_id is not None and first_id != response.pk
            else None
        )
        scores = []
        for name, value in response.scores.items():
            change = comparison.change.get(name) if comparison else None
            if comparison is None:
                change_words = "first response"
            elif change is None:
                change_words = "not comparable"
            else:
                change_words = f"{change:+g} since the first"
            scores.append((SCORE_LABELS.get(name, name), _number(value), change_words))
        spec = scoring.INSTRUMENTS[response.instrument]
        if spec.mcid is None:
            mcid = "No agreed MCID"
        elif comparison is None or comparison.mcid_met is None:
            mcid = f"MCID {spec.mcid:g}: nothing to compare yet"
        else:
            mcid = f"MCID {spec.mcid:g} {'met' if comparison.mcid_met else 'not met'}"
        rows.append(
            OutcomeRow(
                recorded_at=response.recorded_at,
                instrument=INSTRUMENT_LABELS.get(response.instrument, response.instrument),
                scores=scores,
                mcid=mcid,
            )
        )
    return rows


def intake_detail(intake: Any) -> dict[str, Any] | None:
    """The intake's stored triage with its reasons, patterns and factors, with rationales."""
    if intake is None:
        return None
    triage = intake.triage or {}
    return {
        "level": code_words(str(triage.get("level", ""))),
        "level_code": str(triage.get("level", "")),
        "reasons": [str(r.get("detail", "")) for r in triage.get("reasons", [])],
        "patterns": [
            (code_words(str(p.get("code", ""))), str(p.get("rationale", "")))
            for p in intake.patterns
        ],
        "factors": [
            (code_words(str(f.get("code", ""))), str(f.get("rationale", "")))
            for f in intake.factors
        ],
    }


# -- remote monitoring ----------------------------------------------------------------------

ONE_DAY = timedelta(days=1)
FOUR_DAYS = timedelta(days=4)


@dataclass(frozen=True)
class PeriodWords:
    first: date
    last: date
    data_days: int
    code: str | None
    final: bool
    status: str  # what the period still needs, in words


@dataclass(frozen=True)
class MonitoringSummary:
    """A month's record in words: each device period, the minutes, the codes reached."""

    periods: list[PeriodWords]
    minutes: int
    interactive_count: int
    minutes_words: str
    codes: list[str]


def period_words(period: Any) -> str:
    """ "98977 reached", "needs 3 more data days by 14 Dec for 98977", ..."""
    if period.code and (period.final or period.next_code is None):
        return f"{period.code} reached"
    if period.next_code and period.days_needed:
        verb = "needs" if period.reachable else "cannot reach"
        so_far = f"{period.code} so far; " if period.code else ""
        return (
            f"{so_far}{verb} {period.days_needed} more data "
            f"day{'s' if period.days_needed != 1 else ''} by {period.needed_by:%-d %b} "
            f"for {period.next_code}"
        )
    return "no device code" if period.complete else "running"


def minutes_words(management: Any) -> str:
    """ "12 of 20 minutes for 98980", "98980 reached, a call still needed", ..."""
    parts = []
    if management.next_code and management.minutes_needed:
        target = management.minutes + management.minutes_needed
        parts.append(f"{management.minutes} of {target} minutes for {management.next_code}")
    if management.interactive_needed:
        parts.append("an interactive call still needed")
    return "; ".join(parts)


def monitoring_summary(record: Any) -> MonitoringSummary:
    management = record.management
    codes = [
        f"{c.code}{f' x{c.units}' if c.units > 1 else ''}"
        f"{' ' + ' '.join(c.modifiers) if c.modifiers else ''}"
        for c in record.codes
    ]
    return MonitoringSummary(
        periods=[
            PeriodWords(
                first=p.first,
                last=p.last,
                data_days=p.data_days,
                code=p.code,
                final=p.final,
                status=period_words(p),
            )
            for p in record.periods
        ],
        minutes=management.minutes,
        interactive_count=management.interactive_count,
        minutes_words=minutes_words(management),
        codes=codes,
    )


def nearness_words(near: Any) -> tuple[str, ...]:
    """The caseload's marker: "needs 3 more data days by 14 Dec", "12 of 20 minutes"."""
    if near is None:
        return ()
    words = []
    if near.days_needed is not None:
        plural = "s" if near.days_needed != 1 else ""
        words.append(
            f"needs {near.days_needed} more data day{plural} by {near.needed_by:%-d %b} "
            f"({near.device_code})"
        )
    if near.minutes_target is not None:
        words.append(f"{near.minutes} of {near.minutes_target} minutes ({near.management_code})")
    return tuple(words)
