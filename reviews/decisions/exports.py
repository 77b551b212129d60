"""Exports for chairs: the decision table, the accepted papers, BibTeX, the ZIP of
camera-ready PDFs and the programme. Pure functions over `queries` results."""

import csv
import io
import json
import re
import tempfile
import zipfile

from django.conf import settings
from django.urls import reverse

from haet.models import Conference
from reviews.decisions.queries import AcceptedPaper, Row

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """Neutralise spreadsheet formulas: text starting with = + - @ (or a tab or
    line break) gets a leading apostrophe. Numbers are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def _num(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


def table_csv(rows: list[Row], *, with_authors: bool) -> str:
    header = ["number", "title"]
    if with_authors:
        header.append("authors")
    header += [
        "topics",
        "reviews_done",
        "reviews_required",
        "mean",
        "min",
        "max",
        "weighted_mean",
        "spread",
        "flags",
        "nominations",
        "decision",
        "reason",
        "released",
    ]
    lines = []
    for row in rows:
        line = [row.number, row.title]
        if with_authors:
            line.append(row.author_text)
        line += [
            "; ".join(row.topics),
            row.reviews_done,
            row.reviews_required,
            _num(row.stats.mean),
            _num(row.stats.min),
            _num(row.stats.max),
            _num(row.stats.weighted_mean),
            _num(row.stats.spread),
            "; ".join(row.flags),
            "; ".join(f"{award}: {n}" for award, n in row.nominations.items()),
            row.decision_label,
            row.reason,
            row.is_released,
        ]
        lines.append(line)
    return write_csv(header, lines)


def pdf_url(paper: AcceptedPaper) -> str:
    if not (paper.include_in_proceedings and paper.has_pdf):
        return ""
    return settings.SITE_URL + reverse("accepted:pdf", args=[paper.number])


def accepted_csv(papers: list[AcceptedPaper]) -> str:
    return write_csv(
        [
            "number",
            "title",
            "authors",
            "affiliations",
            "presentation",
            "in_proceedings",
            "camera_ready",
            "pdf_url",
            "arxiv_url",
            "emails",
        ],
        [
            [
                p.number,
                p.title,
                "; ".join(p.author_names),
                "; ".join(p.affiliations),
                p.presentation,
                p.include_in_proceedings,
                p.has_pdf,
                pdf_url(p),
                p.arxiv_url,
                "; ".join(a.get("email", "") for a in p.authors),
            ]
            for p in papers
        ],
    )


def accepted_json(papers: list[AcceptedPaper], conference: Conference) -> str:
    return json.dumps(
        {
            "conference": conference.acronym,
            "booktitle": conference.booktitle,
            "papers": [
                {
                    "number": p.number,
                    "title": p.title,
                    "authors": [
                        {
                            "name": a.get("name", ""),
                            "affiliation": a.get("affiliation", ""),
                            "email": a.get("email", ""),
                        }
                        for a in p.authors
                    ],
                    "presentation": p.presentation,
                    "in_proceedings": p.include_in_proceedings,
                    "camera_ready": p.has_pdf,
                    "pdf_url": pdf_url(p),
                    "arxiv_url": p.arxiv_url,
                }
                for p in papers
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


# --- BibTeX ------------------------------------------------------------------------
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in LATEX_SPECIALS))


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters; Unicode letters stay (biber, and bibtex
    with inputenc, read UTF-8)."""
    text = " ".join(str(text).split())
    return _LATEX_RE.sub(lambda m: LATEX_SPECIALS[m[0]], text)


def conference_year(conference: Conference) -> str:
    date = conference.date("workshop") or conference.date("submission")
    if date is not None:
        return str(date.local_at.year)
    match = re.search(r"(19|20)\d\d", conference.acronym)
    return match[0] if match else ""


def bibtex_key(conference: Conference, paper: AcceptedPaper) -> str:
    stem = re.sub(r"[^A-Za-z0-9]", "", conference.acronym).lower() or "paper"
    return f"{stem}-{paper.number}"


def bibtex(papers: list[AcceptedPaper], conference: Conference) -> str:
    """@inproceedings entries for the papers in the proceedings."""
    year = conference_year(conference)
    booktitle = conference.booktitle or conference.name
    entries = []
    for paper in papers:
        if not paper.include_in_proceedings:
            continue
        fields = [
            ("title", "{" + latex_escape(paper.title) + "}"),
            ("author", " and ".join(latex_escape(n) for n in paper.author_names)),
            ("booktitle", latex_escape(booktitle)),
            ("year", year),
        ]
        if url := pdf_url(paper):
            fields.append(("url", url))
        if paper.arxiv_url:
            fields.append(("note", r"\url{" + paper.arxiv_url + "}"))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@inproceedings{{{bibtex_key(conference, paper)},\n{body}\n}}")
    return "\n\n".join(entries) + ("\n" if entries else "")


# --- the ZIP of camera-ready PDFs --------------------------------------------------
def camera_ready_zip(papers: list[AcceptedPaper]):
    """A temporary file holding `<stem>.pdf` for each paper in the proceedings that
    has a camera-ready PDF; the caller streams and closes it."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
        for paper in papers:
            if not (paper.include_in_proceedings and paper.has_pdf):
                continue
            version = paper.camera_ready.current_version
            with (
                version.file.open("rb") as source,
                archive.open(f"{paper.file_stem}.pdf", "w") as target,
            ):
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
    spool.seek(0)
    return spool


def programme_csv(papers: list[AcceptedPaper]) -> str:
    return write_csv(
        ["session", "number", "title", "authors", "affiliations"],
        [
            [
                "Oral" if p.is_oral else "Poster",
                p.number,
                p.title,
                "; ".join(p.author_names),
                "; ".join(p.affiliations),
            ]
            for p in papers
        ],
    )
