"""Exports that a person opens in another program stay inert there.

A spreadsheet treats a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula (CSV injection: ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``). ``csv_cell`` prefixes such a value with
a single quote, as OWASP recommends, so it is shown as text; everything else is written unchanged. JSON
exports need nothing: ``json.dumps`` escapes what JSON needs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet (strings only; numbers and None pass unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(out: IO[str], fieldnames: list[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """A header and the rows, every cell through ``csv_cell``."""
    writer = csv.DictWriter(out, fieldnames=fieldnames)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
