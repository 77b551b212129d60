"""The expertise scorer and ``manage.py expertise`` (OpenReview's file format)."""

import csv
import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from reviews.expertise import (
    VECTOR_WEIGHT,
    document_text,
    expertise,
    fit,
)
from reviews.expertise_candidates import top_reviewers
from reviews.expertise_words import word_counts

GRAPHS = [
    ("Graph neural networks for molecules", "Message passing on molecular graphs."),
    ("Scalable graph embeddings", "Node embeddings of large graphs with walks."),
]
SPEECH = [("End-to-end speech recognition", "Acoustic models for spoken language.")]
SUBMISSIONS = {
    "s-graph": ("Graph networks predict molecular properties", "Message passing."),
    "s-speech": ("Speech recognition in noise", "Robust acoustic models."),
    "s-empty": ("", ""),
}


def paper(identifier, title, abstract, **extra):
    content = {"title": title, "abstract": abstract, **extra}
    return {"id": identifier, "content": content}


def write_archives(folder, archives):
    folder.mkdir()
    for reviewer, papers in archives.items():
        lines = [json.dumps(p) for p in papers]
        (folder / f"{reviewer}.jsonl").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture
def files(tmp_path):
    archives = write_archives(
        tmp_path / "archives",
        {
            "~Graph_Person1": [paper(f"g{i}", *p) for i, p in enumerate(GRAPHS)],
            "~Speech_Person1": [paper("s0", *SPEECH[0])],
            "~Empty_Person1": [],
        },
    )
    submissions = tmp_path / "submissions.json"
    submissions.write_text(
        json.dumps({key: paper(key, *text) for key, text in SUBMISSIONS.items()})
    )
    return archives, submissions


def run(archives, submissions, out, *extra):
    stdout = io.StringIO()
    call_command(
        "expertise",
        "--archives",
        str(archives),
        "--submissions",
        str(submissions),
        "--out",
        str(out),
        *extra,
        stdout=stdout,
    )
    return json.loads(stdout.getvalue().strip().splitlines()[-1])


def read_scores(path):
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    return {(row["submission"], row["reviewer"]): float(row["score"]) for row in rows}


def test_expertise_command_writes_every_pair_with_reviewer_file_stems(files, tmp_path):
    out = tmp_path / "scores.csv"

    summary = run(*files, out)

    header = out.read_text().splitlines()[0]
    scores = read_scores(out)
    assert header == "submission,reviewer,score"
    assert sorted(scores) == sorted(
        (s, r)
        for s in SUBMISSIONS
        for r in ("~Graph_Person1", "~Speech_Person1", "~Empty_Person1")
    )
    assert len(out.read_text().splitlines()) == 1 + 9
    assert summary["rows"] == 9
    assert all(0.0 <= score <= 1.0 for score in scores.values())
    assert scores["s-graph", "~Graph_Person1"] > scores["s-graph", "~Speech_Person1"]
    assert scores["s-speech", "~Speech_Person1"] > scores["s-speech", "~Graph_Person1"]
    assert scores["s-graph", "~Empty_Person1"] == 0.0
    assert scores["s-empty", "~Graph_Person1"] == 0.0


def test_expertise_command_reads_jsonl_submissions_the_same(files, tmp_path):
    archives, submissions = files
    jsonl = tmp_path / "submissions.jsonl"
    records = json.loads(submissions.read_text()).values()
    jsonl.write_text("\n".join(json.dumps(record) for record in records) + "\n")

    run(archives, submissions, tmp_path / "a.csv")
    run(archives, jsonl, tmp_path / "b.csv")

    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_expertise_command_reads_files_saved_with_a_byte_order_mark(files, tmp_path):
    # Windows editors save UTF-8 with a BOM; json.loads refused it before.
    archives, submissions = files
    run(archives, submissions, tmp_path / "plain.csv")
    for path in [submissions, *archives.glob("*.jsonl")]:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    jsonl = tmp_path / "submissions.jsonl"
    records = json.loads(submissions.read_text(encoding="utf-8-sig")).values()
    jsonl.write_text("\ufeff" + "\n".join(json.dumps(r) for r in records) + "\n")

    run(archives, submissions, tmp_path / "bom.csv")
    run(archives, jsonl, tmp_path / "bom-lines.csv")

    plain = (tmp_path / "plain.csv").read_text()
    assert (tmp_path / "bom.csv").read_text() == plain
    assert (tmp_path / "bom-lines.csv").read_text() == plain


def test_author_names_in_the_input_change_nothing(files, tmp_path):
    archives, submissions = files
    run(archives, submissions, tmp_path / "plain.csv")
    # Give every graph paper and submission the speech researcher's names: a
    # scorer reading names would now tie the speech reviewer to graphs.
    names = {"authors": ["Speech Person", "Acoustic Model"], "authorids": ["~Sp1"]}
    named = tmp_path / "named"
    write_archives(
        named,
        {
            "~Graph_Person1": [
                paper(f"g{i}", *p, **names) for i, p in enumerate(GRAPHS)
            ],
            "~Speech_Person1": [paper("s0", *SPEECH[0], **names)],
            "~Empty_Person1": [],
        },
    )
    named_submissions = tmp_path / "named.json"
    named_submissions.write_text(
        json.dumps({k: paper(k, *text, **names) for k, text in SUBMISSIONS.items()})
    )

    run(named, named_submissions, tmp_path / "named.csv")

    assert (tmp_path / "named.csv").read_text() == (tmp_path / "plain.csv").read_text()


def test_expertise_command_is_deterministic(files, tmp_path):
    run(*files, tmp_path / "a.csv")
    run(*files, tmp_path / "b.csv")

    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_expertise_command_top_keeps_each_submissions_best(files, tmp_path):
    run(*files, tmp_path / "all.csv")
    run(*files, tmp_path / "top.csv", "--top", "1")

    everything = read_scores(tmp_path / "all.csv")
    top = read_scores(tmp_path / "top.csv")
    assert sorted(top) == [
        ("s-empty", "~Empty_Person1"),  # all zero: the first reviewer (sorted)
        ("s-graph", "~Graph_Person1"),
        ("s-speech", "~Speech_Person1"),
    ]
    assert all(top[pair] == everything[pair] for pair in top)


def test_expertise_command_accepts_openreview_api2_values(files, tmp_path):
    archives, _ = files
    submissions = tmp_path / "v2.json"
    submissions.write_text(
        json.dumps(
            {
                "s-graph": {
                    "id": "s-graph",
                    "content": {
                        "title": {"value": SUBMISSIONS["s-graph"][0]},
                        "abstract": {"value": SUBMISSIONS["s-graph"][1]},
                    },
                }
            }
        )
    )

    plain = tmp_path / "v1.json"
    plain.write_text(json.dumps({"s-graph": paper("s-graph", *SUBMISSIONS["s-graph"])}))

    run(archives, submissions, tmp_path / "v2.csv")
    run(archives, plain, tmp_path / "v1.csv")

    assert (tmp_path / "v2.csv").read_text() == (tmp_path / "v1.csv").read_text()


@pytest.mark.parametrize(
    ("archive_line", "message"),
    [("{not json", "~Bad1.jsonl:2"), ('"a string"', "expected a JSON object")],
)
def test_expertise_command_names_the_bad_line(tmp_path, archive_line, message):
    folder = tmp_path / "archives"
    folder.mkdir()
    (folder / "~Bad1.jsonl").write_text(
        json.dumps(paper("p", "Title", "Abstract")) + "\n" + archive_line + "\n"
    )
    submissions = tmp_path / "s.json"
    submissions.write_text(json.dumps({"a": paper("a", "Title", "Abstract")}))

    with pytest.raises(CommandError, match=message):
        run(folder, submissions, tmp_path / "out.csv")


def test_expertise_command_refuses_a_missing_folder(tmp_path, files):
    with pytest.raises(CommandError, match="not a folder"):
        run(tmp_path / "nope", files[1], tmp_path / "out.csv")


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.text(
            alphabet="ab Z_9-.,'\n\t\x0b\x1c\x7f@\u00fc\u00e9\u2019\u0301\u00a0",
            max_size=30,
        ),
        min_size=1,
        max_size=4,
    ).filter(lambda texts: any(len(t.strip()) > 1 for t in texts))
)
def test_word_counts_match_scikit_learns_count_vectorizer(texts):
    reference = CountVectorizer()
    try:
        expected = reference.fit_transform(texts).toarray()
    except ValueError:  # scikit-learn refuses a vocabulary without any word
        expected = np.zeros((len(texts), 0))

    counts, words = word_counts(texts)

    names = reference.get_feature_names_out() if expected.size else []
    assert sorted(words) == sorted(names)
    order = [words.index(word) for word in names]
    assert counts.toarray()[:, order].tolist() == expected.tolist()


def test_stemming_matches_inflections_and_stop_words_do_not_count():
    scores = expertise(
        ["Learning graphs"],
        [["Graph learners learned"], ["the of and with learning"], ["Speech"]],
    )

    assert scores[0, 0] > scores[0, 1] > scores[0, 2] == 0.0


def test_a_reviewers_papers_combine_as_a_power_mean_of_four():
    submission = "Reinforcement learning for robot locomotion"
    unrelated = ["Protein folding", "Speech codecs", "Compiler passes"]

    scores = expertise([submission], [[submission, *unrelated], unrelated])

    # Cosines 1, 0, 0, 0: (mean cos**4) ** (1/4), far above their mean (0.25).
    assert scores[0].tolist() == [pytest.approx(0.25**0.25), 0.0]


WORDS = "graph neural speech acoustic robot policy learning the of protein vision"
texts = st.lists(st.sampled_from(WORDS.split()), max_size=8).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(
    submissions=st.lists(texts, min_size=1, max_size=5),
    profiles=st.lists(st.lists(texts, max_size=3), min_size=1, max_size=4),
    data=st.data(),
)
def test_expertise_properties(submissions, profiles, data):
    scores = expertise(submissions, profiles)
    rows = data.draw(st.permutations(range(len(submissions))))
    cols = data.draw(st.permutations(range(len(profiles))))

    permuted = expertise([submissions[i] for i in rows], [profiles[j] for j in cols])

    assert scores.shape == (len(submissions), len(profiles))
    assert ((scores >= 0.0) & (scores <= 1.0 + 1e-9)).all()
    # Neither the order of submissions nor that of reviewers matters.
    np.testing.assert_allclose(permuted, scores[np.ix_(rows, cols)], atol=1e-12)
    # A reviewer whose only paper is the submission is a perfect match.
    for i, text in enumerate(submissions):
        if set(text.split()) - {"the", "of"}:
            assert expertise(submissions, [[text]])[i, 0] == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(
    submissions=st.lists(texts, min_size=1, max_size=6),
    profiles=st.lists(st.lists(texts, max_size=3), min_size=1, max_size=4),
)
def test_within_a_reviewer_scores_order_as_fused_z_scores(submissions, profiles):
    fitted = fit(submissions, profiles)
    scores = expertise(submissions, profiles)
    terms = fitted.term_scores(slice(None))
    vectors = fitted.submission_vectors @ fitted.centroids.T
    has_words = fitted.has_words

    assert ((scores >= 0.0) & (scores <= 1.0)).all()
    assert not scores[~has_words].any()
    rows = np.flatnonzero(has_words)
    for j in range(len(profiles)):
        t, v = terms[rows, j], vectors[rows, j]
        if len(rows) < 2 or t.std() < 1e-9 or v.std() < 1e-9:
            # No spread to measure: the score is the TF-IDF one.
            np.testing.assert_allclose(scores[rows, j], np.clip(t, 0, 1))
            continue
        # Unclipped, the score is an increasing affine map of the z-score sum.
        fused = (t - t.mean()) / t.std() + VECTOR_WEIGHT * (v - v.mean()) / v.std()
        inside = (scores[rows, j] > 0.0) & (scores[rows, j] < 1.0)
        expected = t.mean() + t.std() * fused
        np.testing.assert_allclose(scores[rows, j][inside], expected[inside])


def test_top_reviewers_exact_path_agrees_with_every_pair():
    submissions = [document_text(*SUBMISSIONS[s]) for s in SUBMISSIONS]
    profiles = [[document_text(*p) for p in GRAPHS], [document_text(*SPEECH[0])]]

    best = top_reviewers(submissions, profiles, k=1).toarray()
    every = expertise(submissions, profiles)

    assert best.tolist() == [
        [every[0, 0], 0.0],
        [0.0, every[1, 1]],
        [0.0, 0.0],  # all zero: reviewer 0 kept (an explicit zero)
    ]


def test_top_reviewers_shortlist_path_returns_exact_scores_of_the_best():
    rng = np.random.default_rng(7)
    fields = [
        "graph node edge embedding walk spectral",
        "speech acoustic phoneme spoken audio",
        "robot locomotion policy control reward",
        "protein molecule folding chemistry binding",
        "image vision pixel convolution segmentation",
    ]
    words = [field.split() for field in fields]
    common = ["model", "method", "result", "data", "learning", "performance"]

    def text(field):
        picks = list(rng.choice(words[field], 6)) + list(rng.choice(common, 4))
        return " ".join(picks)

    profiles = [[text(j % 5) for _ in range(3)] for j in range(60)]
    submissions = [text(i % 5) for i in range(40)]

    shortlisted = top_reviewers(submissions, profiles, k=5, exact_pairs=0)
    exact = top_reviewers(submissions, profiles, k=5)
    every = expertise(submissions, profiles)

    assert shortlisted.getnnz(axis=1).tolist() == [5] * 40
    rows, cols = shortlisted.nonzero()
    np.testing.assert_allclose(shortlisted[rows, cols].A1, every[rows, cols])
    # The shortlist finds reviewers of the submission's own field.
    assert all(c % 5 == r % 5 for r, c in zip(rows, cols, strict=True))
    overlap = shortlisted.multiply(exact).getnnz() / exact.getnnz()
    assert overlap >= 0.9


def test_the_bench_summary_keeps_the_worst_seed_and_the_seeds_differ(bench_script):
    bench = bench_script("expertise")
    rows = [
        {"size": "recall", "seconds": 9.0, "top200_recall": 0.97, "meets_goal": True},
        {"size": "recall", "seconds": 7.0, "top200_recall": 0.95, "meets_goal": True},
        {"size": "large", "seconds": 61.0, "cpu_seconds": 80.0, "meets_goal": False},
    ]

    assert bench.summary(rows) == {
        "recall_seconds": 9.0,
        "top200_recall": 0.95,
        "large_seconds": 61.0,
        "cpu_seconds": 80.0,
        "meets_goals": False,
    }
    assert bench.synthetic(20, 5, 6, seed=1) != bench.synthetic(20, 5, 6, seed=2)
    assert bench.synthetic(20, 5, 6, seed=1) == bench.synthetic(20, 5, 6, seed=1)


def test_expertise_inputs_of_other_shapes(files, tmp_path):
    """An id of 0, a one-line JSONL of flat records, an archive saved as
    .JSONL: read as meant. An empty archive is said (on stderr)."""
    archives, _ = files
    (archives / "~Graph_Person1.jsonl").rename(archives / "~Graph_Person1.JSONL")
    zero = tmp_path / "zero.json"
    zero.write_text(json.dumps([paper(0, *SUBMISSIONS["s-graph"])]))
    flat = tmp_path / "flat.jsonl"
    flat.write_text(json.dumps({"id": "s1", "title": "Graph neural networks"}) + "\n")
    err = io.StringIO()

    call_command(
        "expertise", "--archives", str(archives), "--submissions", str(zero),
        "--out", str(tmp_path / "zero.csv"), stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    run(archives, flat, tmp_path / "flat.csv")

    zero_scores = read_scores(tmp_path / "zero.csv")
    assert {s for s, _ in zero_scores} == {"0"}
    assert ("0", "~Graph_Person1") in zero_scores  # the .JSONL archive counts
    assert {s for s, _ in read_scores(tmp_path / "flat.csv")} == {"s1"}
    assert "1 reviewer with an empty archive scores 0 everywhere: ~Empty_Person1" in (
        err.getvalue()
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{}", "no submission in it"),
        ("", "no submission in it"),
        ('{\n  "a": {"id": "a",\n  "content": {,}}\n}\n', "subs.json:3:15:"),
    ],
)
def test_expertise_submission_files_that_cannot_be_read_say_where(
    files, tmp_path, text, message
):
    archives, _ = files
    submissions = tmp_path / "subs.json"
    submissions.write_text(text)
    out = tmp_path / "out.csv"

    with pytest.raises(CommandError, match=message):
        run(archives, submissions, out)
    assert not out.exists()


def test_a_long_publication_list_dilutes_no_more_than_twenty_papers():
    """The power mean runs over a reviewer's 20 closest papers: the author of
    the submission itself among 100 other papers scores as among 19."""
    from reviews.expertise import TOP_PUBLICATIONS, expertise

    submission = "Graph neural networks predict molecule properties by message passing"
    others = [
        f"Study {i} of {word} in {field} systems"
        for i, (word, field) in enumerate(
            (w, f)
            for w in ("caching", "routing", "sorting", "hashing", "paging")
            for f in ("storage", "network", "database", "compiler")
            for _ in range(5)
        )
    ]
    assert len(others) == 100
    long_list = [submission, *others]
    short_list = [submission, *others[: TOP_PUBLICATIONS - 1]]
    one_related = ["Message passing networks for chemistry"]

    scores = expertise([submission], [long_list, short_list, one_related])[0]

    assert scores[0] == pytest.approx(scores[1], rel=1e-3)
    assert scores[0] > scores[2]
