"""Step 1 of the expertise scorer (:mod:`reviews.expertise`): the words of
every text, counted fast enough for OpenReview's scale (200,000 texts).

- The words are scikit-learn ``CountVectorizer``'s: the lower-cased runs of two
  or more word characters (its default pattern ``(?u)\\b\\w\\w+\\b``), counted
  without a Python loop over the tokens: cutting (:func:`tokens`), flattening
  and looking up all run in C.
- An ASCII text, as most abstracts are, is cut by ``str.translate`` and
  ``str.split`` rather than the regular expression: 2.6x faster.
- From ``PARALLEL_TEXTS`` texts on, a forked child process counts the second
  half of the texts while this process counts the first, and the two
  vocabularies merge (at 15,000 x 15,000 this step took 17 s of a 60 s
  budget, on one of the two cores). Where a child cannot be forked (a
  daemonic process, a system without ``fork``) or dies, this process counts
  everything itself: the result is the same either way.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import chain, count
from multiprocessing.connection import Connection

import numpy as np
from scipy import sparse

# Words of two characters or more: the tokens of scikit-learn's default pattern
# r"(?u)\b\w\w+\b" (findall only ever starts a match where a run of word
# characters starts, and a greedy run ends at a boundary), a quarter faster.
TOKEN = re.compile(r"\w\w+")
# Every ASCII character that is not a word character (letters, digits,
# underscore) becomes a space; str.split() then cuts at spaces. This also
# yields one-character words, which word_counts drops from the vocabulary.
ASCII_SPACES = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")}
)
COUNT_BLOCK = 20_000  # texts tokenised at a time: bounds the memory of token lists
# Below this, forking costs more than it saves; the in-app affinity of a
# workshop (hundreds of texts) never forks its web or worker process.
PARALLEL_TEXTS = 100_000

# A part's count: its words in first-seen order, each token's word id, and
# each text's number of tokens. Word ids and columns are 32-bit, as scipy
# stores the indices of a matrix of fewer than 2**31 entries: half the memory
# traffic of 64-bit ids, and no conversion.
Part = tuple[list[str], np.ndarray, np.ndarray]


def tokens(text: str) -> list[str]:
    """The lower-cased words of a text: ``TOKEN``'s, plus, for an ASCII text,
    its one-character words (see ``ASCII_SPACES``)."""
    text = text.lower()
    if text.isascii():
        return text.translate(ASCII_SPACES).split()
    return TOKEN.findall(text)


def word_counts(texts: Sequence[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """Counts of every word (texts x words) and the words, sorted."""
    index: dict[str, int] = {}
    ids, lengths = [], []
    for part_words, part_ids, part_lengths in _counted_parts(texts):
        own_ids = np.fromiter(
            (index.setdefault(word, len(index)) for word in part_words),
            np.int32,
            len(part_words),
        )
        ids.append(own_ids[part_ids])
        lengths.append(part_lengths)
    # Columns in sorted word order, not first-seen order: each row then sums
    # its words in an order that does not depend on the order of the texts,
    # so the word vectors (summed in float32) do not either. One-character
    # words (from ASCII texts) get no column and are dropped.
    first_seen = list(index)
    order = sorted(
        (i for i, word in enumerate(first_seen) if len(word) > 1),
        key=first_seen.__getitem__,
    )
    words = [first_seen[i] for i in order]
    column = np.full(len(first_seen), -1, np.int32)
    column[order] = np.arange(len(order))
    columns = column[np.concatenate([np.zeros(0, np.int32), *ids])]
    kept = columns >= 0
    # A text's entries end where its tokens end, less the dropped ones before.
    ends = np.cumsum(np.concatenate([np.zeros(1, np.int64), *lengths]))
    indptr = np.concatenate([[0], np.cumsum(kept)])[ends]
    indices = columns[kept]
    counts = sparse.csr_matrix(
        (np.ones(len(indices)), indices, indptr),
        shape=(len(texts), max(len(words), 1)),
    )
    counts.sum_duplicates()  # a word repeated in a text: one entry, its count
    return counts, words


def _counted_parts(texts: Sequence[str]) -> list[Part]:
    """The counts of the texts, in one part or (forked) two, in order."""
    if (
        len(texts) < PARALLEL_TEXTS
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [_count(texts)]
    middle = len(texts) // 2
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_count_into, args=(texts[middle:], sender), daemon=True
    )
    try:
        child.start()
    except (AssertionError, OSError):  # a daemonic process may not have children
        sender.close()
        receiver.close()
        return [_count(texts)]
    sender.close()  # the child holds its own copy: EOF when it ends
    try:
        first = _count(texts[:middle])
        try:
            second = receiver.recv()
        except EOFError:  # the child died before it sent its part
            second = _count(texts[middle:])
    except BaseException:  # nobody will read the child's part
        child.terminate()
        raise
    finally:
        receiver.close()
        child.join()
    return [first, second]


def _count_into(texts: Sequence[str], sender: Connection) -> None:
    sender.send(_count(texts))
    sender.close()


def _count(texts: Sequence[str]) -> Part:
    # A new word gets the next id inside the C-level look-up (defaultdict).
    index: defaultdict[str, int] = defaultdict(count().__next__)
    ids, lengths = [], []
    for start in range(0, len(texts), COUNT_BLOCK):
        token_lists = [tokens(text) for text in texts[start : start + COUNT_BLOCK]]
        block_lengths = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
        flat = chain.from_iterable(token_lists)
        ids.append(
            np.fromiter(map(index.__getitem__, flat), np.int32, block_lengths.sum())
        )
        lengths.append(block_lengths)
    return (
        list(index),
        np.concatenate([np.zeros(0, np.int32), *ids]),
        np.concatenate([np.zeros(0, np.int64), *lengths]),
    )
