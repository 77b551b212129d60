"""HotCRP: the paper JSON that its `savepapers` script and API read and write.

A list of objects (or one object) with "pid", "title", "abstract",
"authors": [{"email", "first", "last", "affiliation", "contact"}], "topics" (a
list of names, or {name: true}), "status" or "submitted"/"withdrawn",
"pc_conflicts" ({email: kind}), "submission": {"content_file" or "filename"}."""

import json

from exchange.imports.records import (
    ImportedAuthor,
    ImportFileError,
    Parsed,
    Record,
    split_list,
    text,
)


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
        source_id=text(item.get("pid") or item.get("id")),
        title=text(item.get("title")),
        abstract=text(item.get("abstract")),
        keywords=text(item.get("keywords")),
        topics=_topics(item.get("topics")),
        is_withdrawn=_is_withdrawn(item),
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
    conflicts = item.get("pc_conflicts") or {}
    if isinstance(conflicts, dict):
        record.conflicts = [text(email) for email in conflicts]
    document = item.get("submission")
    if isinstance(document, dict):
        record.pdf_name = text(document.get("content_file") or document.get("filename"))
    return record


def parse(files: list[tuple[str, bytes]]) -> Parsed:
    parsed = Parsed()
    for name, data in files:
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ImportFileError(f"{name} is not JSON: {error}") from error
        items = document if isinstance(document, list) else [document]
        for item in items:
            if not isinstance(item, dict) or item.get("object", "paper") != "paper":
                continue
            parsed.records.append(_record(item))
    return parsed
