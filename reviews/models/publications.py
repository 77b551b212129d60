"""A reviewer's own papers, imported from the publication lists or the PDFs of
their papers they upload."""

from typing import Self

from django.conf import settings
from django.db import models

from haet.models import BaseModel


class ReviewerPublicationQuerySet(models.QuerySet):
    def since(self, year: int) -> Self:
        """Papers of ``year`` or later (those without a year are left out)."""
        return self.filter(year__gte=year)


class ReviewerPublication(BaseModel):
    """One of a reviewer's own papers: its title and abstract feed the expertise
    score; its co-authors of recent years are detected conflicts."""

    class Source(models.TextChoices):
        BIBTEX = "bibtex", "BibTeX"
        DBLP = "dblp", "DBLP (XML)"
        ORCID = "orcid", "ORCID (works JSON)"
        PDF = "pdf", "PDF"

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="publications",
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    title = models.CharField(max_length=500)
    abstract = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    coauthors = models.JSONField(
        default=list, blank=True, help_text="Every author listed, as written."
    )
    # PDFs only: the uploaded file's name (the file itself is not kept).
    filename = models.CharField(max_length=255, blank=True)

    objects = ReviewerPublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["reviewer", "year"])]
        constraints = [
            # Uploading a PDF of the same name again replaces its paper.
            models.UniqueConstraint(
                fields=["reviewer", "filename"],
                condition=models.Q(source="pdf"),
                name="one_pdf_paper_per_file_name",
            )
        ]

    def __str__(self) -> str:
        return self.title
