"""One decision mail edited before the release (issue 14 item 14): a chair opens
#1's rendered mail from the preview, changes subject and text, and exactly that is
sent to #1's authors, once; the others get the template. The text is sent as
written (no placeholders), is dropped when the decision changes, cannot change
after the release, and a conflicted chair never reaches it."""

import pytest
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from decisions.release import preview_release, release_decisions
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = "[HAET 2022] #1: accepted, and a word about your poster"
BODY = "Dear authors,\n\nYour poster is accepted. Please bring it on A0.\n\nThe chairs"


@pytest.fixture
def decided(conference, chair, author):
    olga = UserFactory(email="olga@elsewhere.example", name="Olga Other")
    first = SubmissionFactory(conference=conference, number=1, contact=author)
    second = SubmissionFactory(conference=conference, number=2, contact=olga)
    decide(first, Outcome.ACCEPT_POSTER, by=chair)
    decide(second, Outcome.ACCEPT_POSTER, by=chair)
    return first, second


def url(number=1) -> str:
    return reverse("decisions:release-mail", args=[number])


def release_now(conference, chair):
    _, tokens, _ = preview_release(conference, by=chair)
    return release_decisions(conference, tokens=tokens, by=chair)


def test_the_edited_mail_is_what_is_sent_once(
    client, conference, chair, author, decided, mailoutbox, committed
):
    client.force_login(chair)
    form = client.get(url()).context["form"]
    assert "Dear Ada Author" in form.initial["body"]  # the rendered mail to edit

    response = client.post(url(), {"subject": SUBJECT, "body": BODY, "save": "1"})

    assert response.status_code == 302
    preview = client.get(reverse("decisions:release")).content.decode()
    assert "edited" in preview
    assert "Please bring it on A0." in preview
    committed(release_now, conference, chair)
    to_first = [m for m in mailoutbox if author.email in " ".join(m.to)]
    to_second = [m for m in mailoutbox if "olga@elsewhere" in " ".join(m.to)]
    assert [m.subject for m in to_first] == [SUBJECT]
    assert "Please bring it on A0." in to_first[0].body
    assert "{{" not in to_first[0].body
    assert to_second
    assert to_second[0].subject != SUBJECT
    # Exactly once: releasing again sends nothing more.
    count = len(mailoutbox)
    committed(release_now, conference, chair)
    assert len(mailoutbox) == count


def test_placeholders_are_refused_and_nothing_is_stored(client, chair, decided):
    client.force_login(chair)

    response = client.post(
        url(), {"subject": SUBJECT, "body": "Dear {{ author_name }},", "save": "1"}
    )

    assert response.status_code == 200
    assert "replace {{ author_name }} with the words to send" in (
        response.content.decode()
    )
    assert not Decision.objects.get(submission=decided[0]).has_edited_mail


def test_an_empty_text_is_refused(client, chair, decided):
    client.force_login(chair)

    response = client.post(url(), {"subject": SUBJECT, "body": "  ", "save": "1"})

    assert response.status_code == 200
    assert not Decision.objects.get(submission=decided[0]).has_edited_mail


def test_a_changed_decision_drops_the_edited_mail(client, chair, decided):
    client.force_login(chair)
    client.post(url(), {"subject": SUBJECT, "body": BODY, "save": "1"})
    assert Decision.objects.get(submission=decided[0]).has_edited_mail

    decide(decided[0], Outcome.ACCEPT_ORAL, by=chair)

    assert not Decision.objects.get(submission=decided[0]).has_edited_mail
    preview = client.get(reverse("decisions:release")).content.decode()
    assert "Please bring it on A0." not in preview
    assert 'class="badge warn">edited' not in preview


def test_the_template_again(client, chair, decided):
    client.force_login(chair)
    client.post(url(), {"subject": SUBJECT, "body": BODY, "save": "1"})

    client.post(url(), {"restore": "1"})

    assert not Decision.objects.get(submission=decided[0]).has_edited_mail


def test_after_the_release_the_mail_cannot_change(client, conference, chair, decided):
    release_now(conference, chair)
    client.force_login(chair)

    page = client.get(url())
    response = client.post(url(), {"subject": SUBJECT, "body": BODY, "save": "1"})

    assert page.status_code == 200
    assert "already sent" in page.content.decode()
    assert "already sent" in response.content.decode()
    assert not Decision.objects.get(submission=decided[0]).has_edited_mail


def test_a_conflicted_chair_never_reaches_it(client, conference, chair, decided):
    dana = UserFactory(email="dana@dana-lab.example.net", name="Dana", role="chair")
    decided[0].authors.create(name="Dana", email=dana.email, user=dana, order=9)
    client.force_login(dana)

    assert client.get(url()).status_code == 404
    response = client.post(url(), {"subject": SUBJECT, "body": BODY, "save": "1"})

    assert response.status_code == 404
    assert not Decision.objects.get(submission=decided[0]).has_edited_mail
    preview = client.get(reverse("decisions:release")).content.decode()
    assert url(1) not in preview  # no link to the hidden one
    assert url(2) in preview


@pytest.mark.parametrize("persona", ["anonymous", "author", "reviewer"])
def test_others_cannot(client, request, decided, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    get = client.get(url())
    post = client.post(url(), {"subject": SUBJECT, "body": BODY, "save": "1"})

    assert get.status_code in (302, 404)
    assert post.status_code in (302, 404)
    if persona == "anonymous":
        assert "/accounts/login/" in get["Location"]
    assert not Decision.objects.get(submission=decided[0]).has_edited_mail
