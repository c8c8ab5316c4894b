"""The summary and the time series as CSV, for a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Dict, Iterable, List, Mapping

# text a spreadsheet would run as a formula; the values here are ours, but agent names are typed by people
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _write(rows: Iterable[List[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def summary_csv(summary: Mapping[str, Any]) -> str:
    """One figure a line (`figure,value`), then one line per agent."""
    rows: List[List[Any]] = [["figure", "value"]]
    rows += [[name, value] for name, value in summary.items() if name not in ("per_agent", "top_intents")]
    rows += [[f"top_intent:{item['intent']}", item["count"]] for item in summary["top_intents"]]
    agents: List[Dict[str, Any]] = list(summary["per_agent"])
    if agents:
        columns = list(agents[0])
        rows += [[], ["per_agent:" + columns[0], *columns[1:]]]
        rows += [[agent[column] for column in columns] for agent in agents]
    return _write(rows)


def series_csv(metric: str, points: Iterable[Mapping[str, Any]]) -> str:
    return _write([["at", metric], *([point["at"], point["value"]] for point in points)])
