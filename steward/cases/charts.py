"""Charts for the timeliness view, drawn on the server as SVG and made safe for
the site's Content-Security-Policy by ``steward.fitness.charts.csp_safe_svg``.
The page always shows the same numbers in a table beside each chart."""

import io
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup
from matplotlib import rc_context
from matplotlib.figure import Figure

from steward.fitness.charts import NHS_BLUE, NHS_DARK_BLUE, NHS_MID_GREY, NHS_TEXT, csp_safe_svg

NHS_PALE_BLUE = "#41b6e6"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | None]  # None: nothing to show for that label
    colour: str = NHS_BLUE


def _number(value: Decimal | None) -> str:
    if value is None:
        return "none"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def grouped_bar_chart_svg(
    *, chart_id: str, title: str, description: str, labels: list[str], series: list[Series]
) -> Markup:
    """Horizontal bars, one group per label and one bar per series in each group,
    each labelled with its value (a missing value is drawn as no bar)."""
    groups = max(len(labels), 1)
    per_group = max(len(series), 1)
    height = 1.4 + 0.32 * groups * per_group
    bar_height = 0.8 / per_group
    with rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": chart_id,
            "font.family": "sans-serif",
            "font.size": 12,
            "text.color": NHS_TEXT,
            "axes.edgecolor": NHS_MID_GREY,
            "axes.labelcolor": NHS_TEXT,
            "xtick.color": NHS_TEXT,
            "ytick.color": NHS_TEXT,
        }
    ):
        figure = Figure(figsize=(7.5, height), layout="constrained")
        axes = figure.subplots()
        largest = 0.0
        for index, one in enumerate(series):
            offsets = [group - 0.4 + bar_height * (index + 0.5) for group in range(len(labels))]
            values = [float(v) if v is not None else 0.0 for v in one.values]
            largest = max([largest, *values])
            container = axes.barh(
                offsets, values, height=bar_height * 0.92, color=one.colour, label=one.name
            )
            axes.bar_label(
                container, labels=[_number(v) for v in one.values], padding=3, fontsize=10
            )
        axes.set_yticks(list(range(len(labels))), labels=labels)
        axes.invert_yaxis()  # first stage at the top, as in the table
        axes.set_xlim(0, max(largest, 1.0) * 1.18)
        axes.set_xlabel("Days")
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if series:
            # Above the bars, so it never covers a long one.
            axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(series), frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    return csp_safe_svg(buffer.getvalue(), chart_id=chart_id, title=title, description=description)


STAGE_SERIES_COLOURS = (NHS_BLUE, NHS_DARK_BLUE)
AGE_COLOURS = (NHS_PALE_BLUE, NHS_BLUE, NHS_DARK_BLUE)
