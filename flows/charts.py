"""Charts as inline SVG, drawn from numbers the report queries return: horizontal bars,
stacked bars and lines over weeks. No script and no library: a page opens from file://."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f6f8b", "#e07a1f", "#4c956c", "#b23a48", "#7b5ea7", "#8a6d3b", "#3d5a80",
           "#c05299")
"""series colours, in order; readable on white and told apart by most colour-blind readers"""
_FONT = 12
LABEL_CHARS = 19
"""a bar's label is cut to this many characters: wide letters still fit its 150 pixels"""
_LABEL_WIDTH = 150
_BAR_HEIGHT = 18
_GAP = 6


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its parts (one value per series), and where it links to."""

    label: str
    values: tuple[float, ...]
    href: str | None = None


def bars(items: Sequence[Bar], series: Sequence[str] = (), title: str = "",
         width: int = 480) -> str:
    """Horizontal bars, stacked when a bar has several values (named by ``series``)."""
    if not items:
        return ""
    top = max(sum(b.values) for b in items) or 1
    plot = width - _LABEL_WIDTH - 50
    per_row = _per_row(width - _LABEL_WIDTH)
    legend = 18 * -(-len(series) // per_row) + 6 if len(series) > 1 else 0
    height = legend + len(items) * (_BAR_HEIGHT + _GAP) + _GAP
    parts = [_svg_open(width, height, title)]
    if legend:
        parts.append(_legend(series, _LABEL_WIDTH, 14, per_row))
    for row, bar in enumerate(items):
        y = legend + _GAP + row * (_BAR_HEIGHT + _GAP)
        label = escape(_short(bar.label, LABEL_CHARS))
        text = (f'<text x="{_LABEL_WIDTH - 8}" y="{y + _BAR_HEIGHT - 5}" text-anchor="end">'
                f'{label}</text>')
        parts.append(f'<a href="{escape(bar.href)}">{text}</a>' if bar.href else text)
        x = float(_LABEL_WIDTH)
        for i, value in enumerate(bar.values):
            if value <= 0:
                continue
            w = value / top * plot
            name = f"{series[i]}: " if len(series) > 1 else ""
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" '
                f'height="{_BAR_HEIGHT}" fill="{PALETTE[i % len(PALETTE)]}">'
                f'<title>{escape(bar.label)}: {name}{_number(value)}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + _BAR_HEIGHT - 5}">'
                     f'{_number(sum(bar.values))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def lines(weeks: Sequence[dt.date], series: dict[str, dict[dt.date, int]], title: str = "",
          width: int = 960, height: int = 260) -> str:
    """One line per series over ``weeks`` (Mondays), zero where a week has nothing."""
    if not weeks or not series:
        return ""
    per_row = _per_row(width - 40)
    left, right, top_pad, bottom = 40, 36, 16 + 18 * -(-len(series) // per_row), 28
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    peak = max([max(v.values(), default=0) for v in series.values()] + [1])
    step = plot_w / max(len(weeks) - 1, 1)

    def at(i: int, value: int) -> tuple[float, float]:
        x = left + (i * step if len(weeks) > 1 else plot_w / 2)
        return x, top_pad + plot_h - value / peak * plot_h

    parts = [_svg_open(width, height, title)]
    for tick in sorted({0, peak // 2, peak}):
        y = at(0, tick)[1]
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" '
                     f'y2="{y:.1f}"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick}</text>')
    every = max(len(weeks) // 8, 1)
    for i, week in enumerate(weeks):
        if i % every == 0:
            parts.append(f'<text x="{at(i, 0)[0]:.1f}" y="{height - 8}" text-anchor="middle">'
                         f'{week.strftime("%d %b")}</text>')
    for n, (name, counts) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        points = [at(i, counts.get(w, 0)) for i, w in enumerate(weeks)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="line" points="{path}" fill="none" stroke="{colour}" '
                     'stroke-width="2"/>')
        for (x, y), week in zip(points, weeks, strict=True):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>'
                         f'{escape(name)}, week of {week.isoformat()}: {counts.get(week, 0)}'
                         '</title></circle>')
    parts.append(_legend(list(series), left, 14, per_row))
    parts.append("</svg>")
    return "".join(parts)


_LEGEND_ITEM = 160


def _per_row(width: int) -> int:
    return max(width // _LEGEND_ITEM, 1)


def _legend(names: Sequence[str], x: int, y: int, per_row: int) -> str:
    items = []
    for i, name in enumerate(names):
        col, row = i % per_row, i // per_row
        items.append(f'<rect x="{x + col * _LEGEND_ITEM}" y="{y - 10 + row * 18}" width="10" '
                     f'height="10" fill="{PALETTE[i % len(PALETTE)]}"/><text '
                     f'x="{x + col * _LEGEND_ITEM + 14}" y="{y + row * 18}">'
                     f'{escape(_short(name, 22))}</text>')
    return f'<g class="legend">{"".join(items)}</g>'


def _svg_open(width: int, height: int, title: str) -> str:
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'font-size="{_FONT}"><title>{escape(title)}</title>')


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _number(value: float) -> str:
    return f"{value:g}"
