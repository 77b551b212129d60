"""A reviewer's publication list, read from files they upload (no network).

Each file becomes :class:`Publication` records (title, abstract, year,
co-authors), which become profile papers for :mod:`reviews.expertise` (title and
abstract only) and, for recent years, detected co-author conflicts:

- **BibTeX** (a reference manager, Google Scholar, DBLP's or ORCID's "export to
  BibTeX"): bibtexparser, LaTeX accents turned into Unicode;
- **DBLP XML** (``https://dblp.org/pid/<pid>.xml``, saved by the reviewer):
  defusedxml, so entity bombs are refused;
- **ORCID works JSON** (the public record's ``works`` document, or a list of
  full ``work`` documents): titles, years and, where present, contributors.

Parsing never raises on a merely odd entry (it is skipped); a file that is not
of its kind raises :class:`PublicationFileError` with a readable message.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

import bibtexparser
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import convert_to_unicode, splitname
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from haet.textfiles import decode_text

MAX_BYTES = 5 * 1024 * 1024  # a long career's BibTeX is well under 1 MB
DBLP_KINDS = frozenset(
    {"article", "inproceedings", "proceedings", "book", "incollection"}
    | {"phdthesis", "mastersthesis", "www", "data", "informal"}
)
DBLP_HOMONYM = re.compile(r"\s+\d{4}$")  # "Jane Doe 0002": DBLP's homonym number


class PublicationFileError(ValueError):
    """The file is not a readable publication list of the kind announced."""


@dataclass(frozen=True)
class Publication:
    title: str
    abstract: str = ""
    year: int | None = None
    coauthors: tuple[str, ...] = ()  # everyone listed, the reviewer included


def person_key(name: str) -> str:
    """A name reduced for matching: "Doe, Jáne  A." and "jane a doe" agree."""
    name = DBLP_HOMONYM.sub("", name.strip())
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    folded = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", letters.lower()).split())


def _year(value: object) -> int | None:
    match = re.search(r"\d{4}", str(value or ""))
    return int(match.group()) if match else None


def _clean(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise PublicationFileError("The file is larger than 5 MB.")


def _decode(data: bytes) -> str:
    """UTF-8 only: what ORCID's JSON and DBLP's XML are."""
    _check_size(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PublicationFileError("The file is not UTF-8 text.") from error


def parse_bibtex(data: bytes) -> list[Publication]:
    _check_size(data)
    # Not only UTF-8: JabRef long saved in the platform's encoding (its files
    # start "% Encoding: windows-1252"), and so did editors on Windows.
    text = decode_text(data)
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
    parser.customization = convert_to_unicode
    try:
        library = bibtexparser.loads(text, parser=parser)
    except Exception as error:  # bibtexparser raises pyparsing's own errors
        raise PublicationFileError("The file is not valid BibTeX.") from error
    if not library.entries and "@" not in text:
        raise PublicationFileError("The file has no BibTeX entry.")
    publications = []
    for entry in library.entries:
        title = _clean(entry.get("title", ""))
        if not title:
            continue
        authors = [
            _clean(name)
            for name in re.split(r"\s+and\s+", entry.get("author", ""))
            if name.strip()
        ]
        names = []
        for author in authors:
            try:
                parts = splitname(author)
            except Exception:
                names.append(author)
                continue
            first = " ".join(parts.get("first", []))
            last = " ".join(parts.get("von", []) + parts.get("last", []))
            names.append(f"{first} {last}".strip() or author)
        publications.append(
            Publication(
                title=title,
                abstract=_clean(entry.get("abstract", "")),
                year=_year(entry.get("year")),
                coauthors=tuple(names),
            )
        )
    return publications


def parse_dblp_xml(data: bytes) -> list[Publication]:
    _decode(data)
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise PublicationFileError("The file is not valid DBLP XML.") from error
    if root.tag not in ("dblpperson", "dblp"):
        raise PublicationFileError("The file is not a DBLP person page (XML).")
    publications = []
    for element in root.iter():
        if element.tag not in DBLP_KINDS or element.get("key") is None:
            continue
        title_element = element.find("title")
        title = (
            "" if title_element is None else _clean("".join(title_element.itertext()))
        )
        if not title or element.tag == "www":  # "www": the person's home page
            continue
        names = [
            DBLP_HOMONYM.sub("", _clean("".join(a.itertext())))
            for a in element.findall("author")
        ]
        publications.append(
            Publication(
                title=title.rstrip("."),
                year=_year(element.findtext("year")),
                coauthors=tuple(names),
            )
        )
    return publications


def _value(node: object, *path: str) -> object:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _items(node: object) -> list:
    """A JSON list as a list; anything else (a file not shaped as ORCID writes
    it) as no items, so it reads as no works rather than failing."""
    return node if isinstance(node, list) else []


def parse_orcid_json(data: bytes) -> list[Publication]:
    try:
        document = json.loads(_decode(data))
    except json.JSONDecodeError as error:
        raise PublicationFileError("The file is not valid JSON.") from error
    if isinstance(document, dict) and "group" in document:  # the works summary
        works = [
            summary
            for group in _items(document.get("group"))
            for summary in _items(_value(group, "work-summary"))[:1]  # one per group
        ]
    elif isinstance(document, dict) and "bulk" in document:  # /works/<put-codes>
        works = [_value(item, "work") for item in _items(document["bulk"])]
    elif isinstance(document, list):
        works = document
    elif isinstance(document, dict) and "title" in document:
        works = [document]
    else:
        raise PublicationFileError("The file is not an ORCID works record (JSON).")
    publications = []
    for work in works:
        if not isinstance(work, dict):
            continue
        title = _clean(str(_value(work, "title", "title", "value") or ""))
        if not title:
            continue
        contributors = _value(work, "contributors", "contributor")
        names = [
            _clean(str(_value(c, "credit-name", "value") or ""))
            for c in (contributors if isinstance(contributors, list) else [])
            if isinstance(c, dict)
        ]
        publications.append(
            Publication(
                title=title,
                abstract=_clean(str(work.get("short-description") or "")),
                year=_year(_value(work, "publication-date", "year", "value")),
                coauthors=tuple(name for name in names if name),
            )
        )
    return publications


PARSERS = {
    "bibtex": parse_bibtex,
    "dblp": parse_dblp_xml,
    "orcid": parse_orcid_json,
}


def parse_publications(data: bytes, kind: str) -> list[Publication]:
    """Publications in an uploaded file of the given kind (see PARSERS)."""
    return PARSERS[kind](data)
