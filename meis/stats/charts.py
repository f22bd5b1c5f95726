"""What a chart shows, built once for the chart, its table and its CSV: a title, the labels of
its categories or steps, and one or more series of numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Series:
    name: str
    values: list[float | int | None]


@dataclass
class Chart:
    key: str  # the CSV's name, and the figure's id
    title: str
    kind: str  # "bar" or "line"
    category: str  # the table's first column heading
    labels: list[str]
    series: list[Series] = field(default_factory=list)
    horizontal: bool = False
    # How each series is written in the table: "count", "decimal", or "suppressed" (1–9 hidden).
    formats: list[str] = field(default_factory=list)
    plotted_series: int = 0  # the chart draws the first n series (0: all); the table shows all
    plotted_rows: int = 0  # the chart draws the first n rows (0: all); the table shows all
    note: str = ""  # what the figures are, said under the title

    def config(self) -> dict[str, Any]:
        rows = self.plotted_rows or len(self.labels)
        series = self.series[: self.plotted_series] if self.plotted_series else self.series
        return {
            "type": self.kind,
            "horizontal": self.horizontal,
            "labels": self.labels[:rows],
            "series": [{"name": s.name, "values": s.values[:rows]} for s in series],
        }

    def rows(self) -> list[tuple[str, list[tuple[float | int | None, str]]]]:
        formats = self.formats or ["count"] * len(self.series)
        return [
            (label, [(s.values[i], formats[n]) for n, s in enumerate(self.series)])
            for i, label in enumerate(self.labels)
        ]

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([self.category, *(s.name for s in self.series)])
        for i, label in enumerate(self.labels):
            writer.writerow(
                [label, *("" if s.values[i] is None else s.values[i] for s in self.series)]
            )
        return buffer.getvalue()
