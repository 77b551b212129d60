"""Proceedings exports for chairs: the accepted papers (CSV, JSON), BibTeX, the ZIP
of camera-ready PDFs and the programme. Pure functions over `queries` results."""

import json
import re
import tempfile
import unicodedata
import zipfile

from django.conf import settings
from django.urls import reverse

from decisions.exports import write_csv
from haet.models import Conference
from proceedings.queries import AcceptedSubmission
from submissions.arxiv import arxiv_id, canonical_url


def pdf_url(entry: AcceptedSubmission) -> str:
    if not (entry.include_in_proceedings and entry.has_pdf):
        return ""
    return settings.SITE_URL + reverse("accepted:pdf", args=[entry.number])


# The chairs' custom fields (submissions.fields.queries.export_columns): the
# column names ("field.<slug>") and {submission pk: {column: answer}}.
FieldColumns = tuple[list[str], dict[int, dict[str, str]]]
NO_FIELDS: FieldColumns = ([], {})


def accepted_csv(
    accepted: list[AcceptedSubmission], fields: FieldColumns = NO_FIELDS
) -> str:
    columns, answers = fields
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
            "orcids",
            *columns,
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
                "; ".join(a.get("orcid", "") for a in p.authors),
                *(answers.get(p.pk, {}).get(column, "") for column in columns),
            ]
            for p in accepted
        ],
    )


def accepted_json(
    accepted: list[AcceptedSubmission],
    conference: Conference,
    fields: FieldColumns = NO_FIELDS,
) -> str:
    columns, answers = fields
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
                            "orcid": a.get("orcid", ""),
                        }
                        for a in p.authors
                    ],
                    "presentation": p.presentation,
                    "in_proceedings": p.include_in_proceedings,
                    "camera_ready": p.has_pdf,
                    "pdf_url": pdf_url(p),
                    "arxiv_url": p.arxiv_url,
                    "fields": {
                        column.removeprefix("field."): answers.get(p.pk, {}).get(
                            column, ""
                        )
                        for column in columns
                    },
                }
                for p in accepted
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


# --- BibTeX ------------------------------------------------------------------------
# proceedings.bib must parse whatever authors and chairs typed (issue 12, finding 9).
# Every value is written as {…}, and BibTeX counts every brace, even an escaped one,
# so after escaping a value's braces must balance: a matched pair of the text
# becomes \{…\}, a lone brace \textbraceleft{} or \textbraceright{}. Control
# characters go, whitespace (newlines too) becomes one space, so no value spans
# lines and nothing can start a new entry or field.
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    '"': '{"}',  # babel makes " active; braced, it is a plain quote
    "@": "{@}",  # some BibTeX tools start an entry at any @
}


def plain_line(text: object) -> str:
    """The text on one line: control characters dropped, every run of whitespace
    (line breaks included) one space."""
    text = "" if text is None else str(text)
    kept = (
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
    return " ".join("".join(kept).split())


def _matched_braces(text: str) -> set[int]:
    """Positions of the braces of `text` that pair up."""
    opened: list[int] = []
    matched: set[int] = set()
    for index, ch in enumerate(text):
        if ch == "{":
            opened.append(index)
        elif ch == "}" and opened:
            matched.update((opened.pop(), index))
    return matched


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters, with balanced braces (see above); Unicode
    letters stay (biber, and bibtex with inputenc, read UTF-8)."""
    text = plain_line(text)
    matched = _matched_braces(text)
    escaped = []
    for index, ch in enumerate(text):
        if ch == "{":
            escaped.append(r"\{" if index in matched else r"\textbraceleft{}")
        elif ch == "}":
            escaped.append(r"\}" if index in matched else r"\textbraceright{}")
        else:
            escaped.append(LATEX_SPECIALS.get(ch, ch))
    return "".join(escaped)


def bibtex_name(name: str) -> str:
    """One name of an author list. BibTeX reads the word "and" as the start of the
    next author and a comma as "Last, First": braced, they are plain text."""
    words = []
    for word in latex_escape(name).split(" "):
        if word.lower() == "and":
            word = "{" + word + "}"
        words.append(word.replace(",", "{,}"))
    return " ".join(words)


def conference_year(conference: Conference) -> str:
    date = conference.date("workshop") or conference.date("submission")
    if date is not None:
        return str(date.local_at.year)
    match = re.search(r"(19|20)\d\d", conference.acronym)
    return match[0] if match else ""


def bibtex_key(conference: Conference, entry: AcceptedSubmission) -> str:
    """Letters, digits and one hyphen: safe in every BibTeX tool. Accented
    letters keep their base letter ("ÉCO 2027": eco2027-3, not co2027-3)."""
    ascii_acronym = (
        unicodedata.normalize("NFKD", conference.acronym)
        .encode("ascii", "ignore")
        .decode()
    )
    stem = re.sub(r"[^A-Za-z0-9]", "", ascii_acronym).lower() or "paper"
    return f"{stem}-{int(entry.number)}"


def bibtex(accepted: list[AcceptedSubmission], conference: Conference) -> str:
    """@inproceedings entries for the papers in the proceedings."""
    year = conference_year(conference)
    booktitle = conference.booktitle or conference.name
    entries = []
    for entry in accepted:
        if not entry.include_in_proceedings:
            continue
        names = [bibtex_name(n) for n in entry.author_names if plain_line(n)]
        title = latex_escape(entry.title)
        fields = [
            ("title", "{" + title + "}" if title else ""),  # braced: keep its case
            ("author", " and ".join(names)),
            ("booktitle", latex_escape(booktitle)),
            ("year", year),
        ]
        if url := pdf_url(entry):
            fields.append(("url", url))
        # Checked again here: a link stored before arXiv ids were validated, or by
        # another path, is left out rather than written raw.
        if arxiv := arxiv_id(entry.arxiv_url):
            fields.append(("note", r"\url{" + canonical_url(arxiv) + "}"))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@inproceedings{{{bibtex_key(conference, entry)},\n{body}\n}}")
    return "\n\n".join(entries) + ("\n" if entries else "")


# --- the ZIP of camera-ready PDFs --------------------------------------------------
def camera_ready_zip(
    accepted: list[AcceptedSubmission],
) -> tempfile.SpooledTemporaryFile[bytes]:
    """A temporary file holding `<stem>.pdf` for each paper in the proceedings that
    has a camera-ready PDF; the caller streams and closes it."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
        for entry in accepted:
            if not (entry.include_in_proceedings and entry.has_pdf):
                continue
            camera = entry.camera_ready
            version = camera.current_version if camera is not None else None
            if version is None:  # never: it has a PDF
                continue
            with (
                version.file.open("rb") as source,
                archive.open(f"{entry.file_stem}.pdf", "w") as target,
            ):
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
    spool.seek(0)
    return spool


def programme_csv(accepted: list[AcceptedSubmission]) -> str:
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
            for p in accepted
        ],
    )
