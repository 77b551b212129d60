"""A chair's result for a paper (its place and citation), refused by the
service, comes back with what was typed and the reason, instead of a redirect
that lost the citation: the row's form as typed while the paper is still open
to a result, else the citation shown above, to copy."""

import pytest
from django.urls import reverse

from awards.judging import change_shortlist
from awards.models import AwardResult
from awards.results import announce, set_result
from tests.awards.conftest import jury_scores

pytestmark = pytest.mark.django_db

CITATION = "For training in 2 MB what others train in 2 GB; “swift” & <sparse>."


def post_result(client, world, place="winner"):
    client.force_login(world.chair)
    prefix = f"r{world.submission.pk}"
    return client.post(
        reverse(
            "awards:chair-result",
            args=[world.settings["best_paper"].slug, world.submission.number],
        ),
        {f"{prefix}-place": place, f"{prefix}-citation": CITATION},
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_paper_taken_off_the_shortlist_meanwhile_keeps_the_citation(client, entered):
    change_shortlist(
        entered.best, entered.submission, action="remove", by=entered.chair
    )

    response = post_result(client, entered)

    html = response.content.decode()
    assert response.status_code == 200
    assert messages_of(response) == [
        f"The result of #{entered.submission.number} was not saved: "
        f"#{entered.submission.number} is not on the shortlist."
    ]
    assert 'id="unsaved-citation-text"' in html
    assert "“swift” &amp; &lt;sparse&gt;." in html
    assert not AwardResult.objects.exists()


def test_an_award_announced_meanwhile_keeps_the_citation(client, entered):
    set_result(entered.best, entered.other_submission, place="winner", by=entered.chair)
    jury_scores(entered.best, entered.other_submission, juror=entered.juror)
    announce(entered.best, by=entered.chair)

    response = post_result(client, entered, place="honourable_mention")

    assert response.status_code == 200
    assert "its results are final" in messages_of(response)[0]
    assert "“swift” &amp; &lt;sparse&gt;." in response.content.decode()
    assert not AwardResult.objects.filter(submission=entered.submission).exists()


def test_a_place_refused_comes_back_in_its_row_as_typed(client, entered):
    response = post_result(client, entered, place="gold medal")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a place." in messages_of(response)[0]
    # In the paper's own form, not in the copy box: the row is still open.
    assert 'id="unsaved-citation-text"' not in html
    citation = html.index(f'name="r{entered.submission.pk}-citation"')
    assert "“swift” &amp; &lt;sparse&gt;.</textarea>" in html[citation:]
    assert not AwardResult.objects.exists()


def test_a_result_saved_still_redirects(client, entered):
    response = post_result(client, entered)

    assert response.status_code == 302
    assert AwardResult.objects.get(submission=entered.submission).citation == CITATION
