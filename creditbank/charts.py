"""Horizontal bar charts drawn on the server as SVG; each chart has a table of the same figures beside it.

Each bar has its label on its own line above it, so a long name (an institution's) fits whole, and the drawing is
narrow (WIDTH units, at most that many CSS pixels wide: static/css/app.css), so its text stays readable on a phone.
"""

from dataclasses import dataclass

from django.utils.text import capfirst

WIDTH = 420
LABEL_LINE = 18  # the label's line, above its bar
BAR_HEIGHT = 14
GAP = 8
VALUE_ROOM = 56  # right of the longest bar, for its figure
LABEL_CHARS = 60  # a label longer than this is cut (the table beside the chart and the bar's tooltip have it whole)


@dataclass
class Bar:
    label: str
    short_label: str
    value: float
    label_y: int
    y: int
    width: int
    value_x: int
    value_y: int


@dataclass
class Chart:
    title: str
    bars: list
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(title: str, rows: list[dict], value_key: str, label_key: str = "label") -> Chart:
    values = [float(row[value_key] or 0) for row in rows]
    top = max(values, default=0) or 1
    room = WIDTH - VALUE_ROOM
    bars = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        top_y = index * (LABEL_LINE + BAR_HEIGHT + GAP)
        y = top_y + LABEL_LINE
        width = max(round(room * value / top), 1 if value else 0)
        label = capfirst(str(row[label_key]))  # "Formal", as the table beside it writes it in English
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        bars.append(Bar(label, short, value, top_y + 13, y, width, width + 4, y + BAR_HEIGHT - 2))
    height = len(bars) * (LABEL_LINE + BAR_HEIGHT + GAP) - GAP
    return Chart(title, bars, max(height, LABEL_LINE + BAR_HEIGHT))
