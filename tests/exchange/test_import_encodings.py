"""Spreadsheets as other people's programs save them: Excel's "CSV" on Windows is
Windows-1252, in continental Europe it is split by semicolons, and "Unicode text"
is UTF-16. Each reads as the UTF-8 comma file would (exchange.imports.tables)."""

import codecs
import contextlib
import csv
import io

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from exchange.imports.records import ImportFileError
from exchange.imports.tables import read_table
from haet.textfiles import decode_text
from submissions.models import Submission
from tests.exchange.test_import_formats import (
    EASYCHAIR,
    EXPECTED,
    SAMPLES,
    imported,
    run,
)

# Each of these is where Latin-1 has a control code: a curly apostrophe, a dash.
ACCENTED = "Résumé of “Zoë\u2019s” 8-bit training \u2013 €5 a board"


@pytest.mark.parametrize("extra", ["", "x"])  # an even and an odd byte length
def test_windows_1252_is_read_as_windows_1252_whatever_its_length(extra):
    text = f"title,name\n{ACCENTED}{extra},Zoë\n"

    assert decode_text(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + ACCENTED.encode("utf-8"),
        ACCENTED.encode("utf-8"),
        ACCENTED.encode("utf-16"),  # with its byte-order mark
        codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be"),
        ACCENTED.encode("utf-16-le"),  # no mark: the NUL bytes tell
        ACCENTED.encode("utf-16-be"),
    ],
    ids=["utf-8-bom", "utf-8", "utf-16", "utf-16-be-bom", "utf-16-le", "utf-16-be"],
)
def test_unicode_encodings_are_recognised(data):
    assert decode_text(data) == ACCENTED


def test_a_stray_nul_byte_does_not_make_a_utf8_file_utf16():
    data = "title,name\nRésumé,Zoë\n".encode() + b"\x00" + b"x" * 40

    assert decode_text(data).startswith("title,name\nRésumé,Zoë")


BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Letters and punctuation a name or title holds (no NUL, no surrogates). Not
# U+FEFF either: at the start of a file it is the byte-order mark, by design.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00\ufeff"),
    min_size=1,
    max_size=60,
)


@given(TEXT)
def test_any_text_survives_utf8_and_utf16(text):
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8")) == text
    assert decode_text(text.encode("utf-16")) == text


@given(TEXT)
def test_any_windows_1252_text_that_is_not_also_utf8_survives(text):
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        return
    # "ÿþ", "þÿ" and "ï»¿" are byte-order marks in these bytes: no one can tell.
    assume(not data.startswith(BOMS))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert decode_text(data) == text
    else:  # the same bytes are UTF-8 too (ASCII, say): read as UTF-8
        assert decode_text(data) == data.decode("utf-8")


def _rewrite(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _rows(path) -> list[list[str]]:
    content = path.read_text("utf-8")
    delimiter = "\t" if path.suffix == ".txt" else ","
    return list(csv.reader(io.StringIO(content), delimiter=delimiter))


@pytest.mark.parametrize("delimiter", [";", ","])
def test_a_semicolon_file_finds_its_columns_even_with_commas_in_cells(delimiter):
    rows = [
        ["Email", "Name"],
        ["ada@uni.example", "Lovelace, Ada"],
        ["jo@uni.example", "Jo; the second"],
    ]

    read = read_table(_rewrite(rows, delimiter).encode(), required="email")

    assert read == [
        {"email": "ada@uni.example", "name": "Lovelace, Ada"},
        {"email": "jo@uni.example", "name": "Jo; the second"},
    ]


def test_cmt_saved_by_excel_in_europe_imports_like_the_original(
    conference, chair, tmp_path
):
    """Semicolons, Windows-1252 and a curly-quoted, accented title."""
    rows = _rows(SAMPLES / "cmt_submissions.txt")
    header = next(i for i, row in enumerate(rows) if "Paper ID" in row)
    title = rows[header].index("Paper Title")
    rows[header + 1][title] = "Low-Rank “Gradient” Sketches for On-Device Training"
    path = tmp_path / "cmt.csv"
    path.write_bytes(_rewrite(rows, ";").encode("cp1252"))

    run("--from", "cmt", str(path))

    expected = dict(EXPECTED["cmt"])
    _title, emails, state = expected["101"]
    expected["101"] = (rows[header + 1][title], emails, state)
    assert imported("cmt") == expected


def test_easychair_files_saved_by_excel_in_europe_import_like_the_originals(
    conference, chair, tmp_path
):
    paths = []
    for original in EASYCHAIR:
        rows = _rows(SAMPLES / "easychair" / original.rsplit("/", 1)[-1])
        if original.endswith("author.csv"):
            first = rows[0].index("first name")
            rows[1][first] = "Inês"
        path = tmp_path / original.rsplit("/", 1)[-1]
        path.write_bytes(_rewrite(rows, ";").encode("cp1252"))
        paths.append(str(path))

    run("--from", "easychair", *paths)

    assert imported("easychair") == EXPECTED["easychair"]
    assert Submission.objects.filter(authors__name__startswith="Inês ").exists()


@pytest.mark.parametrize(
    ("names", "emails", "note"),
    [
        ("Ada; Bo", "ada@uni.example", "1 author name without an email address was"),
        ("Ada; Bo; Cy", "ada@uni.example", "2 author names without an email address "),
    ],
)
def test_authors_left_out_are_counted_in_words(names, emails, note):
    from exchange.imports import cmt

    line = "\t".join(["Paper ID", "Paper Title", "Abstract", "Author Names"])
    line += "\tAuthor Emails\n" + "\t".join(["7", "T", "A", names, emails]) + "\n"

    parsed = cmt.parse([("papers.txt", line.encode())])

    assert note in " ".join(parsed.records[0].notes)


@pytest.mark.parametrize("line_end", ["\r", "\n", "\r\n"])
def test_any_line_end_reads_the_same_rows(line_end):
    """A lone CR ends a line too: Excel for Mac's "CSV (Macintosh)" writes no
    other. Before, the csv module stopped on it ("new-line character seen in
    unquoted field") and the chair got a server error. A line break inside a
    quoted cell stays in the cell."""
    rows = [
        ["Email", "Name"],
        ["ada@uni.example", "Ada\nLovelace"],
        ["jo@x.example", "Jo"],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator=line_end, quoting=csv.QUOTE_ALL).writerows(rows)

    read = read_table(out.getvalue().encode("cp1252"), required="email")

    assert read == [
        {"email": "ada@uni.example", "name": "Ada\nLovelace"},
        {"email": "jo@x.example", "name": "Jo"},
    ]


def test_a_cell_too_large_to_read_is_refused_with_the_reason():
    data = ("email,name\nada@uni.example," + "x" * 200_000 + "\n").encode()

    with pytest.raises(ImportFileError, match="cannot be read as a table"):
        read_table(data, required="email")


HEADERS = ["paper", "email", "reviewername", "paper id", "reviewer email", "#", "title"]
TABLE_LIKE = st.lists(
    st.sampled_from([*HEADERS, "Q1 (x)", "x", "é", ",", ";", "\t", '"', "\r", "\n"]),
    max_size=30,
).map(lambda parts: "".join(parts).encode("utf-8"))


@given(st.one_of(st.binary(max_size=200), TABLE_LIKE))
def test_any_bytes_give_rows_or_the_reason(data):
    """Whatever a chair uploads, each reader gives what it read or an
    ImportFileError with the reason, never another exception (a server error)."""
    from exchange.imports import cmt, easychair, hotcrp, openreview

    for reader in (cmt, easychair, hotcrp, openreview):
        with contextlib.suppress(ImportFileError):
            reader.parse([("upload.csv", data)])
