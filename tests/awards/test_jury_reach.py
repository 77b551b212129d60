"""The chairs' judging page says who may judge what: a juror conflicted with
every paper listed has an empty ballot, a paper every juror is conflicted with
gets no judgement. Both are counted over the papers the page shows, so a chair
conflicted with a shortlisted paper learns nothing of it from them."""

import pytest
from django.urls import reverse

from awards.judging import change_shortlist
from awards.models import AwardSettings
from awards.queries import jury_reach
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDLE = 'id="idle-jurors"'
NOBODY = "every juror is conflicted with it"


def judging_page(client, user, award) -> str:
    client.force_login(user)
    found = AwardSettings.objects.for_award(award)
    page = client.get(reverse("awards:chair-judging", args=[found.slug]))
    assert page.status_code == 200
    return page.content.decode()


def shortlist(world, chair, *submissions) -> None:
    for submission in submissions:
        change_shortlist(world.best, submission, action="add", by=chair)


def row_of(html: str, number: int) -> str:
    start = html.index(f'id="paper-{number}"')
    return html[start : html.index("</tr>", start)]


def test_jury_reach_is_the_rule_of_the_jurors_own_shortlist(world):
    ids = {world.submission.pk, world.other_submission.pk}

    reach = jury_reach([world.juror, world.conflicted_juror], ids)

    assert reach == {
        world.juror.pk: ids,
        # Carl works at the Quixotic Institute, like an author of #1.
        world.conflicted_juror.pk: {world.other_submission.pk},
    }
    assert jury_reach([], ids) == {}


def test_a_juror_conflicted_with_every_paper_listed_is_named(client, world, chair):
    shortlist(world, chair, world.submission)

    html = judging_page(client, chair, world.best)

    assert IDLE in html
    warning = html[html.index(IDLE) : html.index("</p>", html.index(IDLE))]
    assert "Carl Colleague is conflicted with every paper listed below" in warning
    assert "Judith Juror" not in warning
    assert "Add a juror" in warning
    assert NOBODY not in html  # Judith may judge #1


def test_no_warning_when_each_juror_may_judge_a_paper(client, world, chair):
    shortlist(world, chair, world.submission, world.other_submission)

    html = judging_page(client, chair, world.best)

    assert IDLE not in html
    assert NOBODY not in html


def test_a_paper_no_juror_may_judge_is_marked(client, world, chair):
    AwardSettings.objects.for_award(world.best).jury.set([world.conflicted_juror])
    shortlist(world, chair, world.submission, world.other_submission)

    html = judging_page(client, chair, world.best)

    assert NOBODY in row_of(html, 1)
    assert NOBODY not in row_of(html, 2)
    assert IDLE not in html  # Carl may judge #2


def test_an_empty_shortlist_or_jury_warns_of_nothing(client, world, chair):
    assert IDLE not in judging_page(client, chair, world.best)
    AwardSettings.objects.for_award(world.best).jury.clear()
    shortlist(world, chair, world.submission)

    html = judging_page(client, chair, world.best)

    assert IDLE not in html
    assert NOBODY not in html


def test_a_chair_conflicted_with_a_paper_counts_only_the_papers_shown(
    client, world, chair, author_chair
):
    """Eve works where #2's author does, so she may judge #1 and not #2. To a
    co-chair who wrote #1, the page lists #2 alone: Eve is idle there. Counted
    over #1 too, she would not be, and the page would tell the co-chair that
    their own paper is on the shortlist and who may judge it."""
    co_chair = author_chair
    eve = UserFactory(email="eve@elsewhere.example", name="Eve Elsewhere")
    AwardSettings.objects.for_award(world.best).jury.set([eve])
    shortlist(world, chair, world.submission, world.other_submission)

    theirs = judging_page(client, co_chair, world.best)
    everyone = judging_page(client, chair, world.best)

    assert world.submission.title not in theirs
    assert "Eve Elsewhere is conflicted with every paper listed below" in theirs
    assert NOBODY in row_of(theirs, 2)
    # The other chair sees both papers: Eve may judge #1.
    assert IDLE not in everyone
    assert NOBODY in row_of(everyone, 2)
    assert NOBODY not in row_of(everyone, 1)
