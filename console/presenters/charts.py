"""SVG charts: the caseload's pain sparkline and the patient page's pain chart."""

from dataclasses import dataclass
from datetime import date

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
