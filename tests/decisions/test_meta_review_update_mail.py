"""A meta-review the authors can already read (the decision is released) that is
edited mails each author once (decisions.meta_review_mails): never before the
release, never for the same text saved again, once more for each further edit,
never naming who wrote it; its text is a template the chairs edit."""

import pytest
from django.urls import reverse

from decisions.deciding import decide
from decisions.mail_templates import mail_templates, save_mail_template
from decisions.meta_review_mails import queue_meta_review_updated
from decisions.meta_reviews import save_meta_review
from decisions.models import META_REVIEW_EDITED, MetaReview, Outcome
from haet.outbox.models import OutboxMail
from reviews.area_chairs import assign_area_chair
from reviews.models import AreaChairSettings
from submissions.models import Submission
from tests.decisions.conftest import LEAK_EMAIL, LEAK_NAME
from tests.decisions.test_meta_reviews import NOTE, TO_AUTHORS, release
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

EDITED = "Having read the rebuttal, we now also ask for the energy numbers."
TEMPLATE = "meta_review_updated"


def updates():
    return OutboxMail.objects.filter(template=TEMPLATE).order_by("pk")


def recipients() -> list[str]:
    return [mail.to_email for mail in updates()]


@pytest.fixture
def released(world, committed):
    """#1 has a meta-review and an accept, released (the authors read it)."""
    save_meta_review(
        world.submission, to_authors=TO_AUTHORS, note_to_chairs=NOTE, by=world.chair
    )
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)
    release(world, committed)
    return world


@pytest.fixture
def area_chair(world):
    AreaChairSettings.objects.update_or_create(
        conference=world.conference, defaults={"is_enabled": True}
    )
    user = UserFactory(
        email="ari@acs.example.net", name="Arabella Areachair", role="area_chair"
    )
    assign_area_chair(world.submission, user, by=world.chair)
    return user


def edit(client, user, text=EDITED, note=NOTE, number=1):
    client.logout()
    client.force_login(user)
    return client.post(
        reverse("decisions:meta-review", args=[number]),
        {"to_authors": text, "note_to_chairs": note},
    )


def test_an_edit_after_release_mails_each_author_once(released, client, committed):
    author_email = released.author.email

    response = committed(edit, client, released.chair)

    assert response.status_code == 302
    assert sorted(recipients()) == sorted(
        [author_email, "cora@coauthors.example", LEAK_EMAIL]
    )
    mail = updates().get(to_email=author_email)
    title = released.submission.title
    assert mail.subject == (
        f"[{released.conference.acronym}] New meta-review text for “{title}”"
    )
    url = reverse("decisions:author-view", args=[1])
    assert url in mail.body_text
    assert url in mail.body_html
    assert mail.is_essential  # no mail preference covers what authors are told
    assert list(mail.submission_links.values_list("submission_id", flat=True)) == [
        released.submission.pk
    ]
    assert MetaReview.objects.get().revision == 2


def test_the_link_opens_the_updated_meta_review_for_the_author(
    released, client, committed
):
    committed(edit, client, released.chair)
    client.logout()
    client.force_login(released.author)

    page = client.get(reverse("decisions:author-view", args=[1])).text

    assert EDITED in page
    assert NOTE not in page


def test_an_edit_before_release_mails_nobody(world, client, committed):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)  # not released

    committed(edit, client, world.chair)

    assert recipients() == []
    assert MetaReview.objects.get().to_authors == EDITED
    release(world, committed)  # the release mail carries the edited text
    for mail in OutboxMail.objects.filter(template="decision_notification"):
        assert EDITED in mail.body_text
        assert TO_AUTHORS not in mail.body_text


def test_a_first_meta_review_written_after_release_mails_each_author(
    world, client, committed
):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)
    release(world, committed)  # released with no meta-review yet

    committed(edit, client, world.chair)

    assert len(recipients()) == 3
    assert EDITED not in updates().first().body_text  # it links, never quotes
    assert MetaReview.objects.get().revision == 1


def test_without_a_decision_an_edit_mails_nobody(world, client, committed):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)

    committed(edit, client, world.chair)

    assert recipients() == []


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (TO_AUTHORS, NOTE),  # the unchanged form saved again
        (f"  {TO_AUTHORS}\r\n", NOTE),  # the same text, as a browser sends it
        (TO_AUTHORS, "Only the chairs read this, and it changed."),
    ],
)
def test_saving_the_same_text_mails_nobody(released, client, committed, text, note):
    response = committed(edit, client, released.chair, text=text, note=note)

    assert response.status_code == 302
    assert recipients() == []
    assert MetaReview.objects.get().revision == 1


def test_a_double_submit_of_one_edit_mails_once(released, client, committed):
    committed(edit, client, released.chair)
    committed(edit, client, released.chair)

    assert sorted(recipients()) == sorted(set(recipients()))
    assert len(recipients()) == 3


def test_a_retry_of_the_same_revision_mails_once(released, committed):
    save_meta_review(released.submission, to_authors=EDITED, by=released.chair)
    meta_review = MetaReview.objects.get()

    again = committed(queue_meta_review_updated, meta_review)

    assert again == 0
    assert len(recipients()) == 3


def test_two_edits_mail_twice(released, client, committed):
    committed(edit, client, released.chair)
    committed(edit, client, released.chair, text=f"{EDITED} And the latency.")

    assert len(recipients()) == 6
    for email in set(recipients()):
        assert recipients().count(email) == 2
    keys = set(updates().values_list("dedupe_key", flat=True))
    assert len(keys) == 6
    assert MetaReview.objects.get().revision == 3


def test_the_mail_never_names_the_area_chair(released, client, committed, area_chair):
    response = committed(edit, client, area_chair)

    assert response.status_code == 302
    assert MetaReview.objects.get().written_by == area_chair
    assert len(recipients()) == 3
    for mail in updates():
        text = mail.subject + mail.body_text + mail.body_html
        for leak in ("Arabella", "Areachair", "ari@acs.example.net", NOTE):
            assert leak not in text


@pytest.mark.parametrize(
    "persona", ["author", "coauthor", "reviewer", "conflicted_reviewer"]
)
def test_who_may_not_write_it_cannot_edit_it_nor_mail(
    released, client, committed, persona
):
    response = committed(edit, client, released.user(persona))

    assert response.status_code == 404
    assert MetaReview.objects.get().to_authors == TO_AUTHORS
    assert recipients() == []


def test_a_conflicted_chair_cannot_edit_it_nor_mail(released, client, committed):
    response = committed(edit, client, released.conflicted_chair)

    assert response.status_code == 404
    assert recipients() == []


def test_an_anonymous_post_edits_nothing(released, client, committed):
    client.logout()
    response = committed(
        client.post, reverse("decisions:meta-review", args=[1]), {"to_authors": "x"}
    )

    assert response.status_code == 302  # to the login page
    assert MetaReview.objects.get().to_authors == TO_AUTHORS
    assert recipients() == []


def test_a_chair_who_is_an_author_gets_it_as_an_author(world, client, committed):
    chair_author = UserFactory(
        email="hugo@chairs.example.net", name="Hugo Chairman", role="chair"
    )
    SubmissionFactory(
        conference=world.conference,
        number=3,
        contact=world.other_author,
        authors=[chair_author],
        title="Sparse attention on microcontrollers",
    )
    submission = Submission.objects.get(number=3)
    save_meta_review(
        submission, to_authors=TO_AUTHORS, note_to_chairs=NOTE, by=world.chair
    )
    decide(submission, Outcome.REJECT, by=world.chair)
    release(world, committed)

    committed(edit, client, world.chair, number=3)

    mails = {mail.to_email: mail for mail in updates()}
    assert sorted(mails) == ["hugo@chairs.example.net", "other@elsewhere.example"]
    own, other = mails["hugo@chairs.example.net"], mails["other@elsewhere.example"]
    assert own.subject == other.subject
    assert own.body_text.replace("Hugo Chairman", "Olga Other") == other.body_text
    assert NOTE not in own.body_text


def test_the_chairs_edit_its_text_on_the_mail_templates_page(
    released, client, committed
):
    client.force_login(released.chair)
    page = client.get(reverse("decisions:templates"))
    assert "Meta-review updated" in page.text
    template = mail_templates(released.conference)[META_REVIEW_EDITED]
    save_mail_template(
        template,
        subject="{{ conference }}: meta-review of #{{ number }} changed",
        body="Hello {{ author_name }}, see {{ url }}\n\n{{ meta_review }}",
        by=released.chair,
    )

    committed(edit, client, released.chair)

    mail = updates().get(to_email=released.author.email)
    assert mail.subject == f"{released.conference.acronym}: meta-review of #1 changed"
    assert mail.body_text.startswith("Hello ")
    assert reverse("decisions:author-view", args=[1]) in mail.body_text
    assert f"--- Meta-review ---\n{EDITED}" in mail.body_text
    assert NOTE not in mail.body_text
    assert LEAK_NAME not in mail.body_text  # another author's name: not theirs
