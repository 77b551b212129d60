"""Text files as other people's programs save them: the encoding and the cell
delimiter of a spreadsheet a chair exported (exchange.imports.tables, the
affinity upload)."""

import codecs

# Comma, tab, or the semicolon that Excel writes for "CSV" where the comma is
# the decimal separator (most of continental Europe).
DELIMITERS = (",", "\t", ";")


def decode_text(data: bytes) -> str:
    """The text of a file saved by whatever program a chair used.

    A byte-order mark says UTF-8 or UTF-16 (Excel's "Unicode text"). Without
    one, NUL bytes (an eighth of the first 4 KB or more) mean UTF-16 too, on the
    side they fall. Otherwise UTF-8, and failing that Windows-1252, what Excel
    writes for "CSV" on Windows in Western Europe and the Americas (curly quotes
    and the euro sign are where Latin-1 has control codes); bytes even that
    leaves undefined are read as Latin-1. UTF-16 is never guessed without a sign
    of it: nearly any file of an even length "decodes" as UTF-16, into
    Chinese-looking nonsense."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    odd_nuls, even_nuls = head[1::2].count(0), head[0::2].count(0)
    if max(odd_nuls, even_nuls) * 8 >= len(head) > 0:  # a stray NUL is not UTF-16
        encoding = "utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def likely_delimiter(text: str) -> str:
    """The delimiter the first non-blank line has most of (a comma on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first.count)
