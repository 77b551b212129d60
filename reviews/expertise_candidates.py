"""Each submission's ``k`` most expert reviewers, at OpenReview scale.

The expertise score (:mod:`reviews.expertise`) needs the cosine of every
submission with every profile paper: 15,000 submissions x 180,000 papers is 2.7
billion sparse dot products, minutes of CPU. So, when the problem is large:

1. **Shortlist.** Project the TF-IDF rows on their 64 main directions (latent
   semantic analysis: scikit-learn's ``TruncatedSVD``, fitted on a fixed sample
   of at most 20,000 papers, seeded), average each reviewer's papers into one
   direction, add the word-vector term the way the score adds it (step 5 of
   :mod:`reviews.expertise`, its spreads measured on the approximate cosines),
   and keep each submission's ``SHORTLIST_FACTOR * k`` reviewers with the
   largest sum: one dense float32 product ranks a block of submissions. The
   word-vector similarity of each shortlisted pair comes from a float64
   product: it is exact already.
2. **Exact scores.** Score the shortlisted pairs' TF-IDF term exactly,
   reviewer by reviewer on two threads, fuse in the word-vector term, and keep
   the ``k`` best. Every score returned is the exact expertise; the shortlist
   only decides which reviewers are looked at (``bench/expertise.py``
   measures how many of the exact top ``k`` it keeps: at 2,000 x 2,000, 97.5%
   of the top 200 and all of the top 10 with a factor of 3, with 27,000 or
   240,000 distinct words; 98.8% with 4. Without the word vectors in the
   shortlist it kept 79%).

Small problems (``subs x papers <= EXACT_PAIRS``) are scored exactly throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from reviews.expertise import Fitted, Profiles, fit, spread_sample, vector_weights

EXACT_PAIRS = 30_000_000  # submissions x profile papers scored exactly
BLOCK = 256  # submissions per block of dense or sparse products
DIMENSIONS = 64
SVD_SAMPLE = 20_000
SHORTLIST_FACTOR = 3
THREADS = 2  # for the exact rescoring: the machines we aim at have 2 cores


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
        rows, cols, values = _rescored_top(fitted, *shortlist, keep)
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


def _shortlist(fitted: Fitted, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(submissions, size) reviewer indices with the best approximate scores,
    and the exact word-vector similarity of each of those pairs."""
    publications = fitted.publications.astype(np.float32)
    step = max(1, publications.shape[0] // SVD_SAMPLE)
    dimensions = min(
        DIMENSIONS, publications.shape[1] - 1, publications.shape[0] // step - 1
    )
    # float32: the same directions as in float64 (the cosines of 3,000 papers
    # correlate at 0.9999999998) in half the time: scipy's sparse products
    # move half the bytes (at 15,000 x 15,000 with a real-sized vocabulary,
    # 240,000 words: 3.1 s instead of 5.6 to fit, 1.6 instead of 2.2 to project).
    svd = TruncatedSVD(dimensions, algorithm="randomized", n_iter=4, random_state=0)
    svd.fit(publications[::step])
    dense_publications = normalize(svd.transform(publications))
    dense_submissions = normalize(svd.transform(fitted.submissions.astype(np.float32)))
    # One direction per reviewer, the mean of their papers': the power mean
    # over every paper would cost 2.7 billion dense cosines at 15,000 x 15,000.
    centroids = normalize(fitted.mean_of_reviewer.T @ dense_publications)
    # The word-vector term joins the approximation as it joins the score
    # (Fitted.fuse), weighed against the spread of the approximate cosines.
    sample = spread_sample(fitted.has_words)
    weight, mean = vector_weights(
        dense_submissions[sample] @ centroids.T,
        fitted.submission_vectors[sample] @ fitted.centroids.T,
    )
    # dense . centroid + weight * (vector . vector centroid - mean), for a
    # submission with words (a submission without has a zero vector), is one
    # product of [dense, vector, 1] with [centroid, weight * vector centroid,
    # -weight * mean]: one float32 product ranks a block.
    approximating = np.hstack(
        [centroids, weight[:, None] * fitted.centroids, -(weight * mean)[:, None]]
    ).astype(np.float32)
    submissions = np.hstack(
        [dense_submissions, fitted.submission_vectors, fitted.has_words[:, None]]
    ).astype(np.float32)

    def rank(start: int) -> tuple[np.ndarray, np.ndarray]:
        block = slice(start, start + BLOCK)
        approximate = submissions[block] @ approximating.T
        cut = approximate.shape[1] - size  # the best ``size`` lie beyond it
        best = np.sort(np.argpartition(approximate, cut, axis=1)[:, cut:])
        # The exact (float64) similarity of the shortlisted pairs, for the score.
        vectors = fitted.submission_vectors[block] @ fitted.centroids.T
        return best, np.take_along_axis(vectors, best, axis=1)

    ranked = [rank(start) for start in range(0, submissions.shape[0], BLOCK)]
    return (
        np.concatenate([best for best, _ in ranked]),
        np.concatenate([similarities for _, similarities in ranked]),
    )


def _rescored_top(
    fitted: Fitted, shortlist: np.ndarray, similarities: np.ndarray, keep: int
) -> tuple[np.ndarray, ...]:
    """Exact scores of the shortlisted pairs: the TF-IDF term one reviewer at
    a time (their few papers against the submissions that shortlisted them),
    then the word-vector term of every pair at once; the best ``keep``."""
    count, size = shortlist.shape
    flat = shortlist.ravel()
    order = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[order], np.arange(fitted.reviewer_count + 1))
    terms: np.ndarray = np.zeros(flat.shape)

    def score(reviewers: range) -> None:
        for reviewer in reviewers:
            positions = order[bounds[reviewer] : bounds[reviewer + 1]]
            if positions.size:
                rows = positions // size
                terms[positions] = fitted.reviewer_term_scores(reviewer, rows)

    # Two threads: scipy's sparse products release the GIL (1.9x faster at
    # 15,000 x 15,000 on 2 cores); each writes its own reviewers' positions.
    reviewers = range(fitted.reviewer_count)
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(score, [reviewers[i::THREADS] for i in range(THREADS)]))
    has_words = np.repeat(fitted.has_words, size)
    scores = fitted.fuse(terms, similarities.ravel(), has_words, flat)
    scores = scores.reshape(count, size)
    best = _best(scores, shortlist, keep)
    rows = np.repeat(np.arange(count), keep)
    cols = np.take_along_axis(shortlist, best, axis=1).ravel()
    return rows, cols, np.take_along_axis(scores, best, axis=1).ravel()
