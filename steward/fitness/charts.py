"""Charts drawn on the server as SVG, safe to put straight into a page.

The site's Content-Security-Policy allows no inline styles, so matplotlib's
``<style>`` element and ``style`` attributes are turned into SVG presentation
attributes (which the policy does not govern). Text stays text
(``svg.fonttype`` "none"). Element ids get a per-chart prefix so two charts on
one page never share one. Each chart is an image with a title and a
description for people who cannot see it; the page shows the same numbers in
a table beside it.
"""

import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses only SVG that matplotlib just wrote
from dataclasses import dataclass

import matplotlib
from markupsafe import Markup
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Never a window: figures are drawn in memory on the server.
matplotlib.use("Agg")

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# NHS identity colours.
NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_GREEN = "#007f3b"
NHS_RED = "#d5281b"
NHS_WARM_YELLOW = "#ffb81c"
NHS_ORANGE = "#ed8b00"
NHS_MID_GREY = "#768692"
NHS_TEXT = "#212b32"
FONT_FAMILY = "Frutiger W01, Arial, Helvetica, sans-serif"

# style properties that are also SVG presentation attributes.
PRESENTATION = frozenset(
    {
        "clip-path", "clip-rule", "color", "display", "dominant-baseline", "fill",
        "fill-opacity", "fill-rule", "font-family", "font-size", "font-style",
        "font-variant", "font-weight", "opacity", "stroke", "stroke-dasharray",
        "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
        "stroke-opacity", "stroke-width", "text-anchor", "visibility",
    }
)  # fmt: skip
FONT_SHORTHAND = re.compile(
    r"^(?:(?P<style>italic|oblique|normal)\s+)?(?:(?P<weight>bold|normal|\d{3})\s+)?"
    r"(?P<size>[\d.]+px)\s+(?P<family>.+)$"
)
ID_SAFE = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str = NHS_BLUE


def _declarations(style: str) -> dict[str, str]:
    found = {}
    for part in style.split(";"):
        name, _, value = part.partition(":")
        name, value = name.strip().lower(), value.strip()
        if not name or not value:
            continue
        if name == "font":
            match = FONT_SHORTHAND.match(value)
            if match:
                found["font-size"] = match["size"]
                found["font-family"] = match["family"]
                if match["style"]:
                    found["font-style"] = match["style"]
                if match["weight"]:
                    found["font-weight"] = match["weight"]
            continue
        if name in PRESENTATION:
            found[name] = value
    return found


def _qualified(local: str) -> str:
    return f"{{{SVG_NS}}}{local}"


def csp_safe_svg(svg_text: str, *, chart_id: str, title: str, description: str) -> Markup:
    """Matplotlib's SVG made fit to sit inside a page under a strict CSP.

    No ``<style>`` element, no ``style`` attribute, no metadata; ids prefixed
    with ``chart_id``; the root is an image labelled by its title and description.
    """
    if not ID_SAFE.match(chart_id):
        raise ValueError("chart_id must be lower-case letters, digits and hyphens.")
    root = ET.fromstring(svg_text)  # noqa: S314 - our own output, not user input
    href = f"{{{XLINK_NS}}}href"
    # Rules the <style> element set for every element: keep them on the root instead.
    inherited: dict[str, str] = {}
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (_qualified("style"), _qualified("metadata")):
                if child.tag == _qualified("style") and child.text:
                    for block in re.findall(r"\{([^}]*)\}", child.text):
                        inherited.update(_declarations(block))
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _declarations(style).items():
                element.set(name, value)
        if "font-family" in element.attrib:
            element.set("font-family", FONT_FAMILY)
        if "id" in element.attrib:
            element.set("id", f"{chart_id}-{element.get('id')}")
        for name in ("clip-path", "mask", "filter", "fill", "stroke"):
            value = element.get(name)
            if value and value.startswith("url(#"):
                element.set(name, f"url(#{chart_id}-{value[5:]}")
        for name in (href, "href"):
            value = element.get(name)
            if value and value.startswith("#"):
                element.set(name, f"#{chart_id}-{value[1:]}")
    for name, value in inherited.items():
        root.set(name, value)
    # Scale with the page: the viewBox keeps the proportions.
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("width", "100%")
    root.set("role", "img")
    root.set("focusable", "false")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("id", chart_id)
    title_element = ET.Element(_qualified("title"), {"id": f"{chart_id}-title"})
    title_element.text = title
    desc_element = ET.Element(_qualified("desc"), {"id": f"{chart_id}-desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    text = ET.tostring(root, encoding="unicode")
    return Markup(text)  # noqa: S704 - built by ElementTree, which escapes every value


def bar_chart_svg(*, chart_id: str, title: str, description: str, bars: list[Bar]) -> Markup:
    """A horizontal bar chart, one bar per item, each labelled with its value."""
    height = 1.0 + 0.5 * max(len(bars), 1)
    with rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": chart_id,
            "font.family": "sans-serif",
            "font.size": 13,
            "text.color": NHS_TEXT,
            "axes.edgecolor": NHS_MID_GREY,
            "axes.labelcolor": NHS_TEXT,
            "xtick.color": NHS_TEXT,
            "ytick.color": NHS_TEXT,
        }
    ):
        figure = Figure(figsize=(6.5, height), layout="constrained")
        axes = figure.subplots()
        labels = [bar.label for bar in bars]
        values = [bar.value for bar in bars]
        positions = list(range(len(bars)))
        container = axes.barh(positions, values, color=[bar.colour for bar in bars], height=0.65)
        axes.set_yticks(positions, labels=labels)
        axes.invert_yaxis()  # first item at the top, as in the table
        axes.bar_label(container, labels=[f"{v:,}" for v in values], padding=4)
        axes.set_xlim(0, max([*values, 1]) * 1.15)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    return csp_safe_svg(buffer.getvalue(), chart_id=chart_id, title=title, description=description)
