"""Reviewer expertise: how close a reviewer's own papers are to a submission.

One scorer serves ``manage.py expertise`` (OpenReview's expertise file format)
and the text term of the in-app affinity (:mod:`reviews.affinity`). It reads
titles and abstracts only, never author names: names make conflicts, not
expertise. CPU only, nothing downloaded, deterministic.

Method
------
1. **Terms.** Words of two or more letters or digits, lower-cased (the tokens
   of scikit-learn's ``CountVectorizer``); scikit-learn's English stop words
   are dropped and each word is reduced to its Snowball ("Porter 2") stem with
   PyStemmer, so *learning*, *learned* and *learns* are one term. Stems are
   computed once per distinct word; word counts merge by a sparse product.
   Counting the words of 200,000 texts fast: :mod:`reviews.expertise_words`.
2. **Weights.** TF-IDF with sublinear term frequency (1 + log tf) and smoothed
   IDF, fitted on every document in play (the submissions and the reviewers'
   papers); rows L2-normalised (scikit-learn's ``TfidfTransformer``).
3. **Per-paper similarity.** The cosine of the submission with *each* of the
   reviewer's papers, not with one concatenated profile: a reviewer knows a
   submission's area if some of their work is close to it, whatever else they
   wrote.
4. **Aggregation.** The power mean with p = 4 of those cosines,
   ``(mean cos**4) ** (1/4)``: a soft maximum, where the closest paper counts
   most and several close papers count more than one. Over the reviewer's
   ``TOP_PUBLICATIONS`` (20) closest papers at most: a long publication list
   dilutes the score no more than a list of 20 (the author of 500 papers,
   one of them the submission, scored 0.21 for it; now as a 20-paper author).
5. **Word vectors.** TF-IDF only sees shared stems: *pruning* and *sparsity*,
   or *accelerator* and *FPGA*, never meet. So each text also gets the mean of
   its tokens' WordLlama vectors (:mod:`reviews.expertise_vectors`: static
   256-dimension embeddings shipped inside a PyPI package, nothing
   downloaded), and each reviewer the mean of their papers' unit vectors. The
   cosine ``v`` of a submission with that mean joins the score as a deviation
   from its mean over the submissions, scaled to the reviewer's TF-IDF spread:

       score = clip(tfidf + 0.5 * sd(tfidf) / sd(v) * (v - mean(v)), 0, 1)

   For one reviewer that orders submissions exactly as the sum of the two
   z-scores, weighted 1 : 0.5 (z-score fusion, the usual way to add two
   scorers of different scales); the TF-IDF level still says how close the
   reviewer is at all, so scores stay comparable across reviewers. The means
   and spreads come from at most ``SPREAD_SAMPLE`` submissions. With a single
   submission there is no spread and the score is the TF-IDF one.

The score is in [0, 1]; 0 for a reviewer without papers or an empty submission.

Why this method
---------------
Weighted Kendall loss on ``shared/data/expertise-dev`` (19 researchers'
self-reported expertise, Stelmakh et al.'s gold standard; three samples of each
researcher's papers; lower is better). Each variant changes one thing:

==============================================================  ==================
variant                                                         samples 1, 2, 3
==============================================================  ==================
haet's former scorer (own TF-IDF, one concatenated profile)     .307 .305 .306
scikit-learn TF-IDF, one concatenated profile                   .270 .273 .272
per paper, no stemming: max / mean                              mean .282 / .267
per paper, no stemming: power mean p=2 / softmax (t=0.1)        mean .260 / .262
BM25 (each profile paper queries the submissions), stemmed:
max / mean                                                      mean .261 / .298
character 3-5-grams: alone / half with words                    mean .269 / .253
LSA (100 dimensions), 30 % mixed into TF-IDF                    .260 .256 .259
each vector cut to its 48 heaviest terms                        mean .259
stemmed, per paper: max                                         .233 .230 .226
stemmed, per paper: mean (one centroid)                         mean .255
stemmed, per paper: power mean p=3 / p=6 / p=8                  mean .233/.234/.229
stemmed, per paper, power mean p=4 (steps 1-4)                  .230 .229 .228
with word vectors (step 5), weight 0.2 / 0.3 / 0.4              mean .225/.217/.210
**with word vectors, weight 0.5 (chosen)**                      **.209 .208 .207**
with word vectors, weight 0.6 / 0.7 / 1.0 / 1.5                 mean .208/.210/.211/.229
word vectors by one weight for all (tfidf + c v), c best        mean .204
vectors of whole texts (WordLlama's tokens, cased), 0.4         mean .210
word vectors without stop words / weighted by IDF, 0.5          mean .221 / .232
word vectors alone (the mean cosine)                            mean .298
recent papers weigh more: exp(-age / t), t = 1 / 3 / 8 years    mean .227/.217/.213
==============================================================  ==================

Stemming is the largest and steadiest gain (0.02 to 0.03 for every
aggregation). Among aggregations the soft maxima (max, softmax, power means p =
3 to 8) are within 0.005 of each other, inside the noise of 19 researchers;
p = 4 varied least across the three samples, and a plain mean is clearly worse.
IDF from the submissions alone scored about the same (max .225, p=4 .234);
fitting on everything also works for a file of one submission. Weighing a
reviewer's recent papers more (by the archives' ``year``) made all three
samples worse, more so the faster the weight falls: the papers researchers
rated cover their older work too, so every paper counts alike.

The word vectors are the second steady gain: every weight from 0.3 to 1.0
scores .208 to .217 on all three samples, and at 0.5 the researchers whose
loss falls outnumber those whose loss rises 30 to 16 (over the 57
researcher-samples). One weight for every reviewer, without the spreads,
scores about as well at its best (.204, c = 0.15 to 0.25 times the mean
spread ratio) but is steeper (.223 at twice that) and helps fewer researchers
(14 gain, 11 lose): much of its gain is breaking TF-IDF's ties (two
submissions sharing no stem with the reviewer's papers both score 0). The reference
points on the held-back researchers: OpenReview's SPECTER+MFR 0.259, TPMS 0.276,
SPECTER 0.292, haet's former scorer about 0.25.

Every pair costs one sparse dot product per profile paper;
:mod:`reviews.expertise_candidates` finds each submission's best reviewers at
OpenReview scale (a shortlist, then exact scores).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import Stemmer
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer

from reviews.expertise_vectors import mean_vectors, text_vectors, word_vectors
from reviews.expertise_words import word_counts

POWER = 4.0  # power mean exponent: a soft maximum over a reviewer's papers
# The power mean runs over a reviewer's TOP_PUBLICATIONS closest papers at most: over
# all of them, a reviewer with 500 papers, one of them the submission itself,
# scored 0.21 (1/500 ** 1/4) against 0.25 for a one-paper reviewer on the
# topic. 20 is the development set's profile size, so its loss is unchanged.
TOP_PUBLICATIONS = 20
# Step 5: the vector term weighs half the TF-IDF score, spread for spread.
VECTOR_WEIGHT = 0.5
# Each reviewer's spreads are measured on this many submissions at most, scored
# in BLOCKS parts: scoring every profile paper costs 1 s per 100 submissions at
# 15,000 x 15,000, and one product of them all would hold 300 MB per 100.
SPREAD_SAMPLE = 200
BLOCKS = 4
FLAT = 1e-9  # a spread below this is no spread (one submission, or no papers)
Profiles = Sequence[Sequence[str]]  # per reviewer, the texts of their papers


def document_text(title: str, abstract: str) -> str:
    """The text scored for one submission or paper: title, then abstract."""
    return f"{title or ''}\n{abstract or ''}".strip()


def term_weights(counts: sparse.csr_matrix, words: Sequence[str]) -> sparse.csr_matrix:
    """Stemmed, sublinear TF-IDF rows, L2-normalised, one per text (empty: 0),
    from the word counts (texts x words) of :func:`word_counts`."""
    kept = [i for i, word in enumerate(words) if word not in ENGLISH_STOP_WORDS]
    if not kept:  # no text has a word that is not a stop word
        return sparse.csr_matrix((counts.shape[0], 1))
    stems = Stemmer.Stemmer("english").stemWords([words[i] for i in kept])
    columns = {stem: i for i, stem in enumerate(sorted(set(stems)))}
    merge = sparse.csr_matrix(
        (np.ones(len(kept)), (kept, [columns[stem] for stem in stems])),
        shape=(counts.shape[1], len(columns)),
    )
    weights = TfidfTransformer(sublinear_tf=True).fit_transform(counts @ merge)
    return sparse.csr_matrix(weights, dtype=np.float64)


@dataclass(frozen=True)
class Fitted:
    """Weighted submissions and profile papers, who wrote each paper, and the
    word-vector term of every reviewer (see the module docstring, step 5)."""

    submissions: sparse.csr_matrix  # submissions x terms
    publications: sparse.csr_matrix  # profile papers x terms
    mean_of_reviewer: sparse.csr_matrix  # papers x reviewers, 1/n_r for the author
    # reviewer j's papers are rows publication_bounds[j]:publication_bounds[j + 1]
    publication_bounds: np.ndarray
    submission_vectors: np.ndarray  # submissions x 256, unit rows (no word: 0)
    centroids: np.ndarray  # reviewers x 256, the mean of their papers' unit vectors
    # Per reviewer: the weight of (vector similarity - its mean) in the score.
    vector_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    vector_mean: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def reviewer_count(self) -> int:
        return self.mean_of_reviewer.shape[1]

    @functools.cached_property
    def has_words(self) -> np.ndarray:
        """Per submission: does it have a word (else its score is 0)?"""
        return np.asarray(self.submission_vectors.any(axis=1))

    def term_scores(self, rows: slice | np.ndarray) -> np.ndarray:
        """Steps 1-4 alone: the power mean of TF-IDF cosines (rows x reviewers)."""
        # (papers x rows), not (rows x papers): scipy multiplies CSR by CSR,
        # and this way only the rows' few terms are converted, not every
        # paper's (0.8 s less for the 200 sampled submissions at 15,000 x
        # 15,000).
        similarity = self.publications @ self.submissions[rows].T
        similarity.data = np.clip(similarity.data, 0.0, 1.0) ** POWER
        power_mean = (self._reviewer_means @ similarity).T.toarray()
        scores = power_mean ** (1.0 / POWER)
        if self._prolific.size:  # their closest TOP_PUBLICATIONS only, exactly
            picked = np.arange(self.submissions.shape[0])[rows]
            for reviewer in self._prolific.tolist():
                scores[:, reviewer] = self.reviewer_term_scores(reviewer, picked)
        return scores

    @functools.cached_property
    def _prolific(self) -> np.ndarray:
        """Reviewers with more than TOP_PUBLICATIONS papers."""
        return np.flatnonzero(np.diff(self.publication_bounds) > TOP_PUBLICATIONS)

    @functools.cached_property
    def _reviewer_means(self) -> sparse.csr_matrix:
        """(reviewers x papers): 1/n for each of a reviewer's n papers."""
        return sparse.csr_matrix(self.mean_of_reviewer.T)

    def reviewer_term_scores(self, reviewer: int, rows: np.ndarray) -> np.ndarray:
        """Steps 1-4 alone, for one reviewer and the given submissions (rows)."""
        start, end = (
            self.publication_bounds[reviewer],
            self.publication_bounds[reviewer + 1],
        )
        if start == end:
            return np.zeros(len(rows))
        # (papers x terms) @ (terms x rows), the rows picked as columns of the
        # transposed (CSC) submissions: 16% faster than densifying the papers'
        # terms (400 reviewers timed at 15,000 x 15,000, where this runs
        # 15,000 times).
        similarity = self.publications[start:end] @ self._submission_columns[:, rows]
        powers = np.clip(similarity.toarray(), 0.0, 1.0) ** POWER
        if end - start > TOP_PUBLICATIONS:  # each submission's closest papers
            powers = np.partition(powers, end - start - TOP_PUBLICATIONS, axis=0)[
                end - start - TOP_PUBLICATIONS :
            ]
        return np.mean(powers, axis=0) ** (1.0 / POWER)

    @functools.cached_property
    def _submission_columns(self) -> sparse.csc_matrix:
        return sparse.csc_matrix(self.submissions.T)

    def scores(self, rows: slice | np.ndarray) -> np.ndarray:
        """Dense expertise of the given submissions (rows) for every reviewer."""
        vectors = self.submission_vectors[rows] @ self.centroids.T
        terms = self.term_scores(rows)
        return self.fuse(terms, vectors, self.has_words[rows][:, None], slice(None))

    def fuse(
        self,
        terms: np.ndarray,
        vectors: np.ndarray,
        has_words: np.ndarray,
        reviewers: slice | np.ndarray,
    ) -> np.ndarray:
        """Step 5: the TF-IDF score plus the reviewer's weighted deviation of
        the vector similarity from its mean, in [0, 1]; 0 without words.
        ``reviewers`` and ``has_words`` broadcast against the scores."""
        weight, mean = self.vector_weight[reviewers], self.vector_mean[reviewers]
        return np.clip(terms + weight * (vectors - mean) * has_words, 0.0, 1.0)


def vector_weights(
    terms: np.ndarray, vectors: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each reviewer's (column's) weight and mean of the vector similarity,
    from sampled scores (rows: submissions): ``VECTOR_WEIGHT`` times the
    spread of ``terms`` over that of ``vectors``, 0 where either is flat."""
    if not len(terms):  # no submission has a word: every score is 0 anyway
        return np.zeros(terms.shape[1]), np.zeros(terms.shape[1])
    term_spread, vector_spread = terms.std(axis=0), vectors.std(axis=0)
    weight = np.divide(
        VECTOR_WEIGHT * term_spread,
        vector_spread,
        out=np.zeros_like(term_spread),
        where=vector_spread > FLAT,
    )
    return weight, vectors.mean(axis=0)


def spread_sample(has_words: np.ndarray) -> np.ndarray:
    """Rows of at most ``SPREAD_SAMPLE`` submissions with words, evenly spaced."""
    with_words = np.flatnonzero(has_words)
    if len(with_words) <= SPREAD_SAMPLE:
        return with_words
    return with_words[np.linspace(0, len(with_words) - 1, SPREAD_SAMPLE).astype(int)]


def fit(submissions: Sequence[str], profiles: Profiles) -> Fitted:
    """Weigh every text together; a reviewer's blank papers are left out."""
    publications = [
        (reviewer, text)
        for reviewer, texts in enumerate(profiles)
        for text in texts
        if text.strip()
    ]
    counts, words = word_counts([*submissions, *(text for _, text in publications)])
    weights = term_weights(counts, words)
    vectors_of_words = word_vectors(words)
    owners = np.array([reviewer for reviewer, _ in publications], dtype=np.int64)
    publication_count = np.bincount(owners, minlength=len(profiles))
    mean_of_reviewer = sparse.csr_matrix(
        (1.0 / publication_count[owners], (np.arange(len(publications)), owners)),
        shape=(len(publications), len(profiles)),
    )
    split = len(submissions)
    fitted = Fitted(
        submissions=weights[:split],
        publications=weights[split:],
        mean_of_reviewer=mean_of_reviewer,
        publication_bounds=np.concatenate([[0], np.cumsum(publication_count)]),
        submission_vectors=text_vectors(counts[:split], vectors_of_words),
        centroids=mean_vectors(counts[split:], vectors_of_words, mean_of_reviewer),
    )
    sample = spread_sample(fitted.has_words)
    terms = np.vstack(
        [fitted.term_scores(rows) for rows in np.array_split(sample, BLOCKS)]
    )
    vectors = fitted.submission_vectors[sample] @ fitted.centroids.T
    weight, mean = vector_weights(terms, vectors)
    return replace(fitted, vector_weight=weight, vector_mean=mean)


def expertise(submissions: Sequence[str], profiles: Profiles) -> np.ndarray:
    """Expertise of every reviewer for every submission, shape (submissions,
    reviewers), in [0, 1]. ``profiles[j]`` lists reviewer j's paper texts."""
    if not submissions or not profiles:
        return np.zeros((len(submissions), len(profiles)))
    return fit(submissions, profiles).scores(slice(None))
