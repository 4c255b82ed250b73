"""Cells for CSV and XLSX downloads of text that many hands wrote."""

# A cell starting with one of these is read as a formula by spreadsheet programs; titles and
# comments come from many hands, so they are defused (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
