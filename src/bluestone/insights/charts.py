"""Charts drawn on the server: Altair specifications rendered to SVG by vl-convert, no JavaScript.

Each chart is an <img> of SVG (a data: URL, which the content security policy allows), with the same
figures in a table beside it for screen readers and for anyone who wants the numbers. Text is in the
GOV.UK typeface where the browser has it, otherwise Arial or the system's sans serif; colours are
from the GOV.UK palette.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert

FONT = "GDS Transport, Arial, sans-serif"
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
BORDER = "#b1b4b6"
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
# Colours of the series, in the order they are given: this period, then the one before.
SERIES = [BLUE, SECONDARY_TEXT]
WIDTH = 560


def _config(chart: alt.TopLevelMixin) -> Any:
    return (
        chart.configure(font=FONT, background="white")
        .configure_axis(
            labelFontSize=14,
            titleFontSize=14,
            labelColor=TEXT,
            titleColor=TEXT,
            gridColor=BORDER,
            domainColor=TEXT,
            tickColor=TEXT,
            labelLimit=600,  # long labels whole, never cut short with an ellipsis
            titleFontWeight="bold",
        )
        .configure_legend(
            labelFontSize=14, titleFontSize=14, labelColor=TEXT, titleColor=TEXT, labelLimit=600, orient="top"
        )
        .configure_view(stroke=None)
    )


@functools.lru_cache(maxsize=256)
def _render(spec: str) -> str:
    svg = vl_convert.vegalite_to_svg(json.loads(spec))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _svg(chart: alt.TopLevelMixin) -> str:
    # The same figures always draw the same chart: rendering is cached on the specification.
    return _render(json.dumps(_config(chart).to_dict(), sort_keys=True))


def bars(
    points: Sequence[dict[str, Any]],
    *,
    category: str,
    value: str,
    value_title: str,
    order: Sequence[str],
    series: str | None = None,
    percent: bool = False,
    horizontal: bool = True,
    value_format: str = ",.0f",
) -> str | None:
    """A bar chart (grouped by `series` where given) as an SVG data URL, or None when no point has a
    value. Every category in `order` keeps its place on the axis; a point with no value (none, or
    suppressed) draws no bar."""
    shown = [p for p in points if p.get(value) is not None]
    if not shown:
        return None
    category_axis = alt.Axis(labelAngle=0 if horizontal else -45, title=None)
    value_axis = alt.Axis(format=".0%" if percent else value_format, title=value_title)
    category_field = (alt.Y if horizontal else alt.X)(
        f"{category}:N", sort=list(order), scale=alt.Scale(domain=list(order)), axis=category_axis
    )
    value_field = (alt.X if horizontal else alt.Y)(
        f"{value}:Q", axis=value_axis, scale=alt.Scale(domain=[0, 1]) if percent else alt.Undefined
    )
    encoding: dict[str, Any] = (
        {"y": category_field, "x": value_field}
        if horizontal
        else {
            "x": category_field,
            "y": value_field,
        }
    )
    if series is not None:
        names = list(dict.fromkeys(p[series] for p in points))
        encoding["color"] = alt.Color(
            f"{series}:N", title=None, scale=alt.Scale(domain=names, range=SERIES[: len(names)]), sort=names
        )
        offset = alt.YOffset if horizontal else alt.XOffset
        encoding["yOffset" if horizontal else "xOffset"] = offset(f"{series}:N", sort=names)
    else:
        encoding["color"] = alt.value(BLUE)
    band = 36 if series else 24
    size = {"width": WIDTH, "height": max(80, len(order) * band)} if horizontal else {"width": WIDTH, "height": 260}
    chart = alt.Chart(alt.Data(values=list(shown))).mark_bar().encode(**encoding).properties(**size)
    return _svg(chart)
