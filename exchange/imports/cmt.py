"""Microsoft CMT: the chair console's submissions export (Excel or tab-delimited).

One row a submission: "Paper ID", "Paper Title", "Abstract", "Authors" (names
with the affiliation in parentheses, "; "-separated, the contact starred),
"Author Names", "Author Emails" (same order), "Primary Subject Area",
"Secondary Subject Areas", "Conflicts" (email addresses), "Domains", "Files",
"Status" (its decision, "Accept", or "Awaiting Decision"). Missing columns are
empty, not errors.

Reviews: the chair console's "Export to Excel > Reviews" (or the same saved as
tab-delimited text), given with the submissions export. One row a review:
"Paper ID", "Paper Title", "Reviewer Name", "Reviewer Email", then one column a
question of CMT's review form, "Q1 (Overall Rating)", its answer as the
reviewer chose or wrote it (a choice by its text). `exchange.imports.review_plan`
maps the questions onto the review form, a choice by its value or its label."""

import re

from exchange.imports.records import (
    ImportedAuthor,
    ImportedReview,
    Parsed,
    Record,
    split_list,
)
from exchange.imports.tables import column, read_table
from haet.wording import agreeing, counted

SIZE = re.compile(r"\s*\([^()]*\)\s*$")
# "Q12 (Presentation)": CMT numbers its review form's questions.
QUESTION = re.compile(r"^q\d+\s*\((?P<name>.*)\)$", re.DOTALL | re.IGNORECASE)
# A form whose questions start with a tag: "Q11 ([Confidence] Please provide
# your confidence ...)" (ICML's); a choice question has a second column with
# its number, "Q11 ([Confidence] ... - Value)".
TAG = re.compile(r"^\s*\[(?P<tag>[^\]]+)\]")
VALUE_SUFFIX = re.compile(r"\s*-\s*value\s*$", re.IGNORECASE)
# "Wei Zhang (Tsinghua University (Beijing))": one level of brackets inside.
NAMED_AFFILIATION = re.compile(
    r"^(?P<name>.*?)\s*\((?P<affiliation>(?:[^()]|\([^()]*\))*)\)\s*$"
)


def _unstar(value: str) -> tuple[str, bool]:
    value = value.strip()
    return value.rstrip("*").strip(), value.endswith("*")


def _authors(row: dict[str, str], record: Record) -> list[ImportedAuthor]:
    emails = split_list(column(row, "author emails", "authors emails"), ";")
    names = split_list(column(row, "author names"), ";")
    described = split_list(column(row, "authors"), ";")
    authors = []
    for index, raw_email in enumerate(emails):
        email, starred = _unstar(raw_email)
        name, affiliation = "", ""
        if index < len(described):
            entry, star = _unstar(described[index])
            starred = starred or star
            match = NAMED_AFFILIATION.match(entry)
            name, affiliation = (
                (match["name"], match["affiliation"]) if match else (entry, "")
            )
        if index < len(names):
            name = _unstar(names[index])[0] or name
        authors.append(
            ImportedAuthor(
                name=name or email,
                email=email,
                affiliation=affiliation,
                is_contact=starred,
            )
        )
    contact = column(row, "primary contact author email", "contact author email")
    for author in authors:
        if contact and author.email.lower() == contact.lower():
            author.is_contact = True
    if len(names) > len(emails):
        left_out = len(names) - len(emails)
        record.notes.append(
            f"{counted(left_out, 'author name')} without an email address "
            f"{agreeing(left_out, 'was', 'were')} left out."
        )
    return authors


def field_names(written: dict[str, str]) -> dict[str, str]:
    """Each question column's field name, by header key: "Q1 (Overall Rating)"
    is "Overall Rating"; a tagged question is its tag ("Confidence"). A choice
    question's name goes to the column of its number ("… - Value"), its
    worded answer being "Confidence (as worded)"."""
    names = {}
    for key, header in written.items():
        question = QUESTION.match(header)
        if question:
            names[key] = question["name"].strip()

    def base(name: str) -> str:
        return VALUE_SUFFIX.sub("", name).strip()

    valued = {base(name) for name in names.values() if VALUE_SUFFIX.search(name)}
    fields = {}
    for key, name in names.items():
        tag = TAG.match(name)
        label = tag["tag"].strip() if tag else base(name)
        is_worded = not VALUE_SUFFIX.search(name) and base(name) in valued
        fields[key] = f"{label} (as worded)" if is_worded else label
    return fields


def _review(row: dict[str, str], fields: dict[str, str]) -> ImportedReview:
    email = column(row, "reviewer email").lower()
    theirs = column(row, "paper id")  # CMT's submission id
    scores = {}
    for key, value in row.items():
        if key in fields and value:
            scores[fields[key]] = value
    return ImportedReview(
        source_id=f"{theirs} by {email or column(row, 'reviewer name') or '?'}",
        submission_id=theirs,
        name=column(row, "reviewer name") or email,
        email=email,
        scores=scores,
    )


def parse(files: list[tuple[str, bytes]]) -> Parsed:
    parsed = Parsed()
    for _name, data in files:
        rows = read_table(data, required="paper id", sheet_names=["Papers"])
        if rows and "reviewer email" in rows[0]:
            fields = field_names(rows.written)
            parsed.reviews += [_review(row, fields) for row in rows]
            continue
        for row in rows:
            record = Record(
                source_id=column(row, "paper id"),
                title=column(row, "paper title", "title"),
                abstract=column(row, "abstract"),
                keywords=column(row, "keywords"),
                is_withdrawn=column(row, "status").lower() in {"withdrawn", "deleted"},
                decision=column(row, "status"),
            )
            record.topics = split_list(
                column(row, "primary subject area")
            ) + split_list(column(row, "secondary subject areas", "subject areas"))
            record.authors = _authors(row, record)
            # CMT's Papers export has a "Conflicts" column holding a count ("7"):
            # only addresses and domains are conflicts.
            record.conflicts = [
                value
                for value in split_list(
                    column(row, "conflicts", "conflict emails"), ";,\n"
                )
                + split_list(column(row, "domains", "conflict domains"), ";,\n")
                if "@" in value or "." in value.strip(".")
            ]
            # "Okafor_sketches.pdf (412 KB)": the size in parentheses goes.
            files_cell = [
                SIZE.sub("", name) for name in split_list(column(row, "files"), ";")
            ]
            record.pdf_name = next(
                (f for f in files_cell if f.lower().endswith(".pdf")), ""
            )
            parsed.records.append(record)
    return parsed
