"""Issue 14, item 8: results are announced only once the jury has judged each winner
and honourable mention; the judging page says why the (greyed) button is disabled,
and the announce URL refuses with the same reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.judging import change_shortlist, score_submission
from awards.models import AwardResult, AwardSettings
from awards.results import NEEDS_A_WINNER, NEEDS_JURY_SCORES, announce, set_result
from tests.awards.conftest import LEAK_NAME
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_(user):
        if user is not None:
            client.force_login(user)
        return client

    return as_


@pytest.fixture
def confirmed(world, chair):
    """#1 winner and #2 honourable mention of the best-paper award, confirmed by
    the chair; no juror has judged either yet."""
    for submission in (world.submission, world.other_submission):
        change_shortlist(world.best, submission, action="add", by=chair)
    set_result(world.best, world.submission, place="winner", by=chair)
    set_result(world.best, world.other_submission, place="honourable_mention", by=chair)
    return world


def judging_url(world) -> str:
    return reverse("awards:chair-judging", args=[world.settings["best_paper"].slug])


def announce_url(world) -> str:
    return reverse("awards:chair-announce", args=[world.settings["best_paper"].slug])


def is_announced(world) -> bool:
    return AwardSettings.objects.get(award=world.best).announced_at is not None


def test_announcing_without_jury_scores_is_refused(confirmed, chair, mailoutbox):
    with pytest.raises(ValidationError) as refused:
        announce(confirmed.best, by=chair)

    assert refused.value.messages == [NEEDS_JURY_SCORES]
    assert not is_announced(confirmed)
    assert mailoutbox == []


def test_one_unjudged_result_is_enough_to_refuse(confirmed, chair):
    score_submission(confirmed.best, confirmed.submission, score=9, by=confirmed.juror)

    with pytest.raises(ValidationError, match="has not judged every winner"):
        announce(confirmed.best, by=chair)


def test_once_the_jury_judged_each_result_the_award_is_announced(
    confirmed, chair, mailoutbox, django_capture_on_commit_callbacks
):
    for submission in (confirmed.submission, confirmed.other_submission):
        score_submission(confirmed.best, submission, score=8, by=confirmed.juror)

    with django_capture_on_commit_callbacks(execute=True):
        announce(confirmed.best, by=chair)

    assert is_announced(confirmed)
    assert mailoutbox  # the authors of the winner and the mention


def test_the_judging_page_disables_the_button_and_says_why(confirmed, login):
    page = login(confirmed.chair).get(judging_url(confirmed))

    assert page.context["announce_refusal"] == NEEDS_JURY_SCORES
    assert (
        '<button type="submit" disabled aria-describedby="announce-refusal">'
        "Announce the results</button>"
    ) in page.text
    assert f'<span class="muted" id="announce-refusal">{NEEDS_JURY_SCORES}' in (
        page.text.replace("&#x27;", "'")
    )


def test_without_a_winner_the_page_asks_for_one(world, login):
    page = login(world.chair).get(judging_url(world))

    assert page.context["announce_refusal"] == NEEDS_A_WINNER


def test_the_announce_url_refuses_with_the_reason(confirmed, login):
    response = login(confirmed.chair).post(announce_url(confirmed), follow=True)

    assert [str(m) for m in response.context["messages"]] == [NEEDS_JURY_SCORES]
    assert not is_announced(confirmed)


def test_a_conflicted_chair_is_refused_without_naming_the_paper(confirmed, login):
    dean = UserFactory(email="dean@quixotic-institute.example", role="chair")

    response = login(dean).post(announce_url(confirmed), follow=True)

    [message] = [str(m) for m in response.context["messages"]]
    assert message == NEEDS_JURY_SCORES
    assert "#1" not in message
    assert LEAK_NAME not in response.text
    assert not is_announced(confirmed)


@pytest.mark.parametrize(
    "persona", ["anonymous", "author", "juror", "conflicted_juror", "chair"]
)
def test_announce_by_persona(confirmed, login, persona):
    for submission in (confirmed.submission, confirmed.other_submission):
        score_submission(confirmed.best, submission, score=8, by=confirmed.juror)
    user = None if persona == "anonymous" else getattr(confirmed, persona)

    response = login(user).post(announce_url(confirmed))

    if persona == "chair":
        assert response["Location"] == judging_url(confirmed)
        assert is_announced(confirmed)
        assert AwardResult.objects.announced().count() == 2
        return
    if persona == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == 404
    assert not is_announced(confirmed)


def test_no_add_button_when_every_eligible_paper_is_shortlisted(confirmed, login):
    """Issue 14, item 9: an action is offered only when it can act."""
    page = login(confirmed.chair).get(judging_url(confirmed))

    assert 'value="add"' not in page.text
    assert "Every eligible paper is on the shortlist: none left to add." in page.text
