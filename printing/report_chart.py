"""The small bar chart of the daily report: received vs returned over the last 14 working days,
drawn with reportlab's own charts (vector, prints sharp, no image library)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from app.reports.figures import SeriesDay
from printing.fonts import SERIF, register_fonts

RECEIVED_COLOUR = colors.Color(0.20, 0.40, 0.70)
RETURNED_COLOUR = colors.Color(0.85, 0.55, 0.15)


def _nice_top(value: int) -> int:
    """A round axis maximum at or above *value* (5, 10, 20, 50, 100, 200, ...)."""
    top = 5
    while top < value:
        for factor in (2, 2.5, 2):
            top = int(top * factor)
            if top >= value:
                break
    return top


def series_chart(series: Sequence[SeriesDay], width: float, height: float = 62 * mm) -> Drawing:
    register_fonts()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - 34 - 8, height - 30 - 22
    chart.data = [[s.received for s in series], [s.returned for s in series]]
    top = _nice_top(max([1, *chart.data[0], *chart.data[1]]))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top
    chart.valueAxis.valueStep = max(1, top // 5)
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = lambda v: f"{int(v):,}".replace(",", ".")
    chart.categoryAxis.categoryNames = [f"{s.day:%d/%m}" for s in series]
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.dy = -3
    chart.bars[0].fillColor = RECEIVED_COLOUR
    chart.bars[1].fillColor = RETURNED_COLOUR
    chart.bars.strokeWidth = 0.3
    chart.groupSpacing = 6
    chart.barSpacing = 1
    drawing.add(chart)
    legend = Legend()
    legend.fontName = SERIF
    legend.fontSize = 9
    legend.x, legend.y = 40, height - 6
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.colorNamePairs = [(RECEIVED_COLOUR, "Tiếp nhận"), (RETURNED_COLOUR, "Trả kết quả")]
    drawing.add(legend)
    drawing.add(String(width - 8, height - 10, "Số hồ sơ / ngày làm việc", fontName=SERIF, fontSize=8,
                       textAnchor="end"))
    return drawing
