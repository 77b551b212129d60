"""Score statistics against hand-computed values, the dashboard rows, sorting,
filtering and the summary."""

import pytest

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.queries.dashboard import Filters, dashboard_rows, score_stats, sort_rows
from decisions.queries.summary import histogram, summarize
from reviews.assigning import assign_reviewer
from submissions.models import Submission
from tests.factories import ReviewerFactory, ReviewFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_score_stats_of_no_reviews_are_empty():
    stats = score_stats([])

    assert (stats.count, stats.mean, stats.min, stats.max) == (0, None, None, None)
    assert (stats.weighted_mean, stats.spread, stats.is_disputed) == (None, None, False)


def test_score_stats_match_hand_computed_values():
    # Scores 2, -1, 1 with confidences 4, 1, 3:
    # mean = 2/3; weighted = (8 - 1 + 3) / 8 = 1.25; spread = 2 - (-1) = 3.
    stats = score_stats([(2, 4), (-1, 1), (1, 3)])

    assert stats.count == 3
    assert stats.mean == pytest.approx(2 / 3)
    assert (stats.min, stats.max) == (-1, 2)
    assert stats.weighted_mean == pytest.approx(1.25)
    assert stats.spread == 3
    assert stats.is_disputed is True


def test_score_stats_ignore_missing_scores_and_confidences():
    # (None, 5) has no score; (3, None) counts for the mean but not the weights.
    stats = score_stats([(None, 5), (3, None), (0, 2)])

    assert stats.count == 2
    assert stats.mean == pytest.approx(1.5)
    assert stats.weighted_mean == pytest.approx(0.0)
    assert (stats.spread, stats.is_disputed) == (3, True)


def test_score_stats_of_agreeing_reviews_are_not_disputed():
    stats = score_stats([(1, 3), (2, 3), (1, 3)])

    assert stats.spread == 1
    assert stats.is_disputed is False
    assert stats.weighted_mean == pytest.approx(4 / 3)


def test_dashboard_rows_compute_statistics_per_submission(world, chair):
    extra = ReviewerFactory.create_batch(size=2)
    ReviewFactory(assignment=world.assignment, score=2, confidence=4, comments="Nice")
    for reviewer, (score, confidence) in zip(extra, [(-1, 1), (1, 3)], strict=True):
        assignment, _ = assign_reviewer(
            world.submission, reviewer, by=chair, notify=False
        )
        ReviewFactory(assignment=assignment, score=score, confidence=confidence)
    # A draft review does not count.
    late, _ = assign_reviewer(
        world.other_submission,
        ReviewerFactory.create_batch(size=1)[0],
        by=chair,
        notify=False,
    )
    ReviewFactory(assignment=late, score=-3, submitted=False)

    rows = {r.number: r for r in dashboard_rows(world.conference, user=chair)}

    first, second = rows[1], rows[2]
    assert (first.reviews_done, first.reviews_required) == (3, 3)
    assert first.stats.mean == pytest.approx(2 / 3)
    assert first.stats.weighted_mean == pytest.approx(1.25)
    assert first.flags == ["disputed"]
    assert first.review_status == "complete"
    assert (second.reviews_done, second.stats.mean, second.review_status) == (
        0,
        None,
        "none",
    )
    assert first.authors[0] == ("Ada Author", "Uni A")


def test_dashboard_hides_submissions_of_a_conflicted_chair(world):
    numbers = [
        r.number for r in dashboard_rows(world.conference, user=world.conflicted_chair)
    ]

    assert numbers == [2]


def test_dashboard_rows_show_withdrawn_as_a_decision_state(world, chair):
    decide(world.other_submission, Outcome.REJECT, by=chair)
    Submission.objects.filter(pk=world.other_submission.pk).update(
        state=Submission.State.WITHDRAWN
    )

    rows = {r.number: r for r in dashboard_rows(world.conference, user=chair)}

    assert rows[2].decision == "withdrawn"
    assert rows[2].decision_label == "Withdrawn by authors"


def test_dashboard_rows_leave_out_drafts(world, chair):
    SubmissionFactory(
        conference=world.conference,
        number=3,
        contact=chair,
        state=Submission.State.DRAFT,
    )

    assert [r.number for r in dashboard_rows(world.conference, user=chair)] == [1, 2]


def test_flags_over_length_identity_and_late(world, chair):
    from submissions.models import SubmissionVersion

    version = SubmissionVersion.objects.create(
        submission=world.submission,
        original="papers/x.pdf",
        sha256="0" * 64,
        size=10,
        main_body_pages=6,
        check_report={"warnings": [{"code": "identity_in_text", "message": "x"}]},
        uploaded_by=world.author,
        uploaded_at=world.submission.created_at,
    )
    Submission.objects.filter(pk=world.submission.pk).update(
        current_version=version, is_late=True
    )

    [row] = [r for r in dashboard_rows(world.conference, user=chair) if r.number == 1]

    assert row.flags == ["over_length", "identity", "late"]


def test_sort_puts_rows_without_scores_last_either_way(world, chair):
    ReviewFactory(assignment=world.assignment, score=1)
    rows = dashboard_rows(world.conference, user=chair)

    assert [r.number for r in sort_rows(rows, "-mean")] == [1, 2]
    assert [r.number for r in sort_rows(rows, "mean")] == [1, 2]
    assert [r.number for r in sort_rows(rows, "-number")] == [2, 1]
    assert [r.number for r in sort_rows(rows, "nonsense")] == [1, 2]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(q="fpga"), [1]),
        (Filters(q="2"), [2]),
        (Filters(decision="accept_poster"), [1]),
        (Filters(decision="undecided"), [2]),
        (Filters(reviews="none"), [2]),
        (Filters(reviews="partial"), [1]),
        (Filters(flag="nominated"), []),
    ],
)
def test_filters(world, chair, filters, expected):
    ReviewFactory(assignment=world.assignment, score=1)
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    rows = dashboard_rows(world.conference, user=chair)

    assert [r.number for r in filters.apply(rows)] == expected


def test_topic_filter(world, chair):
    rows = dashboard_rows(world.conference, user=chair)

    assert [r.number for r in Filters(topic=world.topics[1].pk).apply(rows)] == [2]


def test_summary_counts_and_acceptance_rate(world, chair):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)
    ReviewFactory(assignment=world.assignment, score=2)

    summary = summarize(dashboard_rows(world.conference, user=chair))

    assert summary.decision_counts["Accept (oral)"] == 1
    assert summary.decision_counts["Reject"] == 1
    assert (summary.decided, summary.accepted, summary.acceptance_rate) == (2, 1, 0.5)
    assert (summary.reviews_done, summary.reviews_required) == (1, 6)


def test_histogram_bins_mean_scores():
    chart = histogram([-3, -2.9, 0.2, 0.25, 3, 5])

    counts = {bar.label: bar.count for bar in chart.bars}
    assert counts["-3"] == 2
    assert counts["0"] == 1  # 0.2 rounds to the 0 bin
    assert counts["+0.5"] == 1  # a bin's lower edge belongs to it
    assert counts["+3"] == 2  # 5 is clipped to the top bin
    assert chart.max_count == 2
