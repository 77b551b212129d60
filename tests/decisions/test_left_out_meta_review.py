"""A decision template saved before meta-reviews existed has no {{ meta_review }}:
its mails would go out without the meta-reviews the chairs wrote for the authors.
The release page names the submissions that would lose theirs and the outcomes'
templates to fix; the decision mails page marks each text that leaves out the
meta-review or the reviews."""

import pytest
from django.urls import reverse

from decisions.deciding import decide
from decisions.mail_override import edit_decision_mail
from decisions.mail_templates import mail_templates, save_mail_template
from decisions.meta_reviews import save_meta_review
from decisions.models import META_REVIEW_EDITED, Outcome
from decisions.queries.release_preview import LeftOut
from tests.decisions.conftest import PERSONAS
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

TO_AUTHORS = "A clear accept: the FPGA sparsity results convinced all three."
OLD_POSTER_BODY = (
    "Dear {{ author_name }},\n\nYour submission #{{ number }} was accepted as a "
    "poster.\n\n{{ reviews }}\n\nThe {{ conference }} chairs"
)


@pytest.fixture
def old_template(world):
    """The poster template as saved before meta-reviews: no {{ meta_review }}."""
    template = mail_templates(world.conference)[Outcome.ACCEPT_POSTER]
    save_mail_template(
        template, subject=template.subject, body=OLD_POSTER_BODY, by=world.chair
    )


def release_page(login, user):
    return login(user).get(reverse("decisions:release"))


def test_the_release_page_names_what_would_lose_its_meta_review(
    world, old_template, login
):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)
    # #2 has one too, but the reject template (the default) sends it.
    save_meta_review(world.other_submission, to_authors="Out of scope.", by=world.chair)
    decide(world.other_submission, Outcome.REJECT, by=world.chair)
    # #3 is a poster without a meta-review: it loses nothing.
    third = SubmissionFactory(conference=world.conference, number=3)
    decide(third, Outcome.ACCEPT_POSTER, by=world.chair)

    response = release_page(login, world.chair)

    assert response.context["summary"].left_out == [
        LeftOut("meta_review", numbers=[1], outcomes=["Accept (poster)"])
    ]
    text = " ".join(response.text.split())
    assert (
        "Left out:</strong> #1 has a meta-review for the authors that the decision "
        "mails will not include: the Accept (poster) template has no "
        "<code>{{ meta_review }}</code>."
    ) in text
    assert f'href="{reverse("decisions:templates")}"' in text
    # The samples show it too: the poster mails of #1 carry no meta-review.
    bodies = [m.body for m in response.context["mails"] if m.number == 1]
    assert len(bodies) == 3  # one per author
    assert all(TO_AUTHORS not in body for body in bodies)


def test_with_the_placeholder_back_nothing_is_left_out(world, old_template, login):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)
    template = mail_templates(world.conference)[Outcome.ACCEPT_POSTER]
    save_mail_template(
        template,
        subject=template.subject,
        body=OLD_POSTER_BODY.replace(
            "{{ reviews }}", "{{ meta_review }}\n\n{{ reviews }}"
        ),
        by=world.chair,
    )

    response = release_page(login, world.chair)

    assert response.context["summary"].left_out == []
    assert "Left out" not in response.text
    bodies = [m.body for m in response.context["mails"] if m.number == 1]
    assert len(bodies) == 3
    assert all(TO_AUTHORS in body for body in bodies)


def test_reviews_left_out_are_named_too(world, login):
    from tests.factories import ReviewFactory

    ReviewFactory(assignment=world.assignment, score=2, comments="Solid work.")
    template = mail_templates(world.conference)[Outcome.REJECT]
    save_mail_template(
        template,
        subject=template.subject,
        body="Dear {{ author_name }},\n\nNot this time.\n\n{{ meta_review }}",
        by=world.chair,
    )
    decide(world.submission, Outcome.REJECT, by=world.chair)
    decide(world.other_submission, Outcome.REJECT, by=world.chair)  # no review

    summary = release_page(login, world.chair).context["summary"]

    assert summary.left_out == [LeftOut("reviews", numbers=[1], outcomes=["Reject"])]


def test_a_chairs_own_text_is_sent_as_written_and_not_flagged(
    world, old_template, login
):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)
    edit_decision_mail(
        world.submission,
        subject="Accepted",
        body=f"Dear authors,\n\nAccepted.\n\n{TO_AUTHORS}",
        by=world.chair,
    )

    summary = release_page(login, world.chair).context["summary"]

    assert summary.left_out == []
    # Its text uses no placeholder, so the summary lists none (it counted the
    # template's before, though they were not in the mail).
    assert summary.placeholders == []


def test_a_conflicted_chair_is_told_nothing_of_their_own_submission(
    world, old_template, login
):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)

    response = release_page(login, world.conflicted_chair)

    assert response.context["summary"].left_out == []
    assert "#1" not in response.text
    assert TO_AUTHORS not in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_release_page_by_persona(world, old_template, login, persona):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)

    response = release_page(login, world.user(persona))

    if persona == "anonymous":
        assert response.status_code == 302
    elif persona == "chair":
        assert "Left out:</strong> #1" in response.text
    elif persona == "conflicted_chair":
        assert response.status_code == 200
        assert "Left out" not in response.text
    else:
        assert response.status_code in (403, 404)
        assert TO_AUTHORS not in response.text


def test_the_decision_mails_page_marks_texts_without_the_placeholders(
    world, old_template, login
):
    response = login(world.chair).get(reverse("decisions:templates"))

    notes = {
        template.outcome: left_out
        for template, _, left_out in response.context["forms"]
    }
    assert notes[Outcome.ACCEPT_POSTER] == ["meta_review"]
    assert notes[Outcome.ACCEPT_ORAL] == []  # the default has both
    assert notes[Outcome.DESK_REJECT] == ["meta_review", "reviews"]
    assert notes[META_REVIEW_EDITED] == []  # it links to them instead
    text = " ".join(response.text.split())
    assert (
        "This text has no <code>{{ meta_review }}</code>: its mails don't include "
        "the meta-review written for the authors."
    ) in text
