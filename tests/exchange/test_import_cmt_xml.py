"""CMT's "Export to Excel" writes Excel's XML Spreadsheet 2003 with the extension
.xls (ICML 2021's reviews export is one): it was refused ("No header line with a
“paper id” column") although the column was there. A form whose questions start
with a tag ("Q11 ([Confidence] Please provide ...)") and give a choice's number
in a second column ("… - Value") maps by the tag and the number.

The workbook below is written here after the shape of that export (a title row,
styles, ss:Index gaps); no third-party file is copied."""

from io import StringIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.management import call_command

from exchange.imports.cmt import parse
from exchange.imports.records import ImportFileError
from exchange.imports.tables import read_table
from reviews.models import Review

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
ANA = "ana.lima@porto-eng.example"
HEADER = [
    "Paper ID",
    "Paper Title",
    "Reviewer Name",
    "Reviewer Email",
    "Q1 ([Summary] Please summarize the main claims (1-2 sentences).)",
    "Q2 ([Detailed comments] Describe the strengths and weaknesses.)",
    'Q3 (Please provide an "overall score" for this submission. )',
    'Q3 (Please provide an "overall score" for this submission. - Value)',
    "Q4 ([Confidence] Please provide your confidence.)",
    "Q4 ([Confidence] Please provide your confidence. - Value)",
    "Q5 ( [Confidential comments to SPC, AC, and Program Chairs] (ethics too))",
]
ROW = [
    "101",
    "Low-Rank Gradient Sketches for On-Device Training",
    "Ana Lima",
    ANA,
    "Gradients are sketched to fit fine-tuning in 2 MB.",
    "The SRAM budget is convincing; compare with LoRA.",
    "Weak accept",
    "1",
    "I am fairly confident.",
    "3",
    "I know the group.",
]


def cell(value: str, index: int | None = None) -> str:
    at = f' ss:Index="{index}"' if index else ""
    return f'<Cell{at}><Data ss:Type="String">{escape(value)}</Data></Cell>'


def workbook(rows: list[list[str]]) -> bytes:
    body = "".join("<Row>" + "".join(cell(v) for v in row) + "</Row>" for row in rows)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Styles><Style ss:ID="s1"/></Styles>'
        '<Worksheet ss:Name="HAET2022"><Table>'
        f"<Row>{cell('HAET2022', 1)}</Row>"
        f"{body}</Table></Worksheet></Workbook>"
    ).encode()


def test_the_xml_spreadsheet_reads_like_the_text_export():
    # An ss:Index skips empty cells: the title's Data is in column 1, and a row
    # may start its cells further right.
    gapped = workbook([HEADER]).replace(
        b"</Table>",
        f"<Row>{cell('102', 1)}{cell('Second', 3)}</Row></Table>".encode(),
    )

    rows = read_table(gapped, required="paper id")

    assert rows.written["paper id"] == "Paper ID"
    assert rows[0]["paper id"] == "102"
    assert rows[0]["paper title"] == ""
    assert rows[0]["reviewer name"] == "Second"


def test_tagged_questions_map_by_tag_and_number():
    [review] = parse([("Reviews.xls", workbook([HEADER, ROW]))]).reviews

    assert review.scores == {
        "Summary": ROW[4],
        "Detailed comments": ROW[5],
        'Please provide an "overall score" for this submission. (as worded)': ROW[6],
        'Please provide an "overall score" for this submission.': "1",
        "Confidence (as worded)": ROW[8],
        "Confidence": "3",
        "Confidential comments to SPC, AC, and Program Chairs": ROW[10],
    }


def test_the_import_fills_the_review_form(conference, chair, tmp_path):
    reviews = tmp_path / "Reviews.xls"
    reviews.write_bytes(workbook([HEADER, ROW]))
    out = StringIO()
    call_command(
        "import_submissions",
        "--from",
        "cmt",
        "--topic-map",
        str(SAMPLES / "cmt_topic_map.txt"),
        str(SAMPLES / "cmt_submissions.txt"),
        str(reviews),
        stdout=out,
    )

    assert "Reviews: 1 created" in out.getvalue()
    review = Review.objects.get(assignment__reviewer__email=ANA)
    assert review.answers["summary"] == ROW[4]
    assert review.answers["comments"] == ROW[5]
    assert review.answers["score"] == 1
    assert review.answers["confidence"] == 3
    assert review.answers["confidential"] == ROW[10]


def test_an_xml_spreadsheet_with_a_dtd_is_refused():
    laughs = workbook([HEADER]).replace(
        b"<Workbook",
        b'<!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<Workbook',
        1,
    )

    with pytest.raises(ImportFileError, match="declares a DTD"):
        read_table(laughs, required="paper id")


def test_a_broken_xml_spreadsheet_is_refused_with_the_reason():
    broken = workbook([HEADER, ROW])[:-40]

    with pytest.raises(ImportFileError, match="not a readable XML spreadsheet"):
        read_table(broken, required="paper id")
