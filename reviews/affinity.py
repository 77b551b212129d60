"""Affinity of (reviewer, submission): a weighted sum the chairs tune.

    affinity = w_bid * bid + w_topic * topic_overlap + w_text * text_similarity

- bid: eager 1, willing 0.5, neutral or none 0, not willing -1 (Bid.SCORES);
- topic overlap: |shared topics| / |submission topics| (0 when it has none);
- text similarity: TF-IDF cosine between the submission's title, abstract and
  keywords and the reviewer's keywords and own papers, fitted on both sides
  (sparse, numpy + scipy); or, when chairs uploaded scores computed elsewhere
  (`source="uploaded"`), the uploaded score for the pair (0 if missing).

Everything is sparse: the work grows with the number of distinct words and bids,
not only with reviewers x submissions (the similarity product is dense, but a few
hundred by a few thousand is small).
"""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from reviews.models import AffinityScore, Bid, ReviewerProfile, ReviewSettings

WORD = re.compile(r"[a-z0-9][a-z0-9\-]*[a-z0-9]|[a-z]")
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "we",
        "with",
        "our",
        "which",
        "can",
        "these",
        "using",
        "based",
        "via",
        "than",
        "not",
        "such",
        "also",
        "while",
        "both",
        "more",
        "less",
        "new",
        "show",
        "paper",
        "work",
        "propose",
        "proposed",
        "approach",
        "method",
        "methods",
        "results",
    ]
)


def tokens(text: str) -> list[str]:
    return [
        w
        for w in WORD.findall(text.lower())
        if w not in STOP_WORDS and len(w) > 1 and not w.isdigit()
    ]


def tfidf(documents: Sequence[str]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf, smoothed idf), one per document."""
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, document in enumerate(documents):
        for word, count in Counter(tokens(document)).items():
            col = vocabulary.setdefault(word, len(vocabulary))
            rows.append(row)
            cols.append(col)
            values.append(1.0 + math.log(count))
    shape = (len(documents), max(len(vocabulary), 1))
    matrix = sparse.csr_matrix(
        (np.asarray(values, dtype=np.float64), (rows, cols)), shape=shape
    )
    document_frequency = np.bincount(matrix.indices, minlength=shape[1])
    idf = np.log((1 + shape[0]) / (1 + document_frequency)) + 1.0
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def text_similarity(
    submission_texts: Sequence[str], reviewer_texts: Sequence[str]
) -> np.ndarray:
    """Cosine similarity, shape (submissions, reviewers), values in [0, 1]."""
    if not submission_texts or not reviewer_texts:
        return np.zeros((len(submission_texts), len(reviewer_texts)))
    matrix = tfidf([*submission_texts, *reviewer_texts])
    papers, reviewers = matrix[: len(submission_texts)], matrix[len(submission_texts) :]
    return np.asarray((papers @ reviewers.T).todense())


def submission_text(submission) -> str:
    return f"{submission.title}\n{submission.abstract}\n{submission.keywords}"


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
    submissions: Sequence,
    reviewers: Sequence,
    *,
    settings: ReviewSettings,
    source="computed",
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
        paper_topics = {t.pk for t in submission.topics.all()}
        if paper_topics:
            for j, expertise in enumerate(reviewer_topics):
                topic[i, j] = len(paper_topics & expertise) / len(paper_topics)

    if source == AffinityScore.Source.UPLOADED:
        text = np.zeros(shape)
        for reviewer_id, submission_id, score in AffinityScore.objects.filter(
            source=AffinityScore.Source.UPLOADED,
            reviewer_id__in=reviewer_ids,
            submission_id__in=submission_ids,
        ).values_list("reviewer_id", "submission_id", "score"):
            text[row[submission_id], col[reviewer_id]] = score
    else:
        text = text_similarity(
            [submission_text(s) for s in submissions],
            [profiles[r].text if r in profiles else "" for r in reviewer_ids],
        )

    total = (
        settings.weight_bid * bid
        + settings.weight_topic * topic
        + settings.weight_text * text
    )
    return Affinity(submission_ids, reviewer_ids, total, bid, topic, text)
