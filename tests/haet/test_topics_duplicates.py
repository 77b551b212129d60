"""The topics page never ends in a server error when two topics would share a
name at the database (its unique constraint): the chair is told, and what was
typed stays. Reproduced, as a crawl found it, by the page's own form posted back
with every row counted as new (INITIAL_FORMS=0): the formset's own checks pass,
the database refuses."""

import lxml.html
import pytest
from django.urls import reverse

from haet.models import Topic

pytestmark = pytest.mark.django_db


def posted_back(html: str) -> dict[str, str]:
    """The fields of the page's topics form, as a browser would send them."""
    form = next(
        f for f in lxml.html.fromstring(html).forms if "topics-TOTAL_FORMS" in f.fields
    )
    return {name: value or "" for name, value in form.form_values()}


def test_a_name_the_database_refuses_is_a_message_not_a_crash(
    client, conference, chair
):
    client.force_login(chair)
    before = sorted(Topic.objects.values_list("pk", "name"))
    data = posted_back(client.get(reverse("chair-topics")).content.decode())
    data["topics-INITIAL_FORMS"] = "0"

    response = client.post(reverse("chair-topics"), data)

    assert response.status_code == 200
    assert "two would have the same name" in response.content.decode()
    assert sorted(Topic.objects.values_list("pk", "name")) == before


def test_deleting_a_topic_in_use_is_said_and_asks_to_save_again(
    client, conference, chair, author
):
    """A topic chosen by a submission and a reviewer profile: the first save
    names what holds it and deletes nothing; saving again deletes it."""
    from reviews.models import ReviewerProfile
    from tests.factories import SubmissionFactory, UserFactory

    topic = Topic.objects.filter(conference=conference).order_by("order").first()
    SubmissionFactory(conference=conference).topics.add(topic)
    profile = ReviewerProfile.objects.create(user=UserFactory(role="reviewer"))
    profile.topics.add(topic)
    client.force_login(chair)
    data = posted_back(client.get(reverse("chair-topics")).content.decode())
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(topic.pk))
    data[row.replace("-id", "-DELETE")] = "on"

    first = client.post(reverse("chair-topics"), data)

    html = first.content.decode()
    assert first.status_code == 200
    assert f"“{topic.name}” is chosen by 1 submission and 1 reviewer profile." in html
    assert Topic.objects.filter(pk=topic.pk).exists()
    again = posted_back(html)
    assert again[row.replace("-id", "-DELETE")] == "on"  # the tick kept
    assert again["confirm_delete"] == "1"

    second = client.post(reverse("chair-topics"), again)

    assert second.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_deleting_a_topic_nobody_chose_needs_no_second_save(client, conference, chair):
    topic = Topic.objects.filter(conference=conference).order_by("order").first()
    client.force_login(chair)
    data = posted_back(client.get(reverse("chair-topics")).content.decode())
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(topic.pk))
    data[row.replace("-id", "-DELETE")] = "on"

    response = client.post(reverse("chair-topics"), data)

    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
