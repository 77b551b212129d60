"""Each submission's ``k`` most expert reviewers, at OpenReview scale.

The expertise score (:mod:`reviews.expertise`) needs the cosine of every
submission with every profile paper: 15,000 submissions x 180,000 papers is 2.7
billion sparse dot products, minutes of CPU. So, when the problem is large:

1. **Shortlist.** Project the TF-IDF rows on their 64 main directions (latent
   semantic analysis: scikit-learn's ``TruncatedSVD``, fitted on a fixed sample
   of at most 20,000 papers, seeded), average each reviewer's papers into one
   direction, and keep each submission's ``SHORTLIST_FACTOR * k`` reviewers
   with the largest cosine: one dense product.
2. **Exact scores.** Score the shortlisted pairs exactly, reviewer by reviewer,
   and keep the ``k`` best. Every score returned is the exact expertise; the
   shortlist only decides which reviewers are looked at
   (``bench/expertise.py`` measures how many of the exact top ``k`` it keeps).

Small problems (``subs x papers <= EXACT_PAIRS``) are scored exactly throughout.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from reviews.expertise import Fitted, Profiles, fit

EXACT_PAIRS = 30_000_000  # submissions x profile papers scored exactly
BLOCK = 256  # submissions per block of dense or sparse products
DIMENSIONS = 64
SVD_SAMPLE = 20_000
SHORTLIST_FACTOR = 4


def top_reviewers(
    submissions: Sequence[str],
    profiles: Profiles,
    *,
    k: int = 200,
    exact_pairs: int = EXACT_PAIRS,
) -> sparse.csr_matrix:
    """Each submission's ``k`` most expert reviewers, as a sparse (submissions,
    reviewers) matrix of their exact scores (zeros kept, so every row holds
    ``min(k, reviewers)`` entries); ties go to the first reviewer."""
    shape = (len(submissions), len(profiles))
    if not submissions or not profiles or k <= 0:
        return sparse.csr_matrix(shape)
    fitted = fit(submissions, profiles)
    keep = min(k, len(profiles))
    publication_count = fitted.publications.shape[0]
    if len(submissions) * publication_count <= exact_pairs or keep == len(profiles):
        rows, cols, values = _exact_top(fitted, keep)
    else:
        shortlist = _shortlist(fitted, min(SHORTLIST_FACTOR * keep, len(profiles)))
        rows, cols, values = _rescored_top(fitted, shortlist, keep)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=shape)
    matrix.sort_indices()
    return matrix


def _best(scores: np.ndarray, candidates: np.ndarray, keep: int) -> np.ndarray:
    """Positions of the ``keep`` best scores per row; equal scores: lower
    candidate (reviewer index) first, so the result does not depend on blocks."""
    order = np.lexsort((candidates, -scores), axis=1) if scores.size else scores
    return np.asarray(order, dtype=np.int64)[:, :keep]


def _exact_top(fitted: Fitted, keep: int) -> tuple[np.ndarray, ...]:
    rows, cols, values = [], [], []
    count = fitted.submissions.shape[0]
    for start in range(0, count, BLOCK):
        block = fitted.scores(slice(start, start + BLOCK))
        reviewers = np.broadcast_to(np.arange(block.shape[1]), block.shape)
        best = _best(block, reviewers, keep)
        rows.append(np.repeat(np.arange(start, start + len(block)), keep))
        cols.append(best.ravel())
        values.append(np.take_along_axis(block, best, axis=1).ravel())
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


def _shortlist(fitted: Fitted, size: int) -> np.ndarray:
    """(submissions, size) reviewer indices with the best approximate scores."""
    publications = fitted.publications
    step = max(1, publications.shape[0] // SVD_SAMPLE)
    dimensions = min(
        DIMENSIONS, publications.shape[1] - 1, publications.shape[0] // step - 1
    )
    svd = TruncatedSVD(dimensions, algorithm="randomized", n_iter=4, random_state=0)
    svd.fit(publications[::step])
    dense_publications = normalize(svd.transform(publications))
    dense_submissions = normalize(svd.transform(fitted.submissions)).astype(np.float32)
    # One direction per reviewer, the mean of their papers': the power mean
    # over every paper would cost 2.7 billion dense cosines at 15,000 x 15,000.
    centroids = normalize(fitted.mean_of_reviewer.T @ dense_publications)
    shortlist = []
    for start in range(0, dense_submissions.shape[0], BLOCK):
        approximate = dense_submissions[start : start + BLOCK] @ centroids.T
        best = np.argpartition(-approximate, size - 1, axis=1)[:, :size]
        shortlist.append(np.sort(best, axis=1))
    return np.concatenate(shortlist)


def _rescored_top(
    fitted: Fitted, shortlist: np.ndarray, keep: int
) -> tuple[np.ndarray, ...]:
    """Exact scores of the shortlisted pairs, one reviewer at a time (their few
    papers against the submissions that shortlisted them); the best ``keep``."""
    count, size = shortlist.shape
    flat = shortlist.ravel()
    order = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[order], np.arange(fitted.reviewer_count + 1))
    scores: np.ndarray = np.zeros(flat.shape)
    for reviewer in range(fitted.reviewer_count):
        positions = order[bounds[reviewer] : bounds[reviewer + 1]]
        if positions.size:
            rows = positions // size
            scores[positions] = fitted.reviewer_scores(reviewer, rows)
    scores = scores.reshape(count, size)
    best = _best(scores, shortlist, keep)
    rows = np.repeat(np.arange(count), keep)
    cols = np.take_along_axis(shortlist, best, axis=1).ravel()
    return rows, cols, np.take_along_axis(scores, best, axis=1).ravel()
