"""A chair who wrote a shortlisted paper learns nothing of its judging on the
chairs' judging page: not its row (which said it was nominated or added), and
not, through the ranks shown, where the jurors put it."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from awards.judging import change_shortlist, rank_submissions
from awards.models import AwardSettings, Judgement
from awards.ranking import ranking

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(world, chair):
    """Best paper judged by rank; #1 and #2 shortlisted; the juror put #1 first."""
    found = AwardSettings.objects.for_award(world.best)
    found.judging = AwardSettings.Judging.RANK
    found.save()
    for submission in (world.submission, world.other_submission):
        change_shortlist(world.best, submission, action="add", by=chair)
    rank_submissions(
        world.best,
        {world.submission.pk: 1, world.other_submission.pk: 2},
        by=world.juror,
    )
    return found


def test_the_ranking_leaves_out_the_chairs_own_paper_and_renumbers(
    world, chair, ranked, author_chair
):
    everyone = ranking(world.best, viewer=chair)
    theirs = ranking(world.best, viewer=author_chair)

    assert [(r.candidate.number, r.position) for r in everyone] == [(1, 1), (2, 2)]
    assert [j.rank for j in everyone[1].judgements] == [2]
    assert [(r.candidate.number, r.position) for r in theirs] == [(2, 1)]
    # The juror's "2" on #2 would say #1 came first: counted among what is shown.
    assert [j.rank for j in theirs[0].judgements] == [1]
    # Only what is shown is renumbered: the ballot itself is unchanged.
    assert (
        Judgement.objects.get(
            award=world.best, submission=world.other_submission, juror=world.juror
        ).rank
        == 2
    )


@pytest.mark.parametrize("role", ["chair", "author_chair"])
def test_the_judging_page_names_the_paper_only_to_chairs_not_conflicted(
    client, world, chair, ranked, author_chair, role
):
    client.force_login(chair if role == "chair" else author_chair)

    page = client.get(reverse("awards:chair-judging", args=[ranked.slug]))

    html = page.content.decode()
    assert page.status_code == 200
    assert world.other_submission.title in html
    if role == "chair":
        assert world.submission.title in html
        assert "rank 2" in html
        assert "you are conflicted with" not in html
    else:
        assert (
            "Papers you are conflicted with are neither listed nor counted here" in html
        )
        assert world.submission.title not in html
        assert 'id="paper-1"' not in html
        assert "#1 " not in html
        assert "rank 2" not in html
        assert "rank 1" in html


def test_the_conflicted_chairs_export_counts_ranks_among_what_it_holds(
    world, chair, ranked, author_chair
):
    from exchange.exporting import export_conference

    def ranks(document: dict) -> list[tuple]:
        return sorted(
            (row["submission"], row["rank"]) for row in document["judgements"]
        )

    assert ranks(export_conference(viewer=chair)) == [(1, 1), (2, 2)]
    assert ranks(export_conference()) == [(1, 1), (2, 2)]
    # Without #1, the juror's ballot reads as it does on their judging page.
    assert ranks(export_conference(viewer=author_chair)) == [(2, 1)]


def test_the_audit_log_keeps_the_ranks_from_a_conflicted_chair(
    client, world, chair, ranked, author_chair
):
    """The log records each juror's ranks; a "rank 2" on #2 would tell the
    chair who wrote #1 where it came, so a chair conflicted with any paper
    reads no entry holding a rank: not on the page, not in the export."""
    from exchange.exporting import export_conference
    from haet.audit.chain import seal_pending
    from haet.audit.queries import visible_entries

    def with_rank(entries) -> list:
        return [
            (e.submission_id, e.after["rank"])
            for e in entries
            if e.object_type == "awards.judgement" and "rank" in e.after
        ]

    def rows_with_rank(document: dict) -> list:
        return with_rank(
            SimpleNamespace(
                object_type=row["object_type"],
                submission_id=row["submission"],
                after=row["after"],
            )
            for row in document["audit_log"]
        )

    seal_pending()  # on commit in production; the test's transaction never commits
    mine, theirs = visible_entries(chair), list(visible_entries(author_chair))
    assert sorted(with_rank(mine)) == [
        (world.submission.pk, 1),
        (world.other_submission.pk, 2),
    ]
    assert sorted(rows_with_rank(export_conference(viewer=chair))) == [(1, 1), (2, 2)]
    assert with_rank(theirs) == []
    assert rows_with_rank(export_conference(viewer=author_chair)) == []
    # The rest of #2's story stays: a chair put it on the shortlist, a juror
    # judged it.
    assert {
        e.object_type for e in theirs if e.submission_id == world.other_submission.pk
    } >= {"awards.shortlistchange", "awards.judgement"}
    client.force_login(author_chair)
    page = client.get(reverse("audit:log"), {"q": "judgement"})
    assert page.status_code == 200
    assert "rank" not in page.content.decode().split("<main", 1)[-1]
