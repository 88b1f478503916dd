"""Horizontal bar charts drawn on the server as SVG; each chart has a table of the same figures beside it."""

from dataclasses import dataclass

from django.utils.text import capfirst

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 180
BAR_WIDTH = 260


@dataclass
class Bar:
    label: str
    value: float
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass
class Chart:
    title: str
    bars: list
    height: int
    label_width: int = LABEL_WIDTH
    width: int = LABEL_WIDTH + BAR_WIDTH + 60


def bar_chart(title: str, rows: list[dict], value_key: str, label_key: str = "label") -> Chart:
    values = [float(row[value_key] or 0) for row in rows]
    top = max(values, default=0) or 1
    bars = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = index * (BAR_HEIGHT + GAP)
        width = round(BAR_WIDTH * value / top)
        label = capfirst(str(row[label_key]))[:40]  # "Formal", as the table beside it writes it in English
        bars.append(Bar(label, value, y, width, y + BAR_HEIGHT - 6, LABEL_WIDTH + width + 4))
    return Chart(title, bars, max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT))
