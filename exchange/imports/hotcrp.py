"""HotCRP: the paper JSON that its `savepapers` script and API read and write.

A list of objects (or one object) with "pid", "title", "abstract",
"authors": [{"email", "first", "last", "affiliation", "contact"}], "topics" (a
list of names, or {name: true}), "status" or "submitted"/"withdrawn",
"decision" (or a "status" "accepted"/"rejected"), "pc_conflicts" ({email:
kind}), "submission": {"content_file" or "filename"}.

Reviews: the "Reviews (CSV)" download of HotCRP's paper list, given with the
paper JSON. Columns "paper", "title", "review" (its id, e.g. "3A"),
"reviewername", "email", then one column a review field, named as on HotCRP's
form ("Overall merit", "Reviewer expertise", "Paper summary", "Comments for
authors", "Comments for PC"); a score is its symbol ("2", or "B"). Only
submitted reviews are in it. `exchange.imports.review_plan` maps the fields
onto the review form."""

import json

from exchange.imports.records import (
    ImportedAuthor,
    ImportedReview,
    ImportFileError,
    Parsed,
    Record,
    split_list,
    text,
)
from exchange.imports.tables import read_table


def _topics(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text(name) for name, chosen in value.items() if chosen]
    if isinstance(value, list):
        return [text(name) for name in value if text(name)]
    return split_list(text(value))


def _is_withdrawn(item: dict) -> bool:
    status = text(item.get("status")).lower()
    return status == "withdrawn" or bool(item.get("withdrawn"))


def _record(item: dict) -> Record:
    record = Record(
        # "_id_": HotCRP's own saved test conferences (test/db.json).
        source_id=text(item.get("pid") or item.get("id") or item.get("_id_")),
        title=text(item.get("title")),
        abstract=text(item.get("abstract")),
        keywords=text(item.get("keywords")),
        topics=_topics(item.get("topics")),
        is_withdrawn=_is_withdrawn(item),
        decision=_decision(item),
    )
    for author in item.get("authors") or []:
        if not isinstance(author, dict):
            continue
        name = text(author.get("name")) or " ".join(
            part
            for part in (text(author.get("first")), text(author.get("last")))
            if part
        )
        email = text(author.get("email"))
        if not email:
            record.notes.append(f"Author “{name}” has no email address: left out.")
            continue
        record.authors.append(
            ImportedAuthor(
                name=name or email,
                email=email,
                affiliation=text(author.get("affiliation")),
                orcid=text(author.get("orcid")),
                is_contact=bool(author.get("contact")),
            )
        )
    # {"email": "collaborator", ...}, or a list of addresses (HotCRP's test data)
    conflicts = item.get("pc_conflicts") or {}
    if isinstance(conflicts, dict | list):
        record.conflicts = [text(email) for email in conflicts if text(email)]
    document = item.get("submission")
    if isinstance(document, dict):
        record.pdf_name = text(document.get("content_file") or document.get("filename"))
    return record


# The columns of the reviews CSV that are not review fields.
REVIEW_COLUMNS = {"paper", "title", "review", "reviewername", "email", "round"}


def _reviews(name: str, data: bytes) -> list[ImportedReview]:
    try:
        rows = read_table(data, required="paper")
    except ImportFileError as error:
        raise ImportFileError(
            f"{name} is neither HotCRP's paper JSON nor its reviews CSV: {error}"
        ) from error
    if rows and not {"email", "reviewername"} & set(rows[0]):
        raise ImportFileError(
            f"{name} has a “paper” column but no “email” or “reviewername”: "
            "download the reviews CSV as a chair, with the reviewers' names."
        )
    reviews = []
    for row in rows:
        theirs, email = row.get("paper", ""), row.get("email", "").lower()
        reviews.append(
            ImportedReview(
                source_id=row.get("review") or f"{theirs} by {email or '?'}",
                submission_id=theirs,
                name=row.get("reviewername", "") or email,
                email=email,
                scores={
                    rows.written.get(key, key): value
                    for key, value in row.items()
                    if key not in REVIEW_COLUMNS and value
                },
            )
        )
    return reviews


def parse(files: list[tuple[str, bytes]]) -> Parsed:
    parsed = Parsed()
    for name, data in files:
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"[", b"{")):
            parsed.reviews += _reviews(name, data)
            continue
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ImportFileError(f"{name} is not JSON: {error}") from error
        parsed.records += _records(name, document)
    return parsed


def _items(document: object) -> list:
    """The items of a JSON document: a list of papers, one paper, or an object
    holding them under "papers" (HotCRP's API answer {"ok": true, "papers": [...]},
    its saved conferences {"contacts": [...], "papers": [...]})."""
    if isinstance(document, dict) and isinstance(document.get("papers"), list):
        return document["papers"]
    return document if isinstance(document, list) else [document]


def _decision(item: dict) -> str:
    """HotCRP's "decision" of a paper, or its "status" when that is one."""
    status = text(item.get("status")).lower()
    return text(item.get("decision")) or (
        status if status in {"accepted", "rejected"} else ""
    )


# HotCRP writes "object": "paper"; tools around it "submission".
SUBMISSION_OBJECTS = ("paper", "submission")


def _records(name: str, document: object) -> list[Record]:
    """The papers of the document (`_items`); other items refuse a file that
    holds no paper, naming what it holds."""
    records = []
    others: list[str] = []
    for item in _items(document):
        if not isinstance(item, dict):
            others.append(type(item).__name__)
        elif (kind := text(item.get("object") or "paper")) in SUBMISSION_OBJECTS:
            records.append(_record(item))
        else:
            others.append(kind)
    if others and not records:
        raise ImportFileError(
            f"{name} holds no HotCRP paper: its items are "
            f"{', '.join(sorted(set(others)))}."
        )
    return records
