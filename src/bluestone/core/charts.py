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
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import altair as alt

# Altair and vl-convert are imported where a chart is drawn, not with this module: the template tags
# import it, so every process that loads the URLs (each server, each command's system checks) would
# otherwise pay about a second to import them, drawn a chart or not.

FONT = "GDS Transport, Arial, sans-serif"
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
BORDER = "#b1b4b6"
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
# Colours of the series, in the order they are given: this period, then the one before.
SERIES = [BLUE, SECONDARY_TEXT]
GREEN = "#00703c"
RED = "#d4351c"
# Lines are told apart by their dash as well as their colour.
LINE_SERIES = [BLUE, TEXT, SECONDARY_TEXT]
DASHES = [[1, 0], [8, 4], [2, 2]]
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
    import vl_convert  # noqa: PLC0415  (see the imports)

    svg = vl_convert.vegalite_to_svg(json.loads(spec))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _by_figures(draw: Callable[..., str | None]) -> Callable[..., str | None]:
    """The same figures always draw the same chart: a chart is drawn once per distinct set of
    arguments (kept as JSON), without building its specification again."""

    @functools.lru_cache(maxsize=256)
    def drawn(arguments: str) -> str | None:
        args, kwargs = json.loads(arguments)
        return draw(*args, **kwargs)

    @functools.wraps(draw)
    def cached(*args: Any, **kwargs: Any) -> str | None:
        try:
            arguments = json.dumps([args, kwargs], sort_keys=True)
        except TypeError:  # figures JSON cannot hold as they are (a Decimal): drawn every time
            return draw(*args, **kwargs)
        return drawn(arguments)

    _CACHES.append(drawn.cache_clear)
    return cached


_CACHES: list[Callable[[], None]] = []


def clear_caches() -> None:
    """Forget every chart drawn (for benchmarks that time drawing)."""
    _render.cache_clear()
    for clear in _CACHES:
        clear()


def _svg(chart: alt.TopLevelMixin) -> str:
    # The same figures always draw the same chart: rendering is cached on the specification.
    return _render(json.dumps(_config(chart).to_dict(validate=False), sort_keys=True))


@_by_figures
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
    import altair as alt  # noqa: PLC0415  (see the imports)

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


@_by_figures
def lines(
    points: Sequence[dict[str, Any]],
    *,
    category: str,
    value: str,
    value_title: str,
    order: Sequence[str],
    series: str | None = None,
    percent: bool = False,
    value_format: str = ",.0f",
) -> str | None:
    """A line chart over the categories in `order` (months, in time order), one line per `series`
    where given, each point marked, as an SVG data URL; None when no point has a value. A point with no
    value (none, or suppressed) is left out, so its line joins the points either side of it."""
    import altair as alt  # noqa: PLC0415  (see the imports)

    shown = [p for p in points if p.get(value) is not None]
    if not shown:
        return None
    encoding: dict[str, Any] = {
        "x": alt.X(
            f"{category}:N",
            sort=list(order),
            scale=alt.Scale(domain=list(order)),
            axis=alt.Axis(labelAngle=-45, title=None),
        ),
        "y": alt.Y(
            f"{value}:Q",
            axis=alt.Axis(format=".0%" if percent else value_format, title=value_title),
            scale=alt.Scale(domain=[0, 1]) if percent else alt.Scale(zero=True),
        ),
    }
    if series is not None:
        names = list(dict.fromkeys(p[series] for p in points))
        encoding["color"] = alt.Color(
            f"{series}:N", title=None, scale=alt.Scale(domain=names, range=LINE_SERIES[: len(names)]), sort=names
        )
        encoding["strokeDash"] = alt.StrokeDash(
            f"{series}:N", title=None, scale=alt.Scale(domain=names, range=DASHES[: len(names)]), sort=names
        )
    else:
        encoding["color"] = alt.value(BLUE)
    chart = (
        alt.Chart(alt.Data(values=list(shown)))
        .mark_line(point=True, strokeWidth=3)
        .encode(**encoding)
        .properties(width=WIDTH, height=260)
    )
    return _svg(chart)


@_by_figures
def diverging(points: Sequence[dict[str, Any]], *, category: str, value: str, value_title: str) -> str | None:
    """Horizontal bars either side of zero, in the order given: green to the right (for), red to the
    left (against), with the value axis drawn. None when there is no point."""
    import altair as alt  # noqa: PLC0415  (see the imports)

    if not points:
        return None
    order = [p[category] for p in points]
    values = [dict(p, side="for" if p[value] > 0 else "against") for p in points]
    bars_ = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(title=None)),
            x=alt.X(f"{value}:Q", axis=alt.Axis(format=",.1f", title=value_title)),
            color=alt.Color("side:N", scale=alt.Scale(domain=["for", "against"], range=[GREEN, RED]), legend=None),
        )
    )
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color=TEXT, strokeWidth=1).encode(x="zero:Q")
    chart = alt.layer(bars_, zero).properties(width=WIDTH - 200, height=max(80, len(order) * 26))
    return _svg(chart)
