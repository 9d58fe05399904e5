"""Render query results for the terminal: an aligned table, JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import uuid
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "json", "csv", "markdown")


def to_jsonable(value: Any) -> Any:
    """A JSON-ready form of a DuckDB value (dates as ISO strings, decimals as numbers)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def render_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A JSON array with one object per row."""
    return json.dumps(
        [{c: to_jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows],
        ensure_ascii=False, indent=2,
    )


def render_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a header row; lists and objects as JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v, full=True) for v in row])
    return out.getvalue().rstrip("\n")


def render(fmt: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
           width: int | None = None) -> str:
    """Rows in one of FORMATS; ``width`` cuts table and Markdown cells to that many
    characters (nothing is cut without it)."""
    if fmt == "json":
        return render_json(columns, rows)
    if fmt == "csv":
        return render_csv(columns, rows)
    if fmt == "markdown":
        return render_markdown(columns, rows, width)
    return render_table(columns, rows, width)


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]],
                 width: int | None = None) -> str:
    """An aligned plain-text table, each cell on one line; ``width`` cuts longer cells."""
    cells = [[_cell(v, width=width) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def render_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]],
                    width: int | None = None) -> str:
    """A GitHub-flavoured Markdown table (pipes in cells escaped)."""
    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    lines = [line(list(columns)), "| " + " | ".join("---" for _ in columns) + " |"]
    lines += [line(["" if v is None else _cell(v, width=width) for v in row]) for row in rows]
    return "\n".join(lines)


def _cell(value: Any, full: bool = False, width: int | None = None) -> str:
    if value is None:
        return "" if full else "NULL"
    if isinstance(value, list | tuple | dict):
        text = json.dumps(to_jsonable(value), ensure_ascii=False)
    else:
        text = str(to_jsonable(value))
    if full:
        return text
    text = " ".join(text.split())
    if width is None or len(text) <= width:
        return text
    return text[: max(width - 3, 1)] + "..."
