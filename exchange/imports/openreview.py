"""OpenReview: submission notes as JSON, as its API returns them (a list of
notes, or {"notes": [...]}).

Content fields are plain values (API 1) or wrapped as {"value": ...} (API 2):
"title", "abstract", "authors" (names), "authorids" (emails or ~Profile_Ids),
"keywords", "subject_areas"/"primary_area", "pdf". The note's "number" is its
id in the venue, else "id". A venue id or invitation naming "Withdrawn" marks a
withdrawn submission. OpenReview exports no affiliations, and a ~Profile_Id is no
email address: such authors are left out (said in the dry run)."""

import json

from exchange.imports.records import (
    ImportedAuthor,
    ImportFileError,
    Parsed,
    Record,
    split_list,
    text,
)


def unwrap(value: object) -> object:
    if isinstance(value, dict) and "value" in value:
        return value["value"]
    return value


def _strings(value: object) -> list[str]:
    value = unwrap(value)
    if isinstance(value, list):
        return [text(unwrap(v)) for v in value if text(unwrap(v))]
    return split_list(text(value), ",;\n")


def _record(note: dict) -> Record:
    content = {key: unwrap(value) for key, value in (note.get("content") or {}).items()}
    venue = " ".join(
        text(v)
        for v in (content.get("venueid"), content.get("venue"), note.get("invitation"))
    )
    record = Record(
        source_id=text(note.get("number") or note.get("id")),
        title=text(content.get("title")),
        abstract=text(content.get("abstract")),
        keywords=", ".join(_strings(content.get("keywords"))),
        topics=_strings(
            content.get("subject_areas")
            or content.get("subject_area")
            or content.get("primary_area")
            or content.get("research_area")
        ),
        is_withdrawn="withdrawn" in venue.lower(),
        # A "decision" field merged into the note by the exporting script;
        # OpenReview itself keeps decisions in notes of their own.
        decision=text(content.get("decision")),
    )
    names = _strings(content.get("authors"))
    ids = _strings(content.get("authorids"))
    for index, author_id in enumerate(ids):
        name = names[index] if index < len(names) else author_id
        if "@" not in author_id:
            record.notes.append(
                f"Author “{name}” ({author_id}) has an OpenReview profile but no "
                "email address in the export: left out."
            )
            continue
        record.authors.append(ImportedAuthor(name=name, email=author_id))
    pdf = text(content.get("pdf"))
    if pdf:
        record.pdf_name = pdf.rsplit("/", 1)[-1]
    return record


def parse(files: list[tuple[str, bytes]]) -> Parsed:
    parsed = Parsed()
    for name, data in files:
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ImportFileError(f"{name} is not JSON: {error}") from error
        notes = document.get("notes", []) if isinstance(document, dict) else document
        if not isinstance(notes, list):
            raise ImportFileError(f"{name} holds no list of notes.")
        parsed.records += [_record(note) for note in notes if isinstance(note, dict)]
    return parsed
