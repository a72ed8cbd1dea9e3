"""The Workforce page's charts, drawn on the server the same way as the Measures page (bluestone.core.charts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bluestone.core.charts import bars

if TYPE_CHECKING:
    from bluestone.workforce.selectors import TeamWorkforce


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    svg: str | None
    alt: str
    headers: list[str]
    rows: list[list[str]]  # the first cell of each row heads it


def _name(row: object) -> str:
    officer = row.officer  # type: ignore[attr-defined]
    return f"{officer.rank} {officer.first_name} {officer.last_name}"


def workforce_charts(workforce: TeamWorkforce) -> list[Chart]:
    names = [_name(row) for row in workforce.rows]
    loads = [{"officer": _name(row), "load": row.load.weighted} for row in workforce.rows]
    exposure = [{"officer": _name(row), "hours": row.exposure_hours_90_days} for row in workforce.rows]
    over = len(workforce.over_threshold)
    months = [f"{point.month_end:%b %Y}" for point in workforce.trend]
    trend = [{"month": label, "weighted": point.weighted} for label, point in zip(months, workforce.trend, strict=True)]
    return [
        Chart(
            slug="caseload",
            title="Caseload across the team",
            svg=bars(loads, category="officer", value="load", value_title="Weighted load", order=names),
            headers=["Officer", "Open cases", "Weighted"],
            rows=[
                [
                    _name(row),
                    str(row.load.open_cases),
                    f"{row.load.weighted:g}" + (" (over)" if row.load.over_threshold else ""),
                ]
                for row in workforce.rows
            ],
            alt=(
                f"Bar chart of each officer's weighted caseload; {over} of {len(names)} over the threshold of "
                f"{workforce.threshold:g}. The table below gives the figures."
            ),
        ),
        Chart(
            slug="trend",
            title="The team's weighted caseload over 12 months",
            svg=bars(
                trend,
                category="month",
                value="weighted",
                value_title="Weighted load at the month's end",
                order=months,
                horizontal=False,
            ),
            headers=["Month end", "Open cases", "Weighted"],
            rows=[
                [label, str(point.open_cases), f"{point.weighted:g}"]
                for label, point in zip(months, workforce.trend, strict=True)
            ],
            alt=(
                "Column chart of the weighted caseload the team's officers held at the end of each of the last "
                "12 months. The table below gives the figures."
            ),
        ),
        Chart(
            slug="exposure",
            title="Hours of traumatic material logged in the last 90 days",
            svg=bars(
                exposure, category="officer", value="hours", value_title="Hours", order=names, value_format=",.1f"
            ),
            headers=["Officer", "Hours"],
            rows=[[_name(row), f"{row.exposure_hours_90_days:g}"] for row in workforce.rows],
            alt=(
                "Bar chart of the hours each officer logged with traumatic material. The table below gives the figures."
            ),
        ),
    ]
