"""Spreadsheets as rows of {header: text}: CSV (comma or semicolon), tab-delimited
text, Excel (.xlsx) and Excel's XML Spreadsheet 2003 (CMT's ".xls" export), in
UTF-8, UTF-16 or Windows-1252 (see haet.textfiles).

Headers are compared lower-cased with spaces collapsed ("Paper ID" and
"paper id" are the same column). An export that starts with a title line above
the header (CMT writes one) is read from the first line that has `required`."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from exchange.imports.records import ImportFileError, text
from haet.textfiles import DELIMITERS, decode_text, likely_delimiter

XLSX_MAGIC = b"PK\x03\x04"


# Excel's "XML Spreadsheet 2003", which CMT's "Export to Excel" writes (with the
# extension .xls): a workbook as XML, no zip.
SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml")


def header_key(name: object) -> str:
    key = " ".join(text(name).lower().replace("\ufeff", "").split())
    return key.replace("e-mail", "email")  # CMT's "E-mail"


class Table(list[dict[str, str]]):
    """The rows, each {header key: text}, and each header as the file writes it
    (`written`), for saying a column's name back to the chair as they know it."""

    def __init__(self, rows: list[dict[str, str]], written: dict[str, str]) -> None:
        super().__init__(rows)
        self.written = written


def _rows_from_lines(lines: list[list[str]], required: str) -> Table:
    headers = [
        index
        for index, line in enumerate(lines)
        if required in [header_key(cell) for cell in line]
    ]
    if not headers:
        raise ImportFileError(f"No header line with a “{required}” column was found.")
    start = headers[0]
    keys = [header_key(cell) for cell in lines[start]]
    written = {
        key: " ".join(text(cell).replace("\ufeff", "").split())
        for key, cell in zip(keys, lines[start], strict=True)
        if key
    }
    rows = []
    for line in lines[start + 1 :]:
        if not any(text(cell) for cell in line):
            continue
        rows.append(
            {key: text(cell) for key, cell in zip(keys, line, strict=False) if key}
        )
    return Table(rows, written)


def read_sheets(data: bytes) -> dict[str, list[list[str]]]:
    """Every sheet of an Excel workbook as lists of cell texts."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileError(f"This is not a readable Excel file: {error}") from error
    sheets = {}
    for sheet in workbook.worksheets:
        sheets[sheet.title] = [
            [text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    workbook.close()
    return sheets


def is_xml_spreadsheet(data: bytes) -> bool:
    head = data[:4096]
    return bool(_XML_START.match(head)) and SPREADSHEET_NS.encode() in head


def read_xml_sheets(data: bytes) -> dict[str, list[list[str]]]:
    """Every sheet of an XML Spreadsheet 2003 workbook as lists of cell texts.
    A cell's ss:Index skips the empty cells before it, ss:MergeAcross spans
    more. Such a file has no DTD: one with a DOCTYPE or entities is refused
    before it is parsed (expat would expand internal entities)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ImportFileError("This XML spreadsheet declares a DTD: not read.")
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD, checked above
    except ET.ParseError as error:
        raise ImportFileError(
            f"This is not a readable XML spreadsheet: {error}."
        ) from error
    ns = f"{{{SPREADSHEET_NS}}}"
    sheets: dict[str, list[list[str]]] = {}
    for sheet in root.iter(f"{ns}Worksheet"):
        lines = []
        for row in sheet.iter(f"{ns}Row"):
            cells: list[str] = []
            for cell in row.findall(f"{ns}Cell"):
                index = cell.get(f"{ns}Index", "")
                if index.isdigit():
                    cells += [""] * max(int(index) - 1 - len(cells), 0)
                value = cell.find(f"{ns}Data")
                cells.append("".join(value.itertext()) if value is not None else "")
                span = cell.get(f"{ns}MergeAcross", "")
                cells += [""] * (int(span) if span.isdigit() else 0)
            lines.append(cells)
        sheets[sheet.get(f"{ns}Name", f"Sheet{len(sheets) + 1}")] = lines
    return sheets


def read_workbook(data: bytes) -> dict[str, list[list[str]]] | None:
    """The sheets of an Excel workbook (.xlsx, or XML Spreadsheet 2003), or None
    when `data` is a text file."""
    if data.startswith(XLSX_MAGIC):
        return read_sheets(data)
    if is_xml_spreadsheet(data):
        return read_xml_sheets(data)
    return None


def sheet_table(
    sheets: dict[str, list[list[str]]],
    *,
    required: str,
    sheet_names: Iterable[str] = (),
) -> Table:
    """The rows of the first sheet named in `sheet_names`, else of the first
    sheet with the `required` column."""
    wanted = [header_key(name) for name in sheet_names]
    ordered = sorted(
        sheets.items(),
        key=lambda item: (
            wanted.index(header_key(item[0]))
            if header_key(item[0]) in wanted
            else len(wanted)
        ),
    )
    for _name, lines in ordered:
        try:
            return _rows_from_lines(lines, required)
        except ImportFileError:
            continue
    raise ImportFileError(f"No sheet has a “{required}” column.")


def read_table(data: bytes, *, required: str, sheet_names: Iterable[str] = ()) -> Table:
    """The rows of a CSV, tab-delimited or Excel file (for a workbook: the first
    sheet named in `sheet_names`, else the first sheet with the `required` column)."""
    sheets = read_workbook(data)
    if sheets is not None:
        return sheet_table(sheets, required=required, sheet_names=sheet_names)
    content = decode_text(data)
    try:
        lines = _split_lines(content, required)
    except csv.Error as error:  # a cell over the csv module's size limit
        message = f"The file cannot be read as a table: {error}."
        raise ImportFileError(message) from error
    return _rows_from_lines(lines, required)


def _cells(content: str, delimiter: str) -> list[list[str]]:
    # newline="": a lone CR ends a line too (Excel for Mac's "CSV (Macintosh)"),
    # and a line break inside a quoted cell stays in it.
    return list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))


def _split_lines(content: str, required: str) -> list[list[str]]:
    """The file's cells, split on the delimiter that finds the `required`
    column; among several, the one that splits the header line into the most
    cells (a title containing a comma can't make a semicolon file look like a
    comma one). None finds it: the commonest on the first line, whose rows
    then report the missing column."""
    candidates = []
    for delimiter in DELIMITERS:
        lines = _cells(content, delimiter)
        header = next(
            (line for line in lines if required in [header_key(cell) for cell in line]),
            None,
        )
        if header is not None:
            candidates.append((len(header), -DELIMITERS.index(delimiter), lines))
    if candidates:
        return max(candidates, key=lambda c: (c[0], c[1]))[2]
    delimiter = likely_delimiter(content)
    return _cells(content, delimiter)


def column(row: dict[str, str], *names: str) -> str:
    """The first of `names` (header keys) the row has a value for."""
    for name in names:
        value = row.get(name, "")
        if value:
            return value
    return ""
