"""The Workforce page's charts, drawn on the server the same way as the Measures page (insights.charts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bluestone.insights.charts import bars

if TYPE_CHECKING:
    from bluestone.workforce.selectors import TeamWorkforce


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    svg: str | None
    alt: str


def _name(row: object) -> str:
    officer = row.officer  # type: ignore[attr-defined]
    return f"{officer.rank} {officer.first_name} {officer.last_name}"


def workforce_charts(workforce: TeamWorkforce) -> list[Chart]:
    names = [_name(row) for row in workforce.rows]
    loads = [{"officer": _name(row), "load": row.load.weighted} for row in workforce.rows]
    exposure = [{"officer": _name(row), "hours": row.exposure_hours_90_days} for row in workforce.rows]
    over = len(workforce.over_threshold)
    return [
        Chart(
            slug="caseload",
            title="Caseload across the team",
            svg=bars(loads, category="officer", value="load", value_title="Weighted load", order=names),
            alt=(
                f"Bar chart of each officer's weighted caseload; {over} of {len(names)} over the threshold of "
                f"{workforce.threshold:g}. The table below gives the figures."
            ),
        ),
        Chart(
            slug="exposure",
            title="Hours of traumatic material logged in the last 90 days",
            svg=bars(
                exposure, category="officer", value="hours", value_title="Hours", order=names, value_format=",.1f"
            ),
            alt=(
                "Bar chart of the hours each officer logged with traumatic material. The table below gives the figures."
            ),
        ),
    ]
