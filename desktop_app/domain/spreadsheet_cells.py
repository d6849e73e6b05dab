"""What a cell may hold when a file we write is opened in a spreadsheet program.

A value beginning with = + - @ (or a tab or carriage return, which some programs strip before reading the
rest as a formula) is run as a formula by Excel, WPS and LibreOffice: "CSV/formula injection". Such a value
is written with a leading apostrophe, which those programs show as text and which a reader can see.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """`value`, made inert for a spreadsheet: prefixed with ' when it would otherwise start a formula."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
