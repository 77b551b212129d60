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
