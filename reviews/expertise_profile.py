"""A reviewer's profile papers from the publication lists they upload.

Each upload (BibTeX, DBLP XML, ORCID works JSON; read by
:mod:`reviews.expertise_sources`, no network) replaces the reviewer's papers
from that kind of file. Titles and abstracts feed the expertise score
(:mod:`reviews.affinity`); co-authors of the last three years become detected
conflicts (:mod:`reviews.conflicts`, source "publication"), shown with the file
they came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from haet import clock
from haet.audit.registry import record_created
from haet.models import User
from reviews.expertise_sources import (
    PublicationFileError,
    parse_publications,
    person_key,
)
from reviews.models import ReviewerPublication

COAUTHOR_YEARS = 3  # this year and the three before


@transaction.atomic
def import_publications(
    reviewer: User, data: bytes, *, kind: str
) -> list[ReviewerPublication]:
    """Replace the reviewer's papers from ``kind`` files with this file's.

    Raises ValidationError (nothing changes) when the file is unreadable or
    lists no titled publication. Side effects: conflicts are recomputed on the
    next read (the conflict cache listens to ReviewerPublication writes)."""
    try:
        publications = parse_publications(data, kind)
    except PublicationFileError as error:
        raise ValidationError(str(error)) from error
    if not publications:
        raise ValidationError("The file lists no publication with a title.")
    ReviewerPublication.objects.filter(reviewer=reviewer, source=kind).delete()
    created = ReviewerPublication.objects.bulk_create(
        ReviewerPublication(
            reviewer=reviewer,
            source=kind,
            title=publication.title[:500],
            abstract=publication.abstract,
            year=publication.year,
            coauthors=list(publication.coauthors),
        )
        for publication in publications
    )
    record_created(created)
    return created


def delete_publications(reviewer: User, *, kind: str) -> int:
    """Remove the reviewer's papers imported from ``kind`` files."""
    deleted, _ = ReviewerPublication.objects.filter(
        reviewer=reviewer, source=kind
    ).delete()
    return deleted


@dataclass(frozen=True)
class PublicationCoauthor:
    name: str
    title: str
    year: int | None
    source: str  # ReviewerPublication.Source label

    @property
    def reason(self) -> str:
        return (
            f"Co-authored “{self.title}” ({self.year}) with {self.name} "
            f"(from their {self.source} upload)"
        )


def publication_coauthors(
    reviewer_names: dict[int, str], *, this_year: int | None = None
) -> dict[int, dict[str, PublicationCoauthor]]:
    """Per reviewer id (given with their name): the co-authors of their profile
    papers of the last COAUTHOR_YEARS years, keyed by :func:`person_key`, each
    with the most recent paper they share; the reviewer is left out. One query."""
    year = this_year or clock.now().year
    found: dict[int, dict[str, PublicationCoauthor]] = {}
    rows = ReviewerPublication.objects.filter(reviewer_id__in=reviewer_names).since(
        year - COAUTHOR_YEARS
    )
    for publication in rows.order_by("-year", "pk"):
        own = person_key(reviewer_names[publication.reviewer_id])
        for name in publication.coauthors:
            key = person_key(str(name))
            if key and key != own:
                found.setdefault(publication.reviewer_id, {}).setdefault(
                    key,
                    PublicationCoauthor(
                        name,
                        publication.title,
                        publication.year,
                        publication.get_source_display(),
                    ),
                )
    return found
