"""Step 1 of the expertise scorer: counting words, in one process or two.

The matching of scikit-learn's words is property-tested in test_expertise.py;
here, that counting half the texts in a forked child changes nothing, and that
a child which cannot start or dies leaves the count whole."""

import os
import signal
import time
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import expertise_words
from reviews.expertise_words import word_counts

TEXTS = st.lists(
    st.text(alphabet="ab Z_9-.\n\t\u00fc\u0301", max_size=25), min_size=2, max_size=8
)


def serial_counts(texts):
    with mock.patch.object(expertise_words, "PARALLEL_TEXTS", len(texts) + 1):
        return word_counts(texts)


def assert_same(result, expected):
    (counts, words), (expected_counts, expected_words) = result, expected
    assert words == expected_words
    assert counts.shape == expected_counts.shape
    assert (counts != expected_counts).nnz == 0


def counted_here(monkeypatch):
    """The sizes of the parts this process counted itself."""
    sizes = []
    count = expertise_words._count

    def recorded(texts):
        sizes.append(len(texts))
        return count(texts)

    monkeypatch.setattr(expertise_words, "_count", recorded)
    return sizes


@settings(max_examples=25, deadline=None)
@given(texts=TEXTS)
def test_a_forked_child_counting_half_the_texts_changes_nothing(texts):
    expected = serial_counts(texts)

    with mock.patch.object(expertise_words, "PARALLEL_TEXTS", 2):
        assert_same(word_counts(texts), expected)


def test_from_parallel_texts_on_the_child_counts_the_second_half(monkeypatch):
    texts = ["graph networks", "speech models", "graph speech", "x y z"] * 3
    monkeypatch.setattr(expertise_words, "PARALLEL_TEXTS", len(texts))
    sizes = counted_here(monkeypatch)

    result = word_counts(texts)

    assert sizes == [6]  # the first half; the child counted the rest
    assert_same(result, serial_counts(texts))
    assert result[1] == ["graph", "models", "networks", "speech"]
    assert result[0].sum(axis=1).ravel().tolist() == [[2, 2, 2, 0] * 3]


def test_a_child_that_dies_before_sending_leaves_this_process_to_count(monkeypatch):
    texts = ["graph networks", "speech models", "graph speech", "pruning"]
    monkeypatch.setattr(expertise_words, "PARALLEL_TEXTS", 2)
    monkeypatch.setattr(expertise_words, "_count_into", lambda *_: os._exit(1))
    sizes = counted_here(monkeypatch)

    result = word_counts(texts)

    assert sizes == [2, 2]
    assert_same(result, serial_counts(texts))


def test_a_process_that_may_not_fork_counts_alone(monkeypatch):
    texts = ["graph networks", "speech models", "graph speech", "pruning"]
    monkeypatch.setattr(expertise_words, "PARALLEL_TEXTS", 2)
    refused = AssertionError("daemonic processes are not allowed to have children")
    context = expertise_words.multiprocessing.get_context("fork")
    monkeypatch.setattr(
        type(context.Process()), "start", mock.Mock(side_effect=refused)
    )
    sizes = counted_here(monkeypatch)

    result = word_counts(texts)

    assert sizes == [4]
    assert_same(result, serial_counts(texts))


def test_a_failure_while_the_child_counts_ends_the_child_too(monkeypatch):
    texts = ["graph networks", "speech models", "graph speech", "pruning"]
    monkeypatch.setattr(expertise_words, "PARALLEL_TEXTS", 2)
    monkeypatch.setattr(expertise_words, "_count_into", lambda *_: time.sleep(600))
    started = []
    process_type = type(expertise_words.multiprocessing.get_context("fork").Process())
    start = process_type.start

    def recorded_start(process):
        started.append(process)
        start(process)

    monkeypatch.setattr(process_type, "start", recorded_start)
    monkeypatch.setattr(expertise_words, "_count", mock.Mock(side_effect=MemoryError))

    with pytest.raises(MemoryError):
        word_counts(texts)

    assert [child.exitcode for child in started] == [-signal.SIGTERM]
