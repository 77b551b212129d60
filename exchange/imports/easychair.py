"""EasyChair: the premium CSV export (submission.csv, author.csv and, when
exported, submission_topic.csv) or the same as one Excel workbook with the sheets
"Submissions", "Authors" and "Submission topics".

submission.csv: "#", "title", "authors", "keywords" (one a line), "decision",
"abstract", "deleted?". author.csv: "submission #", "first name", "last name",
"email", "country", "affiliation", "Web page", "person #", "corresponding?".

Reviews (review.csv, sheet "Reviews"): "#", "submission #", "member #", "member
name", "number", "version", "text", "scores" (one "field: value" a line),
"reviewer first name/last name/email" (a sub-reviewer), "date", "time". The
member's address comes from a "member email" column or from committee.csv
("#", "person #", "first name", "last name", "email", ...; sheet "Program
committee"). `exchange.imports.review_plan` maps them onto the review form.

Meta-reviews (metareview.csv, sheet "Metareviews"): "#", "submission #",
"member #", "member name", "recommendation", "text", "PC-only part" (to the
chairs' note, never to the authors), "date", "time";
`exchange.imports.meta_reviews` makes them the submissions' meta-reviews."""

import re
from collections import defaultdict

from exchange.imports.records import (
    ImportedAuthor,
    ImportedMetaReview,
    ImportedReview,
    ImportFileError,
    Parsed,
    Record,
    split_list,
)
from exchange.imports.tables import (
    XLSX_MAGIC,
    column,
    header_key,
    read_table,
    read_workbook,
    sheet_table,
)
from haet.wording import agreeing, counted


def _kind(rows: list[dict[str, str]]) -> str:
    keys = set(rows[0]) if rows else set()
    if "submission #" in keys and ("email" in keys or "first name" in keys):
        return "authors"
    if "submission #" in keys and "topic" in keys:
        return "topics"
    if "#" in keys and "title" in keys:
        return "submissions"
    if "submission #" in keys and "scores" in keys:
        return "reviews"
    if "submission #" in keys and "recommendation" in keys:
        return "meta_reviews"
    if "#" in keys and "email" in keys and "person #" in keys:
        return "committee"
    return ""


def _tables(
    files: list[tuple[str, bytes]],
) -> tuple[dict[str, list[dict[str, str]]], list[str]]:
    """The tables found by kind, and what is said of each file none was found in."""
    tables: dict[str, list[dict[str, str]]] = {}
    unread = []
    for name, data in files:
        if not _read_file(name, data, tables):
            hint = (
                " It is a zip archive but no Excel workbook: unzip it and give the "
                "CSV files it holds."
                if data.startswith(XLSX_MAGIC) and b"xl/workbook" not in data[:65536]
                else " Its header line names none of EasyChair's columns."
            )
            unread.append(
                f"{name} was not read: no EasyChair table was found in it.{hint}"
            )
    return tables, unread


def _read_file(name: str, data: bytes, tables: dict[str, list[dict[str, str]]]) -> bool:
    """Add the tables `data` holds (an Excel workbook's sheets, or one CSV);
    False if it holds none."""
    found = False
    try:
        sheets = read_workbook(data)  # read once, for every sheet below
    except ImportFileError:
        return False  # a zip that is no workbook: _tables says what to do
    if sheets is not None:
        for required, sheet, kind in (
            ("#", "Submissions", "submissions"),
            ("submission #", "Authors", "authors"),
            ("topic", "Submission topics", "topics"),
            ("scores", "Reviews", "reviews"),
            ("person #", "Program committee", "committee"),
            ("recommendation", "Metareviews", "meta_reviews"),
        ):
            try:
                rows = sheet_table(sheets, required=required, sheet_names=[sheet])
            except ImportFileError:
                continue
            if _kind(rows) == kind or (
                rows == [] and kind in ("topics", "reviews", "meta_reviews")
            ):
                tables[kind] = rows
                found = True
        return found
    for required in ("scores", "person #", "submission #", "#"):
        try:
            rows = read_table(data, required=required)
        except ImportFileError:
            continue
        kind = _kind(rows) or {"author.csv": "authors"}.get(header_key(name), "")
        if kind:
            tables[kind] = rows
            return True
    return False


def parse(files: list[tuple[str, bytes]]) -> Parsed:
    parsed = Parsed()
    tables, unread = _tables(files)
    if "submissions" not in tables:
        raise ImportFileError(
            " ".join(
                [
                    "No EasyChair submission list was found (submission.csv, with "
                    "the columns “#” and “title”).",
                    *unread,
                ]
            )
        )
    parsed.problems += unread
    if "authors" not in tables:
        parsed.problems.append(
            "No author list (author.csv) was given: EasyChair's submission list "
            "has names only, so every submission is skipped."
        )
    authors: dict[str, list[ImportedAuthor]] = defaultdict(list)
    for row in tables.get("authors", []):
        name = " ".join(
            part
            for part in (column(row, "first name"), column(row, "last name"))
            if part
        )
        authors[column(row, "submission #")].append(
            ImportedAuthor(
                name=name,
                email=column(row, "email"),
                affiliation=column(row, "affiliation", "organization"),
                is_contact=column(row, "corresponding?").lower()
                in {"yes", "true", "1"},
            )
        )
    topics: dict[str, list[str]] = defaultdict(list)
    for row in tables.get("topics", []):
        topics[column(row, "submission #")].append(column(row, "topic"))
    for row in tables["submissions"]:
        number = column(row, "#")
        record = Record(
            source_id=number,
            title=column(row, "title"),
            abstract=column(row, "abstract"),
            keywords=", ".join(split_list(column(row, "keywords"), "\n;")),
            topics=topics.get(number, []),
            is_withdrawn=column(row, "deleted?").lower() in {"yes", "true", "1"},
            decision=column(row, "decision"),
        )
        record.authors = [a for a in authors.get(number, []) if a.email]
        missing = len(authors.get(number, [])) - len(record.authors)
        if missing:
            record.notes.append(
                f"{counted(missing, 'author')} without an email address "
                f"{agreeing(missing, 'was', 'were')} left out."
            )
        parsed.records.append(record)
    parsed.reviews = _reviews(tables)
    parsed.meta_reviews = [
        ImportedMetaReview(
            source_id=column(row, "#"),
            submission_id=column(row, "submission #"),
            name=column(row, "member name"),
            recommendation=column(row, "recommendation"),
            text=column(row, "text"),
            for_chairs=column(row, "pc-only part"),
            written_at=" ".join(
                part for part in (column(row, "date"), column(row, "time")) if part
            ),
        )
        for row in tables.get("meta_reviews", [])
    ]
    return parsed


# EasyChair writes a review's text fields into one "text" cell, each after its
# name in capitals and brackets: "(SUMMARY) ... (CONFIDENTIAL REMARKS FOR THE
# PROGRAM COMMITTEE) ...". A section whose name says it was kept from the
# authors must not reach them: it becomes a field of its own, which the review
# plan sends to a question for the chairs or leaves out (review_plan._left_out).
_KEPT_FROM_AUTHORS = re.compile(
    r"\((?=[^()]*(?:CONFIDENTIAL|COMMITTEE|CHAIRS|\bPC\b))([A-Z][A-Z0-9 ,.'&/-]+)\)"
)
# What ends such a section: the next section name of two words or more (a
# bracketed acronym such as "(CNN)" in the remarks does not).
_NEXT_SECTION = re.compile(r"\(([A-Z][A-Z0-9,.'&/-]*(?: [A-Z0-9,.'&/-]+)+)\)")


def _split_text(text: str) -> tuple[str, dict[str, str]]:
    """The text for the authors, and the sections kept from them by name
    ("Confidential remarks for the program committee": their text)."""
    kept: dict[str, str] = {}
    while match := _KEPT_FROM_AUTHORS.search(text):
        rest = text[match.end() :]
        end = _NEXT_SECTION.search(rest)
        body = rest[: end.start()] if end else rest
        name = match.group(1).strip().capitalize()
        kept[name] = f"{kept.get(name, '')}\n{body.strip()}".strip()
        text = text[: match.start()].rstrip() + (
            "\n" + rest[end.start() :] if end else ""
        )
    return text.strip(), kept


def _scores(value: str) -> dict[str, str]:
    found = {}
    for line in value.splitlines():
        name, separator, score = line.partition(":")
        if separator and name.strip():
            found[name.strip()] = score.strip()
    return found


def _reviews(tables: dict[str, list[dict[str, str]]]) -> list[ImportedReview]:
    emails = {
        column(row, "#"): column(row, "email").lower()
        for row in tables.get("committee", [])
    }
    reviews = []
    for row in tables.get("reviews", []):
        member = column(row, "member #")
        text, kept = _split_text(column(row, "text"))
        review = ImportedReview(
            source_id=column(row, "#"),
            submission_id=column(row, "submission #"),
            name=column(row, "member name"),
            email=(column(row, "member email") or emails.get(member, "")).lower(),
            scores=_scores(column(row, "scores")) | kept,
            text=text,
            written_at=" ".join(
                part for part in (column(row, "date"), column(row, "time")) if part
            ),
        )
        sub_reviewer = " ".join(
            part
            for part in (
                column(row, "reviewer first name"),
                column(row, "reviewer last name"),
            )
            if part
        )
        if sub_reviewer:
            review.sub_reviewer = sub_reviewer
            review.sub_reviewer_email = column(row, "reviewer email").lower()
            review.notes.append(
                f"Written by the sub-reviewer {sub_reviewer}: imported as the "
                "member's review, delegated to them (chairs see who wrote it)."
            )
        reviews.append(review)
    return reviews
