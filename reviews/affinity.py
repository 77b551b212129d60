"""Affinity of (reviewer, submission): a weighted sum the chairs tune.

    affinity = w_bid * bid + w_topic * topic_overlap + w_text * text_similarity

- bid: eager 1, willing 0.5, neutral or none 0, not willing -1 (Bid.SCORES);
- topic overlap: |shared topics| / |submission topics| (0 when it has none);
- text similarity: the reviewer's expertise for the submission, in [0, 1], from
  :mod:`reviews.expertise` (the scorer of ``manage.py expertise``): stemmed
  TF-IDF cosine of the submission's title, abstract and keywords with each of
  the reviewer's profile documents (each paragraph of their "own publications",
  their keywords, and the title and abstract of each publication imported from
  an uploaded list, `ReviewerPublication`), combined as a soft maximum (power
  mean, p = 4), plus the similarity of WordLlama word vectors (they match
  related words that share no stem), weighed by each reviewer's spread; or,
  when chairs
  uploaded scores computed elsewhere (`source="uploaded"`), the uploaded score
  for the pair (0 if missing).

Bids and topics are read sparsely; the text term is a dense (submissions x
reviewers) matrix, which a few thousand by a few thousand keeps small.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from haet.models import User
from reviews.expertise import document_text, expertise
from reviews.models import (
    AffinityScore,
    Bid,
    ReviewerProfile,
    ReviewerPublication,
    ReviewSettings,
)
from submissions.models import Submission

BLANK_LINES = re.compile(r"\n\s*\n")


def submission_text(submission: Submission) -> str:
    """What the scorer reads of a submission: title, abstract and keywords
    (never its authors)."""
    text = document_text(submission.title, submission.abstract)
    return f"{text}\n{submission.keywords}".strip()


def reviewer_documents(profile: ReviewerProfile | None) -> list[str]:
    """A reviewer's profile papers: each paragraph of "own papers" (papers are
    separated by a blank line) and the keywords as one more document."""
    if profile is None:
        return []
    paragraphs = BLANK_LINES.split(profile.own_publications)
    documents = [profile.keywords, *paragraphs]
    return [document.strip() for document in documents if document.strip()]


@dataclass(frozen=True)
class Affinity:
    """Dense (submissions x reviewers) affinity and its parts, rows and columns in
    the order given."""

    submission_ids: list[int]
    reviewer_ids: list[int]
    total: np.ndarray
    bid: np.ndarray
    topic: np.ndarray
    text: np.ndarray


def compute_affinity(
    submissions: Sequence[Submission],
    reviewers: Sequence[User],
    *,
    review_settings: ReviewSettings,
    source: str = "computed",
) -> Affinity:
    """Affinity for every pair; `submissions` prefetched with topics."""
    submission_ids = [s.pk for s in submissions]
    reviewer_ids = [r.pk for r in reviewers]
    row = {pk: i for i, pk in enumerate(submission_ids)}
    col = {pk: j for j, pk in enumerate(reviewer_ids)}
    shape = (len(submission_ids), len(reviewer_ids))

    bid = np.zeros(shape)
    for reviewer_id, submission_id, value in Bid.objects.filter(
        reviewer_id__in=reviewer_ids, submission_id__in=submission_ids
    ).values_list("reviewer_id", "submission_id", "value"):
        bid[row[submission_id], col[reviewer_id]] = Bid.SCORES[Bid.Value(value)]

    profiles = {
        p.user_id: p
        for p in ReviewerProfile.objects.filter(
            user_id__in=reviewer_ids
        ).prefetch_related("topics")
    }
    topic = np.zeros(shape)
    reviewer_topics = [
        {t.pk for t in profiles[r].topics.all()} if r in profiles else set()
        for r in reviewer_ids
    ]
    for i, submission in enumerate(submissions):
        submission_topics = {t.pk for t in submission.topics.all()}
        if submission_topics:
            for j, known in enumerate(reviewer_topics):
                topic[i, j] = len(submission_topics & known) / len(submission_topics)

    if source == AffinityScore.Source.UPLOADED:
        text = np.zeros(shape)
        for reviewer_id, submission_id, score in AffinityScore.objects.filter(
            source=AffinityScore.Source.UPLOADED,
            reviewer_id__in=reviewer_ids,
            submission_id__in=submission_ids,
        ).values_list("reviewer_id", "submission_id", "score"):
            text[row[submission_id], col[reviewer_id]] = score
    else:
        uploaded: dict[int, list[str]] = {}
        for reviewer_id, title, abstract in ReviewerPublication.objects.filter(
            reviewer_id__in=reviewer_ids
        ).values_list("reviewer_id", "title", "abstract"):
            uploaded.setdefault(reviewer_id, []).append(document_text(title, abstract))
        text = expertise(
            [submission_text(s) for s in submissions],
            [
                reviewer_documents(profiles.get(r)) + uploaded.get(r, [])
                for r in reviewer_ids
            ],
        )

    total = (
        review_settings.weight_bid * bid
        + review_settings.weight_topic * topic
        + review_settings.weight_text * text
    )
    return Affinity(submission_ids, reviewer_ids, total, bid, topic, text)
