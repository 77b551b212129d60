"""The CSV that ``manage.py expertise`` writes (reviews/expertise_files.py)."""

import csv
import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.expertise import expertise
from reviews.expertise_candidates import top_reviewers
from reviews.expertise_files import ExpertiseInput, csv_cell, write_scores

TEXTS = [
    "Graph neural networks for molecules",
    "Speech recognition in noise",
    "Graph embeddings of molecules and speech",
    "",  # no word: every score 0, ties in reviewer order
]
PROFILES = [
    ["Message passing on molecular graphs"],
    ["Acoustic models for spoken language", "Speech in noise"],
    [],
    ["Scalable graph embeddings with walks"],
]
IDS = st.text(st.sampled_from('ab,"\r\n ~é'), max_size=6)


def written(data, top=None):
    out = io.StringIO()
    count = write_scores(data, out, top=top)
    return count, out.getvalue()


@settings(max_examples=30, deadline=None)
@given(
    submission_ids=st.lists(IDS, min_size=4, max_size=4, unique=True),
    reviewer_ids=st.lists(IDS, min_size=4, max_size=4, unique=True),
)
def test_every_pair_reads_back_with_any_id(submission_ids, reviewer_ids):
    data = ExpertiseInput(submission_ids, TEXTS, reviewer_ids, PROFILES)

    count, text = written(data)

    scores = expertise(TEXTS, PROFILES)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["submission", "reviewer", "score"]
    assert count == len(rows) - 1 == 16
    assert rows[1:] == [
        [submission_ids[i], reviewer_ids[j], f"{scores[i, j]:.8f}"]
        for i in range(4)
        for j in range(4)
    ]


@settings(max_examples=30, deadline=None)
@given(
    submission_ids=st.lists(IDS, min_size=4, max_size=4, unique=True),
    reviewer_ids=st.lists(IDS, min_size=4, max_size=4, unique=True),
    top=st.integers(1, 5),
)
def test_the_top_reads_back_best_first_then_in_reviewer_order(
    submission_ids, reviewer_ids, top
):
    data = ExpertiseInput(submission_ids, TEXTS, reviewer_ids, PROFILES)

    count, text = written(data, top=top)

    best = top_reviewers(TEXTS, PROFILES, k=top)
    expected = []
    for i in range(4):
        row = best.getrow(i)
        pairs = sorted(zip(row.indices, row.data, strict=True), key=lambda p: -p[1])
        expected += [[submission_ids[i], reviewer_ids[j], f"{s:.8f}"] for j, s in pairs]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert count == len(rows) - 1 == 4 * min(top, 4)
    assert rows[1:] == expected
    # The submission without a word: all zero, in reviewer order.
    assert [r[1] for r in rows[1:] if r[0] == submission_ids[3]] == reviewer_ids[:top]


def test_a_cell_is_quoted_as_csv_writer_quotes_it():
    for value in ["plain", "a,b", 'say "hi"', "two\nlines", "", " spaced "]:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([value, "x"])
        assert out.getvalue() == f"{csv_cell(value)},x\n"
    # csv.writer leaves a lone carriage return unquoted, which a reader then
    # takes for a line break; the cell quotes it.
    assert csv_cell("a\rb") == '"a\rb"'


def test_scores_are_written_with_eight_decimals():
    data = ExpertiseInput(["s"], TEXTS[:1], ["r"], PROFILES[:1])

    _, text = written(data)

    value = text.splitlines()[1].split(",")[2]
    assert value == f"{expertise(TEXTS[:1], PROFILES[:1])[0, 0]:.8f}"
    assert np.isclose(float(value), expertise(TEXTS[:1], PROFILES[:1])[0, 0])


def test_the_bench_times_the_command_from_files_to_csv(bench_script):
    bench = bench_script("expertise")
    texts, profiles = bench.synthetic(30, 12, 6, seed=1)

    result = bench.run_files(texts, profiles)

    assert result["rows"] == 30 * 12  # every reviewer: fewer than the top 200
    assert result["seconds"] > 0
    assert bench.SIZES["files"] == bench.SIZES["large"]
