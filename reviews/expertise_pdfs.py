"""Profile papers from PDFs of a reviewer's own papers.

Each PDF is checked and read in the PDF sandbox
(:func:`submissions.pdfcheck.extract_profile_text`): its title and abstract (or
first text) become one :class:`ReviewerPublication` (source "PDF", with the
file's name), which feeds the expertise score like any profile paper
(:mod:`reviews.affinity`). The file itself is not kept: it is spooled to a
temporary file, read and deleted, whatever the outcome.

Co-authors are not read from PDFs (a title page's names cannot be told apart
reliably from affiliations and placeholders), so these papers never create a
conflict of interest.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile

from haet.models import User
from reviews.models import ReviewerPublication
from submissions.pdfcheck import ProfileTextError, extract_profile_text
from submissions.versions import spool_upload, too_large_message

MAX_FILES = 20  # per upload; a reviewer with more can upload again


@dataclass
class PdfImport:
    imported: list[ReviewerPublication] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def upload_name(upload: UploadedFile) -> str:
    return os.path.basename(upload.name or "paper.pdf")[:255]


def import_publication_pdfs(
    reviewer: User, uploads: Sequence[UploadedFile], *, max_bytes: int
) -> PdfImport:
    """One profile paper per readable PDF; a PDF with the name of one uploaded
    before replaces it. A file that cannot be read is refused with the reason,
    and changes nothing (the others are still imported).

    Side effects: none besides the rows (no file is stored; PDF papers have no
    co-authors, so no conflict changes)."""
    result = PdfImport()
    for upload in uploads:
        name = upload_name(upload)
        spooled = spool_upload(upload, max_bytes=max_bytes, suffix=".pdf")
        if spooled is None:
            result.refused.append((name, too_large_message(max_bytes)))
            continue
        path = spooled[0]
        try:
            text = extract_profile_text(path, max_bytes=max_bytes)
        except ProfileTextError as error:
            result.refused.append((name, error.message))
            continue
        finally:
            path.unlink(missing_ok=True)
        publication, _ = ReviewerPublication.objects.update_or_create(
            reviewer=reviewer,
            source=ReviewerPublication.Source.PDF,
            filename=name,
            defaults={"title": text.title[:500], "abstract": text.abstract},
        )
        result.imported.append(publication)
    return result
