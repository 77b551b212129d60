"""Word vectors for the expertise scorer: WordLlama's static token embeddings.

The `wordllama <https://pypi.org/project/wordllama/>`_ wheel (MIT licence)
ships a 256-dimension embedding of every token of the Llama 2 tokenizer
(32,000 tokens, 16 MB), trained so that the mean of a text's token vectors is
a good sentence embedding. We read those two files straight from the installed
package and never import it: its loader would look for a download on
Hugging Face when a file is missing (it looks for the tokenizer in a folder
the wheel does not have), and importing it configures the root logger. Here
nothing is ever downloaded: a missing package, or a version without one of
the two files, is an ``ImportError`` that names it.

A text's vector is the mean of its tokens' vectors, as WordLlama computes it,
but tokenised word by word: :func:`reviews.expertise_words.word_counts` already
counts every distinct word once, so each word is tokenised once and a text's
vector is its word counts times the words' summed token vectors: one sparse
product instead of tokenising 200,000 abstracts (minutes at OpenReview scale).

Each word is tokenised as ``" word"``. This tokenizer turns that leading space
into a lone word-boundary token ``▁`` before the word's own tokens, so every
word carries the same extra vector: a component common to all texts, which
damps the words that every abstract shares. Measured on the development set
(:mod:`reviews.expertise`): .208 with it, .219 without (the word's tokens
alone), and the researchers who gain outnumber those who lose 30 to 16 with
it, 21 to 23 without.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from safetensors import safe_open
from scipy import sparse
from sklearn.preprocessing import normalize
from tokenizers import Tokenizer

PACKAGE = "wordllama"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS = "weights/l2_supercat_256.safetensors"
DIMENSIONS = 256
THREADS = 2
WORD_BLOCK = 50_000  # words whose vectors are summed at once


@functools.cache
def _model() -> tuple[Tokenizer, np.ndarray]:
    """The tokenizer and the (tokens x 256) embedding, read once per process."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the {PACKAGE} package (its word vectors) is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    for name in (TOKENIZER, WEIGHTS):
        if not (root / name).is_file():  # a later version may move it
            raise ImportError(
                f"the {PACKAGE} package has no {name}: install a version the"
                " project's pyproject.toml allows"
            )
    tokenizer = Tokenizer.from_file(str(root / TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    with safe_open(str(root / WEIGHTS), framework="np") as weights:
        embedding = np.asarray(weights.get_tensor("embedding.weight"), np.float32)
    return tokenizer, embedding


def word_vectors(words: Sequence[str]) -> np.ndarray:
    """(words x 256): the summed token vectors of each word, tokenised as
    ``" word"`` (see the module docstring)."""
    if not words:
        return np.zeros((0, DIMENSIONS), np.float32)
    tokenizer, embedding = _model()
    encodings = tokenizer.encode_batch(
        [f" {word}" for word in words], add_special_tokens=False
    )
    lengths = np.fromiter(map(len, (e.ids for e in encodings)), np.int64, len(words))
    ids = np.fromiter(
        (i for e in encodings for i in e.ids), np.int64, int(lengths.sum())
    )
    np.clip(ids, 0, embedding.shape[0] - 1, out=ids)
    # (words x tokens) counts times the embedding, summed in float64. Gathering
    # every token's vector first made this function take 12.8 s and 1.5 GB for
    # 190,000 words (a real vocabulary at OpenReview scale); now 2.4 s, most of
    # it the tokenizer. Block by block: the float64 sums stay under ~100 MB.
    tokens = sparse.csr_matrix(
        (np.ones(ids.size), (np.repeat(np.arange(len(words)), lengths), ids)),
        shape=(len(words), embedding.shape[0]),
    )
    vectors = np.empty((len(words), embedding.shape[1]), np.float32)
    embedding64 = embedding.astype(np.float64)
    for start in range(0, len(words), WORD_BLOCK):
        vectors[start : start + WORD_BLOCK] = (
            tokens[start : start + WORD_BLOCK] @ embedding64
        )
    return vectors


def text_vectors(counts: sparse.csr_matrix, vectors_of_words: np.ndarray) -> np.ndarray:
    """(texts x 256) unit vectors, the mean of each text's token vectors (a
    text without words: 0), from its word counts (texts x words) and the
    :func:`word_vectors` of those words."""
    if not vectors_of_words.size:  # no text has a word
        return np.zeros((counts.shape[0], DIMENSIONS))
    # float32 halves the time of the product (3 s instead of 6 at 200,000
    # texts); it stays exact under reordering, as word_counts sorts the words.
    vectors = counts.astype(np.float32) @ vectors_of_words
    return normalize(np.asarray(vectors, dtype=np.float64))  # a zero row stays 0


def mean_vectors(
    counts: sparse.csr_matrix,
    vectors_of_words: np.ndarray,
    owners: sparse.csr_matrix,
    *,
    block: int = 20_000,
) -> np.ndarray:
    """(owners x 256): the mean of each owner's texts' unit vectors, where
    ``owners`` (texts x owners) holds 1/n for each of an owner's n texts.
    Block by block: the unit vectors of 200,000 texts would take 400 MB."""

    def part(start: int) -> np.ndarray:
        unit = text_vectors(counts[start : start + block], vectors_of_words)
        return np.asarray(owners[start : start + block].T @ unit)

    # Two threads: scipy's sparse x dense product releases the GIL. The parts
    # are added in order, so the sums do not depend on the threads' timing.
    total = np.zeros((owners.shape[1], DIMENSIONS))
    with ThreadPoolExecutor(THREADS) as pool:
        for part_sum in pool.map(part, range(0, counts.shape[0], block)):
            total += part_sum
    return total
