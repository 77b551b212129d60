"""Issue 14, item 6: the release page summarises the mails (per outcome and
template, recipients, placeholders), shows a few rendered samples a page at a time,
and sends only after a confirmation naming the count."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from tests.decisions.conftest import PERSONAS
from tests.factories import ReviewFactory, SubmissionFactory
from tests.jobs.helpers import summary_of

pytestmark = pytest.mark.django_db


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def decided(world, chair):
    """#1 (3 authors, reviewed) accepted as oral; #2 (1 author, no review) and
    #3..#6 (1 author each, one of them shared) rejected: 3 + 5 = 8 mails."""
    ReviewFactory(assignment=world.assignment, score=2, comments="Solid work on FPGAs.")
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)
    for number in range(3, 7):
        submission = SubmissionFactory(
            conference=world.conference,
            number=number,
            contact=world.other_author,
            title=f"Rejected idea {number}",
        )
        decide(submission, Outcome.REJECT, by=chair)
    return world


def test_the_release_page_summarises_instead_of_rendering_every_mail(decided, login):
    response = login(decided.chair).get(reverse("decisions:release"))

    summary = response.context["summary"]
    assert (summary.submission_count, summary.mail_count) == (6, 8)
    assert [(g.label, g.submission_count, g.mail_count) for g in summary.groups] == [
        ("Accept (oral)", 1, 3),
        ("Reject", 5, 5),
    ]
    assert [g.subject for g in summary.groups] == [
        "[{{ conference }}] #{{ number }} accepted as an oral presentation",
        "[{{ conference }}] Decision on #{{ number }}",
    ]
    # author@, cora@, the third author of #1, and other@ for #2..#6
    assert len(summary.recipients) == 4
    assert [r.numbers for r in summary.recipients][-1] == [2, 3, 4, 5, 6]
    reviews = next(u for u in summary.placeholders if u.name == "reviews")
    assert (reviews.used_in, reviews.filled) == (8, 3)
    assert reviews.unfilled_numbers == [2, 3, 4, 5, 6]
    # Only a few mails are rendered, not all eight.
    assert response.text.count('class="card mail-preview') == 3
    assert "Mails 1 to 3 of 8" in response.text
    assert "Send 8 mails to 4 recipients about 6 decisions, now" in response.text
    assert "Send 8 mails</button>" in response.text


def test_samples_page_through_and_filter_by_outcome(decided, login):
    client = login(decided.chair)

    last = client.get(reverse("decisions:release"), {"page": 3})
    rejects = client.get(reverse("decisions:release"), {"outcome": "reject"})

    assert [m.number for m in last.context["samples"]] == [5, 6]
    assert "Mails 7 to 8 of 8" in last.text
    assert 'rel="prev"' in last.text
    assert 'rel="next"' not in last.text
    assert [m.number for m in rejects.context["samples"]] == [2, 3, 4]
    assert "Mails 1 to 3 of 5" in rejects.text
    assert "?outcome=reject&amp;page=2" in rejects.text


def test_releasing_needs_the_confirmation(decided, login, mailoutbox, committed):
    client = login(decided.chair)
    tokens = client.get(reverse("decisions:release")).context["tokens"]

    refused = committed(client.post, reverse("decisions:release"), {"token": tokens})
    sent = committed(
        client.post, reverse("decisions:release"), {"token": tokens, "confirm": "8"}
    )
    again = committed(
        client.post, reverse("decisions:release"), {"token": tokens, "confirm": "8"}
    )

    assert texts(refused) == [
        "Nothing was sent: tick the box with the number of mails to confirm."
    ]
    # Each release is a background job (issue 14, item 10); its page says what it did.
    assert summary_of(sent) == [
        "Released 6 decisions; 8 mails are on their way (see the outbox)."
    ]
    assert summary_of(again) == ["Nothing to release: no mail was sent."]
    assert len(mailoutbox) == 8  # exactly once, despite the second click
    assert Decision.objects.released().count() == 6


def test_sample_mails_name_no_reviewer(decided, login):
    """The samples are what authors read: reviewers are "Reviewer 1", unnamed."""
    response = login(decided.chair).get(reverse("decisions:release"))

    first = response.context["samples"][0]
    assert "Reviewer 1" in first.body
    assert decided.reviewer.name not in response.text
    assert decided.reviewer.email not in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_release_page_by_persona(decided, login, persona, mailoutbox, committed):
    client = login(decided.user(persona))

    page = client.get(reverse("decisions:release"))
    tokens = page.context["tokens"] if page.status_code == 200 else ["1:reject:1"]
    posted = committed(
        client.post, reverse("decisions:release"), {"token": tokens, "confirm": "8"}
    )

    if persona == "chair":
        assert page.context["summary"].mail_count == 8
        assert posted.status_code == 302
        assert len(mailoutbox) == 8
    elif persona == "conflicted_chair":  # #1 is theirs to stay out of
        assert page.context["summary"].mail_count == 5
        assert "Sparse training" not in page.text
        assert len(mailoutbox) == 5
        assert Decision.objects.released().count() == 5
    elif persona == "anonymous":
        assert page.status_code == posted.status_code == 302
        assert page["Location"].startswith(reverse("account_login"))
        assert mailoutbox == []
    else:
        assert page.status_code == posted.status_code == 404
        assert mailoutbox == []


def _nothing(response) -> str:
    html = response.content.decode()
    start = html.index(">", html.index('id="nothing-to-release"')) + 1
    return " ".join(html[start : html.index("</p>", start)].split())


def test_before_any_decision_the_page_says_none_was_made(world, login):
    response = login(world.chair).get(reverse("decisions:release"))

    assert "Nothing to release yet: no decision has been made." in _nothing(response)
    assert "every decision you may release has been sent" not in response.text


def test_once_everything_is_released_it_says_so_and_counts_the_undecided(
    world, login, committed
):
    from decisions.release import preview_release, release_decisions

    decide(world.other_submission, Outcome.REJECT, by=world.chair)
    _, tokens, _ = preview_release(world.conference, by=world.chair)
    committed(release_decisions, world.conference, tokens=tokens, by=world.chair)

    chair = _nothing(login(world.chair).get(reverse("decisions:release")))
    # #1 is the conflicted chair's own (hidden): counted for neither.
    conflicted = _nothing(
        login(world.conflicted_chair).get(reverse("decisions:release"))
    )

    assert chair.startswith(
        "Nothing to release: every decision you may release has been sent "
        "(1 released). 1 submission has no decision yet"
    )
    assert conflicted.endswith("has been sent (1 released).")
