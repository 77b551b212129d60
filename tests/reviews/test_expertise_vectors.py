"""Step 5 of the expertise scorer: WordLlama word vectors fused with TF-IDF."""

import socket

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import expertise_vectors
from reviews.expertise import expertise, fit
from reviews.expertise_vectors import text_vectors, word_vectors
from reviews.expertise_words import word_counts

SPEECH_PAPERS = ["End-to-end speech recognition", "Acoustic models for speech"]
UNRELATED = [
    "Protein folding and molecular chemistry",
    "Galaxy formation in the early universe",
    "Contract law and property rights",
    "Baking bread: yeast and flour",
]


def test_a_paraphrase_without_a_shared_stem_outranks_other_fields():
    # TF-IDF gives both "Transcribing spoken audio" and the unrelated fields 0:
    # no stem is shared with the reviewer's papers. The vectors tell them apart.
    submissions = ["Speech recognition in noise", "Transcribing spoken audio"]
    scores = expertise([*submissions, *UNRELATED], [SPEECH_PAPERS])[:, 0]

    terms = fit([*submissions, *UNRELATED], [SPEECH_PAPERS]).term_scores(slice(None))
    assert terms[1:, 0].tolist() == [0.0] * 5
    assert scores[0] > scores[1] > 0.0
    assert scores[2:].tolist() == [0.0] * 4


def test_the_vectors_come_from_the_installed_package_with_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the word vectors tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    expertise_vectors._model.cache_clear()
    try:
        vectors = word_vectors(["speech", "recognition"])
    finally:
        expertise_vectors._model.cache_clear()

    assert vectors.shape == (2, expertise_vectors.DIMENSIONS)
    assert (np.linalg.norm(vectors, axis=1) > 0).all()


@pytest.mark.parametrize("constant", ["TOKENIZER", "WEIGHTS"])
def test_a_package_version_without_a_file_we_read_is_named(monkeypatch, constant):
    monkeypatch.setattr(expertise_vectors, constant, "moved/elsewhere.json")
    expertise_vectors._model.cache_clear()
    try:
        with pytest.raises(ImportError, match="wordllama package has no moved/"):
            word_vectors(["speech"])
    finally:
        expertise_vectors._model.cache_clear()


def test_a_texts_vector_is_the_mean_of_its_words_token_vectors():
    tokenizer, embedding = expertise_vectors._model()
    texts = ["speech recognition speech", "the", "", "x y"]  # "x y": no word
    counts, words = word_counts(texts)

    vectors = text_vectors(counts, word_vectors(words))

    tokens = [
        token
        for word in ["speech", "recognition", "speech"]
        for token in tokenizer.encode(f" {word}", add_special_tokens=False).ids
    ]
    expected = embedding[tokens].mean(axis=0)
    np.testing.assert_allclose(vectors[0], expected / np.linalg.norm(expected))
    assert np.linalg.norm(vectors[1]) == pytest.approx(1.0)
    assert not vectors[2].any()
    assert not vectors[3].any()


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(
        st.text(st.sampled_from("abkz09éß_ "), min_size=1, max_size=12),
        max_size=12,
    ),
    block=st.integers(1, 5),
)
def test_a_words_vector_is_the_sum_of_its_tokens_vectors_in_every_block(words, block):
    # Repeated letters give a word the same token twice ("aaaa" -> "aa" "aa");
    # a small WORD_BLOCK puts the words' block boundaries everywhere.
    tokenizer, embedding = expertise_vectors._model()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(expertise_vectors, "WORD_BLOCK", block)
        vectors = word_vectors(words)

    assert vectors.dtype == np.float32
    assert vectors.shape == (len(words), expertise_vectors.DIMENSIONS)
    for word, vector in zip(words, vectors, strict=True):
        ids = tokenizer.encode(f" {word}", add_special_tokens=False).ids
        expected = embedding[ids].astype(np.float64).sum(axis=0)
        np.testing.assert_allclose(vector, expected, rtol=1e-6, atol=1e-7)
        assert vector.any() == bool(ids)
